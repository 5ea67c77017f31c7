"""TypeError templates on values: str + int concatenation, len()/indexing of a lazy iterator.
Fed a FixContext; evidence is the message's types and the iterator's own definition in the
function (call-site templates live in `calls`, None/str operands in `operands`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import Rewriter
from hephaestus.repair.templates.base import FixContext, proposal

__all__ = ["type_error"]

_CONCAT = re.compile(r'can only concatenate str \(not "(?P<other>\w+)"\) to str')
_OPERAND = re.compile(r"unsupported operand type\(s\) for \+=?: '(?P<left>\w+)' and 'str'")
_GEN = re.compile(r"object of type '(?P<kind>generator|map|filter|zip)' has no len\(\)|"
                  r"'(?P<kind2>generator|map|filter|zip)' object is not subscriptable")  # fmt: skip


def _is_text(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString | cst.FormattedString | cst.ConcatenatedString)


def type_error(ctx: FixContext) -> Iterator[Proposal]:
    """`type-error.str-concat`, `type-error.numeric-str`, `type-error.generator-len`."""
    if ctx.error_type != "TypeError":
        return
    yield from _concat(ctx)
    yield from _generator(ctx)


def _concat(ctx: FixContext) -> Iterator[Proposal]:
    src = ctx.source
    concat, operand = _CONCAT.search(ctx.message), _OPERAND.search(ctx.message)
    if concat is None and operand is None:
        return
    edits: dict[cst.CSTNode, Rewriter] = {}
    if concat is not None:
        wrap = "str"
        for op in src.on_line(cst.BinaryOperation, ctx.line):
            if isinstance(op.operator, cst.Add) and _is_text(op.left) and not _is_text(op.right):
                edits[op.right] = replace_with(parse_expr(f"str({src.code(op.right).strip()})"))
        for aug in src.on_line(cst.AugAssign, ctx.line):
            if isinstance(aug.operator, cst.AddAssign) and not _is_text(aug.value):
                edits[aug.value] = replace_with(parse_expr(f"str({src.code(aug.value).strip()})"))
        why = f"a {concat['other']} is concatenated to a str"
    else:
        assert operand is not None
        wrap = operand["left"] if operand["left"] in {"int", "float"} else ""
        for aug in src.on_line(cst.AugAssign, ctx.line):
            if wrap and isinstance(aug.operator, cst.AddAssign) and not _is_text(aug.value):
                edits[aug.value] = replace_with(parse_expr(f"{wrap}({src.code(aug.value).strip()})"))
        why = f"a str (text read from input) is added to a running {operand['left']} total"
    if len(edits) != 1:
        return
    found = proposal(
        ctx, edits, template="type-error.str-concat" if concat else "type-error.numeric-str",
        cause=why, change=f"convert the operand with `{wrap}(...)`", prior=0.8 if concat else 0.6,
    )  # fmt: skip
    if found is not None:
        yield found


def _generator(ctx: FixContext) -> Iterator[Proposal]:
    src = ctx.source
    match = _GEN.search(ctx.message)
    func = src.function_at(ctx.line)
    if match is None or func is None:
        return
    kind = match["kind"] or match["kind2"]
    for call in src.on_line(cst.Call, ctx.line):
        inline = call.args[0].value if len(call.args) == 1 else None
        lazy = isinstance(inline, cst.Call) and src.code(inline.func).strip() == kind
        if src.code(call.func).strip() == "len" and inline is not None and lazy:
            found = proposal(
                ctx, {inline: replace_with(parse_expr(f"list({src.code(inline).strip()})"))},
                template="type-error.generator-len", cause=f"len() is applied to a lazy {kind} object",
                change=f"materialise the {kind} with list() before taking len()", prior=0.8,
            )  # fmt: skip
            if found is not None:
                yield found
                return
    used = {n.value for n in src.on_line(cst.Name, ctx.line)}
    for assign in src.walk(cst.Assign, func.body):
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            continue
        name = assign.targets[0].target.value
        if name not in used or src.line_of(assign) > ctx.line:
            continue
        value = assign.value
        if isinstance(value, cst.GeneratorExp):
            new: cst.BaseExpression = cst.ListComp(elt=value.elt, for_in=value.for_in)
        elif isinstance(value, cst.Call) and src.code(value.func).strip() in {"map", "filter", "zip"}:
            new = parse_expr(f"list({src.code(value).strip()})")
        else:
            continue
        found = proposal(
            ctx, {value: replace_with(new)}, template="type-error.generator-len",
            cause=f"`{name}` is a lazy {match['kind'] or match['kind2']}, which has no len() and cannot be indexed",  # noqa: E501
            change=f"build `{name}` as a list", prior=0.8,
        )  # fmt: skip
        if found is not None:
            yield found
            return
