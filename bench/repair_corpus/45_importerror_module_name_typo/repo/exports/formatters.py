"""Value formatting shared by every export."""

from __future__ import annotations

from datetime import date


def money(cents: int) -> str:
    """1999 -> "19.99"."""
    return f"{cents / 100:.2f}"


def iso_date(value: date) -> str:
    return value.isoformat()
