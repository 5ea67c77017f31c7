"""Test-driven mutation candidates for a test that fails without a crash (an assertion).

Fed the parsed pytest failure (the failing test is the reproduction) and the repo; finds the
repo functions the failing assertion calls and yields single-point mutants of them (operators,
comparisons, boolean logic, integer constants +-1) as kind="mutation" Proposals for the validator.
"""

from __future__ import annotations

import ast
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
from hephaestus.repair.synth import synthesize
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
_EQUALS = re.compile(r"assert (?P<got>.+?) == (?P<want>.+)")


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


def _plus(expr: cst.BaseExpression, delta: int) -> cst.BaseExpression:
    op: cst.BaseBinaryOp = cst.Add() if delta > 0 else cst.Subtract()
    space = cst.SimpleWhitespace(" ")
    op = op.with_changes(whitespace_before=space, whitespace_after=space)
    return cst.BinaryOperation(left=expr, operator=op, right=cst.Integer(str(abs(delta))))


def _bounds(src: SourceFile, func: cst.FunctionDef) -> Iterator[tuple[cst.CSTNode, cst.CSTNode, str, str]]:
    """Slice upper bounds and range() stops +-1 (their integer literals are covered as constants)."""
    for part in src.walk(cst.Slice, func.body):
        if part.upper is not None and not isinstance(part.upper, cst.Integer):
            for delta in (1, -1):
                new = part.with_changes(upper=_plus(part.upper, delta))
                yield (
                    part,
                    new,
                    f"slice bound `{src.code(part.upper).strip()}` {delta:+d}",
                    f"bound{delta:+d}",
                )
    for call in src.walk(cst.Call, func.body):
        if isinstance(call.func, cst.Name) and call.func.value == "range" and 1 <= len(call.args) <= 3:
            idx = 0 if len(call.args) == 1 else 1
            stop = call.args[idx].value
            if isinstance(stop, cst.Integer):
                continue
            for delta in (1, -1):
                args = list(call.args)
                args[idx] = args[idx].with_changes(value=_plus(stop, delta))
                yield (
                    call,
                    call.with_changes(args=args),
                    f"range stop `{src.code(stop).strip()}` {delta:+d}",
                    f"bound{delta:+d}",
                )


def _mutants(src: SourceFile, func: cst.FunctionDef) -> Iterator[tuple[cst.CSTNode, cst.CSTNode, str, str]]:
    """(node, replacement, description, kind) for each single-point mutation."""
    for op in src.walk(cst.BinaryOperation, func.body):
        swap = _BINARY.get(type(op.operator))
        if swap is not None:
            old_op: Any = op.operator
            new_op = swap().with_changes(
                whitespace_before=old_op.whitespace_before, whitespace_after=old_op.whitespace_after
            )
            yield (
                op,
                op.with_changes(operator=new_op),
                f"`{src.code(op).strip()}`: swap the operator",
                "operator",
            )
    for target in src.walk(cst.ComparisonTarget, func.body):
        swap_c = _COMPARE.get(type(target.operator))
        if swap_c is not None:
            old: Any = target.operator
            new_c = swap_c().with_changes(
                whitespace_before=old.whitespace_before, whitespace_after=old.whitespace_after
            )
            yield target, target.with_changes(operator=new_c), "flip the comparison boundary", "compare"
    for boolean in src.walk(cst.BooleanOperation, func.body):
        flipped = cst.Or() if isinstance(boolean.operator, cst.And) else cst.And()
        yield boolean, boolean.with_changes(operator=flipped), "swap and/or", "bool"
    for unary in src.walk(cst.UnaryOperation, func.body):
        if isinstance(unary.operator, cst.Not):
            yield unary, unary.expression, "drop the negation", "not"
    yield from _bounds(src, func)
    for number in src.walk(cst.Integer, func.body):
        value = int(number.value, 0)
        for delta in (1, -1):
            if value + delta >= 0:
                yield (
                    number,
                    cst.Integer(str(value + delta)),
                    f"constant {value} -> {value + delta}",
                    f"const{delta:+d}",
                )


# Prior of a mutant kind for what the assertion shows: a value off by one, a wrong truth value, other.
_PRIORS: dict[str, dict[str, float]] = {
    "off-by-one": {"bound": 0.5, "compare": 0.46, "const": 0.44, "operator": 0.36, "bool": 0.3, "not": 0.3},
    "boolean": {"bool": 0.5, "compare": 0.46, "not": 0.42, "operator": 0.36, "const": 0.3, "bound": 0.3},
    "value": {"operator": 0.46, "compare": 0.42, "bool": 0.38, "not": 0.36, "bound": 0.34, "const": 0.32},
}


def _evidence(failure: Failure) -> tuple[str, int]:
    """("off-by-one" | "boolean" | "value", direction): +1 when the expected value is the larger."""
    first = failure.assertion.strip().splitlines()[0] if failure.assertion.strip() else ""
    first = first.removeprefix("AssertionError:").strip()
    if re.fullmatch(r"assert (?:not )?(?:True|False|None)", first):
        return "boolean", 0
    match = _EQUALS.fullmatch(first)
    if match is None:
        return "value", 0
    try:
        got, want = ast.literal_eval(match["got"]), ast.literal_eval(match["want"])
    except (ValueError, SyntaxError):
        return "value", 0
    if isinstance(got, str) and isinstance(want, str):
        got, want = len(got), len(want)
    if isinstance(got, bool) or isinstance(want, bool):
        return "boolean", 0
    if isinstance(got, int | float) and isinstance(want, int | float) and abs(got - want) == 1:
        return "off-by-one", 1 if want > got else -1
    return "value", 0


def _prior(kind: str, mode: str, direction: int) -> float:
    base = _PRIORS[mode][kind.rstrip("+-1")]
    if kind.endswith(("+1", "-1")) and direction and int(kind[-2:]) != direction:
        base -= 0.02  # the other direction of the same +-1 change
    return base


def mutation_proposals(
    failure: Failure, *, repo: Path, files: Sequence[str], load: Callable[[str], SourceFile | None]
) -> list[Proposal]:
    """Single-point mutants of the functions the failing assertion exercises (kind="mutation").

    When the failing test's file is not in the repo, the assertion is turned into a regression test
    (synth.py) that every mutant carries, so the validator proves it fails before and passes after.
    """
    test_sites = [s for s in locate(failure.frames, repo, files=files) if s.is_test]
    synth = None
    if test_sites:
        test = load(test_sites[0].location.path)
        if test is None:
            return []
        line = test_sites[0].location.line
        targets = _definitions(test, _called_functions(test, line, failure.assertion), files)
        where = f"{test_sites[0].location.path}:{line}"
    else:
        synth = synthesize(failure, repo=repo, files=files)
        if synth is None:
            return []
        targets = list(synth.targets)
        where = f"{failure.frames[0].file}:{failure.frames[0].line}" if failure.frames else "the failing test"
    mode, direction = _evidence(failure)
    out: list[Proposal] = []
    for path, name in targets:
        src = load(path)
        if src is None:
            continue
        for func in (f for f in src.walk(cst.FunctionDef) if f.name.value == name):
            for index, (node, new, what, kind) in enumerate(_mutants(src, func)):
                text = rewrite(src, {node: replace_with(new)})
                edits = (Edit(path=path, old=src.text, new=text),)
                out.append(
                    Proposal(
                        template="mutation.single-point",
                        edits=edits + ((synth.edit,) if synth is not None else ()),
                        cause=f"the failing test {failure.test_ids[0] if failure.test_ids else ''} asserts"
                        f"  `{failure.assertion.splitlines()[0] if failure.assertion else ''}` on {name}() "
                        f"({path}:{src.line_of(node)})",
                        change=f"mutation in {name}(): {what}",
                        prior=_prior(kind, mode, direction) - 0.001 * min(index, 9),
                        kind="mutation",
                        failed=f"AssertionError in {where}",
                        test_path=synth.edit.path if synth is not None else None,
                    )
                )
    return out
