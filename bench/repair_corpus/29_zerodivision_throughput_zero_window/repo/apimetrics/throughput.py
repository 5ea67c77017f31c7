"""Throughput figures for the /metrics endpoint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Window:
    count: int
    started: float
    ended: float


def requests_per_second(window: Window) -> float:
    """Throughput over the window, two decimals; 0.0 while the window has no duration yet."""
    elapsed_s = window.ended - window.started
    return round(window.count / elapsed_s, 2)
