from hooks.receiver import event_action, parse_event


def test_parse():
    assert parse_event(b'{"action": "opened", "number": 7}')["number"] == 7


def test_action():
    assert event_action(b'{"zen": "Keep it simple"}') == "ping"
