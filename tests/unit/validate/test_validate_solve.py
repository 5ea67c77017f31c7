"""solve_offline with a hand-built engine over real candidates, plus ranking and scoring."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hephaestus.records import Frame, Issue, Validation
from hephaestus.validate import (
    FeedbackPort,
    MemoryFeedback,
    Validator,
    isolation_available,
    rank_key,
    score,
    solve_offline,
)
from hephaestus.validate.solve import changed_lines
from tests.support.validators import SpyValidator

MakeDiff = Callable[[Path, dict[str, str | None]], str]
REG = "tests/test_regression.py"


@dataclass(frozen=True)
class Cand:
    patch: str
    template: str
    explanation: str
    files: tuple[str, ...]
    prior: float
    test_path: str | None
    kind: str = "template"


@dataclass(frozen=True)
class Result:
    candidates: tuple[Cand, ...]
    diagnosis: str | None


class Engine:
    def __init__(self, *candidates: Cand, diagnosis: str | None = "ZeroDivisionError in mean") -> None:
        self.result = Result(tuple(candidates), diagnosis)
        self.calls: list[tuple[Issue, Path, str | None]] = []

    def propose(
        self, issue: Issue, repo: Path, *, failing_output: str | None = None, evidence: object = None
    ) -> Result:
        self.calls.append((issue, repo, failing_output))
        return self.result


def CountingValidator() -> SpyValidator:
    return SpyValidator(timeout_s=60)


@pytest.fixture
def issue() -> Issue:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    return Issue(
        id="iss-1", fingerprint="fp", title="ZeroDivisionError in mean", error_type="ZeroDivisionError",
        message="division by zero", application="calc", count=3, severity="high",
        first_seen=now, last_seen=now,
    )  # fmt: skip


@pytest.fixture
def cands(repo: Path, src: Any, make_diff: MakeDiff) -> dict[str, Cand]:
    fix = make_diff(repo, {"calc.py": src.fixed_calc, REG: src.regression_test})
    broken = make_diff(repo, {"calc.py": src.calc.replace("a + b", "a - b"), REG: src.regression_test})
    stale = fix.replace("def mean(values):", "def median(values):")
    return {
        "fix": Cand(fix, "guard-empty", "Return 0.0 for an empty list.", ("calc.py", REG), 0.6, REG),
        "broken": Cand(broken, "flip-op", "Flip the operator.", ("calc.py", REG), 0.9, REG),
        "stale": Cand(stale, "stale", "Edits code that moved.", ("calc.py",), 0.95, REG),
    }


def test_engine_abstains(repo: Path, issue: Issue) -> None:
    engine = Engine(diagnosis="no frame inside the repository")
    solution, diagnosis = solve_offline(
        issue, repo, engine=engine, validator=CountingValidator(), failing_output="x"
    )
    assert solution is None
    assert diagnosis == "no frame inside the repository"
    assert engine.calls[0][2] == "x"


def test_first_passing_candidate_wins_after_a_failing_one(
    repo: Path, issue: Issue, cands: dict[str, Cand]
) -> None:
    validator = CountingValidator()
    engine = Engine(cands["fix"], cands["broken"])
    solution, diagnosis = solve_offline(issue, repo, engine=engine, validator=validator)
    assert diagnosis == "ZeroDivisionError in mean"
    assert solution is not None
    assert validator.seen == [cands["broken"].patch, cands["fix"].patch]  # prior order
    assert solution.status == "validated"
    assert solution.patch == cands["fix"].patch
    assert solution.provider == "builtin"
    assert solution.issue_id == "iss-1"
    assert solution.files == ("calc.py", REG)
    assert solution.validation is not None
    assert solution.validation.passed
    assert 0.5 <= solution.score <= 1.0
    assert solution.explanation.startswith("Return 0.0 for an empty list. Validated: the regression test")
    assert "3/3 existing tests still pass" in solution.explanation
    assert solution.created_at.tzinfo is not None


def test_nothing_passes_returns_best_failed(repo: Path, issue: Issue, cands: dict[str, Cand]) -> None:
    solution, _ = solve_offline(
        issue, repo, engine=Engine(cands["stale"], cands["broken"]), validator=CountingValidator()
    )
    assert solution is not None
    assert solution.status == "failed"
    # a patch that breaks passing tests is never shown as the best, even against one that does not apply
    assert solution.patch == cands["stale"].patch
    assert solution.validation is not None
    assert not solution.validation.regressions
    assert not solution.validation.applied
    assert 0.0 <= solution.score < 0.5
    assert "Not validated (best of 2 tried)" in solution.explanation


def test_no_sandbox_leaves_the_likeliest_candidate_unvalidated(
    repo: Path, issue: Issue, cands: dict[str, Cand], monkeypatch: pytest.MonkeyPatch
) -> None:
    isolation_available.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "bwrap" else "/usr/bin/git")
    try:
        validator = Validator(timeout_s=60)
        solution, _ = solve_offline(
            issue, repo, engine=Engine(cands["fix"], cands["broken"]), validator=validator
        )
        assert solution is not None
        assert solution.status == "unvalidated"
        assert solution.validation is None
        assert solution.patch == cands["broken"].patch  # the higher prior: nothing was run to rank them
        assert "Not validated: no isolating sandbox" in solution.explanation
        assert "repair.allow_unisolated" in solution.explanation
        assert 0.0 <= solution.score < 0.5
        allowed = Validator(timeout_s=60, require_isolation=False)
        ran, _ = solve_offline(issue, repo, engine=Engine(cands["fix"]), validator=allowed)
        assert ran is not None
        assert ran.status == "validated"
    finally:
        isolation_available.cache_clear()


def test_budget_and_duplicates(repo: Path, issue: Issue, cands: dict[str, Cand]) -> None:
    validator = CountingValidator()
    dup = Cand(cands["stale"].patch, "stale-again", "Same diff.", ("calc.py",), 0.97, REG)
    engine = Engine(cands["stale"], dup, cands["broken"], cands["fix"])
    solution, _ = solve_offline(issue, repo, engine=engine, validator=validator, max_validations=2)
    assert validator.seen == [cands["stale"].patch, cands["broken"].patch]
    assert solution is not None
    assert solution.status == "failed"


def test_feedback_reorders_templates(repo: Path, issue: Issue, cands: dict[str, Cand]) -> None:
    feedback = MemoryFeedback()
    for _ in range(6):
        feedback.record(template="flip-op", accepted=False)
    feedback.record(template="guard-empty", accepted=True)
    assert isinstance(feedback, FeedbackPort)
    validator = CountingValidator()
    engine = Engine(cands["broken"], cands["fix"])
    solution, _ = solve_offline(issue, repo, engine=engine, validator=validator, feedback=feedback)
    assert validator.seen == [cands["fix"].patch]  # 0.6 x 1.33 beats 0.9 x 0.25
    assert solution is not None
    assert solution.status == "validated"


def test_changed_lines_and_rank_key(cands: dict[str, Cand]) -> None:
    fix = cands["fix"]
    assert changed_lines(fix.patch) == 7
    assert changed_lines(fix.patch, exclude=(REG,)) == 2
    small = Cand("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "t", "", ("x",), 0.6, None)
    big = Cand("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n", "a", "", ("x",), 0.6, None)
    assert rank_key(small) < rank_key(big)  # same prior: smaller diff first, then template name
    assert rank_key(fix, {"guard-empty": 2.0}) < rank_key(cands["broken"])
    assert sorted([big, fix, small], key=rank_key) == [fix, small, big]


def _validation(**kw: Any) -> Validation:
    base: dict[str, Any] = {
        "applied": True, "passed": False, "tests_before": "passed", "tests_after": "passed",
        "duration_s": 1.0,
    }  # fmt: skip
    return Validation.model_validate(base | kw)


def test_score_orders_evidence(cands: dict[str, Cand]) -> None:
    fix = cands["fix"]
    proven = score(_validation(passed=True, reproduced_before=True, fixed_after=True), fix)
    suite_only = score(_validation(passed=True), fix)
    liked = score(_validation(passed=True), fix, weight=2.0)
    no_repro = score(_validation(reproduced_before=False, fixed_after=True), fix)
    regressed = score(_validation(tests_after="failed", regressions=("t::a",)), fix)
    known_failing = score(_validation(tests_before="failed", tests_after="failed"), fix)
    unapplied = score(_validation(applied=False, tests_after="skipped"), fix)
    assert 1.0 >= proven > liked > suite_only >= 0.5
    assert 0.5 > no_repro > known_failing > regressed > unapplied >= 0.0


SHOP = Path(__file__).resolve().parents[3] / "examples" / "shop"


@pytest.mark.skipif(not SHOP.is_dir(), reason="examples/shop is not there")
def test_real_engine_on_the_example_shop(digest: Callable[[Path], dict[str, str]]) -> None:
    repair = pytest.importorskip("hephaestus.repair")
    now = datetime(2026, 11, 24, tzinfo=UTC)
    frames = (
        Frame(file="/srv/shop/shop/report.py", line=18, function="region_summary"),
        Frame(
            file="/srv/shop/shop/pricing.py", line=20, function="average_order_value",
            source_line="return round(total / len(orders), 2)",
        ),
    )  # fmt: skip
    issue = Issue(
        id="HEP-shop", fingerprint="fp", title="ZeroDivisionError in average_order_value",
        error_type="ZeroDivisionError", message="division by zero", application="shop", count=2,
        severity="high", first_seen=now, last_seen=now, frames=frames,
    )  # fmt: skip
    before = digest(SHOP)
    solution, _ = solve_offline(issue, SHOP, engine=repair.RepairEngine(), validator=Validator(timeout_s=120))
    assert digest(SHOP) == before
    assert solution is not None
    assert solution.status == "validated", solution.explanation
    assert solution.validation is not None
    assert solution.validation.reproduced_before is True
    assert solution.validation.fixed_after is True
    assert "shop/pricing.py" in solution.files


def test_a_failed_solution_never_prefers_a_patch_with_regressions() -> None:
    from hephaestus.validate.solve import _better

    def v(*, regressions: tuple[str, ...]) -> Validation:
        return Validation(
            applied=True, passed=False, tests_before="failed", tests_after="failed",
            regressions=regressions, duration_s=0.1,
        )  # fmt: skip

    clean, broken = v(regressions=()), v(regressions=("tests/t.py::test_a",))
    assert _better(0.1, clean, 0.4, broken)
    assert not _better(0.4, broken, 0.1, clean)
    assert _better(0.3, clean, 0.2, clean)
