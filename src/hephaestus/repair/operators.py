"""Generic repair operators applied at a suspicious line: each yields one small source edit.

Fed by the search (repair/search.py) with a file's text, a localized line and the runtime
values seen at the failure; feeds the screening run with Mutants (a character span and its
replacement). No operator knows any project: they read only the code and the observed values.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping

from hephaestus.repair.mutant import Mutant
from hephaestus.repair.pysource import PySource
from hephaestus.repair.rewrites import rewrites
from hephaestus.repair.siblings import sibling_mutants

__all__ = ["Mutant", "mutants_at"]

_CMP: dict[type[ast.cmpop], str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
}  # fmt: skip
_SWAP: dict[type[ast.AST], tuple[str, str]] = {
    ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is"),
    ast.In: ("in", "not in"), ast.NotIn: ("not in", "in"),
}  # fmt: skip
_BIN: dict[type[ast.operator], tuple[str, tuple[str, ...]]] = {
    ast.Add: ("+", ("-",)), ast.Sub: ("-", ("+",)), ast.Mult: ("*", ("/", "//")), ast.Div: ("/", ("//", "*")),
    ast.FloorDiv: ("//", ("/",)), ast.Mod: ("%", ("//",)),
}  # fmt: skip


def _token_in_gap(src: PySource, left: ast.AST, right: ast.AST, token: str) -> tuple[int, int] | None:
    """Span of `token` (an operator) in the text between two nodes, or None."""
    start, end = src.span(left)[1], src.span(right)[0]
    gap = src.text[start:end]
    pattern = (
        r"(?<![\w<>=!])" + re.escape(token) + r"(?![\w<>=])" if token.isalpha() or " " in token else None
    )
    match = re.search(pattern, gap) if pattern else None
    if match is None:
        index = gap.find(token)
        return None if index < 0 else (start + index, start + index + len(token))
    return start + match.start(), start + match.end()


def _comparisons(src: PySource, node: ast.Compare) -> Iterator[tuple[int, int, str, str, float]]:
    left: ast.expr = node.left
    for op, right in zip(node.ops, node.comparators, strict=True):
        if type(op) in _CMP:
            token = _CMP[type(op)]
            span = _token_in_gap(src, left, right, token)
            if span is not None:
                for other in _CMP.values():
                    if other != token:
                        near = {token, other} in ({"<", "<="}, {">", ">="}, {"==", "!="})
                        yield *span, other, f"`{token}` -> `{other}`", 0.6 if near else 0.4
        elif type(op) in _SWAP:
            token, other = _SWAP[type(op)]
            span = _token_in_gap(src, left, right, token)
            if span is not None:
                yield *span, other, f"`{token}` -> `{other}`", 0.55
        left = right


def _plain_attribute(src: PySource, node: ast.AST) -> ast.Name | None:
    """The object of `name.attr` read as a value (not a method being called, not a module's member)."""
    if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
        return None
    parent = src.parent(node)
    if not isinstance(node.value, ast.Name) or (isinstance(parent, ast.Call) and parent.func is node):
        return None
    return None if node.value.id in src.imported_names() else node.value


def _expression_mutants(src: PySource, node: ast.AST) -> Iterator[tuple[int, int, str, str, str, float]]:
    """(start, end, replacement, operator, description, prior) for one expression node."""
    if isinstance(node, ast.Compare):
        for start, end, text, desc, prior in _comparisons(src, node):
            yield start, end, text, "compare", desc, prior
    elif isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        parts = [src.segment(v) for v in node.values]
        yield (
            *src.span(node),
            f" {other} ".join(parts),
            "boolean",
            f"`{node.op.__class__.__name__.lower()}` -> `{other}`",
            0.5,
        )
        for i in range(len(parts)):
            rest = parts[:i] + parts[i + 1 :]
            joiner = " and " if isinstance(node.op, ast.And) else " or "
            yield *src.span(node), joiner.join(rest), "drop-condition", f"drop condition `{parts[i]}`", 0.45
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield *src.span(node), src.segment(node.operand), "negation", "drop `not`", 0.45
    elif isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        token, others = _BIN[type(node.op)]
        span = _token_in_gap(src, node.left, node.right, token)
        if span is not None:
            for other in others:
                yield *span, other, "arithmetic", f"`{token}` -> `{other}`", 0.4
    elif (obj := _plain_attribute(src, node)) is not None:  # `obj.attr` where `obj` itself was meant
        yield *src.span(node), obj.id, "attribute-drop", f"`{src.segment(node)}` -> `{obj.id}`", 0.25
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        for delta in (1, -1):
            yield (
                *src.span(node),
                str(node.value + delta),
                "constant",
                f"{node.value} -> {node.value + delta}",
                0.35,
            )
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        yield *src.span(node), str(not node.value), "constant", f"{node.value} -> {not node.value}", 0.35
    elif isinstance(node, ast.Slice):
        for bound in (node.lower, node.upper):
            if bound is not None and not isinstance(bound, ast.Constant):
                text = src.segment(bound)
                for sign in ("+", "-"):
                    yield *src.span(bound), f"{text} {sign} 1", "bound", f"slice bound `{text}` {sign} 1", 0.4
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        for arg in node.args[-1:] if len(node.args) <= 2 else node.args[1:2]:
            if not isinstance(arg, ast.Constant):
                text = src.segment(arg)
                for sign in ("+", "-"):
                    yield *src.span(arg), f"{text} {sign} 1", "bound", f"range stop `{text}` {sign} 1", 0.4
    if isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords:
        a, b = (src.segment(x) for x in node.args)
        start, end = src.span(node.args[0])[0], src.span(node.args[1])[1]
        yield start, end, f"{b}, {a}", "swap-arguments", f"swap arguments `{a}`, `{b}`", 0.25


def _header(stmt: ast.stmt) -> list[ast.AST]:
    if isinstance(stmt, (ast.If, ast.While)):
        return [stmt.test]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.iter]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.context_expr for i in stmt.items]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Try)):
        return []
    return [stmt]


def _returns(src: PySource, func: ast.AST | None) -> list[str]:
    """Empty forms of what the function returns elsewhere ([] for lists, '' for text ...), then None."""
    out: list[str] = []
    if func is not None:
        for node in ast.walk(func):
            if isinstance(node, ast.Return) and node.value is not None:
                value = node.value
                if isinstance(value, (ast.List, ast.ListComp)):
                    out.append("[]")
                elif isinstance(value, (ast.Dict, ast.DictComp)):
                    out.append("{}")
                elif isinstance(value, ast.JoinedStr) or (
                    isinstance(value, ast.Constant) and isinstance(value.value, str)
                ):
                    out.append("''")
                elif isinstance(value, ast.Constant) and isinstance(value.value, bool):
                    out.append("False")
    return [*dict.fromkeys(out), "None"]


_EMPTY_REPRS = frozenset({"[]", "{}", "()", "''", '""', "0", "0.0", "set()", "b''"})


def _conditions(
    name: str, observed: tuple[str, str], params: set[str]
) -> Iterator[tuple[str, str, float, bool]]:
    """(condition, operator, prior, may return the name itself) guarding an observed value."""
    kind, text = observed
    if kind == "NoneType":
        yield f"{name} is None", "none-guard", 0.65, False
    elif text in _EMPTY_REPRS:
        yield f"not {name}", "empty-guard", 0.5, False
    if name in params and kind.isidentifier() and kind not in {"NoneType", "function", "method", "module"}:
        yield f"isinstance({name}, {kind})", "type-guard", 0.5, True


def _guards(
    src: PySource, stmt: ast.stmt, values: Mapping[str, tuple[str, str]], qualname: str | None
) -> Iterator[Mutant]:
    """Guards built from the values observed at the failure (PyTER-style): a name that was None or
    empty, or a parameter of an unexpected type, returns early (or skips the loop iteration)."""
    func = src.function_node(stmt.lineno)
    if func is None or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    used = {n.id for h in _header(stmt) for n in ast.walk(h) if isinstance(n, ast.Name)}
    indent = src.indent_of(stmt.lineno)
    start = src.line_start(stmt.lineno)
    exits = [f"return {r}" for r in _returns(src, func)]
    if src.in_loop(stmt, func):
        exits.insert(0, "continue")
    for name in sorted(used & set(values)):
        for cond, operator, prior, itself in _conditions(name, values[name], params):
            for exit_ in [f"return {name}"] * itself + exits:
                text = f"{indent}if {cond}:\n{indent}    {exit_}\n"
                yield Mutant(
                    src.path, start, start, text, operator, f"guard `if {cond}: {exit_}`", prior, qualname
                )


def _handlers(src: PySource, stmt: ast.stmt, error: str, qualname: str | None) -> Iterator[Mutant]:
    """Wrap the crashing statement in `try: ... except <its exception>:` with an exit the function
    already uses (PyTER's exception-handler repair); a `return` that code follows falls through."""
    func = src.function_node(stmt.lineno)
    if (
        func is None
        or not error.isidentifier()
        or error in {"AssertionError", "Failed"}
        or not src.alone(stmt)
    ):
        return
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    falls_through = isinstance(stmt, ast.Return) and stmt is not func.body[-1]
    if isinstance(stmt, ast.Return) and not falls_through:
        return
    start, end = src.line_start(stmt.lineno), src.line_start((stmt.end_lineno or stmt.lineno) + 1)
    body = src.text[start:end]
    if not body.endswith("\n"):
        return
    indent = src.indent_of(stmt.lineno)
    inner = "".join(f"    {line}" if line.strip() else line for line in body.splitlines(keepends=True))
    exits = [
        "pass",
        *(["continue"] if src.in_loop(stmt, func) else []),
        *(f"return {r}" for r in _returns(src, func) if not falls_through),
    ]
    for exit_ in exits:
        text = f"{indent}try:\n{inner}{indent}except {error}:\n{indent}    {exit_}\n"
        yield Mutant(src.path, start, end, text, "handler", f"catch {error} and {exit_}", 0.3, qualname)


def mutants_at(
    src: PySource, line: int, *, values: Mapping[str, tuple[str, str]] | None = None, error: str | None = None
) -> list[Mutant]:
    """Every operator's edit at `line` of `src` (the innermost statement holding it); `values` are
    the locals observed there at the failure, `error` the exception type raised at this line."""
    stmt = src.statement_at(line)
    if stmt is None:
        return []
    qualname = src.function_at(line)
    out: list[Mutant] = []
    for head in _header(stmt):
        for node in ast.walk(head):
            if getattr(node, "lineno", line) != line and stmt.lineno != line:
                continue
            for start, end, text, op, desc, prior in _expression_mutants(src, node):
                out.append(Mutant(src.path, start, end, text, op, desc, prior, qualname))
    if isinstance(stmt, (ast.If, ast.While)):
        span = src.span(stmt.test)
        cond = src.segment(stmt.test)
        if not (isinstance(stmt.test, ast.UnaryOp) and isinstance(stmt.test.op, ast.Not)):
            out.append(Mutant(src.path, *span, f"not ({cond})", qualname=qualname, operator="negation",
                              description=f"negate `{cond}`", prior=0.35))  # fmt: skip
    # never delete a control statement or an exit (if, raise, assert, return): the anti-patterns of
    # search-based repair (Tan et al., FSE 2016) that make a failing test pass by removing its check
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign)) and src.alone(stmt):
        start, end = src.line_start(stmt.lineno), src.line_start((stmt.end_lineno or stmt.lineno) + 1)
        what = src.text[start:end].strip().splitlines()[0]
        text = f"{src.indent_of(stmt.lineno)}pass\n"
        out.append(Mutant(src.path, start, end, text, "delete", f"delete `{what}`", 0.2, qualname))
    out.extend(_guards(src, stmt, values or {}, qualname))
    out.extend(rewrites(src, stmt, line, values=values or {}, error=error, qualname=qualname))
    if error:
        out.extend(_handlers(src, stmt, error, qualname))
    out.extend(list(sibling_mutants(src, out)))
    return out
