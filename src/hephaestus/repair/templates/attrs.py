"""AttributeError templates: a misspelt attribute, a dict used like an object, py2-only str/dict
methods. Fed a FixContext; evidence is the class definition found in the repo (fields, methods,
self.* assignments), the builtin type's own attributes, or the message's "Did you mean" hint.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import Rewriter, SourceFile
from hephaestus.repair.templates.base import FixContext, proposal
from hephaestus.repair.templates.scope import closest, module_files

__all__ = ["attribute_error", "class_attributes"]

_NO_ATTR = re.compile(r"^(?:'(?P<type>[\w.]+)' object|module '(?P<module>[\w.]+)'|type object '(?P<cls>[\w.]+)') "  # noqa: E501
                      r"has no attribute '(?P<attr>\w+)'")  # fmt: skip
_HINT = re.compile(r"Did you mean: '(?P<hint>\w+)'")
_PY2 = {"iteritems": "items", "itervalues": "values", "iterkeys": "keys"}
_BUILTIN_TYPES = {"str", "list", "dict", "int", "float", "set", "tuple", "bytes", "frozenset"}


def class_attributes(source: SourceFile, cls: cst.ClassDef) -> set[str]:
    """Methods, class-level names, annotated fields and `self.x = ...` of one class."""
    names: set[str] = set()
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            names.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    names.add(small.target.value)
                elif isinstance(small, cst.Assign):
                    for t in small.targets:
                        if isinstance(t.target, cst.Name):
                            names.add(t.target.value)
    for attr in source.walk(cst.Attribute, cls):
        is_self = isinstance(attr.value, cst.Name) and attr.value.value == "self"
        if is_self and isinstance(source.parents.get(attr), cst.AssignTarget | cst.AnnAssign):
            names.add(attr.attr.value)
    return names


def _repo_class(ctx: FixContext, name: str) -> set[str] | None:
    """Attributes of the unique repo class called `name` (None if absent or ambiguous)."""
    found: list[set[str]] = []
    for path in ctx.files:
        try:
            text = (ctx.repo / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if f"class {name}" not in text:
            continue
        src = ctx.load(path)
        if src is None:
            continue
        found.extend(class_attributes(src, c) for c in src.walk(cst.ClassDef) if c.name.value == name)
    return found[0] if len(found) == 1 else None


def _known_attributes(ctx: FixContext, type_name: str | None, module: str | None) -> set[str] | None:
    if module is not None:
        path = module_files(ctx.files).get(module)
        other = ctx.load(path) if path else None
        return other.top_level_names() if other is not None else None
    if type_name is None:
        return None
    if type_name in _BUILTIN_TYPES:
        return {a for a in dir(getattr(builtins, type_name)) if not a.startswith("_")}
    return _repo_class(ctx, type_name.rsplit(".", 1)[-1])


def attribute_error(ctx: FixContext) -> Iterator[Proposal]:
    """`attribute-error.typo`, `attribute-error.dict-subscript`, `attribute-error.str-decode`."""
    if ctx.error_type != "AttributeError":
        return
    match = _NO_ATTR.search(ctx.message)
    if match is None:
        return
    attr = match["attr"]
    type_name = match["type"] or match["cls"]
    src = ctx.source
    nodes = [a for a in src.on_line(cst.Attribute, ctx.line) if a.attr.value == attr]
    if not nodes or type_name == "NoneType":
        return
    if type_name == "dict" and attr not in dir(dict):
        yield from _dict_subscript(ctx, nodes, attr)
        return
    if type_name == "str" and attr == "decode":
        yield from _drop_decode(ctx, nodes)
        return
    hint = _HINT.search(ctx.message)
    known = _known_attributes(ctx, type_name, match["module"])
    target: str | None = None
    if type_name in {"dict"} and attr in _PY2:
        target = _PY2[attr]
    elif hint is not None and (known is None or hint["hint"] in known):
        target = hint["hint"]
    elif known:
        best = closest(attr, known, cutoff=0.75)
        target = best[0] if best else None
    if target is None:
        return
    edits: dict[cst.CSTNode, Rewriter] = {
        n.attr: replace_with(n.attr.with_changes(value=target)) for n in nodes
    }
    owner = f"module {match['module']}" if match["module"] else f"{type_name}"
    found = proposal(
        ctx, edits, template="attribute-error.typo",
        cause=f"{owner} has no attribute `{attr}`; it has `{target}`",
        change=f"use `.{target}` instead of `.{attr}`", prior=0.85 if hint else 0.75,
    )  # fmt: skip
    if found is not None:
        yield found


def _dict_subscript(ctx: FixContext, nodes: list[cst.Attribute], attr: str) -> Iterator[Proposal]:
    edits: dict[cst.CSTNode, Rewriter] = {}
    for node in nodes:
        sub = cst.Subscript(
            value=node.value,
            slice=[cst.SubscriptElement(slice=cst.Index(value=cst.SimpleString(f'"{attr}"')))],
            lpar=node.lpar,
            rpar=node.rpar,
        )
        edits[node] = replace_with(sub)
    found = proposal(
        ctx, edits, template="attribute-error.dict-subscript",
        cause=f"the value is a dict, so `{attr}` is a key, not an attribute",
        change=f'read the key with `["{attr}"]` instead of `.{attr}`', prior=0.75,
    )  # fmt: skip
    if found is not None:
        yield found


def _drop_decode(ctx: FixContext, nodes: list[cst.Attribute]) -> Iterator[Proposal]:
    edits: dict[cst.CSTNode, Rewriter] = {}
    for node in nodes:
        call = ctx.source.parents.get(node)
        if (
            isinstance(call, cst.Call)
            and call.func is node
            and isinstance(node.value, cst.Name | cst.Attribute)
        ):
            value = ctx.source.code(node.value).strip()
            code = f"{ctx.source.code(call).strip()} if isinstance({value}, bytes) else {value}"
            parent = ctx.source.parents.get(call)
            simple = isinstance(parent, cst.Assign | cst.Return | cst.Arg | cst.AnnAssign)
            edits[call] = replace_with(parse_expr(code if simple else f"({code})"))
    found = proposal(
        ctx, edits, template="attribute-error.str-decode",
        cause="the value can already be a str (Python 3 text), which has no `.decode()`",
        change="decode only when the value is bytes", prior=0.75,
    )  # fmt: skip
    if found is not None:
        yield found
