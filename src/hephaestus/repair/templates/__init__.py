"""The fix templates, keyed by the exception they repair.

Each template takes a FixContext (fed by the engine) and yields Proposals backed by evidence
found in the code; `templates_for` is what the engine calls.
"""

from __future__ import annotations

from hephaestus.repair.templates.arith import zero_division
from hephaestus.repair.templates.base import FixContext, Template

__all__ = ["FixContext", "Template", "templates_for"]

_REGISTRY: dict[str, tuple[Template, ...]] = {
    "ZeroDivisionError": (zero_division,),
}


def templates_for(error_type: str) -> tuple[Template, ...]:
    """Templates that may repair `error_type` (short name, e.g. "KeyError")."""
    return _REGISTRY.get(error_type, ())
