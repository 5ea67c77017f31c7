"""Recurring job definitions loaded from the plugin registry."""

from __future__ import annotations

DEFAULT_INTERVAL_S = 3600


def job_interval(job: dict) -> int:
    """Seconds between runs: job["every"] as a duration string ("15m"); hourly when absent."""
    if "every" not in job:
        return DEFAULT_INTERVAL_S
    # local import: timers.durations is loaded after the plugin registry at start-up
    from timers.durations import parse_duraton

    return parse_duraton(job["every"])
