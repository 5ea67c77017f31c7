"""Energy usage from cumulative smart-meter readings (kWh)."""

from __future__ import annotations


def total_consumption(readings: list[float]) -> float:
    """Usage over the whole period (0.0 without readings)."""
    return round(readings[-1] - readings[0], 3) if readings else 0.0


def consumption(readings: list[float]) -> list[float]:
    """Usage between consecutive readings: one value fewer than there are readings."""
    return [round(readings[i + 1] - readings[i], 3) for i in range(len(readings))]
