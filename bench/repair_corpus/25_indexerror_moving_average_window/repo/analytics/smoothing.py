"""Smoothing for daily active-user charts."""

from __future__ import annotations


def moving_average(values: list[float], window: int) -> list[float]:
    """Mean of every full window of `window` consecutive values.

    That is len(values) - window + 1 results, or [] when there are fewer values than `window`.
    """
    return [sum(values[i + k] for k in range(window)) / window for i in range(len(values) - window + 2)]
