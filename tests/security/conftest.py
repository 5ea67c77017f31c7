"""Fixtures for the security probes: a tiny repository, a digest of it, and a process finder.

Each probe in tests/security is an attack from issue #12 replayed against the real code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hephaestus.validate import isolation_available

CALC = "def add(a, b):\n    return a + b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'

needs_sandbox = pytest.mark.skipif(isolation_available() is None, reason="bubblewrap cannot isolate here")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """calc.py and a passing pytest suite."""
    root = tmp_path / "repo"
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text(CALC)
    (root / "tests" / "test_calc.py").write_text(TESTS)
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


def digest(root: Path) -> dict[str, str]:
    """Every file under `root` (relative path) with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def new_file_diff(path: str, text: str) -> str:
    """A git-style diff creating `path` with `text`."""
    lines = text.splitlines(keepends=True)
    body = "".join(f"+{line}" for line in lines)
    head = f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
    return f"{head}@@ -0,0 +1,{len(lines)} @@\n{body}"


def pids_with(token: str) -> list[int]:
    """Host PIDs whose command line contains `token`."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture
def token() -> Iterator[str]:
    """A unique marker for a probe's processes; any still alive at the end are killed."""
    mark = f"hephaestus-probe-{uuid.uuid4().hex}"
    yield mark
    for pid in pids_with(mark):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
