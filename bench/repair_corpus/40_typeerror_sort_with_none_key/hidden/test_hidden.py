from todo.board import agenda


def test_undated_tasks_last_in_order():
    tasks = [{"title": "x", "due": None}, {"title": "b", "due": "2026-12-01"},
             {"title": "y", "due": None}, {"title": "a", "due": "2026-11-30"}]
    assert agenda(tasks) == ["a", "b", "x", "y"]
