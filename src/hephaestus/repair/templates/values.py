"""ValueError / JSONDecodeError templates: blank numeric text and empty JSON bodies that the code
documents a default for. Fed a FixContext whose failing line holds `int(x)`, `float(x)` or
`json.loads(x)`; evidence is the function docstring or a DEFAULT_* module constant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.evidence import documented_values, mentions, words
from hephaestus.repair.model import Proposal, RegressionSpec
from hephaestus.repair.source import SourceFile
from hephaestus.repair.templates.base import FixContext, param_names, proposal

__all__ = ["blank_value"]

_BLANK_NUMBER = re.compile(
    r"invalid literal for int\(\) with base \d+: '\s*'|could not convert string to float: '\s*'"
)
_EMPTY_JSON = re.compile(r"Expecting value: line 1 column 1 \(char 0\)")
_BLANK_WORDS = {"empty", "blank", "missing", "no", "none", "absent", "whitespace"}


def _documented(ctx: FixContext, func: cst.FunctionDef, names: set[str]) -> tuple[str, str, float] | None:
    doc, constants = ctx.source.docstring(func), ctx.source.module_constants()
    for loose in (False, True):
        for value in documented_values(doc, loose=loose, constants=constants):
            if mentions(value.condition, names, emptiness=False) or _BLANK_WORDS & words(value.condition):
                return value.code, f'the docstring says "{value.sentence.strip()}"', 0.7 if loose else 0.8
    return None


def _names(src: SourceFile, arg: cst.BaseExpression) -> set[str]:
    """Words naming the parsed text: variables, attributes and string keys (`row["qty"]` -> row, qty)."""
    out = {n.value for n in src.walk(cst.Name, arg)} - {"get", "strip"}
    out |= {str(s.evaluated_value) for s in src.walk(cst.SimpleString, arg)}
    return out


def blank_value(ctx: FixContext) -> Iterator[Proposal]:
    """`value-error.blank-default` (int('')/float('')) and `json.empty-body-default` (json.loads(''))."""
    number = ctx.error_type == "ValueError" and _BLANK_NUMBER.search(ctx.message)
    empty_json = ctx.error_type in {"JSONDecodeError", "ValueError"} and _EMPTY_JSON.search(ctx.message)
    if not number and not empty_json:
        return
    src = ctx.source
    wanted = {"int", "float"} if number else {"json.loads", "loads"}
    for call in src.on_line(cst.Call, ctx.line):
        if src.code(call.func).strip() not in wanted or len(call.args) != 1:
            continue
        func = src.enclosing(call, cst.FunctionDef)
        arg_node = call.args[0].value
        arg = src.code(arg_node).strip()
        subject = arg.split("[")[0].split(".")[0]
        found_default = _documented(ctx, func, _names(src, arg_node)) if func is not None else None
        if func is None or found_default is None:
            continue
        value, why, prior = found_default
        call_code = src.code(call).strip()
        getter = isinstance(arg_node, cst.Call) and src.code(arg_node.func).strip().endswith(".get")
        if getter:  # `.get(k, default)` may return the non-str default: fall back on falsy text
            new = f"{src.code(call.func).strip()}({arg} or {value})"
        else:
            new = f"{call_code} if {arg}.strip() else {value}"
        new_node = parse_expr(f"({new})") if _needs_parens(src, call) else parse_expr(new)
        kind = "value-error.blank-default" if number else "json.empty-body-default"
        what = "blank text cannot be parsed as a number" if number else "an empty body is not valid JSON"
        found = proposal(
            ctx, {call: replace_with(new_node)}, template=kind,
            cause=f"`{call_code}` fails because {what}; {why}",
            change=f"use {value} when `{arg}` is blank", prior=prior,
            regression=_regression(ctx, func, subject, arg, value),
        )  # fmt: skip
        if found is not None:
            yield found
            return


def _needs_parens(src: SourceFile, call: cst.Call) -> bool:
    parent = src.parents.get(call)
    return not isinstance(parent, cst.Return | cst.Assign | cst.Arg | cst.Expr | cst.AnnAssign)


def _regression(
    ctx: FixContext, func: cst.FunctionDef, subject: str, arg: str, value: str
) -> RegressionSpec | None:
    params = param_names(func)
    if arg != subject or subject not in {p.name.value for p in params}:
        return None
    if not isinstance(ctx.source.parents.get(func), cst.Module) or (value.isidentifier() and value != "None"):
        return None
    if any(p.default is None and p.name.value != subject for p in params):
        return None
    name = func.name.value
    return RegressionSpec(path=ctx.path, function=name, args=(f'{subject}=""',), expected=value,
                          slug=f"{name}_blank_{subject}")  # fmt: skip
