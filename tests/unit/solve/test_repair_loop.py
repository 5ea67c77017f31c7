"""Conversational repair: solve_offline sends a failed model fix back through `engine.refine`, and
Composer.refine asks the fixer role again with the failure (no HTTP here: callable providers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hephaestus.errors import ConfigError, RetryableError
from hephaestus.records import Issue, Validation
from hephaestus.repair.model import Candidate, Edit
from hephaestus.repair.patch import render_patch
from hephaestus.settings import load_settings
from hephaestus.solve import CallableProvider, Composer, ModelRequest, RolesConfig
from hephaestus.validate import solve_offline
from tests.support.validators import SpyValidator

CALC = "def mean(values):\n    return sum(values) / (len(values) + 1)\n"
WRONG = "def mean(values):\n    return sum(values) / (len(values) - 1)\n"
RIGHT = "def mean(values):\n    return sum(values) / len(values)\n"
TEST = "from calc import mean\n\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n"


def _cand(
    patch: str, template: str = "model:fixer", *, kind: str = "model", test_path: str | None = None
) -> Candidate:
    return Candidate(
        patch=patch,
        template=template,
        explanation="Model fix.",
        files=("calc.py",),
        prior=0.7,
        test_path=test_path,
        kind=kind,  # type: ignore[arg-type]
        provider="local:m" if kind == "model" else "builtin",
    )


def _validation(passed: bool, reason: str) -> Validation:
    return Validation(
        applied=True,
        passed=passed,
        tests_before="failed",
        tests_after="passed" if passed else "failed",
        reproduced_before=True,
        fixed_after=passed,
        duration_s=0.1,
        reason=reason,
    )


@dataclass(frozen=True)
class _Result:
    candidates: tuple[Candidate, ...]
    diagnosis: str | None = None


@dataclass
class _Engine:
    """Proposes `first`; each refine call answers the next of `fixes`."""

    first: tuple[Candidate, ...]
    fixes: list[Candidate] = field(default_factory=list)
    calls: list[tuple[Candidate, Validation]] = field(default_factory=list)

    def propose(
        self, issue: Issue, repo: Path, *, failing_output: str | None = None, evidence: Any = None
    ) -> _Result:
        return _Result(self.first)

    def refine(
        self, issue: Issue, repo: Path, candidate: Candidate, validation: Validation, *, evidence: Any = None
    ) -> tuple[Candidate, ...]:
        self.calls.append((candidate, validation))
        return (self.fixes.pop(0),) if self.fixes else ()


def _Validator(*good: str) -> SpyValidator:
    """Passes exactly the patches in `good`; records what it was asked to validate."""

    def decide(patch: str) -> Validation:
        ok = patch in good
        return _validation(ok, "the failing tests pass" if ok else f"still failing after {patch}")

    return SpyValidator(decide=decide, timeout_s=1)


@pytest.fixture
def issue() -> Issue:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Issue(
        id="iss-r", fingerprint="fp-r", title="AssertionError in test_mean", error_type="AssertionError",
        message="assert 1.5 == 2", application="calc", count=1, severity="high",
        first_seen=now, last_seen=now,
    )  # fmt: skip


def test_failed_model_fix_is_refined_and_the_correction_validated(issue: Issue, tmp_path: Path) -> None:
    engine = _Engine((_cand("p1"),), [_cand("p2", "model:fixer+repair1")])
    validator = _Validator("p2")
    solution, _ = solve_offline(issue, tmp_path, engine=engine, validator=validator)
    assert solution is not None
    assert solution.status == "validated"
    assert solution.patch == "p2"
    assert solution.template == "model:fixer+repair1"
    assert validator.seen == ["p1", "p2"]
    assert [(c.patch, v.reason) for c, v in engine.calls] == [("p1", "still failing after p1")]
    assert "best of" not in solution.explanation


def test_rounds_chain_on_the_previous_failure_and_stop_at_the_budget(issue: Issue, tmp_path: Path) -> None:
    fixes = [_cand(f"p{i}", f"model:fixer+repair{i - 1}") for i in (2, 3, 4)]
    engine = _Engine((_cand("p1"),), list(fixes))
    validator = _Validator("p4")
    solution, _ = solve_offline(issue, tmp_path, engine=engine, validator=validator, repair_rounds=2)
    assert [c.patch for c, _ in engine.calls] == ["p1", "p2"]  # round 2 sees round 1's answer
    assert engine.calls[1][1].reason == "still failing after p2"
    assert validator.seen == ["p1", "p2", "p3"]
    assert solution is not None
    assert solution.status == "failed"
    assert "best of 3 tried" in solution.explanation


def test_zero_rounds_never_refines(issue: Issue, tmp_path: Path) -> None:
    engine = _Engine((_cand("p1"),), [_cand("p2")])
    validator = _Validator("p2")
    solution, _ = solve_offline(issue, tmp_path, engine=engine, validator=validator, repair_rounds=0)
    assert engine.calls == []
    assert validator.seen == ["p1"]
    assert solution is not None
    assert solution.status == "failed"


def test_only_model_candidates_are_refined_once_per_answer(issue: Issue, tmp_path: Path) -> None:
    first = (
        _cand("p1+t", "model:fixer+tests", test_path="tests/test_x.py"),
        _cand("p1", "model:fixer"),  # the same answer without its tests
        _cand("b1", "builtin-template", kind="template"),
    )
    engine = _Engine(first, [_cand("p1"), _cand("p9")])
    validator = _Validator()
    solve_offline(issue, tmp_path, engine=engine, validator=validator, repair_rounds=3)
    # the built-in b1 is not refined; p1's correction repeats a tried patch, so its chain stops
    # there; the +tests twin (the same answer) is not refined again
    assert [c.patch for c, _ in engine.calls] == ["p1"]
    assert validator.seen == ["b1", "p1", "p1+t"]


def test_engine_without_refine_and_refine_errors_keep_working(issue: Issue, tmp_path: Path) -> None:
    class Plain:
        def propose(self, issue: Issue, repo: Path, **_kw: Any) -> _Result:
            return _Result((_cand("p1"),))

    class Broken(Plain):
        def refine(self, *_a: Any, **_kw: Any) -> tuple[Candidate, ...]:
            raise RetryableError("provider down")

    for engine in (Plain(), Broken()):
        solution, _ = solve_offline(issue, tmp_path, engine=engine, validator=_Validator())
        assert solution is not None
        assert solution.status == "failed"
        assert solution.patch == "p1"


# --- Composer.refine ---------------------------------------------------------------------------


def _config(*, fallback: tuple[str, ...] = ()) -> RolesConfig:
    return RolesConfig.model_validate(
        {
            "defaults": {"retries": 0, "backoff_s": 0},
            "providers": {"p": {"kind": "openai", "api_key_env": "NONE_SET"}},
            "model_types": {"a": {"provider": "p", "model": "ma"}, "b": {"provider": "p", "model": "mb"}},
            "roles": {
                "analyzer": {"produces": "analysis", "model": "a"},
                "fixer": {"produces": "patch", "model": "a", "fallback": list(fallback), "prior": 0.8},
            },
        }
    )


def _block(new_body: str) -> str:
    search, replace = CALC.splitlines()[1], new_body.splitlines()[1]
    return f"calc.py\n<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n"


@pytest.fixture
def calc_repo(tmp_path: Path) -> Path:
    (tmp_path / "calc.py").write_text(CALC)
    return tmp_path


def _failed(*, with_tests: bool) -> Candidate:
    patch = render_patch([Edit(path="calc.py", old=CALC, new=WRONG)])
    if with_tests:
        patch += render_patch([Edit(path="tests/test_gen.py", old=None, new=TEST)])
    return Candidate(
        patch=patch,
        template="model:fixer+tests" if with_tests else "model:fixer",
        explanation="Divide by the count.",
        files=("calc.py", "tests/test_gen.py") if with_tests else ("calc.py",),
        prior=0.8,
        test_path="tests/test_gen.py" if with_tests else None,
        kind="model",
        provider="p:mb",
    )


def test_composer_refine_sends_the_failure_and_keeps_the_tests(issue: Issue, calc_repo: Path) -> None:
    seen: list[tuple[str, ModelRequest]] = []

    def answer(model: str) -> Any:
        def fn(request: ModelRequest) -> str:
            seen.append((model, request))
            return _block(RIGHT)

        return fn

    providers = {m: CallableProvider(name="p", model=f"m{m}", fn=answer(m)) for m in ("a", "b")}
    composer = Composer(config=_config(fallback=("b",)), env={}, providers=providers)
    failed = _failed(with_tests=True)
    reason = "tests/test_gen.py::test_mean still fails; password=Hunter2Secret"
    out = composer.refine(issue, calc_repo, failed, _validation(False, reason))
    assert len(out) == 1
    fixed = out[0]
    assert fixed.template == "model:fixer+repair1+tests"
    assert fixed.kind == "model"
    assert fixed.provider == "p:mb"
    assert fixed.test_path == "tests/test_gen.py"
    assert "+    return sum(values) / len(values)" in fixed.patch
    assert "new file mode" in fixed.patch
    assert "def test_mean" in fixed.patch
    assert "repair round 1" in fixed.explanation
    [(model, request)] = seen
    assert model == "b"  # the model that wrote the failed answer is asked first
    assert request.role == "fixer"
    assert "previous fix" in request.system
    assert "still fails" in request.user
    assert "Hunter2Secret" not in request.user
    assert request.user.rindex("<untrusted-data-") < request.user.index("still fails")  # fenced
    assert "(len(values) - 1)" in request.user  # the failed patch
    # a second round numbers itself from the first
    again = composer.refine(issue, calc_repo, fixed, _validation(False, "still"))
    assert again[0].template == "model:fixer+repair2+tests"


def test_composer_refine_goes_through_the_chain_and_gives_up_quietly(issue: Issue, calc_repo: Path) -> None:
    def down(_r: ModelRequest) -> str:
        raise RetryableError("503")

    providers = {
        "a": CallableProvider(name="pa", model="ma", fn=down),
        "b": CallableProvider(name="pb", model="mb", fn=lambda _r: _block(RIGHT)),
    }
    composer = Composer(config=_config(fallback=("b",)), env={}, providers=providers)
    failed = _failed(with_tests=False)
    [fixed] = composer.refine(issue, calc_repo, failed, _validation(False, "still failing"))
    assert fixed.provider == "pb:mb"
    assert fixed.template == "model:fixer+repair1"
    assert fixed.test_path is None
    assert composer.caller.metrics.snapshot()["pa:ma"]["failures"] == 1

    garbled = {m: CallableProvider(name="p", model=m, fn=lambda _r: "no idea") for m in ("a", "b")}
    composer = Composer(config=_config(fallback=("b",)), env={}, providers=garbled)
    assert composer.refine(issue, calc_repo, failed, _validation(False, "x")) == ()
    builtin = _cand("p", "builtin-template", kind="template")
    assert composer.refine(issue, calc_repo, builtin, _validation(False, "x")) == ()
    analysis = _cand("p", "model:analyzer")
    assert composer.refine(issue, calc_repo, analysis, _validation(False, "x")) == ()


def test_repair_rounds_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings(data_dir=str(tmp_path)).models.repair_rounds == 1
    monkeypatch.setenv("HEPHAESTUS_MODELS__REPAIR_ROUNDS", "0")
    assert load_settings(data_dir=str(tmp_path)).models.repair_rounds == 0
    monkeypatch.setenv("HEPHAESTUS_MODELS__REPAIR_ROUNDS", "-1")
    with pytest.raises(ConfigError, match="repair_rounds"):
        load_settings(data_dir=str(tmp_path))
