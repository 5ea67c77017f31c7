"""The offline solve loop: ask a repair engine for candidates, validate the likeliest, score.

Fed by `hephaestus analyze` (an Issue, the repo, a RepairEngine, a Validator, feedback);
feeds the store and the user one records.Solution, validated only if a candidate passed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from hephaestus.records import Issue, Solution, Validation
from hephaestus.validate.feedback import FeedbackPort
from hephaestus.validate.isolation import SandboxUnavailable
from hephaestus.validate.validator import Validator

__all__ = [
    "CandidateLike",
    "EngineLike",
    "RepairResultLike",
    "changed_lines",
    "rank_key",
    "score",
    "solve_offline",
]

log = logging.getLogger(__name__)


class CandidateLike(Protocol):
    """What the loop needs of hephaestus.repair.Candidate."""

    @property
    def patch(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def explanation(self) -> str: ...
    @property
    def files(self) -> tuple[str, ...]: ...
    @property
    def prior(self) -> float: ...
    @property
    def test_path(self) -> str | None: ...


class RepairResultLike(Protocol):
    @property
    def candidates(self) -> Sequence[CandidateLike]: ...
    @property
    def diagnosis(self) -> str | None: ...


class EngineLike(Protocol):
    """What the loop needs of hephaestus.repair.RepairEngine."""

    def propose(self, issue: Issue, repo: Path, *, failing_output: str | None = None) -> RepairResultLike: ...


def changed_lines(patch: str, *, exclude: Sequence[str | None] = ()) -> int:
    """Added plus removed lines of a unified diff, leaving out files named in `exclude`."""
    skip = {p for p in exclude if p}
    total, counting = 0, True
    for line in patch.splitlines():
        if line.startswith("+++ "):
            target = line[4:].split("\t")[0].strip()
            target = target[2:] if target.startswith(("a/", "b/")) else target
            counting = target not in skip
        elif line.startswith("--- ") or line.startswith("diff "):
            continue
        elif counting and line[:1] in ("+", "-"):
            total += 1
    return total


def rank_key(candidate: CandidateLike, weights: Mapping[str, float] | None = None) -> tuple[float, int, str]:
    """Sort key for validation order: highest prior x feedback weight first, then smaller diffs.

    The template name breaks remaining ties so the order is deterministic.
    """
    weight = (weights or {}).get(candidate.template, 1.0)
    size = changed_lines(candidate.patch, exclude=(candidate.test_path,))
    return (-max(0.0, candidate.prior) * weight, size, candidate.template)


def score(validation: Validation, candidate: CandidateLike, *, weight: float = 1.0) -> float:
    """Confidence in [0, 1]: validated candidates score >= 0.5, every other one < 0.5.

    Validated: 0.5 + 0.5 x (0.35 reproduction + 0.25 diff size + 0.25 prior + 0.15 feedback),
    where reproduction is 1 only when a regression test failed before and passes after.
    Not validated: 0.49 x (0.4 tests + 0.2 reproduction + 0.15 size + 0.15 prior + 0.1 feedback);
    a patch that does not apply keeps only its prior.
    """
    prior = min(1.0, max(0.0, candidate.prior))
    feedback = min(1.0, max(0.0, weight / 2.0))
    size = 1.0 / (1.0 + max(0, changed_lines(candidate.patch, exclude=(candidate.test_path,)) - 2) / 10.0)
    repro = 0.5 * bool(validation.reproduced_before) + 0.5 * bool(validation.fixed_after)
    if validation.passed:
        quality = 0.35 * (repro == 1.0) + 0.25 * size + 0.25 * prior + 0.15 * feedback
        return round(0.5 + 0.5 * quality, 4)
    if not validation.applied:
        return round(0.49 * 0.15 * prior, 4)
    tests = 0.0
    if not validation.regressions and validation.tests_after not in ("error", "timeout", "skipped"):
        tests = 1.0 if validation.tests_after == "passed" else 0.5
    partial = 0.4 * tests + 0.2 * repro + 0.15 * size + 0.15 * prior + 0.1 * feedback
    return round(0.49 * partial, 4)


def _sentence(validation: Validation, tried: int) -> str:
    reason = validation.reason.rstrip(".") or "no details"
    reason = reason[:1].lower() + reason[1:]
    if validation.passed:
        return f"Validated: {reason}."
    return f"Not validated (best of {tried} tried): {reason}."


def _unvalidated(issue: Issue, candidate: CandidateLike, why: str) -> Solution:
    """The likeliest candidate, proposed but not tested (its score keeps only its prior)."""
    return Solution(
        issue_id=issue.id,
        status="unvalidated",
        provider=getattr(candidate, "provider", "builtin"),
        patch=candidate.patch,
        score=round(0.49 * 0.15 * min(1.0, max(0.0, candidate.prior)), 4),
        explanation=f"{candidate.explanation.rstrip()} Not validated: {why}.".strip(),
        files=tuple(candidate.files),
        template=candidate.template,
        created_at=datetime.now(UTC),
    )


def solve_offline(
    issue: Issue,
    repo: Path,
    *,
    engine: EngineLike,
    validator: Validator,
    max_validations: int = 6,
    feedback: FeedbackPort | None = None,
    failing_output: str | None = None,
) -> tuple[Solution | None, str | None]:
    """Propose, validate in rank order until one passes or `max_validations` are spent.

    Returns (Solution, diagnosis): the first passing candidate as "validated"; otherwise the
    best-scoring validated-but-failed one as "failed"; (None, diagnosis) when the engine
    abstains. A candidate whose patch repeats an earlier one is not validated twice.
    """
    result = engine.propose(issue, repo, failing_output=failing_output)
    diagnosis = result.diagnosis
    if not result.candidates:
        return None, diagnosis
    weights = feedback.weights() if feedback is not None else {}
    ordered = sorted(result.candidates, key=lambda c: rank_key(c, weights))
    seen: set[str] = set()
    best: tuple[float, CandidateLike, Validation] | None = None
    tried = 0
    for candidate in ordered:
        if tried >= max(1, max_validations):
            break
        if candidate.patch in seen:
            continue
        seen.add(candidate.patch)
        tried += 1
        try:
            validation = validator.validate(repo, candidate.patch, test_path=candidate.test_path)
        except SandboxUnavailable as exc:  # refuse to run the tests rather than run them unconfined
            log.warning("issue %s: %s", issue.id, exc)
            return _unvalidated(issue, candidate, str(exc)), diagnosis
        value = score(validation, candidate, weight=weights.get(candidate.template, 1.0))
        log.info(
            "issue %s: candidate %s passed=%s score=%.3f (%s)",
            issue.id, candidate.template, validation.passed, value, validation.reason,
        )  # fmt: skip
        if best is None or value > best[0]:
            best = (value, candidate, validation)
        if validation.passed:
            best = (value, candidate, validation)
            break
    assert best is not None  # at least one candidate was validated
    value, candidate, validation = best
    solution = Solution(
        issue_id=issue.id,
        status="validated" if validation.passed else "failed",
        provider=getattr(candidate, "provider", "builtin"),
        patch=candidate.patch,
        score=value,
        explanation=f"{candidate.explanation.rstrip()} {_sentence(validation, tried)}".strip(),
        validation=validation,
        files=tuple(candidate.files),
        template=candidate.template,
        created_at=datetime.now(UTC),
    )
    return solution, diagnosis
