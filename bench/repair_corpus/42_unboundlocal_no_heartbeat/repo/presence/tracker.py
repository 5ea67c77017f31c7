"""Device presence computed from the event stream."""

from __future__ import annotations


def last_seen(events: list[dict]) -> str | None:
    """Timestamp of the device's most recent heartbeat; None when it never sent one."""
    for event in sorted(events, key=lambda e: e["ts"]):
        if event["kind"] == "heartbeat":
            latest = event["ts"]
    return latest
