"""Fixtures for the validator tests: small real repositories and diffs made from real edits."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

CALC = '''"""A tiny module under test."""


def add(a, b):
    return a + b


def mean(values):
    return sum(values) / len(values)
'''

CALC_TESTS = """from calc import add, mean


def test_add():
    assert add(2, 3) == 5


def test_mean():
    assert mean([1, 2, 3]) == 2


class TestGroup:
    def test_add_negative(self):
        assert add(-1, -1) == -2
"""

PYPROJECT = """[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

FIXED_CALC = CALC.replace(
    "    return sum(values) / len(values)",
    "    if not values:\n        return 0.0\n    return sum(values) / len(values)",
)
REGRESSION_TEST = (
    "from calc import mean\n\n\ndef test_mean_of_nothing_is_zero():\n    assert mean([]) == 0.0\n"
)


@dataclass(frozen=True)
class Sources:
    """Texts of the small repo, its fix and the fix's regression test."""

    calc: str = CALC
    tests: str = CALC_TESTS
    fixed_calc: str = FIXED_CALC
    regression_test: str = REGRESSION_TEST
    regression_path: str = "tests/test_regression.py"


@pytest.fixture
def src() -> Sources:
    return Sources()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real repository: calc.py, a passing pytest suite, plus clutter the copy must skip."""
    root = tmp_path / "repo"
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text(CALC)
    (root / "tests" / "test_calc.py").write_text(CALC_TESTS)
    (root / "pyproject.toml").write_text(PYPROJECT)
    for junk in (".git", ".venv", "node_modules", "__pycache__", ".pytest_cache"):
        (root / junk).mkdir()
        (root / junk / "junk.txt").write_text("do not copy")
    return root


def unified_diff(repo: Path, edits: dict[str, str | None]) -> str:
    """A git-style (a/ b/) unified diff turning `repo` into `repo` with `edits` (None = delete)."""
    out: list[str] = []
    for rel, new in sorted(edits.items()):
        path = repo / rel
        old_lines = path.read_text().splitlines(keepends=True) if path.exists() else []
        new_lines = new.splitlines(keepends=True) if new is not None else []
        src = f"a/{rel}" if path.exists() else "/dev/null"
        dst = f"b/{rel}" if new is not None else "/dev/null"
        out.extend(difflib.unified_diff(old_lines, new_lines, fromfile=src, tofile=dst))
    return "".join(out)


@pytest.fixture
def make_diff() -> Callable[[Path, dict[str, str | None]], str]:
    return unified_diff


def tree_digest(root: Path) -> dict[str, str]:
    """Every path under `root` (files, dirs, links) with a digest of its bytes."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = "link:" + str(path.readlink())
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


@pytest.fixture
def digest() -> Callable[[Path], dict[str, str]]:
    return tree_digest
