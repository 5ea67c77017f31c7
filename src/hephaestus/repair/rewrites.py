"""Expression rewrites at a suspicious statement: names, forgotten calls, dict lookups, regexes.

Fed by operators.mutants_at with a parsed file, the statement at a localized line, the values
observed there and the exception raised there; feeds the search with Mutants. Generic program
repair moves (variable replacement, PyTER's call and lookup repairs, regex mutation): none knows
any project.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import re
import symtable
from collections.abc import Iterator, Mapping

from hephaestus.repair.mutant import Mutant
from hephaestus.repair.pysource import PySource
from hephaestus.repair.regex_edits import pattern_edits

__all__ = ["rewrites"]

_CALLABLE_TYPES = frozenset(
    {"function", "builtin_function_or_method", "method", "partial", "method-wrapper", "cython_function"}
)
_RE_FUNCS = frozenset(
    {"match", "search", "fullmatch", "sub", "subn", "compile", "findall", "finditer", "split"}
)
_NAME_CHOICES = 4
_REGEX_EDITS = 24


def _tables(src: PySource, qualname: str | None, line: int) -> list[symtable.SymbolTable]:
    """The symbol tables from the module down to the function `qualname` holding `line` (empty if
    not found; of functions sharing a name, the last one defined before `line`)."""
    try:
        table = symtable.symtable(src.text, src.path, "exec")
    except (SyntaxError, ValueError):
        return []
    chain = [table]
    for part in (qualname or "").split("."):
        if not part or part == "<locals>":
            continue
        found = [c for c in chain[-1].get_children() if c.get_name() == part and c.get_lineno() <= line]
        if not found:
            return []
        chain.append(max(found, key=lambda c: c.get_lineno()))
    return chain


def _on(src: PySource, node: ast.AST, line: int) -> bool:
    """`node` starts on a line of the statement (header) that holds `line`."""
    first, last = src.statement_lines(line) or (line, line)
    return first <= getattr(node, "lineno", 0) <= last


def _undefined(src: PySource, stmt: ast.stmt, line: int, qualname: str | None) -> Iterator[Mutant]:
    """A name bound nowhere (not local, enclosing, module or builtin) -> each similar bound name."""
    chain = _tables(src, qualname, line)
    if len(chain) < 2:
        return
    module, func = chain[0], chain[-1]
    bound_module = {s.get_name() for s in module.get_symbols() if s.is_assigned() or s.is_imported()}
    bound_module |= {c.get_name() for c in module.get_children()}
    scope = [
        s.get_name()
        for table in reversed(chain[1:])
        if table.get_type() == "function"
        for s in table.get_symbols()
        if s.is_parameter() or s.is_assigned() or s.is_imported()
    ]
    scope = list(dict.fromkeys(scope))
    for node in ast.walk(stmt):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and _on(src, node, line)):
            continue
        name = node.id
        try:
            symbol = func.lookup(name)
        except KeyError:
            continue
        if not symbol.is_global() or name in bound_module or hasattr(builtins, name):
            continue
        similar = {other: difflib.SequenceMatcher(None, name, other).ratio() for other in scope}
        ranked = sorted(scope, key=lambda other: -similar[other])
        start, end = src.span(node)
        for other in ranked[:_NAME_CHOICES]:
            desc = f"undefined `{name}` -> `{other}`"
            prior = 0.45 + 0.2 * similar[other]  # the most similar name first
            yield Mutant(src.path, start, end, other, "rename", desc, prior, qualname)


def _params(src: PySource, node: ast.AST) -> list[str] | None:
    """Positional parameters of the innermost function or lambda holding `node`."""
    holder = src.parent(node)
    while holder is not None and not isinstance(holder, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
        holder = src.parent(holder)
    if holder is None:
        return None
    args = holder.args
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _truth_operands(stmt: ast.stmt) -> Iterator[ast.expr]:
    """Expressions whose truth value (or comparison) the statement uses."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node.operand
        elif isinstance(node, ast.BoolOp):
            yield from node.values
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            yield node.test
        elif isinstance(node, ast.Compare):
            yield node.left
            yield from node.comparators


def _missing_calls(
    src: PySource, stmt: ast.stmt, line: int, values: Mapping[str, tuple[str, str]], qualname: str | None
) -> Iterator[Mutant]:
    """A function object used as a truth value or compared (observed callable) -> call it with the
    parameters of the code it sits in, or with no arguments."""
    for node in _truth_operands(stmt):
        if not isinstance(node, ast.Name) or not _on(src, node, line):
            continue
        if values.get(node.id, ("", ""))[0] not in _CALLABLE_TYPES:
            continue
        params = _params(src, node) or []
        start, end = src.span(node)
        for args in dict.fromkeys([", ".join(params), ""]):
            text = f"{node.id}({args})"
            yield Mutant(src.path, start, end, text, "call", f"`{node.id}` -> `{text}`", 0.5, qualname)


def _lookups(
    src: PySource, stmt: ast.stmt, line: int, error: str | None, qualname: str | None
) -> Iterator[Mutant]:
    """`mapping[key]` raising KeyError -> `mapping.get(key)`."""
    if error != "KeyError":
        return
    for node in ast.walk(stmt):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and not isinstance(node.slice, (ast.Slice, ast.Tuple))
            and _on(src, node, line)
        ):
            text = f"{src.segment(node.value)}.get({src.segment(node.slice)})"
            desc = f"`{src.segment(node)}` -> `{text}`"
            yield Mutant(src.path, *src.span(node), text, "lookup", desc, 0.55, qualname)


def _regexes(src: PySource, stmt: ast.stmt, line: int, qualname: str | None) -> Iterator[Mutant]:
    """Mutations of a regular-expression literal given to `re.*` on this line."""
    for node in ast.walk(stmt):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCS
            and node.args
        ):
            continue
        pattern = node.args[0]
        if isinstance(pattern, ast.BinOp) and isinstance(pattern.op, ast.Mod):
            pattern = pattern.left  # r'...%s...' % NAME
        elif isinstance(pattern, ast.Call) and isinstance(pattern.func, ast.Attribute):
            pattern = pattern.func.value  # r'...{}...'.format(NAME)
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)):
            continue
        if not pattern.lineno <= line <= (pattern.end_lineno or pattern.lineno) and node.lineno != line:
            continue
        literal = src.segment(pattern)
        made = 0
        for new, desc in pattern_edits(literal):
            try:
                re.compile(ast.literal_eval(new))
            except (ValueError, SyntaxError, re.error):
                continue
            yield Mutant(src.path, *src.span(pattern), new, "regex", desc, 0.3, qualname)
            made += 1
            if made >= _REGEX_EDITS:
                break


def rewrites(
    src: PySource,
    stmt: ast.stmt,
    line: int,
    *,
    values: Mapping[str, tuple[str, str]],
    error: str | None,
    qualname: str | None,
) -> Iterator[Mutant]:
    """Every rewrite of this module at `line` (inside `stmt`)."""
    yield from _undefined(src, stmt, line, qualname)
    yield from _missing_calls(src, stmt, line, values, qualname)
    yield from _lookups(src, stmt, line, error, qualname)
    yield from _regexes(src, stmt, line, qualname)
