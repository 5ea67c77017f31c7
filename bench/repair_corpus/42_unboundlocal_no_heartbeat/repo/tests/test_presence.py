from presence.tracker import last_seen


def test_latest_heartbeat():
    events = [{"kind": "heartbeat", "ts": "2026-11-24T02:00:00"}, {"kind": "boot", "ts": "2026-11-24T03:00:00"},
              {"kind": "heartbeat", "ts": "2026-11-24T02:30:00"}]
    assert last_seen(events) == "2026-11-24T02:30:00"
