"""TypeError templates at a call site: a misspelt keyword argument, a missing positional argument.
Fed a FixContext; evidence is the callee's signature found in the repo and, for a missing argument,
what the module's other calls of the same function pass in that position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import Rewriter, SourceFile
from hephaestus.repair.templates.base import FixContext, param_names, proposal
from hephaestus.repair.templates.scope import closest

__all__ = ["call_site"]

_KWARG = re.compile(r"(?P<func>[\w.]+)\(\) got an unexpected keyword argument '(?P<kw>\w+)'")
_MISSING = re.compile(r"(?P<func>[\w.]+)\(\) missing 1 required positional argument: '(?P<arg>\w+)'")


def call_site(ctx: FixContext) -> Iterator[Proposal]:
    """`type-error.keyword-typo` and `type-error.missing-argument`."""
    if ctx.error_type != "TypeError":
        return
    yield from _keyword(ctx)
    yield from _missing(ctx)


def _callee(ctx: FixContext, qualified: str) -> cst.FunctionDef | None:
    """The unique repo function called `qualified`'s last component."""
    name = qualified.rsplit(".", 1)[-1]
    defs: list[cst.FunctionDef] = []
    for path in ctx.files:
        try:
            text = (ctx.repo / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if f"def {name}(" in text and (other := ctx.load(path)) is not None:
            defs.extend(d for d in other.walk(cst.FunctionDef) if d.name.value == name)
    return defs[0] if len(defs) == 1 else None


def _calls_on_line(ctx: FixContext, name: str) -> list[cst.Call]:
    src = ctx.source
    return [c for c in src.on_line(cst.Call, ctx.line) if src.code(c.func).strip().split(".")[-1] == name]


def _keyword(ctx: FixContext) -> Iterator[Proposal]:
    src = ctx.source
    match = _KWARG.search(ctx.message)
    callee = _callee(ctx, match["func"]) if match is not None else None
    if match is None or callee is None:
        return
    params = [p.name.value for p in param_names(callee) if p.name.value not in {"self", "cls"}]
    best = closest(match["kw"], params, cutoff=0.7)
    why = f"its signature has `{best[0]}`" if best else ""
    calls = _calls_on_line(ctx, match["func"].rsplit(".", 1)[-1])
    if best is None and len(calls) == 1:
        call = calls[0]
        n_pos = sum(1 for a in call.args if a.keyword is None and not a.star)
        named = {a.keyword.value for a in call.args if a.keyword is not None}
        positional = [p.name.value for p in [*callee.params.posonly_params, *callee.params.params]]
        skip = 1 if positional[:1] in (["self"], ["cls"]) else 0
        free = [p for p in params if p not in named and p not in positional[skip : skip + n_pos]]
        if len(free) == 1 and not callee.params.star_kwarg:
            best = (free[0], 0.6)
            why = f"`{free[0]}` is the only parameter of its signature the call does not fill"
    if best is None:
        return
    edits: dict[cst.CSTNode, Rewriter] = {}
    for arg in src.on_line(cst.Arg, ctx.line):
        if arg.keyword is not None and arg.keyword.value == match["kw"]:
            edits[arg.keyword] = replace_with(cst.Name(best[0]))
    if len(edits) != 1:
        return
    found = proposal(
        ctx, edits, template="type-error.keyword-typo",
        cause=f"{match['func']}() has no parameter `{match['kw']}`; {why}",
        change=f"pass `{best[0]}=` instead of `{match['kw']}=`", prior=0.8 if best[1] >= 0.7 else 0.6,
    )  # fmt: skip
    if found is not None:
        yield found


def _free_names(src: SourceFile, node: cst.CSTNode) -> set[str]:
    return {
        n.value
        for n in src.walk(cst.Name, node)
        if not (isinstance(p := src.parents.get(n), cst.Attribute) and p.attr is n)
    }


def _missing(ctx: FixContext) -> Iterator[Proposal]:
    """Insert the argument that every other call of the function passes at the missing position."""
    src = ctx.source
    match = _MISSING.search(ctx.message)
    func = src.function_at(ctx.line)
    if match is None or func is None:
        return
    name = match["func"].rsplit(".", 1)[-1]
    calls = _calls_on_line(ctx, name)
    if len(calls) != 1:
        return
    call = calls[0]
    ours = [a for a in call.args if a.keyword is None and not a.star]
    if len(ours) != len(call.args) - sum(1 for a in call.args if a.keyword is not None) or any(
        a.star for a in call.args
    ):
        return
    visible = {p.name.value for p in param_names(func)} | src.top_level_names()
    options: dict[int, str] = {}
    for k in range(len(ours) + 1):
        exprs: set[str] = set()
        for other in src.walk(cst.Call):
            if other is call or src.code(other.func).strip().split(".")[-1] != name:
                continue
            pos = [a for a in other.args if a.keyword is None and not a.star]
            host = src.enclosing(other, cst.FunctionDef)
            if len(pos) != len(ours) + 1 or host is None:
                exprs.add("")
                continue
            own = {p.name.value for p in param_names(host)} - {"self", "cls"}
            expr = pos[k].value
            exprs.add("" if _free_names(src, expr) & own else src.code(expr).strip())
        if len(exprs) == 1 and "" not in exprs:
            expr_code = exprs.pop()
            if _free_names(src, cst.parse_expression(expr_code)) <= visible:
                options[k] = expr_code
    if len(options) != 1:
        return
    k, expr_code = options.popitem()
    new_arg = cst.Arg(
        value=cst.parse_expression(expr_code), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    args = list(call.args)
    args.insert(k, new_arg)
    if k == len(args) - 1:
        args[k - 1] = args[k - 1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args[k] = args[k].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    found = proposal(
        ctx, {call: replace_with(call.with_changes(args=args))}, template="type-error.missing-argument",
        cause=f"{name}() is called one positional argument short (Python reports `{match['arg']}` missing); "
        f"every other call of {name}() in the module passes `{expr_code}` as argument {k + 1}",
        change=f"pass `{expr_code}` as positional argument {k + 1}", prior=0.7,
    )  # fmt: skip
    if found is not None:
        yield found
