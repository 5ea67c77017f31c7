"""Spectrum-based fault localization: ranks repo lines by how much they look like the fault.

Fed a Spectrum (lines each test ran, outcomes, failing frames, recent lines) from probe.py;
feeds the search (repair/search.py), the model prompts and the report with ranked Suspects.
Ochiai over failing vs passing tests, plus the failing traceback and execution recency.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hephaestus.repair.probe import Spectrum

__all__ = ["Suspect", "ochiai", "rank_suspects"]

_STACK_BONUS = (0.5, 0.3, 0.2, 0.1)
_RECENT_BONUS = 0.05


@dataclass(frozen=True)
class Suspect:
    """A repo line and how suspicious it is (higher first); `function` is its qualified name."""

    path: str
    line: int
    function: str | None
    score: float

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "function": self.function,
            "score": round(self.score, 4),
        }


def ochiai(failed_cover: int, passed_cover: int, failed_total: int) -> float:
    """Ochiai suspiciousness: ef / sqrt(F * (ef + ep)); 0 when no failing test covers the line."""
    if failed_cover == 0 or failed_total == 0:
        return 0.0
    return failed_cover / math.sqrt(failed_total * (failed_cover + passed_cover))


def rank_suspects(
    spectrum: Spectrum,
    *,
    failing: Sequence[str],
    is_test: Callable[[str], bool],
    function_of: Callable[[str, int], str | None],
    limit: int = 40,
) -> list[Suspect]:
    """Lines of non-test files run by a failing test, best first.

    Score = Ochiai + a bonus for lines on the failing tests' tracebacks (innermost most) + a
    small bonus for lines run shortly before the failure. Ties go to the line run later.
    """
    failed = [t for t in failing if spectrum.outcomes.get(t) == "failed"] or list(spectrum.failed)
    passed = spectrum.passed
    cover_f: dict[tuple[str, int], int] = {}
    for test in failed:
        for path, lines in spectrum.lines.get(test, {}).items():
            if is_test(path):
                continue
            for line in lines:
                cover_f[(path, line)] = cover_f.get((path, line), 0) + 1
    cover_p: dict[tuple[str, int], int] = {}
    for test in passed:
        for path, lines in spectrum.lines.get(test, {}).items():
            if is_test(path):
                continue
            for line in lines:
                if (path, line) in cover_f:
                    cover_p[(path, line)] = cover_p.get((path, line), 0) + 1
    bonus: dict[tuple[str, int], float] = {}
    order: dict[tuple[str, int], int] = {}
    for test in failed:
        frames = [f for f in spectrum.frames.get(test, ()) if not is_test(f.path)]
        for depth, frame in enumerate(reversed(frames)):
            extra = _STACK_BONUS[min(depth, len(_STACK_BONUS) - 1)]
            key = (frame.path, frame.line)
            bonus[key] = max(bonus.get(key, 0.0), extra)
        recent = [r for r in spectrum.recent.get(test, ()) if not is_test(r[0])]
        for rank, key in enumerate(reversed(recent)):
            order[key] = min(order.get(key, rank), rank)
            if rank < 10:
                bonus[key] = bonus.get(key, 0.0) + _RECENT_BONUS * (1 - rank / 10)
    suspects = [
        Suspect(path, line, function_of(path, line), ochiai(ef, cover_p.get((path, line), 0), len(failed)))
        for (path, line), ef in cover_f.items()
    ]
    scored = [
        Suspect(s.path, s.line, s.function, s.score + bonus.get((s.path, s.line), 0.0)) for s in suspects
    ]
    scored.sort(key=lambda s: (-s.score, order.get((s.path, s.line), 10**6), s.path, s.line))
    return scored[:limit]
