"""Synthesized reproduction of a crash from an application log: does its cause still hold in the code?

Run by the validator inside the sandbox (``python static_check.py KIND ARGS...``, stdlib only), once on
the unpatched copy (must exit 1: the cause is there) and once on the patched copy (must exit 0: gone);
exit 2 means it cannot tell, which never counts as a reproduction. Its arguments come from the repair
engine's `reproduction_for` (the exception type and message of the log, never a template).

Kinds:
  undefined-name PATH FUNC NAME   NAME is read in FUNC (qualname, "-" = module) and bound nowhere it can see
  local-shadow PATH FUNC NAME     NAME is local to FUNC although the module or an enclosing function binds it
  attribute PATH FUNC ATTR        FUNC still reads an attribute named ATTR (not under an isinstance test)
  keyword PATH FUNC KW            FUNC still passes the keyword argument KW
  import MODULE                   importing MODULE raises ImportError (dynamic: the module really is imported)
"""

from __future__ import annotations

import ast
import builtins
import importlib
import os
import symtable
import sys

__all__ = ["main"]

PRESENT, ABSENT, UNKNOWN = 1, 0, 2


def _table(path: str, qualname: str) -> tuple[symtable.SymbolTable, symtable.SymbolTable] | None:
    """(module table, FUNC's table) or None when FUNC is not found."""
    with open(path, encoding="utf-8") as handle:
        module = symtable.symtable(handle.read(), path, "exec")
    table: symtable.SymbolTable = module
    if qualname != "-":
        for part in qualname.replace(".<locals>", "").split("."):
            found = _child_named(table, part)
            if found is None:
                return None
            table = found
    return module, table


def _child_named(table: symtable.SymbolTable, name: str) -> symtable.SymbolTable | None:
    """The first scope named `name` below `table` (breadth first: a method when no class is named)."""
    queue = list(table.get_children())
    while queue:
        child = queue.pop(0)
        if child.get_name() == name:
            return child
        queue.extend(child.get_children())
    return None


def _bound_at_module(module: symtable.SymbolTable, name: str) -> bool:
    try:
        sym = module.lookup(name)
    except KeyError:
        return False
    return sym.is_assigned() or sym.is_imported() or sym.is_namespace()


def undefined_name(path: str, qualname: str, name: str) -> int:
    found = _table(path, qualname)
    if found is None:
        return UNKNOWN
    module, table = found
    if any(s.get_name() == "*" for s in module.get_symbols()):
        return UNKNOWN  # a star import could bind anything
    try:
        sym = table.lookup(name)
    except KeyError:
        return ABSENT  # no longer read there
    if not sym.is_referenced():
        return ABSENT
    if sym.is_local() or sym.is_free() or sym.is_parameter():
        return ABSENT
    if _bound_at_module(module, name) or hasattr(builtins, name):
        return ABSENT
    return PRESENT


def local_shadow(path: str, qualname: str, name: str) -> int:
    found = _table(path, qualname)
    if found is None or qualname == "-":
        return UNKNOWN
    module, table = found
    try:
        sym = table.lookup(name)
    except KeyError:
        return ABSENT
    if not (sym.is_local() and sym.is_referenced() and sym.is_assigned()) or sym.is_parameter():
        return ABSENT
    return PRESENT if _bound_at_module(module, name) else UNKNOWN


def _function(path: str, qualname: str) -> ast.AST | None:
    with open(path, encoding="utf-8") as handle:
        tree: ast.AST = ast.parse(handle.read())
    if qualname == "-":
        return tree
    node = tree
    for part in qualname.replace(".<locals>", "").split("."):
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        match = [n for n in ast.walk(node) if isinstance(n, kinds) and n.name == part]
        if not match:
            return None
        node = match[0]
    return node


def _type_checked(node: ast.AST) -> set[int]:
    """ids of the nodes under a branch taken only after an isinstance/hasattr test."""
    out: set[int] = set()
    for branch in ast.walk(node):
        if isinstance(branch, (ast.If, ast.IfExp)):
            tests = [
                n for n in ast.walk(branch.test) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            ]
            if any(t.func.id in ("isinstance", "hasattr") for t in tests):  # type: ignore[attr-defined]
                body = branch.body if isinstance(branch.body, list) else [branch.body]
                out.update(id(n) for part in body for n in ast.walk(part))
    return out


def attribute(path: str, qualname: str, attr: str) -> int:
    """PRESENT while FUNC reads `.ATTR` outside a branch guarded by an isinstance/hasattr test."""
    node = _function(path, qualname)
    if node is None:
        return UNKNOWN
    guarded = _type_checked(node)
    reads = [
        n for n in ast.walk(node) if isinstance(n, ast.Attribute) and n.attr == attr and id(n) not in guarded
    ]
    return PRESENT if reads else ABSENT


def keyword(path: str, qualname: str, kw: str) -> int:
    node = _function(path, qualname)
    if node is None:
        return UNKNOWN
    calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and any(k.arg == kw for k in n.keywords)]
    return PRESENT if calls else ABSENT


def import_module(module: str) -> int:
    sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "src")]
    try:
        importlib.import_module(module)
    except ImportError:
        return PRESENT
    except Exception:
        return UNKNOWN
    return ABSENT


def main(argv: list[str]) -> int:
    kind, *args = argv
    try:
        if kind == "import" and len(args) == 1:
            return import_module(args[0])
        checks = {"undefined-name": undefined_name, "local-shadow": local_shadow, "attribute": attribute}
        checks["keyword"] = keyword
        if kind in checks and len(args) == 3:
            return checks[kind](*args)
    except (OSError, SyntaxError, ValueError) as exc:
        print(f"static check: {type(exc).__name__}: {exc}", file=sys.stderr)
    return UNKNOWN


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
