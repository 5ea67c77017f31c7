"""Duration strings such as "90s", "15m", "2h", "1d"."""

from __future__ import annotations

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """Seconds in `text` (number + unit)."""
    text = text.strip().lower()
    return int(text[:-1]) * UNITS[text[-1]]
