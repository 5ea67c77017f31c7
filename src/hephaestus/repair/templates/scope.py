"""Name-resolution helpers for the templates: names bound in a scope, renaming loads, repo modules.

Pure queries over a SourceFile; fed by the NameError/ImportError/AttributeError templates.
"""

from __future__ import annotations

import builtins
import difflib
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

import libcst as cst

from hephaestus.repair.edits import replace_with
from hephaestus.repair.source import Rewriter, SourceFile

__all__ = ["bound_names", "closest", "edit_distance", "is_load_name", "module_files", "rename_loads"]


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions cost 1, as typos do)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def closest(
    word: str, options: Iterable[str], *, cutoff: float = 0.75, tiers: Sequence[Iterable[str]] = ()
) -> tuple[str, float] | None:
    """The single best typo-distance match of `word`; ties go to the earliest tier, else None.

    The score is the best of 1 - distance / max length and difflib's ratio; `cutoff` bounds it from below.
    """
    pool = {o for o in options if o != word}
    rank = {name: i for i, tier in reversed(list(enumerate(tiers))) for name in tier}
    scored: list[tuple[float, int, str]] = []
    for option in pool:
        typo = 1 - edit_distance(word.lower(), option.lower()) / max(len(word), len(option))
        score = round(max(typo, difflib.SequenceMatcher(None, word, option).ratio()), 3)
        if score >= cutoff or (edit_distance(word, option) == 1 and len(word) >= 3):
            scored.append((score, rank.get(option, len(tiers)), option))
    if not scored:
        return None
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    best = scored[0]
    if len(scored) > 1 and scored[1][0] == best[0] and scored[1][1] == best[1]:
        return None
    return best[2], best[0]


def is_load_name(source: SourceFile, node: cst.Name) -> bool:
    """A Name used as a variable (not an attribute, keyword, parameter or import alias)."""
    parent = source.parents.get(node)
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return False
    return not isinstance(
        parent, cst.Param | cst.ImportAlias | cst.FunctionDef | cst.ClassDef | cst.AsName | cst.ImportFrom
    )


def bound_names(source: SourceFile, func: cst.FunctionDef | None) -> set[str]:
    """Names visible in `func` (its params and locals, enclosing functions, module, builtins)."""
    names = set(source.top_level_names()) | set(dir(builtins))
    scopes: list[cst.FunctionDef] = []
    if func is not None:
        scopes = [func, *(a for a in source.ancestors(func) if isinstance(a, cst.FunctionDef))]
    for scope in scopes:
        params = scope.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            names.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                names.add(star.name.value)
        targets: list[cst.CSTNode] = []
        targets += [t.target for t in source.walk(cst.AssignTarget, scope.body)]
        targets += [t.target for t in source.walk(cst.CompFor, scope.body)]
        targets += [t.target for t in source.walk(cst.For, scope.body)]
        targets += [t.name for t in source.walk(cst.AsName, scope.body)]
        for target in targets:
            names.update(n.value for n in source.walk(cst.Name, target))
        for ann in source.walk(cst.AnnAssign, scope.body):
            if isinstance(ann.target, cst.Name):
                names.add(ann.target.value)
        for inner in source.walk(cst.FunctionDef, scope.body):
            names.add(inner.name.value)
    return names


def rename_loads(source: SourceFile, scope: cst.CSTNode, old: str, new: str) -> dict[cst.CSTNode, Rewriter]:
    """Edits renaming every variable use of `old` under `scope` to `new`."""
    return {
        node: replace_with(node.with_changes(value=new))
        for node in source.walk(cst.Name, scope)
        if node.value == old and is_load_name(source, node)
    }


def module_files(files: Sequence[str]) -> dict[str, str]:
    """Dotted module name -> repo file, for every plausible import root (repo root, src/)."""
    out: dict[str, str] = {}
    for path in files:
        parts = list(PurePosixPath(path).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts:
            continue
        for start in range(len(parts)):
            out.setdefault(".".join(parts[start:]), path)
    return out
