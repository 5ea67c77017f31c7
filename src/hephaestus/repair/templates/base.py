"""What every fix template receives (FixContext) and shared builders (documented-default guards).

Fed by the engine with one located Site and its parsed SourceFile; the templates built on it
return Proposals that the engine renders into Candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from hephaestus.repair.edits import insert_before, parse_stmts
from hephaestus.repair.evidence import DocumentedValue, documented_values, empty_value, mentions
from hephaestus.repair.locate import Site
from hephaestus.repair.model import Edit, Proposal, RegressionSpec
from hephaestus.repair.source import Rewriter, SourceFile, rewrite

__all__ = ["FixContext", "Template", "documented_guard", "documented_value", "param_names", "proposal"]


@dataclass(frozen=True)
class FixContext:
    """One fault site plus the error: everything a template may look at."""

    repo: Path
    error_type: str
    message: str
    site: Site
    source: SourceFile
    files: tuple[str, ...]
    load: Callable[[str], SourceFile | None]

    @property
    def line(self) -> int:
        return self.site.location.line

    @property
    def path(self) -> str:
        return self.site.location.path

    def where(self) -> str:
        func = self.site.location.function
        at = f"{self.path}:{self.line}"
        return f"{func} ({at})" if func and not func.startswith("<") else at

    def failure(self) -> str:
        return f"{self.error_type}: {self.message}" if self.message else self.error_type


Template = Callable[[FixContext], Iterable[Proposal]]


def proposal(
    ctx: FixContext,
    edits: dict[cst.CSTNode, Rewriter],
    *,
    template: str,
    cause: str,
    change: str,
    prior: float,
    regression: RegressionSpec | None = None,
) -> Proposal | None:
    """A single-file Proposal from CST edits of ctx.source; None if nothing changed."""
    new = rewrite(ctx.source, edits)
    if new == ctx.source.text:
        return None
    edit = Edit(path=ctx.path, old=ctx.source.text, new=new)
    return Proposal(
        template=template, edits=(edit,), cause=cause, change=change, prior=prior, regression=regression
    )


def param_names(func: cst.FunctionDef) -> list[cst.Param]:
    params = func.params
    return [*params.posonly_params, *params.params, *params.kwonly_params]


def _assigned_in(source: SourceFile, func: cst.FunctionDef, name: str, before: int) -> bool:
    for target in source.walk(cst.AssignTarget, func.body):
        if source.line_of(target) < before and any(n.value == name for n in source.walk(cst.Name, target)):
            return True
    for aug in source.walk(cst.AugAssign, func.body):
        if source.line_of(aug) < before and isinstance(aug.target, cst.Name) and aug.target.value == name:
            return True
    return False


def _first_body_stmt(func: cst.FunctionDef) -> cst.BaseStatement | None:
    body = func.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    if func.get_docstring() is not None and len(body.body) > 1:
        return body.body[1]
    return None if func.get_docstring() is not None else first


def _is_generator(source: SourceFile, func: cst.FunctionDef) -> bool:
    return any(True for _ in source.walk(cst.Yield, func.body))


def documented_guard(
    ctx: FixContext,
    *,
    node: cst.CSTNode,
    subject: str,
    guard: str,
    template: str,
    cause: str,
    prior: float,
) -> Proposal | None:
    """`if <guard>: return <documented value>` where the function documents that value.

    `subject` is the variable the guard tests (e.g. `orders` for `len(orders)`); the guard goes
    to the top of the function when `subject` is an untouched parameter, else right before the
    failing statement when that statement sits directly in the function body.
    """
    src = ctx.source
    func = src.enclosing(node, cst.FunctionDef)
    stmt = src.statement_of(node)
    if func is None or stmt is None or _is_generator(src, func):
        return None
    value = documented_value(src, func, {subject})
    if value is None:
        return None
    params = {p.name.value: p for p in param_names(func)}
    hoist = subject in params and not _assigned_in(src, func, subject, src.line_of(stmt))
    anchor = _first_body_stmt(func) if hoist else stmt
    if anchor is None or (not hoist and src.parents.get(stmt) is not func.body):
        return None
    edits = insert_before(src, anchor, parse_stmts(src, f"if {guard}:\n    return {value.code}\n"))
    if edits is None:
        return None
    regression = None
    if hoist and isinstance(src.parents.get(func), cst.Module) and _plain(value.code):
        regression = _regression(ctx, func, subject, params[subject], guard, value.code)
    return proposal(
        ctx,
        edits,
        template=template,
        cause=f'{cause}; the docstring of {func.name.value} documents: "{value.sentence.strip()}"',
        change=f"return {value.code} early when `{guard}`, as documented",
        prior=prior if value in documented_values(src.docstring(func)) else prior - 0.1,
        regression=regression,
    )


def _plain(code: str) -> bool:
    return (code != 'float("nan")' and not code.isidentifier()) or code in {"None", "True", "False"}


def documented_value(
    src: SourceFile, func: cst.FunctionDef, names: set[str], *, emptiness: bool = True
) -> DocumentedValue | None:
    """The value `func`'s docstring documents for a condition about `names` (or emptiness).

    Explicit statements ("returns 0.0 when ...") win over loose clauses ("None for an unseen
    variant"); module constants may stand for the value in the loose ones.
    """
    doc = src.docstring(func)
    for loose in (False, True):
        found = documented_values(doc, loose=loose, constants=src.module_constants())
        hits = [d for d in found if mentions(d.condition, names, emptiness=emptiness)]
        if hits:
            return hits[0]
    return None


def _regression(
    ctx: FixContext, func: cst.FunctionDef, subject: str, param: cst.Param, guard: str, expected: str
) -> RegressionSpec | None:
    empty = empty_value(param.annotation, ctx.source.module)
    if empty is None:
        empty = "[]" if guard == f"not {subject}" else None
    if empty is None or guard not in {f"not {subject}", f"{subject} == 0"}:
        return None
    others = [p for p in param_names(func) if p is not param and p.default is None]
    if (others or func.params.star_arg not in (cst.MaybeSentinel.DEFAULT, None)) and others:
        return None
    if guard == f"{subject} == 0":
        empty = "0"
    return RegressionSpec(
        path=ctx.path, function=func.name.value, args=(f"{subject}={empty}",), expected=expected,
        slug=f"{func.name.value}_{'empty' if empty != '0' else 'zero'}_{subject}",
    )  # fmt: skip


def candidates_from(ctx: FixContext, templates: Iterable[Template]) -> list[Proposal]:
    out: list[Proposal] = []
    for template in templates:
        out.extend(template(ctx))
    return out
