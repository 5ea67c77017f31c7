"""UnboundLocalError for a result assigned only inside a branch, loop or `try`: initialise it with
the value the function documents for the case no branch covers. Fed a FixContext whose failing
line is `return <name>`; evidence is the docstring (or an Optional return annotation for None).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import insert_before, parse_stmts
from hephaestus.repair.evidence import fallback_value
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import SourceFile
from hephaestus.repair.templates.base import FixContext, documented_value, proposal

__all__ = ["branch_default"]

_UNBOUND = re.compile(
    r"(?:local variable '(?P<a>\w+)' referenced before|cannot access local variable '(?P<b>\w+)')"
)


def _assigns(src: SourceFile, stmt: cst.CSTNode, name: str) -> bool:
    targets: list[cst.CSTNode] = [t.target for t in src.walk(cst.AssignTarget, stmt)]
    targets += [t.target for t in src.walk(cst.AugAssign, stmt)]
    targets += [t.target for t in src.walk(cst.AnnAssign, stmt)]
    targets += [t.target for t in src.walk(cst.For, stmt)]
    targets += [t.name for t in src.walk(cst.AsName, stmt)]
    return any(n.value == name for t in targets for n in src.walk(cst.Name, t))


def branch_default(ctx: FixContext) -> Iterator[Proposal]:
    """`unbound-local.branch-default`: `name = <documented>` before the statement that may skip it."""
    match = _UNBOUND.search(ctx.message)
    src = ctx.source
    func = src.function_at(ctx.line)
    if ctx.error_type != "UnboundLocalError" or match is None or func is None:
        return
    name = match["a"] or match["b"]
    stmt = src.statement_at(ctx.line)
    ret = stmt.body[0] if stmt is not None and len(stmt.body) == 1 else None
    if not isinstance(ret, cst.Return) or ret.value is None or src.code(ret.value).strip() != name:
        return
    if not isinstance(func.body, cst.IndentedBlock) or name in src.module_constants():
        return
    first = next((s for s in func.body.body if _assigns(src, s, name)), None)
    if first is None or isinstance(first, cst.SimpleStatementLine):
        return
    documented = documented_value(src, func, {name}) or fallback_value(
        src.docstring(func), src.module_constants()
    )
    returns = src.code(func.returns.annotation) if func.returns is not None else ""
    if documented is not None:
        value, why = documented.code, f'the docstring says "{documented.sentence.strip()}"'
    elif re.search(r"\bNone\b|Optional\[", returns):
        value, why = "None", f"{func.name.value}() is annotated to return `{returns.strip()}`"
    else:
        return
    edits = insert_before(src, first, parse_stmts(src, f"{name} = {value}\n"))
    if edits is None:
        return
    kind = type(first).__name__.lower()
    found = proposal(
        ctx, edits, template="unbound-local.branch-default",
        cause=f"{func.name.value}() assigns `{name}` only inside a `{kind}` statement, so a path that skips "
        f"it returns an unbound variable; {why}",
        change=f"initialise `{name} = {value}` before the `{kind}`", prior=0.7 if documented else 0.55,
    )  # fmt: skip
    if found is not None:
        yield found
