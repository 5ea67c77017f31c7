"""The offline solve loop: ask a repair engine for candidates, validate the likeliest, score.

Fed by `hephaestus analyze` (an Issue, the repo, a RepairEngine, a Validator, feedback);
feeds the store and the user one records.Solution, validated only if a candidate passed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from hephaestus.errors import HephaestusError
from hephaestus.records import Issue, Solution, Validation
from hephaestus.validate.feedback import FeedbackPort
from hephaestus.validate.isolation import SandboxUnavailable
from hephaestus.validate.validator import Validator

__all__ = [
    "CandidateLike",
    "EngineLike",
    "EvidenceLike",
    "RefineLike",
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


class EvidenceLike(Protocol):
    """What the loop needs of hephaestus.repair.Evidence: the failing tests that reproduce it."""

    @property
    def failing_tests(self) -> tuple[str, ...]: ...
    @property
    def reproduced(self) -> bool: ...


class EngineLike(Protocol):
    """What the loop needs of hephaestus.repair.RepairEngine."""

    def propose(
        self, issue: Issue, repo: Path, *, failing_output: str | None = None, evidence: Any = None
    ) -> RepairResultLike: ...


RefineLike = Callable[..., Sequence[CandidateLike]]
"""The optional `engine.refine(issue, repo, candidate, validation, *, evidence=None)`: corrected
candidates for a model candidate that failed validation (conversational repair); () when none."""


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


def _better(value: float, validation: Validation, best_value: float, best: Validation) -> bool:
    """Whether a candidate that did not validate beats the best so far: a plausible one (tests pass,
    nothing reproduced the failure) beats the rest, and one without regressions beats one with."""
    if validation.plausible != best.plausible:
        return validation.plausible
    if bool(validation.regressions) != bool(best.regressions):
        return not validation.regressions
    return value > best_value


def _repair_key(candidate: CandidateLike) -> str | None:
    """One conversational repair per fixer answer: a model candidate's provider and template
    without its +tests/+repairN suffixes (a fix with and without its tests is one answer)."""
    if getattr(candidate, "kind", None) != "model":
        return None
    return f"{getattr(candidate, 'provider', '')}|{candidate.template.split('+', 1)[0]}"


def _repair(
    refine: RefineLike,
    issue: Issue,
    repo: Path,
    candidate: CandidateLike,
    validation: Validation,
    evidence: EvidenceLike | None,
    rounds: int,
    seen: set[str],
    validate: Callable[[CandidateLike], Validation],
) -> list[tuple[CandidateLike, Validation]]:
    """Up to `rounds` refine -> validate turns, each on the previous turn's failure; stops at the
    first pass or when the engine has nothing new."""
    out: list[tuple[CandidateLike, Validation]] = []
    current, failed = candidate, validation
    for _ in range(rounds):
        try:
            proposals = refine(issue, repo, current, failed, evidence=evidence)
        except HephaestusError as exc:
            log.warning("issue %s: repair of %s failed: %s", issue.id, current.template, exc)
            break
        fresh = next((c for c in proposals if c.patch not in seen), None)
        if fresh is None:
            break
        seen.add(fresh.patch)
        failed = validate(fresh)
        out.append((fresh, failed))
        if failed.passed:
            break
        current = fresh
    return out


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
    evidence: EvidenceLike | None = None,
    repair_rounds: int = 1,
) -> tuple[Solution | None, str | None]:
    """Propose, validate in rank order until one passes or `max_validations` are spent.

    Returns (Solution, diagnosis): the first passing candidate as "validated"; otherwise the best
    "plausible" one (tests pass, no regression, but nothing reproduced the failure, so it is not
    called validated), else the best-scoring failed one as "failed"; (None, diagnosis) when the engine
    abstains. A candidate whose patch repeats an earlier one is not validated twice. With
    reproduced `evidence`, every candidate must also make its failing tests pass.

    Conversational repair: when the engine has a `refine` method (the model Composer does, the
    built-in engine does not), a model candidate (kind "model") that fails is sent back with its
    failure, and the corrected candidate is validated, up to `repair_rounds` times per fixer
    answer (0 disables); these validations come on top of `max_validations`.
    """
    result = engine.propose(issue, repo, failing_output=failing_output, evidence=evidence)
    expect = evidence.failing_tests if evidence is not None and evidence.reproduced else ()
    diagnosis = result.diagnosis
    if not result.candidates:
        return None, diagnosis
    weights = feedback.weights() if feedback is not None else {}
    ordered = sorted(result.candidates, key=lambda c: rank_key(c, weights))
    seen: set[str] = set()
    best: tuple[float, CandidateLike, Validation] | None = None
    tried = repairs = 0
    refine: RefineLike | None = getattr(engine, "refine", None) if repair_rounds > 0 else None
    refined: set[str] = set()

    def recheck(fixed: CandidateLike) -> Validation:
        return validator.validate(
            repo, fixed.patch, test_path=fixed.test_path, expect_fixed=expect,
            check=getattr(fixed, "check", ()),
        )  # fmt: skip

    for candidate in ordered:
        if tried >= max(1, max_validations):
            break
        if candidate.patch in seen:
            continue
        seen.add(candidate.patch)
        tried += 1
        try:
            validation = validator.validate(
                repo, candidate.patch, test_path=candidate.test_path, expect_fixed=expect,
                check=getattr(candidate, "check", ()),
            )  # fmt: skip
        except SandboxUnavailable as exc:  # refuse to run the tests rather than run them unconfined
            log.warning("issue %s: %s", issue.id, exc)
            return _unvalidated(issue, candidate, str(exc)), diagnosis
        value = score(validation, candidate, weight=weights.get(candidate.template, 1.0))
        log.info(
            "issue %s: candidate %s passed=%s score=%.3f (%s)",
            issue.id, candidate.template, validation.passed, value, validation.reason,
        )  # fmt: skip
        if best is None or _better(value, validation, best[0], best[2]):
            best = (value, candidate, validation)
        if validation.passed:
            best = (value, candidate, validation)
            break
        key = _repair_key(candidate)
        if refine is None or key is None or key in refined:
            continue
        refined.add(key)
        turns = _repair(refine, issue, repo, candidate, validation, evidence, repair_rounds, seen, recheck)
        for fixed, checked in turns:
            repairs += 1
            value = score(checked, fixed, weight=weights.get(fixed.template, 1.0))
            log.info(
                "issue %s: repaired candidate %s passed=%s score=%.3f (%s)",
                issue.id, fixed.template, checked.passed, value, checked.reason,
            )  # fmt: skip
            if _better(value, checked, best[0], best[2]) or checked.passed:
                best = (value, fixed, checked)
        if best[2].passed:
            break
    assert best is not None  # at least one candidate was validated
    value, candidate, validation = best
    solution = Solution(
        issue_id=issue.id,
        status="validated" if validation.passed else "plausible" if validation.plausible else "failed",
        provider=getattr(candidate, "provider", "builtin"),
        patch=candidate.patch,
        score=value,
        explanation=f"{candidate.explanation.rstrip()} {_sentence(validation, tried + repairs)}".strip(),
        validation=validation,
        files=tuple(candidate.files),
        template=candidate.template,
        created_at=datetime.now(UTC),
    )
    return solution, diagnosis
