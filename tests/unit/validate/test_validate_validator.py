"""Validator on real small repositories: apply, compile, test, compare with the baseline."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hephaestus.errors import ConfigError
from hephaestus.settings import RepairSettings
from hephaestus.validate import Validator, isolation_available
from hephaestus.validate import validator as validator_module
from hephaestus.validate.validator import _numstat_paths

MakeDiff = Callable[[Path, dict[str, str | None]], str]
REG = "tests/test_regression.py"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(timeout_s=60)


def test_good_fix_with_regression_test_is_validated_and_repo_untouched(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator, digest: Callable[[Path], dict[str, str]]
) -> None:
    before = digest(repo)
    patch = make_diff(repo, {"calc.py": src.fixed_calc, REG: src.regression_test})
    result = validator.validate(repo, patch, test_path=REG)
    assert result.applied
    assert result.passed, result.reason
    assert result.tests_before == "passed"
    assert result.tests_after == "passed"
    assert result.reproduced_before is True
    assert result.fixed_after is True
    assert result.regressions == ()
    assert "failed before and passes after" in result.reason
    assert "3/3 existing tests still pass" in result.reason
    assert result.duration_s > 0
    assert digest(repo) == before


def test_patch_that_breaks_a_passing_test_names_the_regression(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator
) -> None:
    patch = make_diff(repo, {"calc.py": src.calc.replace("return a + b", "return a - b")})
    result = validator.validate(repo, patch)
    assert result.applied
    assert not result.passed
    assert result.tests_after == "failed"
    assert set(result.regressions) == {
        "tests/test_calc.py::test_add",
        "tests/test_calc.py::TestGroup::test_add_negative",
    }
    assert "regressions: tests/test_calc.py::TestGroup::test_add_negative" in result.reason
    assert "test_add" in result.output_tail


def test_patch_that_does_not_apply(repo: Path, src: Any, make_diff: MakeDiff, validator: Validator) -> None:
    patch = make_diff(repo, {"calc.py": src.fixed_calc}).replace("def mean(values):", "def average(values):")
    result = validator.validate(repo, patch)
    assert result.applied is False
    assert result.passed is False
    assert result.tests_after == "skipped"
    assert result.reason.startswith("the patch does not apply")
    garbage = validator.validate(repo, "this is not a diff")
    assert garbage.applied is False
    surrogate = validator.validate(repo, patch.replace("0.0", "\udcff"))
    assert surrogate.applied is False


def test_syntax_error_is_rejected_before_tests(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator
) -> None:
    patch = make_diff(repo, {"calc.py": src.calc.replace("return a + b", "return a +")})
    result = validator.validate(repo, patch)
    assert result.applied
    assert not result.passed
    assert result.tests_after == "error"
    assert "does not compile" in result.reason
    assert "calc.py:5" in result.output_tail


def test_test_that_passes_before_is_not_a_reproduction(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator
) -> None:
    trivial = "from calc import add\n\n\ndef test_add_zero():\n    assert add(0, 0) == 0\n"
    result = validator.validate(
        repo, make_diff(repo, {"calc.py": src.fixed_calc, REG: trivial}), test_path=REG
    )
    assert result.tests_after == "passed"
    assert result.reproduced_before is False
    assert result.fixed_after is True
    assert not result.passed
    assert "did not fail before" in result.reason


def test_fix_that_does_not_fix(repo: Path, src: Any, make_diff: MakeDiff, validator: Validator) -> None:
    result = validator.validate(repo, make_diff(repo, {REG: src.regression_test}), test_path="./" + REG)
    assert result.reproduced_before is True
    assert result.fixed_after is False
    assert not result.passed
    assert "does not pass after" in result.reason
    assert "new failures: tests/test_regression.py::test_mean_of_nothing_is_zero" in result.reason


def test_missing_test_path_fails(repo: Path, src: Any, make_diff: MakeDiff, validator: Validator) -> None:
    result = validator.validate(repo, make_diff(repo, {"calc.py": src.fixed_calc}), test_path="tests/nope.py")
    assert result.reproduced_before is False
    assert result.fixed_after is False
    assert not result.passed


def test_removed_and_skipped_tests_are_regressions(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator
) -> None:
    tests = src.tests.replace("def test_mean():", "import pytest\n\n\n@pytest.mark.skip\ndef test_mean():")
    tests = tests.replace("class TestGroup:", "class Gone:")
    result = validator.validate(repo, make_diff(repo, {"tests/test_calc.py": tests}))
    assert result.tests_after == "passed"
    assert not result.passed
    assert set(result.regressions) == {
        "tests/test_calc.py::test_mean (now skipped)",
        "tests/test_calc.py::TestGroup::test_add_negative (removed)",
    }


def test_baseline_runs_once_per_repo_content(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    validator = Validator(timeout_s=60)
    calls: list[tuple[str, ...]] = []
    original = validator._run_tests

    def spy(box, paths=()):  # type: ignore[no-untyped-def]
        calls.append(paths)
        return original(box, paths)

    validator._run_tests = spy  # type: ignore[method-assign]
    patch = make_diff(repo, {"calc.py": src.fixed_calc})
    assert validator.validate(repo, patch).tests_after == "passed"
    assert validator.validate(repo, patch).tests_after == "passed"
    assert validator.baseline(repo).status == "passed"
    assert len(calls) == 3  # 1 baseline + 2 patched runs
    other = Validator(timeout_s=60)  # the cache is shared by validators with the same options
    other_calls: list[tuple[str, ...]] = []
    other_run = other._run_tests

    def other_spy(box, paths=()):  # type: ignore[no-untyped-def]
        other_calls.append(paths)
        return other_run(box, paths)

    other._run_tests = other_spy  # type: ignore[method-assign]
    assert other.validate(repo, patch).tests_after == "passed"
    assert len(other_calls) == 1
    (repo / "README.md").write_text("changed\n")
    assert validator.baseline(repo).status == "passed"
    assert len(calls) == 4


def test_tests_cannot_write_to_the_original_tree(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator, digest: Callable[[Path], dict[str, str]]
) -> None:
    before = digest(repo)
    target = repo / "calc.py"
    sneaky = f"from pathlib import Path\n\n\ndef test_vandal():\n    Path({str(target)!r}).write_text('x')\n"
    result = validator.validate(repo, make_diff(repo, {"tests/test_vandal.py": sneaky}))
    if isolation_available() is None:
        pytest.skip("bubblewrap cannot isolate here")
    assert not result.passed
    assert "tests/test_vandal.py::test_vandal" in result.output_tail
    assert digest(repo) == before


FAILING_EXTRA = "def test_known_broken():\n    assert False\n"


def test_already_failing_baseline_accepts_no_new_failures(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    (repo / "tests" / "test_broken.py").write_text(FAILING_EXTRA)
    validator = Validator(timeout_s=60)
    ok = validator.validate(
        repo, make_diff(repo, {"calc.py": src.fixed_calc, REG: src.regression_test}), test_path=REG
    )
    assert ok.tests_before == "failed"
    assert ok.tests_after == "failed"
    assert ok.passed, ok.reason
    assert "already failed before" in ok.reason
    bad = validator.validate(repo, make_diff(repo, {"calc.py": src.calc.replace("a + b", "a * b")}))
    assert not bad.passed
    assert "tests/test_calc.py::test_add" in bad.regressions


CHECK = "import sys\nfrom calc import add\nsys.exit(0 if add(2, 3) == 5 else 1)\n"


def test_non_pytest_command_compares_exit_codes(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    (repo / "check.py").write_text(CHECK)
    validator = Validator(test_cmd="python check.py", timeout_s=60)
    good = validator.validate(
        repo, make_diff(repo, {"calc.py": src.fixed_calc, REG: src.regression_test}), test_path=REG
    )
    assert good.passed, good.reason
    assert good.reproduced_before
    assert good.fixed_after
    bad = validator.validate(repo, make_diff(repo, {"calc.py": src.calc.replace("a + b", "a - b")}))
    assert not bad.passed
    assert bad.regressions == ("python check.py",)
    assert "failed after the patch" in bad.reason


def test_slow_test_command_times_out(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    validator = Validator(test_cmd=f"{sys.executable} -c 'import time; time.sleep(60)'", timeout_s=1)
    result = validator.validate(repo, make_diff(repo, {"calc.py": src.fixed_calc}))
    assert result.tests_before == "timeout"
    assert result.tests_after == "timeout"
    assert not result.passed
    assert "timed out" in result.reason


def test_plain_p0_patch_and_deletions(repo: Path, src: Any, validator: Validator) -> None:
    patch = "--- calc.py\n+++ calc.py\n@@ -4,3 +4,3 @@\n def add(a, b):\n-    return a + b\n"
    patch += "+    return b + a\n \n"
    swapped = validator.validate(repo, patch)
    assert swapped.applied
    assert swapped.tests_after == "passed"
    assert not swapped.regressions
    (repo / "stale.py").write_text("x = 1\n")
    deletion = "--- a/stale.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x = 1\n"
    deleted = validator.validate(repo, deletion)
    assert deleted.applied
    assert deleted.tests_after == "passed"
    assert not deleted.regressions


def test_a_green_suite_alone_does_not_validate(
    repo: Path, src: Any, validator: Validator, make_diff: MakeDiff
) -> None:
    """Keeping a passing suite passing proves nothing about the failure: no reproduction, no `passed`."""
    result = validator.validate(repo, make_diff(repo, {"calc.py": src.fixed_calc}))
    assert result.tests_before == "passed"
    assert result.tests_after == "passed"
    assert not result.passed
    assert "proves nothing" in result.reason


def test_expect_fixed_needs_the_failing_test_to_fail_before_and_pass_after(
    repo: Path, src: Any, validator: Validator, make_diff: MakeDiff
) -> None:
    (repo / "tests" / "test_empty.py").write_text(
        "from calc import mean\n\n\ndef test_empty():\n    assert mean([]) == 0.0\n"
    )
    failing = ("tests/test_empty.py::test_empty",)
    good = validator.validate(repo, make_diff(repo, {"calc.py": src.fixed_calc}), expect_fixed=failing)
    assert good.passed
    assert good.reproduced_before
    assert good.fixed_after
    assert "The failing test tests/test_empty.py::test_empty failed before and passes after" in good.reason
    noop = make_diff(repo, {"calc.py": src.calc.replace("a + b", "b + a")})
    bad = validator.validate(repo, noop, expect_fixed=failing)
    assert not bad.passed
    assert bad.reproduced_before
    assert not bad.fixed_after
    green = validator.validate(repo, noop, expect_fixed=("tests/test_calc.py::test_add",))
    assert not green.passed
    assert not green.reproduced_before


def test_numstat_paths_handles_renames() -> None:
    raw = "1\t1\tcalc.py\x000\t0\t\x00old.py\x00new.py\x00"
    assert _numstat_paths(raw) == ("calc.py", "old.py", "new.py")
    assert _numstat_paths("") == ()


def test_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError):
        Validator(test_cmd="  ")
    made = Validator.from_settings(RepairSettings(test_cmd="pytest -x", timeout_s=5, memory_mb=512))
    assert (made.test_cmd, made.timeout_s, made.memory_mb) == ("pytest -x", 5, 512)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match="git"):
        Validator()


def test_reproduction_restores_new_source_files(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    helper = "def safe_mean(values):\n    return sum(values) / len(values) if values else 0.0\n"
    fixed = src.calc.replace(
        "    return sum(values) / len(values)",
        "    from helpers import safe_mean\n\n    return safe_mean(values)",
    )
    patch = make_diff(repo, {"calc.py": fixed, "helpers.py": helper, REG: src.regression_test})
    result = Validator(timeout_s=60).validate(repo, patch, test_path=REG)
    assert result.passed, result.reason
    assert result.reproduced_before is True  # helpers.py was removed again for the "before" run


def test_baseline_cache_is_bounded(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validator_module, "_BASELINE_SLOTS", 1)
    validator = Validator(test_cmd=f"{sys.executable} -c 'pass'", timeout_s=60)
    validator.baseline(repo)
    (repo / "calc.py").write_text("x = 2\n")
    validator.baseline(repo)
    assert len(validator_module._BASELINES) == 1


@pytest.mark.parametrize("bad", ["../outside.py", "/etc/passwd"])
def test_test_path_outside_the_repo_is_not_run(
    repo: Path, src: Any, make_diff: MakeDiff, validator: Validator, bad: str
) -> None:
    result = validator.validate(repo, make_diff(repo, {"calc.py": src.fixed_calc}), test_path=bad)
    assert result.tests_after == "passed"
    assert result.reproduced_before is False
    assert result.fixed_after is False
    assert not result.passed


def test_failing_baseline_needs_evidence_that_the_patch_fixes_something(
    repo: Path, src: Any, make_diff: MakeDiff
) -> None:
    (repo / "tests" / "test_broken.py").write_text(FAILING_EXTRA)
    validator = Validator(timeout_s=60)
    # a harmless edit that fixes nothing and brings no reproduction test: not a validated fix
    noop = validator.validate(repo, make_diff(repo, {"calc.py": src.calc + "\n# tidy\n"}))
    assert noop.tests_before == "failed"
    assert noop.regressions == ()
    assert not noop.passed
    assert "makes none of the failing tests pass" in noop.reason
