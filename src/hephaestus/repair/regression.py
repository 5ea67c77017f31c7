"""Writes the regression test a candidate adds: the failing call with inferred inputs, asserting
the documented result. Fed a RegressionSpec and the repo (to copy how existing tests import);
feeds the engine an Edit creating tests/test_hephaestus_regression_<slug>.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from hephaestus.repair.locate import is_test_path
from hephaestus.repair.model import Edit, RegressionSpec

__all__ = ["module_name", "regression_edit", "tests_folder"]

_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.M)


def _dotted_options(path: str) -> list[str]:
    """Possible import names of a file, longest first: a/src/pkg/m.py -> a.src.pkg.m, src.pkg.m, pkg.m, m."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts))]


def _test_imports(repo: Path, files: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for path in files:
        if not is_test_path(path):
            continue
        try:
            text = (repo / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _IMPORT.finditer(text):
            found.add(match.group(1) or match.group(2))
    return found


def module_name(repo: Path, path: str, files: Sequence[str]) -> str:
    """Import name of `path` as the repo's tests spell it (else src-layout aware default)."""
    options = _dotted_options(path)
    imported = _test_imports(repo, files)
    for option in options:
        top = option.split(".")[0]
        if (option in imported or any(i == top or i.startswith(top + ".") for i in imported)) and (
            (repo / path).parent.joinpath("__init__.py").exists() or "." not in option or option in imported
        ):
            return option
    parts = PurePosixPath(path).parts
    if parts[0] == "src" and len(options) > 1:
        return options[1]
    return options[0]


def tests_folder(files: Sequence[str]) -> str:
    """Folder holding most existing test modules (default `tests`)."""
    counts: dict[str, int] = {}
    for path in files:
        name = PurePosixPath(path).name
        if is_test_path(path) and name.startswith("test_"):
            parent = str(PurePosixPath(path).parent)
            counts[parent] = counts.get(parent, 0) + 1
    if not counts:
        return "tests"
    return max(sorted(counts), key=lambda k: counts[k])


def regression_edit(spec: RegressionSpec, *, repo: Path, files: Sequence[str]) -> Edit:
    """A new test module reproducing the failure; it fails before the fix and passes after."""
    module = module_name(repo, spec.path, files)
    slug = re.sub(r"\W+", "_", spec.slug).strip("_").lower()
    folder = tests_folder(files)
    path = (
        f"{folder}/test_hephaestus_regression_{slug}.py"
        if folder != "."
        else f"test_hephaestus_regression_{slug}.py"
    )
    check = "is None" if spec.expected == "None" else f"== {spec.expected}"
    call = f"{spec.function}({', '.join(spec.args)})"
    text = (
        f'"""Regression test added by Hephaestus: {call} must return {spec.expected}."""\n\n'
        f"from {module} import {spec.function}\n\n\n"
        f"def test_{slug}() -> None:\n"
        f"    assert {call} {check}\n"
    )
    return Edit(path=path, old=None, new=text)
