"""Sibling edits: the same expression rewrite applied to every identical expression of a function.

Fed by operators.mutants_at with the single-site Mutants of a statement; feeds the search with
one extra Mutant per rewrite whose original expression recurs in the function (Hercules, Saha et
al., ICSE 2019: a multi-hunk fix often repeats one change at "sibling" locations).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Iterator

from hephaestus.repair.mutant import Mutant
from hephaestus.repair.pysource import PySource

__all__ = ["sibling_mutants"]

_KINDS = (ast.Name, ast.Attribute, ast.Subscript, ast.Call)
_PRIOR = 0.8  # relative to the single-site edit
_MAX_SITES = 6
# rewrites of a whole expression; token swaps (`<` -> `<=`) are too small to repeat blindly
_EXPRESSION_OPERATORS = frozenset({"attribute-drop", "rename", "lookup", "call"})


def _expressions(src: PySource, func: ast.AST) -> dict[str, list[tuple[int, int]]]:
    """Character spans of the function's Name/Attribute/Subscript/Call expressions, by source text."""
    out: dict[str, list[tuple[int, int]]] = {}
    for node in ast.walk(func):
        if isinstance(node, _KINDS) and hasattr(node, "end_lineno"):
            span = src.span(node)
            out.setdefault(src.text[span[0] : span[1]], []).append(span)
    return out


def sibling_mutants(src: PySource, mutants: Iterable[Mutant]) -> Iterator[Mutant]:
    """For each whole-expression rewrite whose original text occurs again in the same function,
    one Mutant rewriting all occurrences (at most `_MAX_SITES`), spanning first to last."""
    index: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for mutant in mutants:
        if mutant.operator not in _EXPRESSION_OPERATORS:
            continue
        func = src.function_node(src.text.count("\n", 0, mutant.start) + 1)
        if func is None:
            continue
        found = index.setdefault(id(func), _expressions(src, func))
        original = src.text[mutant.start : mutant.end]
        spans = sorted(set(found.get(original, ())))
        if len(spans) < 2 or len(spans) > _MAX_SITES or (mutant.start, mutant.end) not in spans:
            continue
        if any(b[0] < a[1] for a, b in itertools.pairwise(spans)):
            continue  # nested occurrences: no single consistent rewrite
        first, last = spans[0][0], spans[-1][1]
        parts: list[str] = []
        cursor = first
        for start, end in spans:
            parts.append(src.text[cursor:start])
            parts.append(mutant.text)
            cursor = end
        parts.append(src.text[cursor:last])
        yield Mutant(
            src.path, first, last, "".join(parts), mutant.operator,
            f"{mutant.description}, at all {len(spans)} places in the function", mutant.prior * _PRIOR,
            mutant.qualname,
        )  # fmt: skip
