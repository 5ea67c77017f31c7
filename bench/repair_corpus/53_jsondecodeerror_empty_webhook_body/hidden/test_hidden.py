from hooks.receiver import event_action, parse_event


def test_empty_body():
    assert parse_event(b"") == {}
    assert event_action(b"") == "ping"
