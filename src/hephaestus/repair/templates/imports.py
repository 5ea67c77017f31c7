"""ImportError / ModuleNotFoundError templates: a misspelt module or imported name.

Fed a FixContext whose failing line is an import; evidence is the repo's own modules, the names
they define and the standard library. Unknown third-party modules are left to the diagnosis.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import parse_expr, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import Rewriter
from hephaestus.repair.templates.base import FixContext, proposal
from hephaestus.repair.templates.scope import closest, module_files, rename_loads

__all__ = ["import_error"]

_NO_MODULE = re.compile(r"No module named '(?P<mod>[\w.]+)'")
_NO_NAME = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<mod>[\w.]+)'")


def _defined_names(ctx: FixContext, module: str) -> set[str] | None:
    known = module_files(ctx.files)
    path = known.get(module)
    if path is not None:
        other = ctx.load(path)
        if other is None:
            return None
        # a package also exports its submodules (`from pkg import submodule`)
        subs = {m.rsplit(".", 1)[1] for m in known if "." in m and m.rsplit(".", 1)[0] == module}
        return other.top_level_names() | (subs if path.endswith("__init__.py") else set())
    if module.split(".", maxsplit=1)[0] in sys.stdlib_module_names:
        try:
            return set(dir(importlib.import_module(module)))
        except ImportError:
            return None
    return None


def _module_options(ctx: FixContext, missing: str) -> set[str]:
    known = module_files(ctx.files)
    if "." in missing:
        parent = missing.rsplit(".", 1)[0]
        return {m for m in known if m.rsplit(".", 1)[0] == parent and "." in m}
    tops = {m for m in known if "." not in m and not m.startswith("test")}
    return tops | set(sys.stdlib_module_names)


def import_error(ctx: FixContext) -> Iterator[Proposal]:
    """`import-error.module-typo` and `import-error.name-typo`."""
    if ctx.error_type not in {"ImportError", "ModuleNotFoundError"}:
        return
    src = ctx.source
    no_module = _NO_MODULE.search(ctx.message)
    if no_module is not None:
        missing = no_module["mod"]
        best = closest(missing, _module_options(ctx, missing), cutoff=0.8)
        if best is None:
            return
        target = best[0]
        edits: dict[cst.CSTNode, Rewriter] = {}
        for imp in src.on_line(cst.ImportFrom, ctx.line):
            if imp.module is not None and src.code(imp.module) == missing:
                edits[imp.module] = replace_with(parse_expr(target))
        for alias in src.on_line(cst.ImportAlias, ctx.line):
            if src.code(alias.name) == missing and alias.asname is None and "." not in missing:
                edits[alias] = replace_with(alias.with_changes(asname=None, name=cst.Name(target)))
        if not edits:
            return
        found = proposal(
            ctx, edits, template="import-error.module-typo",
            cause=f"module `{missing}` does not exist; `{target}` does (in the repo or the standard library)",
            change=f"import `{target}` instead of `{missing}`", prior=0.8,
        )  # fmt: skip
        if found is not None:
            yield found
        return
    no_name = _NO_NAME.search(ctx.message)
    if no_name is None:
        return
    name, module = no_name["name"], no_name["mod"]
    defined = _defined_names(ctx, module)
    best = closest(name, defined or set(), cutoff=0.75)
    if best is None:
        return
    target = best[0]
    edits = {}
    for alias in src.on_line(cst.ImportAlias, ctx.line):
        if src.code(alias.name) == name:
            edits[alias] = replace_with(alias.with_changes(name=cst.Name(target)))
            if alias.asname is None:
                edits.update(rename_loads(src, src.module, name, target))
    if not edits:
        return
    found = proposal(
        ctx, edits, template="import-error.name-typo",
        cause=f"`{module}` defines no `{name}`; it defines `{target}`",
        change=f"import `{target}` from {module} (and use it under that name)", prior=0.8,
    )  # fmt: skip
    if found is not None:
        yield found
