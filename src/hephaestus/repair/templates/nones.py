"""Optional-value templates: a variable that is None reaches `.attr` or `[...]`.

Fed a FixContext for AttributeError/TypeError on 'NoneType'; the guard returns what the function
documents for the absent case (a literal, or a module constant its docstring names), or None when
its return annotation is Optional.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import insert_before, parse_stmts, replace_with
from hephaestus.repair.evidence import documented_values, mentions
from hephaestus.repair.model import Proposal, RegressionSpec
from hephaestus.repair.source import Rewriter
from hephaestus.repair.templates.base import FixContext, param_names, proposal
from hephaestus.repair.templates.scope import bound_names

__all__ = ["none_guard"]

_ABSENT = ("none", "no ", "not found", "unknown", "missing", "absent", "without", "no match", "not match",
           "invalid", "not exist", "empty", "blank")  # fmt: skip
_NONE_ATTR = re.compile(r"'NoneType' object has no attribute '(?P<attr>\w+)'")
_NONE_SUB = re.compile(r"'NoneType' object is not (?:subscriptable|iterable)")


def _subjects(ctx: FixContext) -> list[tuple[cst.CSTNode, str]]:
    src = ctx.source
    out: list[tuple[cst.CSTNode, str]] = []
    attr = _NONE_ATTR.search(ctx.message)
    if ctx.error_type == "AttributeError" and attr is not None:
        for node in src.on_line(cst.Attribute, ctx.line):
            if node.attr.value == attr["attr"] and isinstance(node.value, cst.Name | cst.Attribute):
                out.append((node, src.code(node.value).strip()))
    elif ctx.error_type == "TypeError" and _NONE_SUB.search(ctx.message):
        for sub in src.on_line(cst.Subscript, ctx.line):
            if isinstance(sub.value, cst.Name | cst.Attribute):
                out.append((sub, src.code(sub.value).strip()))
    return out


def _absent_value(ctx: FixContext, func: cst.FunctionDef, subject: str) -> tuple[str, str, float] | None:
    """(value code, evidence, prior) for the absent case of `subject`."""
    doc = ctx.source.docstring(func)
    for documented in documented_values(doc):
        cond = f" {documented.condition.lower()} "
        if mentions(documented.condition, {subject}, emptiness=False) or any(w in cond for w in _ABSENT):
            return documented.code, f'the docstring says "{documented.sentence.strip()}"', 0.8
    constants = ctx.source.module_constants()
    named = [c for c in constants if re.search(rf"\b{re.escape(c)}\b", doc) and c.isupper()]
    if len(named) == 1 and any(w in f" {doc.lower()} " for w in _ABSENT):
        return named[0], f"the docstring names {named[0]} for the unknown/absent case", 0.7
    returns = ctx.source.code(func.returns.annotation) if func.returns is not None else ""
    if re.search(r"\bNone\b|Optional\[", returns):
        return "None", f"{func.name.value}() is annotated to return `{returns.strip()}`", 0.55
    return None


def none_guard(ctx: FixContext) -> Iterator[Proposal]:
    """`none-guard.documented-default`: `if x is None: return <documented>` before the failing use."""
    src = ctx.source
    seen: set[str] = set()
    yield from _get_without_default(ctx)
    yield from _call_result(ctx)
    for node, subject in _subjects(ctx):
        if subject in seen:
            continue
        seen.add(subject)
        func = src.enclosing(node, cst.FunctionDef)
        stmt = src.statement_of(node)
        if func is None or stmt is None or src.parents.get(stmt) is not func.body:
            continue
        if any(True for _ in src.walk(cst.Yield, func.body)):
            continue
        evidence = _absent_value(ctx, func, subject)
        if evidence is None:
            continue
        value, why, prior = evidence
        edits = insert_before(src, stmt, parse_stmts(src, f"if {subject} is None:\n    return {value}\n"))
        if edits is None:
            continue
        found = proposal(
            ctx, edits, template="none-guard.documented-default",
            cause=f"`{subject}` is None here (an optional value was not found) and {func.name.value}() uses it "  # noqa: E501
            f"without checking; {why}",
            change=f"return {value} when `{subject}` is None", prior=prior,
            regression=_regression(ctx, func, subject, value),
        )  # fmt: skip
        if found is not None:
            yield found


def _regression(ctx: FixContext, func: cst.FunctionDef, subject: str, value: str) -> RegressionSpec | None:
    params = param_names(func)
    if not isinstance(ctx.source.parents.get(func), cst.Module) or subject not in {
        p.name.value for p in params
    }:
        return None
    if any(p.default is None and p.name.value != subject for p in params) or (
        value.isidentifier() and value != "None"
    ):
        return None
    name = func.name.value
    return RegressionSpec(path=ctx.path, function=name, args=(f"{subject}=None",), expected=value,
                          slug=f"{name}_{subject}_none")  # fmt: skip


def _get_without_default(ctx: FixContext) -> Iterator[Proposal]:
    """`cfg.get("section").get(...)` -> `cfg.get("section", {}).get(...)` (an optional sub-mapping)."""
    src = ctx.source
    attr = _NONE_ATTR.search(ctx.message)
    if (
        ctx.error_type != "AttributeError"
        or attr is None
        or attr["attr"] not in {"get", "items", "keys", "values"}
    ):
        return
    for node in src.on_line(cst.Attribute, ctx.line):
        inner = node.value
        if node.attr.value != attr["attr"] or not isinstance(inner, cst.Call) or len(inner.args) != 1:
            continue
        if not isinstance(inner.func, cst.Attribute) or inner.func.attr.value != "get":
            continue
        new = inner.with_changes(args=[inner.args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),  # noqa: E501
                                       cst.Arg(value=cst.Dict(elements=[]))])  # fmt: skip
        key = src.code(inner.args[0].value).strip()
        found = proposal(
            ctx, {inner: replace_with(new)}, template="none-guard.optional-mapping",
            cause=f"`{src.code(inner).strip()}` returns None when {key} is absent, and the result is used as a "  # noqa: E501
            f"mapping (`.{attr['attr']}(...)`)",
            change=f"default the missing {key} to an empty dict", prior=0.75,
        )  # fmt: skip
        if found is not None:
            yield found
            return


def _call_result(ctx: FixContext) -> Iterator[Proposal]:
    """`return f(x)["k"]` where f may return None: bind the result and return the documented value."""
    src = ctx.source
    if ctx.error_type != "TypeError" or not _NONE_SUB.search(ctx.message):
        return
    for sub in src.on_line(cst.Subscript, ctx.line):
        call, stmt = sub.value, src.statement_of(sub)
        func = src.enclosing(sub, cst.FunctionDef)
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name) or func is None:
            continue
        if not isinstance(stmt, cst.SimpleStatementLine) or src.parents.get(stmt) is not func.body:
            continue
        ret = stmt.body[0]
        if len(stmt.body) != 1 or not isinstance(ret, cst.Return) or ret.value is None:
            continue
        callee = call.func.value
        var = callee.rsplit("_", 1)[-1]
        if var in bound_names(src, func) or not var.isidentifier():
            continue
        evidence = _absent_value(ctx, func, var)
        if evidence is None:
            continue
        value, why, prior = evidence
        rest = src.code(ret.value).strip().replace(src.code(call).strip(), var, 1)
        code = f"{var} = {src.code(call).strip()}\nif {var} is None:\n    return {value}\nreturn {rest}\n"
        found = proposal(
            ctx, {stmt: _flatten(parse_stmts(src, code))},
            template="none-guard.documented-default",
            cause=f"{callee}() returns None (nothing found) and {func.name.value}() indexes its result "
            f"without checking; {why}",
            change=f"keep the result of {callee}() in `{var}`, return {value} when it is None", prior=prior,
        )  # fmt: skip
        if found is not None:
            yield found
            return


def _flatten(stmts: list[cst.BaseStatement]) -> Rewriter:
    def _apply(_updated: cst.CSTNode) -> cst.FlattenSentinel[cst.CSTNode]:
        return cst.FlattenSentinel(stmts)

    return _apply
