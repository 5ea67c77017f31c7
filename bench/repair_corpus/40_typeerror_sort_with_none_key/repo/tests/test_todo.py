from todo.board import agenda


def test_agenda_by_due_date():
    tasks = [{"title": "b", "due": "2026-12-01"}, {"title": "a", "due": "2026-11-30"}]
    assert agenda(tasks) == ["a", "b"]
