"""Turns a test command's run into an outcome: a status and, for pytest, per-test results.

Fed by the Validator (the test command string and the SandboxResult plus JUnit XML of one
run); feeds it TestRun records that it compares before/after to name regressions.
"""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET  # only parses files our own pytest run wrote
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from hephaestus.validate.sandbox import SandboxResult

__all__ = [
    "TestRun",
    "TestStatus",
    "is_pytest",
    "parse_junit",
    "pytest_argv",
    "summarize",
]

TestStatus = Literal["passed", "failed", "error", "timeout", "skipped"]
Outcome = Literal["passed", "failed", "error", "skipped"]
_SHELL_CHARS = frozenset("|&;<>()$`")


@dataclass(frozen=True)
class TestRun:
    """What one run of the test command said; `tests` is None when outcomes are unknown."""

    __test__ = False  # not a pytest test class

    status: TestStatus
    returncode: int | None
    output: str
    duration_s: float
    tests: dict[str, Outcome] | None = field(default=None)

    def passing(self) -> frozenset[str]:
        return frozenset(k for k, v in (self.tests or {}).items() if v == "passed")

    def failing(self) -> frozenset[str]:
        return frozenset(k for k, v in (self.tests or {}).items() if v in ("failed", "error"))


def _pytest_index(argv: list[str]) -> int | None:
    """Index of the token after which pytest options go, or None if this is not pytest."""
    for i, word in enumerate(argv):
        if PurePosixPath(word).name in ("pytest", "py.test"):
            return i
        if word == "-m" and i + 1 < len(argv) and argv[i + 1] == "pytest":
            return i + 1
    return None


def is_pytest(test_cmd: str) -> bool:
    """True when `test_cmd` is a plain (no shell syntax) pytest or `python -m pytest` command."""
    if _SHELL_CHARS & set(test_cmd):
        return False
    try:
        return _pytest_index(shlex.split(test_cmd)) is not None
    except ValueError:
        return False


def pytest_argv(test_cmd: str, *, junit: Path | None, paths: tuple[str, ...] = ()) -> list[str]:
    """argv of a pytest command with JUnit output, no cache plugin and optional test `paths`.

    With `paths` only the launcher part of the command is kept (`python -m pytest`, `uv run
    pytest`: the user's own options and test paths would widen the selection) plus `-q`; a
    non-pytest command gets `python -m pytest -q` (used to run a single regression test).
    """
    argv = shlex.split(test_cmd) if is_pytest(test_cmd) else ["python", "-m", "pytest", "-q"]
    index = _pytest_index(argv)
    if paths and index is not None:
        argv = [*argv[: index + 1], "-q"]
    extra: list[str] = []
    if "no:cacheprovider" not in argv:
        extra += ["-p", "no:cacheprovider"]
    if junit is not None:
        extra += [f"--junit-xml={junit}", "-o", "junit_family=xunit1"]
    return [*argv, *extra, *paths]


def _node_id(case: ET.Element) -> str:
    name = case.get("name", "?")
    classname = case.get("classname", "")
    file = case.get("file")
    if not file:
        return f"{classname}::{name}" if classname else name
    module = file.removesuffix(".py").replace("/", ".")
    inner = classname[len(module) + 1 :] if classname.startswith(module + ".") else ""
    return "::".join(p for p in (file, inner.replace(".", "::"), name) if p)


def parse_junit(path: Path) -> dict[str, Outcome] | None:
    """Per-test outcome from a JUnit XML file (None if it is missing or unreadable)."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314
    except (OSError, ET.ParseError):
        return None
    outcomes: dict[str, Outcome] = {}
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        outcome: Outcome = "passed"
        if "error" in tags:
            outcome = "error"
        elif "failure" in tags:
            outcome = "failed"
        elif "skipped" in tags:
            outcome = "skipped"
        key = _node_id(case)
        if outcomes.get(key) in ("failed", "error"):  # a failing teardown keeps the worst outcome
            continue
        outcomes[key] = outcome
    return outcomes


def summarize(result: SandboxResult, *, pytest: bool, tests: dict[str, Outcome] | None) -> TestRun:
    """Map a finished command to a TestRun.

    pytest: exit 0 passed, 1 failed, anything else (collection error, usage, no tests) error.
    Other commands: 0 passed, 126/127 (cannot run) or a signal error, other codes failed.
    """
    code = result.returncode
    status: TestStatus
    if result.timed_out:
        status = "timeout"
    elif code == 0:
        status = "passed"
    elif pytest:
        status = "failed" if code == 1 else "error"
    else:
        status = "error" if code is None or code < 0 or code in (126, 127) else "failed"
    if status == "failed" and tests is not None and not any(v in ("failed", "error") for v in tests.values()):
        status = "error"  # non-zero exit without a failing test: something else broke
    return TestRun(status, code, result.output, result.duration_s, tests)
