"""Test-driven mutation candidates for a test that fails without a crash (an assertion).

Fed the parsed pytest failure (the failing test is the reproduction) and the repo; finds the
repo functions the failing assertion calls and yields single-point mutants of them (operators,
comparisons, boolean logic, integer constants +-1) as kind="mutation" Proposals for the validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import libcst as cst

from hephaestus.repair.edits import replace_with
from hephaestus.repair.locate import locate
from hephaestus.repair.logparse import Failure
from hephaestus.repair.model import Edit, Proposal
from hephaestus.repair.source import SourceFile, rewrite
from hephaestus.repair.templates.scope import module_files

__all__ = ["mutation_proposals"]

_BINARY: dict[type[cst.BaseBinaryOp], Callable[[], cst.BaseBinaryOp]] = {
    cst.Add: cst.Subtract, cst.Subtract: cst.Add, cst.Multiply: cst.Divide, cst.Divide: cst.Multiply,
    cst.FloorDivide: cst.Divide,
}  # fmt: skip
_COMPARE: dict[type[cst.BaseCompOp], Callable[[], cst.BaseCompOp]] = {
    cst.LessThan: cst.LessThanEqual, cst.LessThanEqual: cst.LessThan, cst.GreaterThan: cst.GreaterThanEqual,
    cst.GreaterThanEqual: cst.GreaterThan, cst.Equal: cst.NotEqual, cst.NotEqual: cst.Equal,
}  # fmt: skip
_WHERE = re.compile(r"where .*? = (?P<func>[\w.]+)\(")
_NUMBERS = re.compile(r"assert (?P<got>-?\d+(?:\.\d+)?) == (?P<want>-?\d+(?:\.\d+)?)")


def _called_functions(test: SourceFile, line: int, assertion: str) -> list[str]:
    names: list[str] = [m["func"].rsplit(".", 1)[-1] for m in _WHERE.finditer(assertion)]
    stmt = test.statement_at(line)
    if stmt is not None:
        for call in test.walk(cst.Call, stmt):
            code = test.code(call.func).strip().rsplit(".", 1)[-1]
            if code.isidentifier() and code not in names:
                names.append(code)
    return names


def _definitions(test: SourceFile, names: Sequence[str], files: Sequence[str]) -> list[tuple[str, str]]:
    """(repo file, function name) for names the test imports from repo modules."""
    modules = module_files(files)
    out: list[tuple[str, str]] = []
    for imp in test.walk(cst.ImportFrom):
        if imp.module is None or isinstance(imp.names, cst.ImportStar):
            continue
        path = modules.get(test.code(imp.module).strip())
        for alias in imp.names:
            name = test.code(alias.name).strip()
            if path is not None and name in names:
                out.append((path, name))
    return out


def _mutants(src: SourceFile, func: cst.FunctionDef) -> Iterator[tuple[cst.CSTNode, cst.CSTNode, str, bool]]:
    """(node, replacement, description, is_boundary) for each single-point mutation."""
    for op in src.walk(cst.BinaryOperation, func.body):
        swap = _BINARY.get(type(op.operator))
        if swap is not None:
            old_op: Any = op.operator
            new_op = swap().with_changes(
                whitespace_before=old_op.whitespace_before, whitespace_after=old_op.whitespace_after
            )
            yield op, op.with_changes(operator=new_op), f"`{src.code(op).strip()}`: swap the operator", False
    for target in src.walk(cst.ComparisonTarget, func.body):
        swap_c = _COMPARE.get(type(target.operator))
        if swap_c is not None:
            old: Any = target.operator
            new_c = swap_c().with_changes(
                whitespace_before=old.whitespace_before, whitespace_after=old.whitespace_after
            )
            yield target, target.with_changes(operator=new_c), "flip the comparison boundary", True
    for boolean in src.walk(cst.BooleanOperation, func.body):
        flipped = cst.Or() if isinstance(boolean.operator, cst.And) else cst.And()
        yield boolean, boolean.with_changes(operator=flipped), "swap and/or", False
    for unary in src.walk(cst.UnaryOperation, func.body):
        if isinstance(unary.operator, cst.Not):
            yield unary, unary.expression, "drop the negation", False
    for number in src.walk(cst.Integer, func.body):
        value = int(number.value, 0)
        for delta in (1, -1):
            if value + delta >= 0:
                yield number, cst.Integer(str(value + delta)), f"constant {value} -> {value + delta}", True


def mutation_proposals(
    failure: Failure, *, repo: Path, files: Sequence[str], load: Callable[[str], SourceFile | None]
) -> list[Proposal]:
    """Single-point mutants of the functions the failing assertion exercises (kind="mutation")."""
    test_sites = [s for s in locate(failure.frames, repo, files=files) if s.is_test]
    if not test_sites:
        return []
    test = load(test_sites[0].location.path)
    if test is None:
        return []
    line = test_sites[0].location.line
    numbers = _NUMBERS.search(failure.assertion)
    off_by_one = numbers is not None and abs(float(numbers["got"]) - float(numbers["want"])) == 1
    out: list[Proposal] = []
    for path, name in _definitions(test, _called_functions(test, line, failure.assertion), files):
        src = load(path)
        if src is None:
            continue
        for func in (f for f in src.walk(cst.FunctionDef) if f.name.value == name):
            for node, new, what, boundary in _mutants(src, func):
                text = rewrite(src, {node: replace_with(new)})
                prior = 0.35 + (0.1 if boundary and off_by_one else 0.0)
                out.append(
                    Proposal(
                        template="mutation.single-point",
                        edits=(Edit(path=path, old=src.text, new=text),),
                        cause=f"the failing test {failure.test_ids[0] if failure.test_ids else ''} asserts"
                        f"  `{failure.assertion.splitlines()[0] if failure.assertion else ''}` on {name}() "
                        f"({path}:{src.line_of(node)})",
                        change=f"mutation in {name}(): {what}",
                        prior=prior,
                        kind="mutation",
                        failed=f"AssertionError in {test_sites[0].location.path}:{line}",
                    )
                )
    return out
