"""Pytest command detection, JUnit parsing and status mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from hephaestus.validate import SandboxResult
from hephaestus.validate.outcomes import is_pytest, parse_junit, pytest_argv, summarize


@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("python -m pytest -q", True),
        ("pytest", True),
        ("/usr/bin/pytest -x tests", True),
        ("uv run pytest", True),
        ("python3.11 -m pytest", True),
        ("python -m unittest", False),
        ("make test", False),
        ("pytest && echo done", False),
        ("pytest 'unterminated", False),
    ],
)
def test_is_pytest(cmd: str, expected: bool) -> None:
    assert is_pytest(cmd) is expected


def test_pytest_argv_adds_junit_and_no_cache(tmp_path: Path) -> None:
    junit = tmp_path / "j.xml"
    argv = pytest_argv("python -m pytest -q", junit=junit, paths=("tests/test_x.py",))
    assert argv[:4] == ["python", "-m", "pytest", "-q"]
    assert f"--junit-xml={junit}" in argv
    assert argv[argv.index("-p") + 1] == "no:cacheprovider"
    assert argv[-1] == "tests/test_x.py"
    already = pytest_argv("pytest -p no:cacheprovider", junit=None)
    assert already.count("no:cacheprovider") == 1
    assert not any(a.startswith("--junit-xml") for a in already)
    fallback = pytest_argv("make test", junit=None, paths=("t.py",))
    assert fallback[:3] == ["python", "-m", "pytest"]
    narrowed = pytest_argv("uv run pytest -x tests/ -k slow", junit=None, paths=("tests/test_r.py",))
    assert narrowed == ["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_r.py"]


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py" line="1"/>
<testcase classname="tests.test_a" name="test_bad" file="tests/test_a.py"><failure message="x"/></testcase>
<testcase classname="tests.test_a.TestK" name="test_m" file="tests/test_a.py"><skipped/></testcase>
<testcase classname="tests.test_a" name="test_teardown" file="tests/test_a.py"><failure/></testcase>
<testcase classname="tests.test_a" name="test_teardown" file="tests/test_a.py"><error/></testcase>
<testcase classname="tests.test_a" name="test_teardown" file="tests/test_a.py"/>
<testcase classname="tests.test_b" name="test_broken"><error message="boom"/></testcase>
<testcase name="bare"/>
</testsuite></testsuites>
"""


def test_parse_junit(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    assert parse_junit(path) == {
        "tests/test_a.py::test_ok": "passed",
        "tests/test_a.py::test_bad": "failed",
        "tests/test_a.py::TestK::test_m": "skipped",
        "tests/test_a.py::test_teardown": "failed",
        "tests.test_b::test_broken": "error",
        "bare": "passed",
    }
    assert parse_junit(tmp_path / "missing.xml") is None
    (tmp_path / "bad.xml").write_text("<testsuite")
    assert parse_junit(tmp_path / "bad.xml") is None


def _result(code: int | None, *, timed_out: bool = False) -> SandboxResult:
    return SandboxResult(("x",), code, "out", 0.1, timed_out, False)


@pytest.mark.parametrize(
    ("code", "pytest_cmd", "timed_out", "status"),
    [
        (0, True, False, "passed"),
        (1, True, False, "failed"),
        (2, True, False, "error"),
        (5, True, False, "error"),
        (None, True, True, "timeout"),
        (0, False, False, "passed"),
        (3, False, False, "failed"),
        (127, False, False, "error"),
        (-9, False, False, "error"),
    ],
)
def test_summarize_status(code: int | None, pytest_cmd: bool, timed_out: bool, status: str) -> None:
    assert summarize(_result(code, timed_out=timed_out), pytest=pytest_cmd, tests=None).status == status


def test_failed_exit_without_failing_test_is_an_error() -> None:
    run = summarize(_result(1), pytest=True, tests={"t::a": "passed"})
    assert run.status == "error"
    assert run.passing() == {"t::a"}
    assert run.failing() == frozenset()
