"""KeyError templates: counters, containers created on first use, `.get` with a default the code
already uses or documents (literal, DEFAULT_* constant, the fallback constant the docstring names).
Fed a FixContext whose failing line holds the subscript; evidence comes from the same module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.evidence import documented_values, mentions
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import SourceFile
from hephaestus.repair.templates.base import FixContext, param_names, proposal

__all__ = ["key_error", "key_of"]


def key_of(sub: cst.Subscript) -> cst.BaseExpression | None:
    if len(sub.slice) != 1 or not isinstance(sub.slice[0].slice, cst.Index):
        return None
    return sub.slice[0].slice.value


def _literal(src: SourceFile, node: cst.BaseExpression) -> object:
    try:
        return ast.literal_eval(src.code(node).strip())
    except (ValueError, SyntaxError):
        return None


def _missing_key(message: str) -> object:
    try:
        return ast.literal_eval(message.strip())
    except (ValueError, SyntaxError):
        return message.strip()


def _failing_subscripts(ctx: FixContext) -> list[cst.Subscript]:
    src = ctx.source
    key = _missing_key(ctx.message)
    subs = [s for s in src.on_line(cst.Subscript, ctx.line) if key_of(s) is not None]
    exact = [s for s in subs if _literal(src, key_of(s) or s) == key and key is not None]
    variable = [s for s in subs if _literal(src, key_of(s) or s) is None]
    if exact and (isinstance(key, str) or len(variable) != 1):
        return exact
    return variable if len(variable) == 1 else []


_FALLBACK_WORDS = "unknown|missing|unrecognised|unrecognized|absent|fall(?:s|ing)? back to"


def _default_for(ctx: FixContext, sub: cst.Subscript, key_code: str) -> tuple[str, str, float] | None:
    """A default for the missing key from the code: docstring, DEFAULT_* constant, other .get calls."""
    src = ctx.source
    func = src.enclosing(sub, cst.FunctionDef)
    key_text = str(_missing_key(ctx.message))
    container = src.code(sub.value).strip().split(".")[-1]
    for doc in (src.docstring(func) if func else "", src.docstring()):
        for documented in documented_values(doc):
            cond = documented.condition
            if mentions(cond, {key_text, container}, emptiness=False) or "missing" in cond:
                return documented.code, f'the docstring says "{documented.sentence.strip()}"', 0.8
    constants = src.module_constants()
    doc = src.docstring(func) if func else ""
    named = [c for c in constants if c.isupper() and re.search(rf"\b{re.escape(c)}\b", doc)]
    defaults = [
        c
        for c in named
        if "DEFAULT" in c
        or re.search(rf"{re.escape(c)}\s+(?:elsewhere|otherwise|when|if)", doc)
        or re.search(rf"\b(?:{_FALLBACK_WORDS})\b[^.;]{{0,60}}\b{re.escape(c)}\b", doc, re.I)
    ]
    if len(defaults) == 1:
        return defaults[0], f"the docstring names {defaults[0]} as the fallback", 0.7
    wanted = {
        f"DEFAULT_{key_text}".upper(),
        f"DEFAULT_{container}".upper(),
        f"DEFAULT_{container.rstrip('s')}".upper(),
    }
    for name in constants:
        if name.upper() in wanted:
            return name, f"the module defines {name}", 0.75
    gets: set[str] = set()
    for call in src.walk(cst.Call):
        func_node = call.func
        if isinstance(func_node, cst.Attribute) and func_node.attr.value == "get" and len(call.args) == 2:
            same_key = src.code(call.args[0].value).strip() == key_code
            same_dict = src.code(func_node.value).strip() == src.code(sub.value).strip()
            if same_key or same_dict:
                gets.add(src.code(call.args[1].value).strip())
    if len(gets) == 1:
        value = gets.pop()
        return value, f"the same module already reads this mapping with `.get(..., {value})`", 0.7
    return None


def key_error(ctx: FixContext) -> Iterator[Proposal]:
    """`key-error.counter-default` and `key-error.get-default`."""
    if ctx.error_type != "KeyError":
        return
    src = ctx.source
    for sub in _failing_subscripts(ctx):
        key = key_of(sub)
        if key is None:
            continue
        key_code = src.code(key).strip()
        owner = src.code(sub.value).strip()
        parent = src.parents.get(sub)
        if isinstance(parent, cst.AugAssign) and parent.target is sub:
            if not isinstance(parent.operator, cst.AddAssign | cst.SubtractAssign):
                continue
            increment = src.code(parent.value).strip()
            zero = "[]" if increment.startswith("[") else '""' if increment[:1] in "'\"" else "0"
            op = "+" if isinstance(parent.operator, cst.AddAssign) else "-"
            stmt = parse_expr(f"{owner}.get({key_code}, {zero}) {op} {increment}")
            new = cst.Assign(targets=[cst.AssignTarget(target=sub)], value=stmt)
            found = proposal(
                ctx, {parent: replace_with(new)}, template="key-error.counter-default",
                cause=f"`{owner}[{key_code}] {op}= ...` updates a counter whose key {ctx.message} was never "
                "initialised",
                change=f"start missing keys at {zero}: `{owner}[{key_code}] = {owner}.get({key_code}, {zero}) {op} ...`",  # noqa: E501
                prior=0.85,
            )  # fmt: skip
            if found is not None:
                yield found
            continue
        if isinstance(parent, cst.AssignTarget | cst.Del):
            continue
        shaped = _container_default(ctx, sub, owner, key_code)
        if shaped is not None:
            yield shaped
            continue
        default = _default_for(ctx, sub, key_code)
        if default is None:
            continue
        value, why, prior = default
        helper = _accessor(ctx, sub)
        if helper is not None:
            call = f"{helper}({owner}, {key_code}, {value})"
            found = proposal(
                ctx, {sub: replace_with(parse_expr(call))}, template="key-error.module-accessor",
                cause=f"`{owner}` has no key {ctx.message}; the module reads such mappings through {helper}() "  # noqa: E501
                f"and {why}",
                change=f"use `{call}`", prior=prior + 0.05,
            )  # fmt: skip
            if found is not None:
                yield found
        get = parse_expr(f"{owner}.get({key_code}, {value})")
        found = proposal(
            ctx, {sub: replace_with(get)}, template="key-error.get-default",
            cause=f"`{owner}` has no key {ctx.message}; {why}",
            change=f"read it with `{owner}.get({key_code}, {value})`", prior=prior,
        )  # fmt: skip
        if found is not None:
            yield found


_METHOD_EMPTY = {"append": "[]", "extend": "[]", "add": "set()", "update": "{}", "get": "{}", "items": "{}",
                 "setdefault": "{}", "keys": "{}", "values": "{}"}  # fmt: skip


def _container_default(ctx: FixContext, sub: cst.Subscript, owner: str, key_code: str) -> Proposal | None:
    """`d[k].append(x)` -> `d.setdefault(k, []).append(x)`; `cfg[k].get(...)` -> `cfg.get(k, {}).get(...)`."""
    src = ctx.source
    parent = src.parents.get(sub)
    if not isinstance(parent, cst.Attribute) or parent.value is not sub:
        return None
    method = parent.attr.value
    empty = _METHOD_EMPTY.get(method)
    if empty is None or not isinstance(src.parents.get(parent), cst.Call):
        return None
    mutating = method in {"append", "extend", "add", "update", "setdefault"}
    call = f"{owner}.setdefault({key_code}, {empty})" if mutating else f"{owner}.get({key_code}, {empty})"
    kind = {"[]": "list", "set()": "set", "{}": "dict"}[empty]
    return proposal(
        ctx, {sub: replace_with(parse_expr(call))},
        template="key-error.setdefault-container" if mutating else "key-error.optional-section",
        cause=f"`{owner}[{key_code}]` is used as a {kind} (`.{method}(...)`) but key {ctx.message} is not "
        "always present",
        change=f"use `{call}`" + ("" if mutating else ", an empty section, when the key is missing"),
        prior=0.8 if mutating else 0.7,
    )  # fmt: skip


def _accessor(ctx: FixContext, sub: cst.Subscript) -> str | None:
    """A module function `f(mapping, key, default)` taking the same mapping type as `sub`'s owner."""
    src = ctx.source
    func = src.enclosing(sub, cst.FunctionDef)
    if func is None or not isinstance(sub.value, cst.Name):
        return None
    owner = sub.value.value
    ann = {p.name.value: src.code(p.annotation.annotation) for p in param_names(func) if p.annotation}
    if owner not in ann:
        return None
    for other in src.module.body:
        if not isinstance(other, cst.FunctionDef) or other is func:
            continue
        params = param_names(other)
        if len(params) != 3 or params[0].annotation is None or params[2].name.value != "default":
            continue
        if src.code(params[0].annotation.annotation) == ann[owner]:
            return other.name.value
    return None
