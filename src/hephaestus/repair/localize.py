"""Spectrum-based fault localization: ranks repo lines by how much they look like the fault.

Fed a Spectrum (lines each test ran, outcomes, failing frames, recent lines) from probe.py;
feeds the search (repair/search.py), the model prompts and the report with ranked Suspects.
Ochiai over failing vs passing tests, plus the same over the calls of a failing test (the call
that failed against the earlier calls that passed), the failing traceback and execution recency.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hephaestus.repair.probe import Segment, Spectrum

__all__ = ["Suspect", "ochiai", "rank_suspects"]

_STACK_BONUS = (0.5, 0.3, 0.2, 0.1)
_RECENT_BONUS = 0.05
_CALL_WEIGHT = 0.5  # Ochiai over the failing test's calls, added to the test-level score
_REPORTING = 0.3  # lines a failing test ran only while reporting its failure
_EXCEPTION_CLASS = 0.5  # methods of exception classes run because the failure was raised
_BRANCH_SHARE = 10  # a helper line run by at most 1 in 10 of the passing tests that run the helper
_REPR = frozenset({"__repr__", "__str__", "__format__"})


@dataclass(frozen=True)
class Suspect:
    """A repo line and how suspicious it is (higher first); `function` is its qualified name."""

    path: str
    line: int
    function: str | None
    score: float
    end_line: int | None = None  # last line of a statement spanning several lines

    @property
    def where(self) -> str:
        """`path:line`, or `path:first-last` for a statement spanning several lines."""
        last = f"-{self.end_line}" if self.end_line is not None and self.end_line > self.line else ""
        return f"{self.path}:{self.line}{last}"

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "function": self.function,
            "score": round(self.score, 4),
        }
        if self.end_line is not None and self.end_line > self.line:
            out["end_line"] = self.end_line
        return out


def ochiai(failed_cover: int, passed_cover: int, failed_total: int) -> float:
    """Ochiai suspiciousness: ef / sqrt(F * (ef + ep)); 0 when no failing test covers the line."""
    if failed_cover == 0 or failed_total == 0:
        return 0.0
    return failed_cover / math.sqrt(failed_total * (failed_cover + passed_cover))


def _reporting(seg: Segment, failure_branch: Callable[[str, int], bool]) -> bool:
    """A call made to report a failure: a repr from outside the repo (assertion messages), or
    from a line of a test helper that passing tests run but never that line (its failure branch)."""
    if seg.entry is None:
        return seg.callee in _REPR
    return failure_branch(*seg.entry)


def _call_scores(
    spectrum: Spectrum, failed: Sequence[str], failure_branch: Callable[[str, int], bool]
) -> tuple[dict[tuple[str, int], float], set[tuple[str, int]]]:
    """Ochiai over calls: each failing test's last call (not reporting) fails, its earlier calls
    pass. Also the lines the failing tests ran only in reporting calls."""
    fail_cover: dict[tuple[str, int], int] = {}
    pass_cover: dict[tuple[str, int], int] = {}
    real: set[tuple[str, int]] = set()
    reported: set[tuple[str, int]] = set()
    failing_calls = 0
    for test in failed:
        segments = spectrum.segments.get(test, ())
        kept: list[Segment] = []
        for seg in segments:
            reporting = _reporting(seg, failure_branch)
            if not reporting:
                kept.append(seg)
            target = reported if reporting else real
            target.update((path, n) for path, lines in seg.lines.items() for n in lines)
        if not kept:
            continue
        failing_calls += 1
        for index, seg in enumerate(reversed(kept)):
            cover = fail_cover if index == 0 else pass_cover
            for path, lines in seg.lines.items():
                for n in lines:
                    cover[(path, n)] = cover.get((path, n), 0) + 1
    scores = {key: ochiai(ef, pass_cover.get(key, 0), failing_calls) for key, ef in fail_cover.items()}
    return scores, reported - real


def rank_suspects(
    spectrum: Spectrum,
    *,
    failing: Sequence[str],
    is_test: Callable[[str], bool],
    function_of: Callable[[str, int], str | None],
    statement_of: Callable[[str, int], tuple[int, int] | None] | None = None,
    limit: int = 40,
) -> list[Suspect]:
    """Lines of non-test files run by a failing test, best first.

    Score = Ochiai over tests (x0.3 for lines run only to report the failure, x0.5 in methods of
    exception classes) + half the Ochiai over calls (the failing call against the same test's
    earlier calls) + a bonus for lines on the failing tests' tracebacks (innermost most) + a small
    bonus for lines run shortly before the failure. Ties go to the line run later. With
    `statement_of` ((first, last) line of the statement holding a line), the lines of one statement
    are one suspect at its first line, scored as its best line.
    """
    failed = [t for t in failing if spectrum.outcomes.get(t) == "failed"] or list(spectrum.failed)
    passed = spectrum.passed
    cover_f: dict[tuple[str, int], int] = {}
    for test in failed:
        # a traceback line ran even when the code under test displaced the tracer (its own settrace)
        ran = {(f.path, f.line) for f in spectrum.frames.get(test, ()) if not is_test(f.path)}
        for path, lines in spectrum.lines.get(test, {}).items():
            if not is_test(path):
                ran.update((path, line) for line in lines)
        for key in ran:
            cover_f[key] = cover_f.get(key, 0) + 1
    cover_p: dict[tuple[str, int], int] = {}
    passing_test_lines: dict[str, list[frozenset[int]]] = {}  # test file -> lines run, per passing test
    for test in passed:
        for path, lines in spectrum.lines.get(test, {}).items():
            if is_test(path):
                passing_test_lines.setdefault(path, []).append(lines)
                continue
            for line in lines:
                if (path, line) in cover_f:
                    cover_p[(path, line)] = cover_p.get((path, line), 0) + 1

    @functools.cache
    def functions_run(path: str) -> list[tuple[frozenset[int], frozenset[str | None]]]:
        return [(t, frozenset(function_of(path, n) for n in t)) for t in passing_test_lines.get(path, ())]

    @functools.cache
    def failure_branch(path: str, line: int) -> bool:
        """A line of a test helper that passing tests run, but (almost) never this line of it."""
        function = function_of(path, line)
        runs = [lines for lines, functions in functions_run(path) if function in functions]
        return bool(runs) and _BRANCH_SHARE * sum(line in t for t in runs) <= len(runs)

    calls, reporting_only = _call_scores(spectrum, failed, failure_branch)
    bonus: dict[tuple[str, int], float] = {}
    order: dict[tuple[str, int], int] = {}
    for test in failed:
        frames = [f for f in spectrum.frames.get(test, ()) if not is_test(f.path)]
        for depth, frame in enumerate(reversed(frames)):
            extra = _STACK_BONUS[min(depth, len(_STACK_BONUS) - 1)]
            key = (frame.path, frame.line)
            bonus[key] = max(bonus.get(key, 0.0), extra)
        recent = [r for r in spectrum.recent.get(test, ()) if not is_test(r[0]) and r not in reporting_only]
        for rank, key in enumerate(reversed(recent)):
            order[key] = min(order.get(key, rank), rank)
            if rank < 10:
                bonus[key] = bonus.get(key, 0.0) + _RECENT_BONUS * (1 - rank / 10)
    suspects = []
    for (path, line), ef in cover_f.items():
        function = function_of(path, line)
        score = ochiai(ef, cover_p.get((path, line), 0), len(failed))
        if (path, line) in reporting_only:
            score *= _REPORTING
        score += _CALL_WEIGHT * calls.get((path, line), 0.0)
        if function and "." in function and function.rsplit(".", 1)[0].endswith(("Error", "Exception")):
            score *= _EXCEPTION_CLASS
        suspects.append(Suspect(path, line, function, score))
    scored = [
        Suspect(s.path, s.line, s.function, s.score + bonus.get((s.path, s.line), 0.0)) for s in suspects
    ]
    scored.sort(key=lambda s: (-s.score, order.get((s.path, s.line), 10**6), s.path, s.line))
    return _by_statement(scored, statement_of)[:limit] if statement_of is not None else scored[:limit]


def _by_statement(
    ranked: list[Suspect], statement_of: Callable[[str, int], tuple[int, int] | None]
) -> list[Suspect]:
    """One suspect per statement (at its first line, in the rank of its best line): Python traces
    several lines of a statement that spans several, and the fault may be on any of them."""
    seen: set[tuple[str, int]] = set()
    out: list[Suspect] = []
    for s in ranked:
        span = statement_of(s.path, s.line) or (s.line, s.line)
        if (s.path, span[0]) in seen:
            continue
        seen.add((s.path, span[0]))
        out.append(Suspect(s.path, span[0], s.function, s.score, span[1] if span[1] > span[0] else None))
    return out
