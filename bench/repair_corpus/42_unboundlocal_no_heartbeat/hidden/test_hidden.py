from presence.tracker import last_seen


def test_never_seen():
    assert last_seen([]) is None
    assert last_seen([{"kind": "boot", "ts": "2026-11-24T03:00:00"}]) is None
