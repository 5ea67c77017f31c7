"""Working days for SLA computations."""

from __future__ import annotations

from datetime import date, timedelta


def business_days(start: date, end: date) -> int:
    """Monday-to-Friday days from `start` to `end`, both inclusive (0 if end < start)."""
    days = (end - start).days
    return sum(1 for i in range(days) if (start + timedelta(days=i)).weekday() < 5)
