"""Grade book arithmetic."""

from __future__ import annotations

PASS_MARK = 50.0


def letter(score: float) -> str:
    """A (>= 85), B (>= 70), C (>= PASS_MARK), F otherwise."""
    if score >= 85:
        return "A"
    if score >= 70:
        return "B"
    return "C" if score >= PASS_MARK else "F"


def course_average(scores: list[float]) -> float:
    """Mean score rounded to one decimal; a course with no submitted scores averages 0.0."""
    return round(sum(scores) / len(scores), 1)
