"""TypeError templates on operands: an optional value (None) in arithmetic, text compared with a
number, None sort keys. Fed a FixContext; evidence is the message's types plus what the code says
about the value: the docstring ("optional", "None come last"), annotations (`dict[str, str]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.templates.base import FixContext, proposal

__all__ = ["operand_types"]

_NONE_ARITH = re.compile(r"unsupported operand type\(s\) for (?P<op>[-+]):? '(?P<a>\w+)' and '(?P<b>\w+)'")
_COMPARE = re.compile(r"'[<>]=?' not supported between instances of '(?P<a>\w+)' and '(?P<b>\w+)'")
_OPTIONAL = re.compile(r"\b(?:optional|missing|null|none|absent|may be none)\b", re.I)
_EMPTY = {"str": '""', "int": "0", "float": "0.0"}
_TEXT_MAP = re.compile(r"^(?:dict|Mapping|MutableMapping)\[\s*str\s*,\s*str\s*\]$")


def operand_types(ctx: FixContext) -> Iterator[Proposal]:
    """`type-error.none-operand`, `type-error.str-number-compare`, `type-error.none-sort-key`."""
    if ctx.error_type != "TypeError":
        return
    yield from _none_operand(ctx)
    yield from _text_number(ctx)
    yield from _none_sort_key(ctx)


def _none_operand(ctx: FixContext) -> Iterator[Proposal]:
    """`x - d.get("k")` where the docstring calls k optional: `(d.get("k") or 0)`."""
    match = _NONE_ARITH.search(ctx.message)
    src = ctx.source
    func = src.function_at(ctx.line)
    if match is None or "NoneType" not in (match["a"], match["b"]) or func is None:
        return
    other = match["b"] if match["a"] == "NoneType" else match["a"]
    zero = _EMPTY.get(other)
    doc = src.docstring(func)
    if zero is None or other == "str":
        return
    edits = {}
    for op in src.on_line(cst.BinaryOperation, ctx.line):
        if not isinstance(op.operator, cst.Add | cst.Subtract):
            continue
        side = op.right if match["b"] == "NoneType" else op.left
        if (
            not isinstance(side, cst.Call)
            or not src.code(side.func).strip().endswith(".get")
            or len(side.args) != 1
        ):
            continue
        key = side.args[0].value
        name = str(key.evaluated_value) if isinstance(key, cst.SimpleString) else src.code(key).strip()
        sentences = [s for s in re.split(r"[.;]\s", doc) if re.search(rf"\b{re.escape(name)}\b", s)]
        if any(_OPTIONAL.search(s) for s in sentences):
            edits[side] = (name, f"({src.code(side).strip()} or {zero})")
    if len(edits) != 1:
        return
    node, (name, new) = edits.popitem()
    found = proposal(
        ctx, {node: replace_with(parse_expr(new))}, template="type-error.none-operand",
        cause=f"`{name}` is optional (the docstring of {func.name.value} says so) and is None when missing "
        f"or null, which cannot be used in `{match['op']}` arithmetic",
        change=f"treat a missing `{name}` as {zero}: `{new}`", prior=0.65,
    )  # fmt: skip
    if found is not None:
        yield found


def _text_number(ctx: FixContext) -> Iterator[Proposal]:
    """A value read from a `dict[str, str]` (text) compared with a number: convert where it is read."""
    match = _COMPARE.search(ctx.message)
    src = ctx.source
    func = src.function_at(ctx.line)
    if match is None or func is None or {match["a"], match["b"]} not in ({"str", "int"}, {"str", "float"}):
        return
    number = match["b"] if match["a"] == "str" else match["a"]
    texts = {
        p.name.value
        for p in [*func.params.params, *func.params.kwonly_params]
        if p.annotation is not None and _TEXT_MAP.match(src.code(p.annotation.annotation).strip())
    }
    used = {n.value for n in src.on_line(cst.Name, ctx.line)}
    edits = {}
    for assign in src.walk(cst.Assign, func.body):
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        if not isinstance(target, cst.Name) or target.value not in used or src.line_of(assign) >= ctx.line:
            continue
        value = assign.value
        reads = {n.value for n in src.walk(cst.Name, value)}
        if (
            isinstance(value, cst.Call | cst.Subscript)
            and reads & texts
            and not src.code(value).startswith(number)
        ):
            edits[value] = (target.value, f"{number}({src.code(value).strip()})")
    if len(edits) != 1:
        return
    node, (name, new) = edits.popitem()
    found = proposal(
        ctx, {node: replace_with(parse_expr(new))}, template="type-error.str-number-compare",
        cause=f"`{name}` is read from a mapping of strings (annotated `dict[str, str]`) and then compared "
        f"with a {number}",
        change=f"convert it where it is read: `{name} = {new}`", prior=0.65,
    )  # fmt: skip
    if found is not None:
        yield found


def _none_sort_key(ctx: FixContext) -> Iterator[Proposal]:
    """`sorted(xs, key=lambda t: t["due"])` with None keys the docstring sorts last (or first)."""
    match = _COMPARE.search(ctx.message)
    src = ctx.source
    func = src.function_at(ctx.line)
    if match is None or func is None or "NoneType" not in (match["a"], match["b"]):
        return
    other = match["b"] if match["a"] == "NoneType" else match["a"]
    doc = " ".join(src.docstring(func).split()).lower()
    about = " ".join(s for s in re.split(r"[.;]\s", doc) if re.search(r"\bnone\b|\bwithout\b|\bmissing\b", s))
    last = re.search(r"\b(?:last|at the end|after)\b", about)
    first = re.search(r"\b(?:first|at the (?:start|top)|before)\b", about)
    if other not in _EMPTY or bool(last) == bool(first):
        return
    lambdas = [
        arg.value
        for arg in src.on_line(cst.Arg, ctx.line)
        if arg.keyword is not None and arg.keyword.value == "key" and isinstance(arg.value, cst.Lambda)
    ]
    if len(lambdas) != 1:
        return
    lam = lambdas[0]
    body = src.code(lam.body).strip()
    flag = f"{body} is None" if last else f"{body} is not None"
    new = lam.with_changes(body=parse_expr(f"({flag}, {body} or {_EMPTY[other]})"))
    found = proposal(
        ctx, {lam: replace_with(new)}, template="type-error.none-sort-key",
        cause=f"the sort key `{body}` is None for some items and None cannot be compared with {other}; the "
        f"docstring of {func.name.value} puts those items {'last' if last else 'first'}",
        change=f"sort by `({flag}, {body} or {_EMPTY[other]})`", prior=0.6,
    )  # fmt: skip
    if found is not None:
        yield found
