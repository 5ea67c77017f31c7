"""Conversion figures for A/B test dashboards."""

from __future__ import annotations


def conversion_rate(visitors: int, conversions: int) -> float | None:
    """conversions / visitors; None for a variant nobody has seen yet."""
    return conversions / visitors


def format_rate(rate: float | None) -> str:
    """ "12.5%", or "n/a" when the rate is unknown."""
    return "n/a" if rate is None else f"{rate:.1%}"
