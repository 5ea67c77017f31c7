"""IndexError templates: off-by-one `range` bounds, 1-based indices, optional trailing fields and
empty sequences whose result the function documents. Fed a FixContext whose failing line holds the
subscript (or `.pop()`); evidence is the loop bound, the bounds check, and the docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import SourceFile
from hephaestus.repair.templates.base import FixContext, documented_guard, documented_value, proposal
from hephaestus.repair.templates.keys import key_of

__all__ = ["index_error"]

_PLUS = re.compile(r"^(?P<base>.+?)\s*\+\s*(?P<n>\d+)$")
_LEN = re.compile(r"^len\(\s*(?P<seq>[\w.]+)\s*\)$")
_ONE_BASED = re.compile(r"\b(?:1|one)[- ](?:based|indexed)\b", re.I)
_OPTIONAL = re.compile(r"\b(?:optional|may be (?:missing|absent|omitted)|can be (?:missing|omitted))\b", re.I)


def index_error(ctx: FixContext) -> Iterator[Proposal]:
    """`index-error.range-off-by-one`, `.one-based`, `.optional-field`, `.empty-documented-default`."""
    if ctx.error_type != "IndexError":
        return
    src = ctx.source
    subs = [s for s in src.on_line(cst.Subscript, ctx.line) if key_of(s) is not None]
    for finder in (_range_bound, _one_based, _optional_field, _empty_default):
        found = finder(ctx, subs)
        if found is not None:
            yield found
            return


def _offset(src: SourceFile, index: cst.BaseExpression, var: str) -> int | None:
    """k for an index `var + k` (0 for `var`), None otherwise."""
    code = src.code(index).strip()
    if code == var:
        return 0
    match = _PLUS.match(code)
    if match and match["base"].strip() == var:
        return int(match["n"])
    return -1 if re.match(rf"^{re.escape(var)}\s*\+", code) else None


def _range_bound(ctx: FixContext, subs: list[cst.Subscript]) -> Proposal | None:
    """A loop `for i in range(..stop)` indexing `xs[i + k]` on the failing line runs one step too far."""
    src = ctx.source
    loops: list[tuple[cst.BaseAssignTargetExpression, cst.BaseExpression]] = []
    for loop in src.walk(cst.For):
        pos = src.positions[loop]
        if pos.start.line <= ctx.line <= pos.end.line:
            loops.append((loop.target, loop.iter))
    loops += [(c.target, c.iter) for c in src.on_line(cst.CompFor, ctx.line)]
    for target, it in loops:
        if not isinstance(target, cst.Name) or not isinstance(it, cst.Call) or src.code(it.func) != "range":
            continue
        if not 1 <= len(it.args) <= 2:
            continue
        stop = it.args[-1].value
        stop_code = src.code(stop).strip()
        offsets = {
            src.code(s.value).strip(): k
            for s in subs
            if (k := _offset(src, key_of(s) or s, target.value)) is not None
        }
        if not offsets:
            continue
        plus, length = _PLUS.match(stop_code), _LEN.match(stop_code)
        if plus is not None:
            n = int(plus["n"]) - 1
            new = plus["base"] if n == 0 else f"{plus['base']} + {n}"
        elif length is not None and offsets.get(length["seq"], 0) > 0:
            new = f"{stop_code} - {offsets[length['seq']]}"
        else:
            continue
        func = src.enclosing(stop, cst.FunctionDef)
        documented = func is not None and " ".join(new.split()) in " ".join(src.docstring(func).split())
        return proposal(
            ctx, {stop: replace_with(parse_expr(new))}, template="index-error.range-off-by-one",
            cause=f"`{target.value}` runs to `{stop_code}` (exclusive), so `{'`, `'.join(offsets)}` is read "
            "one index past its end" + ("; the docstring gives the count as " + new if documented else ""),
            change=f"stop the range at `{new}`", prior=0.85 if documented else 0.75,
        )  # fmt: skip
    return None


def _one_based(ctx: FixContext, subs: list[cst.Subscript]) -> Proposal | None:
    """`xs[page]` where page is checked against 1..len(xs) (or documented 1-based): `xs[page - 1]`."""
    src = ctx.source
    for sub in subs:
        index, seq = key_of(sub), src.code(sub.value).strip()
        func = src.enclosing(sub, cst.FunctionDef)
        if not isinstance(index, cst.Name) or func is None:
            continue
        name = index.value
        doc = f"{src.docstring(func)}\n{src.docstring()}"
        tests = " ".join(src.code(c).strip() for c in src.walk(cst.Comparison, func.body))
        bounded = re.search(rf"\b{name}\s*>\s*len\(\s*{re.escape(seq)}\s*\)", tests) and re.search(
            rf"\b{name}\s*<\s*1\b", tests
        )
        documented = bool(_ONE_BASED.search(doc)) and re.search(rf"\b{name}\b", doc) is not None
        if not bounded and not documented:
            continue
        why = f"{name} is validated to 1..len({seq})" if bounded else ""
        why += (" and " if why else "") + ("the docstring calls it 1-based" if documented else "")
        return proposal(
            ctx, {index: replace_with(parse_expr(f"{name} - 1"))}, template="index-error.one-based",
            cause=f"`{seq}[{name}]` uses a 1-based number as a 0-based index ({why}), so the last one "
            "is out of range",
            change=f"index with `{name} - 1`", prior=0.85 if bounded and documented else 0.7,
        )  # fmt: skip
    return None


def _field_name(src: SourceFile, sub: cst.Subscript) -> str | None:
    """What a subscript reads, as the code names it: the dict key or the variable it is stored in."""
    parent = src.parents.get(sub)
    if isinstance(parent, cst.DictElement) and isinstance(parent.key, cst.SimpleString):
        return str(parent.key.evaluated_value)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        target = parent.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    return None


def _optional_field(ctx: FixContext, subs: list[cst.Subscript]) -> Proposal | None:
    """`fields[3]` for a column the docstring calls optional, with a documented value when missing."""
    src = ctx.source
    for sub in subs:
        index, seq = key_of(sub), src.code(sub.value).strip()
        func = src.enclosing(sub, cst.FunctionDef)
        name = _field_name(src, sub)
        if not isinstance(index, cst.Integer) or func is None or name is None:
            continue
        doc = src.docstring(func)
        sentences = [s for s in re.split(r"[.;]\s", doc) if re.search(rf"\b{re.escape(name)}\b", s)]
        if not any(_OPTIONAL.search(s) for s in sentences):
            continue
        value = documented_value(src, func, {name, "missing", "absent"}, emptiness=False)
        if value is None:
            continue
        n = int(index.value)
        new = parse_expr(f"{seq}[{n}] if len({seq}) > {n} else {value.code}")
        return proposal(
            ctx, {sub: replace_with(new)}, template="index-error.optional-field",
            cause=f"`{seq}[{n}]` ({name}) is read unconditionally, but the docstring says it is optional "
            f'("{value.sentence.strip()}")',
            change=f"use {value.code} when `{seq}` has no item {n}", prior=0.75,
        )  # fmt: skip
    return None


def _empty_default(ctx: FixContext, subs: list[cst.Subscript]) -> Proposal | None:
    """`xs[0]` / `xs[-1]` / `xs.pop()` on an empty sequence whose result the function documents."""
    src = ctx.source
    targets: list[tuple[cst.CSTNode, str, str]] = []
    for sub in subs:
        seq, key = src.code(sub.value).strip(), src.code(key_of(sub) or sub).strip()
        if key in {"0", "-1"}:
            targets.append((sub, seq, f"`{seq}[{key}]`"))
    if "pop from empty" in ctx.message:
        for call in src.on_line(cst.Call, ctx.line):
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "pop":
                seq = src.code(call.func.value).strip()
                targets.append((call, seq, f"`{seq}.pop()`"))
    for node, seq, what in targets:
        if not re.fullmatch(r"[\w.]+", seq):
            continue
        found = documented_guard(
            ctx, node=node, subject=seq, guard=f"not {seq}", template="index-error.empty-documented-default",
            cause=f"{what} fails when `{seq}` is empty", prior=0.85,
        )  # fmt: skip
        if found is not None:
            return found
    return None
