"""Next-run computation for the maintenance scheduler."""

from __future__ import annotations

from datetime import datetime


def parse_hhmm(value: str) -> tuple[int, int]:
    """ "HH:MM" -> (hour, minute), validating the ranges."""
    hh, mm = (int(part) for part in value.split(":"))
    if not (0 <= hh < 24 and 0 <= mm < 60):
        raise ValueError(f"bad time of day: {value!r}")
    return hh, mm


def next_daily_run(now: datetime, at: str) -> datetime:
    """Next occurrence of the daily time `at` ("HH:MM") strictly after `now`."""
    hh, mm = parse_hhmm(at)
    candidate = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
    if candidate <= now:
        candidate += timedelta(days=1)
    return candidate
