"""ZeroDivisionError templates: guard an empty/zero divisor with the value the code documents.

Fed a FixContext whose failing line holds `/`, `//` or `%`; evidence is the function docstring
("Returns 0.0 when there are no orders") or a sibling function that already guards the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import insert_before, parse_stmts
from hephaestus.repair.model import Proposal
from hephaestus.repair.templates.base import FixContext, documented_guard, proposal

__all__ = ["zero_division"]

_DIVISION = (cst.Divide, cst.FloorDivide, cst.Modulo)
_AUG_DIVISION = (cst.DivideAssign, cst.FloorDivideAssign, cst.ModuloAssign)


def _divisors(ctx: FixContext) -> list[tuple[cst.CSTNode, cst.BaseExpression]]:
    src = ctx.source
    found: list[tuple[cst.CSTNode, cst.BaseExpression]] = []
    for binop in src.on_line(cst.BinaryOperation, ctx.line):
        if isinstance(binop.operator, _DIVISION) and not isinstance(binop.right, cst.Integer | cst.Float):
            found.append((binop, binop.right))
    for aug in src.on_line(cst.AugAssign, ctx.line):
        if isinstance(aug.operator, _AUG_DIVISION):
            found.append((aug, aug.value))
    return found


def _guard_for(ctx: FixContext, divisor: cst.BaseExpression) -> tuple[str, str] | None:
    """(subject, guard) for a divisor: `len(x)` -> (x, not x); `n` / `self.n` -> (n, not n)."""
    if divisor.lpar:
        divisor = divisor.with_changes(lpar=(), rpar=())
    code = ctx.source.module.code_for_node(divisor).strip()
    if isinstance(divisor, cst.Call) and isinstance(divisor.func, cst.Name) and divisor.func.value == "len":
        if len(divisor.args) == 1 and isinstance(divisor.args[0].value, cst.Name | cst.Attribute):
            subject = ctx.source.module.code_for_node(divisor.args[0].value)
            return subject, f"not {subject}"
        return None
    if isinstance(divisor, cst.Name | cst.Attribute):
        return code, f"not {code}"
    return None


def zero_division(ctx: FixContext) -> Iterator[Proposal]:
    """`zero-division.documented-default` and `zero-division.sibling-guard`."""
    if ctx.error_type != "ZeroDivisionError":
        return
    for node, divisor in _divisors(ctx):
        pair = _guard_for(ctx, divisor)
        if pair is None:
            continue
        subject, guard = pair
        divisor_code = ctx.source.code(divisor).strip()
        cause = (
            f"`{ctx.source.code(node).strip()}` divides by `{divisor_code}`, which is 0 when `{subject}` is "
        )
        cause += "empty" if divisor_code.startswith("len(") else "0"
        found = documented_guard(
            ctx, node=node, subject=subject.split(".")[-1] if "." in subject else subject, guard=guard,
            template="zero-division.documented-default", cause=cause, prior=0.9,
        )  # fmt: skip
        if found is not None and "." not in subject:
            yield found
            return
        sibling = _sibling_guard(ctx, node, subject, guard, cause)
        if sibling is not None:
            yield sibling
            return


def _sibling_guard(
    ctx: FixContext, node: cst.CSTNode, subject: str, guard: str, cause: str
) -> Proposal | None:
    """Copy the early return another function of the module uses for the same empty check."""
    src = ctx.source
    func = src.enclosing(node, cst.FunctionDef)
    stmt = src.statement_of(node)
    if func is None or stmt is None or src.parents.get(stmt) is not func.body:
        return None
    values: set[str] = set()
    donor = ""
    for other in src.walk(cst.FunctionDef):
        if other is func:
            continue
        for if_ in src.walk(cst.If, other.body):
            test = src.code(if_.test).strip()
            if not test.startswith("not ") or if_.orelse is not None:
                continue
            body = if_.body
            stmts = body.body if isinstance(body, cst.IndentedBlock) else ()
            if len(stmts) == 1 and isinstance(stmts[0], cst.SimpleStatementLine):
                small = stmts[0].body[0]
                divides = any(
                    isinstance(b.operator, _DIVISION) for b in src.walk(cst.BinaryOperation, other.body)
                )
                if isinstance(small, cst.Return) and small.value is not None and divides:
                    values.add(src.code(small.value).strip())
                    donor = other.name.value
    if len(values) != 1:
        return None
    value = values.pop()
    edits = insert_before(src, stmt, parse_stmts(src, f"if {guard}:\n    return {value}\n"))
    if edits is None:
        return None
    return proposal(
        ctx, edits, template="zero-division.sibling-guard",
        cause=f"{cause}; {donor}() in the same module guards its division the same way and returns {value}",
        change=f"return {value} early when `{guard}`, like {donor}()", prior=0.6,
    )  # fmt: skip
