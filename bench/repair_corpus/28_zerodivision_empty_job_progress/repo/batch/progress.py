"""Progress reporting for batch jobs."""

from __future__ import annotations


def percent_complete(done: int, total: int) -> float:
    """Progress in percent with one decimal. A job with no items has nothing left to do: 100.0."""
    return round(100 * done / total, 1)


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """ "[#####     ]"-style bar for the CLI."""
    filled = int(width * percent_complete(done, total) / 100)
    return "[" + "#" * filled + " " * (width - filled) + "]"
