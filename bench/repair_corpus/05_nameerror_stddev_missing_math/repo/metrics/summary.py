"""Descriptive statistics for latency samples."""

from __future__ import annotations


def mean(samples: list[float]) -> float:
    """Arithmetic mean."""
    return sum(samples) / len(samples)


def median(samples: list[float]) -> float:
    """Middle value (mean of the two middle values for even-sized input)."""
    ordered = sorted(samples)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def stddev(samples: list[float]) -> float:
    """Population standard deviation."""
    mu = mean(samples)
    return math.sqrt(sum((x - mu) ** 2 for x in samples) / len(samples))
