"""Conversational repair over real HTTP and a real sandboxed validation: the fixer's first answer
(served by the local stub through the openai SDK) fails validation, it is sent back with that
failure, and its second answer fixes the failing test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hephaestus.records import Issue, Validation
from hephaestus.repair import Evidence
from hephaestus.repair.localize import Suspect
from hephaestus.repair.model import RepairResult
from hephaestus.solve import Composer, RolesConfig
from hephaestus.solve.testing import RecordedRequest, StubLLMServer
from hephaestus.validate import Validator, solve_offline
from tests.support.validators import SpyValidator

BUGGY = '''"""Statistics helpers."""


def add(a, b):
    return a + b


def mean(values):
    return sum(values) / (len(values) + 1)
'''
TESTS = """from calc import add, mean


def test_add():
    assert add(2, 3) == 5


def test_mean():
    assert mean([1, 2, 3]) == 2
"""
PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'
BUG_LINE = "    return sum(values) / (len(values) + 1)"


def _answer(replacement: str) -> str:
    return f"calc.py\n<<<<<<< SEARCH\n{BUG_LINE}\n=======\n{replacement}\n>>>>>>> REPLACE\n"


WRONG = _answer("    return sum(values) / (len(values) - 1)")
RIGHT = _answer("    return sum(values) / len(values)")
FAILING = "tests/test_calc.py::test_mean"


class _NoBuiltin:
    """The built-in engine stands aside, so every candidate is the model's."""

    def propose(self, issue: Issue, repo: Path, **_kw: Any) -> Any:
        return RepairResult(candidates=(), locations=(), diagnosis="builtin disabled in this test")


class _FailingValidator(Validator):
    """Says every patch failed, without running anything (the round count is what is tested)."""

    def __init__(self) -> None:
        super().__init__(timeout_s=1)
        self.results: list[Validation] = []

    def validate(self, repo: Path, patch: str, **_kw: Any) -> Validation:
        result = Validation(
            applied=True, passed=False, tests_before="failed", tests_after="failed", duration_s=0.0,
            reason=f"{FAILING} still fails",
        )  # fmt: skip
        self.results.append(result)
        return result


def _RecordingValidator() -> SpyValidator:
    return SpyValidator(test_cmd="python -m pytest -q -p no:cacheprovider", timeout_s=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "calc-repo"
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text(BUGGY)
    (root / "tests" / "test_calc.py").write_text(TESTS)
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


@pytest.fixture
def issue() -> Issue:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Issue(
        id="iss-mean", fingerprint="fp-mean", title="AssertionError in test_mean",
        error_type="AssertionError", message="assert 1.5 == 2", application="calc", count=1,
        severity="high", first_seen=now, last_seen=now, stack_trace=f"FAILED {FAILING} - assert 1.5 == 2",
    )  # fmt: skip


@pytest.fixture
def evidence() -> Evidence:
    return Evidence(
        failing_tests=(FAILING,),
        test_files=("tests/test_calc.py",),
        reproduced=True,
        reproduction="failing test",
        suspects=(Suspect("calc.py", 9, "mean", 1.0),),
        values=(),
        error="AssertionError: assert 1.5 == 2",
    )


@pytest.fixture
def stub() -> Iterator[StubLLMServer]:
    answers = iter([WRONG, RIGHT, RIGHT])

    def reply(_request: RecordedRequest) -> str:
        return next(answers)

    with StubLLMServer(reply=reply) as server:
        yield server


def _composer(stub: StubLLMServer) -> Composer:
    config = RolesConfig.model_validate(
        {
            "defaults": {"retries": 0, "backoff_s": 0},
            "providers": {"local": {"kind": "openai", "base_url_env": "STUB_URL", "keyless": True}},
            "model_types": {"small": {"provider": "local", "model": "stub-coder"}},
            "roles": {"fixer": {"produces": "patch", "model": "small"}},
        }
    )
    return Composer(config=config, env={"STUB_URL": stub.openai_base_url}, builtin=_NoBuiltin())


def test_wrong_first_answer_is_sent_back_and_the_second_validates(
    stub: StubLLMServer, repo: Path, issue: Issue, evidence: Evidence
) -> None:
    validator = _RecordingValidator()
    solution, _ = solve_offline(
        issue, repo, engine=_composer(stub), validator=validator, evidence=evidence, repair_rounds=1
    )
    assert [r.passed for r in validator.results] == [False, True]
    first = validator.results[0]
    assert first.applied
    assert first.reproduced_before
    assert not first.fixed_after
    assert solution is not None
    assert solution.status == "validated"
    assert solution.template == "model:fixer+repair1"
    assert solution.provider == "local:stub-coder"
    assert "+    return sum(values) / len(values)" in solution.patch
    assert len(stub.requests) == 2  # one fixer call, one repair call
    again = stub.requests[1].text
    assert first.reason
    assert first.reason in again  # the failure went back to the model
    assert "(len(values) - 1)" in again  # with the patch that failed
    assert "previous fix" in again
    assert "previous fix" not in stub.requests[0].text


def test_zero_rounds_sends_one_request(
    stub: StubLLMServer, repo: Path, issue: Issue, evidence: Evidence
) -> None:
    validator = _FailingValidator()
    solution, _ = solve_offline(
        issue, repo, engine=_composer(stub), validator=validator, evidence=evidence, repair_rounds=0
    )
    assert len(stub.requests) == 1
    assert [r.passed for r in validator.results] == [False]
    assert solution is not None
    assert solution.status == "failed"
    assert solution.template == "model:fixer"
