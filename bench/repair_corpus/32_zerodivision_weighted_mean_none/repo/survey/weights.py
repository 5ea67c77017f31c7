"""Weighted survey scores (respondent weights correct for sampling bias)."""

from __future__ import annotations


def weighted_mean(values: list[float], weights: list[float]) -> float | None:
    """sum(v * w) / sum(w), rounded to 3 decimals; None when the weights sum to zero (nobody counted)."""
    total_weight = sum(weights)
    return round(sum(v * w for v, w in zip(values, weights)) / total_weight, 3)
