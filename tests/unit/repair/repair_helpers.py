"""Helpers for the repair-engine tests: issues from real tracebacks, patch application, test runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from hephaestus.records import Frame, Issue
from hephaestus.repair.logparse import parse_traceback


def issue_for(error_type: str, message: str, frames: list[Frame], stack_trace: str | None = None) -> Issue:
    now = datetime.now(UTC)
    return Issue(
        id="issue-1", fingerprint="fp", title=f"{error_type}: {message}", error_type=error_type, message=message,  # noqa: E501
        application="app", count=3, severity="high", first_seen=now, last_seen=now, frames=tuple(frames),
        stack_trace=stack_trace,
    )  # fmt: skip


def crash(repo: Path, code: str, *, deploy: str = "/srv/app") -> Issue:
    """Really run `code` against `repo`, capture the traceback, rewrite paths to `deploy`."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=repo, capture_output=True, text=True
    )
    assert proc.returncode != 0, proc.stdout
    text = proc.stderr.replace(str(repo), deploy).replace('"<string>"', f'"{deploy}/launcher.py"')
    failure = parse_traceback(text)
    assert failure is not None, text
    return issue_for(failure.error_type, failure.message, list(failure.frames), text)


def apply(repo: Path, patch: str, dest: Path) -> Path:
    """Copy `repo` to `dest`, `git apply --check` then apply the patch there; returns the copy."""
    shutil.copytree(repo, dest)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    check = subprocess.run(
        ["git", "apply", "--check", "-"], cwd=dest, input=patch, text=True, capture_output=True
    )
    assert check.returncode == 0, check.stderr + patch
    subprocess.run(["git", "apply", "-"], cwd=dest, input=patch, text=True, check=True)
    return dest


def run_py(repo: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=repo, capture_output=True, text=True
    )


def run_pytest(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=repo, capture_output=True,  # noqa: E501
        text=True, check=False,
    )  # fmt: skip
