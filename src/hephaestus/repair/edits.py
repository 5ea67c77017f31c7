"""Small CST edit builders shared by the templates (replace a node, insert guards, add imports).

Fed with nodes of a SourceFile; each returns the `{node: rewriter}` mapping that
`source.rewrite` applies, so several non-overlapping edits compose in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from hephaestus.repair.source import Rewriter, SourceFile

__all__ = ["add_import", "insert_before", "parse_expr", "parse_stmts", "replace_with"]


def parse_expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def parse_stmts(source: SourceFile, code: str) -> list[cst.BaseStatement]:
    """Statements parsed with the file's own indentation and newline conventions."""
    parsed = cst.parse_module(
        code if code.endswith("\n") else code + "\n", config=source.module.config_for_parsing
    )
    return list(parsed.body)


def replace_with(new: cst.CSTNode) -> Rewriter:
    def _apply(_updated: cst.CSTNode) -> cst.CSTNode:
        return new

    return _apply


def insert_before(
    source: SourceFile, stmt: cst.BaseStatement, new: Sequence[cst.BaseStatement]
) -> dict[cst.CSTNode, Rewriter] | None:
    """Edit inserting `new` right before `stmt` in its block; None if the block is not found."""
    parent = source.parents.get(stmt)
    if not isinstance(parent, cst.IndentedBlock | cst.Module):
        return None
    body = list(parent.body)
    index = next((i for i, s in enumerate(body) if s is stmt), None)
    if index is None:
        return None

    def _apply(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, cst.IndentedBlock | cst.Module)
        items = list(updated.body)
        first = items[index]
        moved = list(new)
        # keep comments/blank lines that preceded the statement above the inserted ones
        if hasattr(first, "leading_lines") and first.leading_lines and moved:
            lead = first.leading_lines
            moved[0] = moved[0].with_changes(leading_lines=lead)
            items[index] = first.with_changes(leading_lines=())
        items[index:index] = moved
        return updated.with_changes(body=items)

    return {parent: _apply}


def _import_insert_index(module: cst.Module) -> int:
    """Index after the docstring, `__future__` and other top-level imports."""
    index = 0
    for i, stmt in enumerate(module.body):
        if isinstance(stmt, cst.SimpleStatementLine) and stmt.body:
            small = stmt.body[0]
            is_doc = i == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
            if is_doc or isinstance(small, cst.Import | cst.ImportFrom):
                index = i + 1
                continue
        if index and i > index:
            break
    return index


def add_import(source: SourceFile, *, module: str, name: str | None = None) -> dict[cst.CSTNode, Rewriter]:
    """Edit adding `import module` or `from module import name` (joins an existing `from module`)."""
    if name is not None:
        for stmt in source.walk(cst.ImportFrom):
            target = source.code(stmt.module) if stmt.module is not None else ""
            if target == module and not stmt.relative and not isinstance(stmt.names, cst.ImportStar):
                aliases = [*stmt.names]
                last = aliases[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                aliases[-1] = last
                aliases.append(cst.ImportAlias(name=cst.Name(name)))
                new_stmt = stmt.with_changes(names=aliases)
                return {stmt: replace_with(new_stmt)}
    code = f"from {module} import {name}" if name else f"import {module}"
    index = _import_insert_index(source.module)
    new_stmts = parse_stmts(source, code)

    def _apply(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, cst.Module)
        items: list[Any] = list(updated.body)
        stmts: list[Any] = list(new_stmts)
        if index == 0 or not _is_import(items[index - 1]):
            stmts[0] = stmts[0].with_changes(leading_lines=[cst.EmptyLine()] if index else [])
        items[index:index] = stmts
        return updated.with_changes(body=items)

    return {source.module: _apply}


def _is_import(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and bool(stmt.body)
        and isinstance(stmt.body[0], cst.Import | cst.ImportFrom)
    )
