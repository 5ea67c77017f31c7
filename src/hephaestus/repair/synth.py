"""Regression test synthesized from a failing assertion whose test file is not in the repository.

Fed the parsed pytest failure (the test frame's `>` line holds the assertion) and the repo; finds the
repo functions the assertion calls (unique top-level definition by name), resolves every other name
it uses (builtins, repo imports of the same name), and writes the assertion verbatim into a new test
module importing them the way the repo's tests do. Feeds mutation.py the targets and the test Edit,
which the validator runs: it must fail before a mutant and pass after.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hephaestus.repair.locate import is_test_path
from hephaestus.repair.logparse import Failure
from hephaestus.repair.model import Edit
from hephaestus.repair.regression import module_name, tests_folder

__all__ = ["SynthTest", "synthesize"]

_WHERE = re.compile(r"where .*? = (?P<func>[\w.]+)\(")


@dataclass(frozen=True)
class SynthTest:
    """The new test module and the (repo file, function) pairs its assertion exercises."""

    edit: Edit
    targets: tuple[tuple[str, str], ...]


def _read(repo: Path, path: str) -> ast.Module | None:
    try:
        return ast.parse((repo / path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None


def _definitions(name: str, repo: Path, files: Sequence[str]) -> list[str]:
    """Non-test repo files defining `name` at module level (function or class)."""
    pattern = re.compile(rf"^(?:async\s+)?(?:def|class)\s+{re.escape(name)}\b", re.M)
    found: list[str] = []
    for path in files:
        if is_test_path(path):
            continue
        try:
            text = (repo / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if pattern.search(text):
            found.append(path)
    return found


def _import_of(name: str, repo: Path, paths: Sequence[str]) -> str | None:
    """An absolute import statement binding `name`, as written in one of `paths`."""
    for path in paths:
        tree = _read(repo, path)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        as_part = f" as {alias.asname}" if alias.asname else ""
                        return f"from {node.module} import {alias.name}{as_part}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if (alias.asname or alias.name.split(".")[0]) == name:
                        return f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
    return None


def _free_names(tree: ast.AST) -> list[str]:
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
    names: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        if node.id not in bound and node.id not in names:
            names.append(node.id)
    return names


def _assertion(failure: Failure) -> tuple[str, str, ast.Assert] | None:
    """(test function, statement, parsed) from the outermost test frame's source line."""
    for frame in failure.frames:
        line = (frame.source_line or "").strip()
        if not is_test_path(frame.file) or not line.startswith("assert"):
            continue
        try:
            tree = ast.parse(line)
        except SyntaxError:
            return None
        if len(tree.body) == 1 and isinstance(tree.body[0], ast.Assert):
            return frame.function or "failing", line, tree.body[0]
        return None
    return None


def synthesize(failure: Failure, *, repo: Path, files: Sequence[str]) -> SynthTest | None:
    """The regression test reproducing `failure` in the repo, or None when a name does not resolve."""
    found = _assertion(failure)
    if found is None:
        return None
    test_name, statement, node = found
    called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    called |= {m["func"].rsplit(".", 1)[-1] for m in _WHERE.finditer(failure.assertion)}
    repo_imports: list[str] = []
    stdlib_imports: list[str] = []
    targets: list[tuple[str, str]] = []
    test_files = [p for p in files if is_test_path(p)]
    for name in _free_names(node):
        defs = _definitions(name, repo, files)
        if len(defs) == 1:
            repo_imports.append(f"from {module_name(repo, defs[0], files)} import {name}")
            if name in called:
                targets.append((defs[0], name))
            continue
        imported = _import_of(name, repo, [*test_files, *(t[0] for t in targets)])
        if imported is not None:
            stdlib_imports.append(imported)
        elif not hasattr(builtins, name):
            return None  # an unresolved (or ambiguous) name: the test could not be reproduced faithfully
    if not targets:
        return None
    slug = re.sub(r"\W+", "_", test_name.removeprefix("test_")).strip("_").lower() or "assertion"
    folder = tests_folder(files)
    path = (
        f"{folder}/test_hephaestus_regression_{slug}.py"
        if folder != "."
        else f"test_hephaestus_regression_{slug}.py"
    )
    if (repo / path).exists():
        return None
    header = "\n".join(sorted(set(stdlib_imports))) + "\n\n" if stdlib_imports else ""
    text = (
        f'"""Regression test added by Hephaestus: reproduces the failing test {test_name}."""\n\n'
        f"{header}{chr(10).join(sorted(set(repo_imports)))}\n\n\n"
        f"def test_{slug}() -> None:\n"
        f"    {statement}\n"
    )
    return SynthTest(edit=Edit(path=path, old=None, new=text), targets=tuple(targets))
