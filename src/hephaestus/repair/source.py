"""Parsed view of one repo file for the templates: libcst module, positions, parents, lookups.

Fed by the engine with a located Site's file; templates query it for nodes on the failing line,
enclosing functions, docstrings and module constants, and rewrite it through `rewrite`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

__all__ = ["SourceFile", "load_source", "rewrite"]

N = TypeVar("N", bound=cst.CSTNode)
Rewriter = Callable[[cst.CSTNode], cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]]


@dataclass(frozen=True)
class SourceFile:
    """One parsed file; every node handed out belongs to `module` (use it as an edit key)."""

    path: str
    text: str
    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    parents: Mapping[cst.CSTNode, cst.CSTNode]

    def walk(self, kind: type[N], root: cst.CSTNode | None = None) -> Iterator[N]:
        """Every node of `kind` under `root` (default: the module), in source order."""
        stack: list[cst.CSTNode] = [root or self.module]
        while stack:
            node = stack.pop()
            if isinstance(node, kind):
                yield node
            stack.extend(reversed(node.children))

    def on_line(self, kind: type[N], line: int) -> list[N]:
        """Nodes of `kind` whose range covers `line`, innermost (shortest) first."""
        hits = [n for n in self.walk(kind) if self._covers(n, line)]
        return sorted(hits, key=self._span)

    def _covers(self, node: cst.CSTNode, line: int) -> bool:
        pos = self.positions.get(node)
        return pos is not None and pos.start.line <= line <= pos.end.line

    def _span(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.positions[node]
        return (pos.end.line - pos.start.line, len(self.code(node)))

    def starts_on(self, node: cst.CSTNode, line: int) -> bool:
        pos = self.positions.get(node)
        return pos is not None and pos.start.line == line

    def line_of(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def enclosing(self, node: cst.CSTNode, kind: type[N]) -> N | None:
        for parent in self.ancestors(node):
            if isinstance(parent, kind):
                return parent
        return None

    def function_at(self, line: int) -> cst.FunctionDef | None:
        """Innermost function whose body covers `line`."""
        defs = self.on_line(cst.FunctionDef, line)
        return defs[0] if defs else None

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The (simple or compound) statement line that contains `node`."""
        if isinstance(node, cst.BaseStatement):
            return node
        for parent in self.ancestors(node):
            if isinstance(parent, cst.BaseStatement):
                return parent
        return None

    def statement_at(self, line: int) -> cst.SimpleStatementLine | None:
        hits = self.on_line(cst.SimpleStatementLine, line)
        return hits[0] if hits else None

    def docstring(self, func: cst.FunctionDef | cst.ClassDef | None = None) -> str:
        node = func if func is not None else self.module
        return node.get_docstring() or ""

    def module_constants(self) -> dict[str, cst.BaseExpression]:
        """Top-level `NAME = value` assignments (last one wins)."""
        out: dict[str, cst.BaseExpression] = {}
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            out[target.value] = small.value
                    elif (
                        isinstance(small, cst.AnnAssign)
                        and isinstance(small.target, cst.Name)
                        and small.value is not None
                    ):
                        out[small.target.value] = small.value
        return out

    def top_level_names(self) -> set[str]:
        """Names bound at module level: defs, classes, imports, assignments."""
        names: set[str] = set(self.module_constants())
        for stmt in self.module.body:
            if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
                names.add(stmt.name.value)
        for imp in self.walk(cst.Import):
            for alias in imp.names:
                names.add(_alias_name(alias))
        for imp_from in self.walk(cst.ImportFrom):
            if not isinstance(imp_from.names, cst.ImportStar):
                for alias in imp_from.names:
                    names.add(_alias_name(alias))
        for stmt in self.module.body:
            for assign_target in self.walk(cst.AssignTarget, stmt):
                for name in self.walk(cst.Name, assign_target):
                    names.add(name.value)
        return names


def _alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    code = cst.Module(body=[]).code_for_node(alias.name)
    return code.split(".")[0]


def load_source(repo: Path, path: str) -> SourceFile | None:
    """Parse `repo/path`; None when unreadable or not valid Python."""
    try:
        text = (repo / path).read_text(encoding="utf-8")
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
        return None
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    return SourceFile(path=path, text=text, module=wrapper.module, positions=positions, parents=parents)


class _Rewrite(cst.CSTTransformer):
    def __init__(self, edits: Mapping[int, Rewriter]) -> None:
        super().__init__()
        self._edits = edits

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        fn = self._edits.get(id(original_node))
        return fn(updated_node) if fn is not None else updated_node


def rewrite(source: SourceFile, edits: Mapping[cst.CSTNode, Rewriter]) -> str:
    """New source text after applying `edits` (node of `source.module` -> function of the updated node)."""
    by_id = {id(node): fn for node, fn in edits.items()}
    new_module = source.module.visit(_Rewrite(by_id))
    return new_module.code
