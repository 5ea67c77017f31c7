"""Test-driven search: operators at the localized lines, screened in one sandboxed pytest session.

Fed Evidence (reproduced failing tests, ranked suspects, observed values) and a Prober; feeds
the engine with Candidates (kind "mutation") that made every failing test pass and broke no
test of the same files that passed before. The validator still has the last word on each.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from hephaestus.repair.investigate import Evidence, SourceCache
from hephaestus.repair.model import Candidate, Edit
from hephaestus.repair.operators import Mutant, mutants_at
from hephaestus.repair.patch import render_patch
from hephaestus.repair.probe import Prober, ScreenCandidate

__all__ = ["SearchReport", "search"]

_TOP_LINES = 25


@dataclass
class SearchReport:
    """What the search did, for the report and the benchmark."""

    generated: int = 0
    screened: int = 0
    plausible: int = 0
    seconds: float = 0.0


def _ranked(evidence: Evidence, sources: SourceCache, cap: int) -> list[tuple[float, Mutant]]:
    seen: set[tuple[str, int, int, str]] = set()
    out: list[tuple[float, Mutant]] = []
    for suspect in evidence.suspects[:_TOP_LINES]:
        src = sources.get(suspect.path)
        if src is None:
            continue
        values = evidence.values_at(suspect.path, suspect.function, suspect.line)
        error = evidence.raised_at(suspect.path, suspect.line, suspect.end_line)
        for mutant in mutants_at(src, suspect.line, values=values, error=error):
            key = (mutant.path, mutant.start, mutant.end, mutant.text)
            if key in seen:
                continue
            seen.add(key)
            out.append((max(suspect.score, 0.01) * mutant.prior, mutant))
    out.sort(key=lambda pair: (-pair[0], len(pair[1].text) - (pair[1].end - pair[1].start)))
    return out[:cap]


def _screen_candidate(ident: str, mutant: Mutant, sources: SourceCache) -> ScreenCandidate:
    """The screening form of a mutant; `span` (the function's lines after the edit) lets the
    probe recompile just that function when the edit lies inside its body."""
    src = sources.get(mutant.path)
    outer = mutant.qualname.split(".<locals>.", 1)[0] if mutant.qualname else None
    found = src.function_span(outer) if src is not None and outer else None
    span: tuple[int, int] | None = None
    if src is not None and found is not None and mutant.start >= src.line_start(found[2]):
        grown = mutant.text.count("\n") - src.text.count("\n", mutant.start, mutant.end)
        span = (found[0], found[1] + grown)
    return ScreenCandidate(
        id=ident, path=mutant.path, start=mutant.start, end=mutant.end, text=mutant.text,
        qualname=mutant.qualname, span=span,
    )  # fmt: skip


def _candidate(mutant: Mutant, score: float, evidence: Evidence, sources: SourceCache) -> Candidate:
    src = sources.get(mutant.path)
    assert src is not None  # mutants come from parsed sources
    new = src.replace(mutant.start, mutant.end, mutant.text)
    line = src.text.count("\n", 0, mutant.start) + 1
    where = f"{mutant.path}:{line}" + (f" in {mutant.qualname}" if mutant.qualname else "")
    tests = ", ".join(evidence.failing_tests[:3])
    explanation = "\n".join(
        [
            f"What failed: {tests} ({evidence.error or 'failed'}).",
            f"Root cause (localized by test spectrum and traceback): {where}.",
            f"Change: {mutant.description} ({mutant.operator}); the failing tests pass with it and no other "
            "test of their files that passed before fails.",
        ]
    )
    return Candidate(
        patch=render_patch([Edit(path=mutant.path, old=src.text, new=new)]),
        template=f"search.{mutant.operator}",
        explanation=explanation,
        files=(mutant.path,),
        prior=round(min(1.0, 0.5 + score / 2), 4),
        test_path=None,
        kind="mutation",
    )


def search(
    evidence: Evidence,
    *,
    prober: Prober,
    sources: SourceCache,
    budget_s: float = 60.0,
    max_candidates: int = 300,
    report: SearchReport | None = None,
) -> list[Candidate]:
    """Plausible candidates, best first (screening order is rank order, so the budget keeps the best)."""
    report = report if report is not None else SearchReport()
    started = time.monotonic()
    if not evidence.reproduced or not evidence.suspects:
        return []
    ranked = _ranked(evidence, sources, max_candidates)
    report.generated = len(ranked)
    if not ranked:
        return []
    screen = [_screen_candidate(str(i), m, sources) for i, (_, m) in enumerate(ranked)]
    remaining = max(5.0, budget_s - (time.monotonic() - started))
    verdicts = prober.screen(
        sources.repo, evidence.test_files, evidence.failing_tests, screen,
        guards=evidence.passing_tests, budget_s=remaining,
    )  # fmt: skip
    out: list[Candidate] = []
    for verdict in verdicts:
        if verdict.status != "timeout":
            report.screened += 1
        if verdict.status == "ok" and verdict.fixed == len(evidence.failing_tests) and not verdict.broke:
            score, mutant = ranked[int(verdict.id)]
            out.append(_candidate(mutant, score, evidence, sources))
    report.plausible = len(out)
    report.seconds = round(time.monotonic() - started, 3)
    return out
