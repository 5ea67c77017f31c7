"""NameError and UnboundLocalError templates: a typo of a name in scope, a missing stdlib import,
a missing `global` declaration. Fed a FixContext; evidence is the scope itself (bound names,
module-level assignments, stdlib module names) and Python's own "Did you mean" hint.
"""

from __future__ import annotations

import builtins
import re
import sys
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import add_import, insert_before, parse_stmts
from hephaestus.repair.model import Proposal
from hephaestus.repair.templates.base import FixContext, proposal
from hephaestus.repair.templates.scope import bound_names, closest, is_load_name, rename_loads

__all__ = ["name_error", "unbound_local"]

_UNDEFINED = re.compile(r"name '(?P<name>\w+)' is not defined")
_HINT = re.compile(r"Did you mean: '(?P<hint>[\w.]+)'")
_UNBOUND = re.compile(
    r"(?:local variable '(?P<a>\w+)' referenced before|cannot access (?:local|free) variable '(?P<b>\w+)')"
)
_FROM_STDLIB: dict[str, str] = {
    "defaultdict": "collections", "Counter": "collections", "OrderedDict": "collections",
    "namedtuple": "collections", "deque": "collections", "dataclass": "dataclasses", "field": "dataclasses",
    "asdict": "dataclasses", "Path": "pathlib", "datetime": "datetime", "timedelta": "datetime",
    "date": "datetime", "timezone": "datetime", "Decimal": "decimal", "Fraction": "fractions",
    "partial": "functools", "reduce": "functools", "lru_cache": "functools", "wraps": "functools",
    "cached_property": "functools", "chain": "itertools", "groupby": "itertools", "islice": "itertools",
    "product": "itertools", "deepcopy": "copy", "sqrt": "math", "floor": "math", "ceil": "math",
    "Enum": "enum", "dedent": "textwrap", "pprint": "pprint", "sleep": "time", "uuid4": "uuid",
    "Any": "typing", "Optional": "typing", "Iterable": "collections.abc", "Iterator": "collections.abc",
    "Mapping": "collections.abc", "Sequence": "collections.abc", "Callable": "collections.abc",
    "StringIO": "io", "BytesIO": "io", "contextmanager": "contextlib", "suppress": "contextlib",
    "attrgetter": "operator", "itemgetter": "operator", "mean": "statistics", "median": "statistics",
}  # fmt: skip


def _undefined(ctx: FixContext) -> str | None:
    match = _UNDEFINED.search(ctx.message)
    return match["name"] if match else None


def name_error(ctx: FixContext) -> Iterator[Proposal]:
    """`name-error.typo`, `name-error.stdlib-import`."""
    if ctx.error_type != "NameError":
        return
    name = _undefined(ctx)
    src = ctx.source
    if name is None or not any(n.value == name for n in src.on_line(cst.Name, ctx.line)):
        return
    func = src.function_at(ctx.line)
    scope: cst.CSTNode = func if func is not None else src.module
    uses = [n for n in src.walk(cst.Name, scope) if n.value == name and is_load_name(src, n)]
    if not uses:
        return
    used_as_module = any(
        isinstance(src.parents.get(n), cst.Attribute) and src.parents[n].value is n  # type: ignore[attr-defined]
        for n in uses
    )
    if name in sys.stdlib_module_names and used_as_module:
        found = proposal(
            ctx, add_import(src, module=name), template="name-error.stdlib-import",
            cause=f"`{name}` is the standard-library module {name}, used as `{name}.…` but never imported",
            change=f"add `import {name}` to {ctx.path}", prior=0.85,
        )  # fmt: skip
        if found is not None:
            yield found
        return
    if name in _FROM_STDLIB and name not in src.top_level_names():
        module = _FROM_STDLIB[name]
        found = proposal(
            ctx, add_import(src, module=module, name=name), template="name-error.stdlib-import",
            cause=f"`{name}` is {module}.{name} from the standard library, used without being imported",
            change=f"add `from {module} import {name}` to {ctx.path}", prior=0.8,
        )  # fmt: skip
        if found is not None:
            yield found
        return
    in_scope = bound_names(src, func) - {name}
    local = bound_names(src, func) - src.top_level_names() - set(dir(builtins)) if func else set()
    best = closest(name, in_scope, cutoff=0.75, tiers=(local, src.top_level_names()))
    hint = _HINT.search(ctx.message)
    if best is None and hint and hint["hint"] in in_scope:
        best = (hint["hint"], 0.8)
    if best is None:
        return
    target, ratio = best
    edits = rename_loads(src, scope, name, target)
    where = f"{func.name.value}()" if func is not None else "module level"
    found = proposal(
        ctx, edits, template="name-error.typo",
        cause=f"`{name}` is not bound anywhere in {where}; `{target}` is, and differs by a typo",
        change=f"use `{target}` instead of `{name}` ({len(edits)} place(s) in {where})",
        prior=0.9 if ratio >= 0.85 else 0.75,
    )  # fmt: skip
    if found is not None:
        yield found


def unbound_local(ctx: FixContext) -> Iterator[Proposal]:
    """`unbound-local.missing-global` / `unbound-local.missing-nonlocal`."""
    if ctx.error_type not in {"UnboundLocalError", "NameError"}:
        return
    match = _UNBOUND.search(ctx.message)
    if match is None:
        return
    name = match["a"] or match["b"]
    src = ctx.source
    func = src.function_at(ctx.line)
    if func is None or not isinstance(func.body, cst.IndentedBlock):
        return
    if any(name in src.code(g) for g in src.walk(cst.Global, func.body)):
        return
    outer = next((a for a in src.ancestors(func) if isinstance(a, cst.FunctionDef)), None)
    if (
        outer is not None
        and name in {t.value for t in src.walk(cst.Name, outer.body)}
        and name in bound_names(src, outer)
    ):
        keyword, why = "nonlocal", f"`{name}` belongs to the enclosing function {outer.name.value}()"
    elif name in src.module_constants():
        keyword, why = "global", f"`{name}` is a module-level variable"
    else:
        return
    body = func.body.body
    first = body[1] if func.get_docstring() is not None and len(body) > 1 else body[0]
    edits = insert_before(src, first, parse_stmts(src, f"{keyword} {name}\n"))
    if edits is None:
        return
    found = proposal(
        ctx, edits, template=f"unbound-local.missing-{keyword}",
        cause=f"{why}, but {func.name.value}() assigns it, which makes it local to the function, so "
        "reading it before the assignment fails",
        change=f"declare `{keyword} {name}` at the top of {func.name.value}()", prior=0.8,
    )  # fmt: skip
    if found is not None:
        yield found
