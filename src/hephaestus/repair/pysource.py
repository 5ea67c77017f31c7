"""A parsed Python file for the search: character spans of AST nodes, statements and functions by line.

Fed the text of one repo file (by search.py and localize's callers); feeds operators.py with
spans to replace and the qualified name of the function holding a line (matching co_qualname).
Pure: stdlib `ast` only, fast enough for files of thousands of lines.
"""

from __future__ import annotations

import ast

__all__ = ["PySource"]

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


class PySource:
    """The text and AST of one file; raises SyntaxError when it does not parse."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.tree = ast.parse(text)
        self._lines = text.splitlines(keepends=True)
        self._starts = [0]
        for line in self._lines:
            self._starts.append(self._starts[-1] + len(line))
        self._functions: list[tuple[int, int, str, ast.AST]] = []  # (first, last, qualname, node)
        self._statements: list[tuple[int, int, int, ast.stmt]] = []  # (first, last, depth, node)
        self._parents: dict[int, ast.AST] = {}
        self._imported: frozenset[str] | None = None
        self._index(self.tree, "", 0)

    def _index(self, node: ast.AST, prefix: str, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            self._parents[id(child)] = node
            inner = prefix
            if isinstance(child, (*_FUNCS, ast.ClassDef)):
                qual = f"{prefix}{child.name}"
                if isinstance(child, _FUNCS):
                    self._functions.append((child.lineno, child.end_lineno or child.lineno, qual, child))
                    inner = f"{qual}.<locals>."
                else:
                    inner = f"{qual}."
            elif isinstance(child, ast.Lambda):
                inner = f"{prefix}<lambda>.<locals>."
            if isinstance(child, ast.stmt):
                self._statements.append((child.lineno, child.end_lineno or child.lineno, depth, child))
            self._index(child, inner, depth + 1)

    # ------------------------------------------------------------------ positions
    def line_start(self, line: int) -> int:
        """Character offset of the start of 1-based `line` (len(text) past the end)."""
        return self._starts[min(max(line - 1, 0), len(self._starts) - 1)]

    def offset(self, line: int, col_bytes: int) -> int:
        """Character offset of an AST position (1-based line, UTF-8 byte column)."""
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        col = len(text.encode("utf-8")[:col_bytes].decode("utf-8", errors="ignore"))
        return self.line_start(line) + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def indent_of(self, line: int) -> str:
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return text[: len(text) - len(text.lstrip())]

    def replace(self, start: int, end: int, text: str) -> str:
        return self.text[:start] + text + self.text[end:]

    # ------------------------------------------------------------------ structure
    def statement_at(self, line: int) -> ast.stmt | None:
        """The innermost statement whose lines include `line`."""
        best: tuple[int, ast.stmt] | None = None
        for first, last, depth, node in self._statements:
            if first <= line <= last and (best is None or depth > best[0]):
                best = (depth, node)
        if best is None:
            return None
        node = best[1]
        body_start = _body_start(node)
        if body_start is not None and line >= body_start:  # a line of a compound statement's body
            return None
        return node

    def statement_lines(self, line: int) -> tuple[int, int] | None:
        """(first, last) line of the statement holding `line`; for a compound statement, of its
        header (`if`, `for`, `def` lines up to the body). None outside any statement."""
        best: tuple[int, int, int] | None = None  # (depth, first, last)
        for first, last, depth, node in self._statements:
            if first <= line <= last and (best is None or depth > best[0]):
                body_start = _body_start(node)
                if body_start is not None and line >= body_start:
                    continue
                best = (depth, first, last if body_start is None else max(first, body_start - 1))
        return None if best is None else (best[1], best[2])

    def imported_names(self) -> frozenset[str]:
        """Names bound by import statements anywhere in the file (modules, mostly)."""
        if self._imported is None:
            names: set[str] = set()
            for node in ast.walk(self.tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names.update((a.asname or a.name).split(".", 1)[0] for a in node.names)
            self._imported = frozenset(names)
        return self._imported

    def function_node(self, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        found = self._function(line)
        return found[3] if found is not None else None  # type: ignore[return-value]

    def function_at(self, line: int) -> str | None:
        """co_qualname of the innermost function holding `line` (None at module level)."""
        found = self._function(line)
        return found[2] if found is not None else None

    def _function(self, line: int) -> tuple[int, int, str, ast.AST] | None:
        best = None
        for entry in self._functions:
            if entry[0] <= line <= entry[1] and (best is None or entry[0] >= best[0]):
                best = entry
        return best

    def function_span(self, qualname: str) -> tuple[int, int, int] | None:
        """(def line, last line, first body line) of the function named `qualname`."""
        for first, last, qual, node in self._functions:
            if qual == qualname:
                body = node.body  # type: ignore[attr-defined]
                return first, last, body[0].lineno
        return None

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node directly holding `node` (None for the module)."""
        return self._parents.get(id(node))

    def in_loop(self, stmt: ast.stmt, func: ast.AST) -> bool:
        """Whether `stmt` is inside a loop body within `func`."""
        node: ast.AST | None = self._parents.get(id(stmt))
        while node is not None and node is not func:
            if isinstance(node, _LOOPS):
                return True
            node = self._parents.get(id(node))
        return False

    def alone(self, stmt: ast.stmt) -> bool:
        """Whether `stmt` owns its lines (no other statement starts or ends on them) and has siblings."""
        first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
        parent = self._parents.get(id(stmt))
        siblings = [s for s in ast.iter_child_nodes(parent) if isinstance(s, ast.stmt)] if parent else []
        if len(siblings) < 2:
            return False
        for other_first, other_last, _, node in self._statements:
            if node is stmt or self._parents.get(id(node)) is not parent:
                continue
            if first <= other_first <= last or first <= other_last <= last:
                return False
        return True


def _body_start(node: ast.stmt) -> int | None:
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt) and not isinstance(node, ast.Lambda):
        return body[0].lineno
    return None
