"""The fix templates, keyed by the exception they repair.

Each template takes a FixContext (fed by the engine) and yields Proposals backed by evidence
found in the code; `templates_for` is what the engine calls.
"""

from __future__ import annotations

from hephaestus.repair.templates.arith import zero_division
from hephaestus.repair.templates.attrs import attribute_error
from hephaestus.repair.templates.base import FixContext, Template
from hephaestus.repair.templates.branches import branch_default
from hephaestus.repair.templates.calls import call_site
from hephaestus.repair.templates.imports import import_error
from hephaestus.repair.templates.indexes import index_error
from hephaestus.repair.templates.jsonfile import empty_json_file
from hephaestus.repair.templates.keys import key_error
from hephaestus.repair.templates.names import name_error, unbound_local
from hephaestus.repair.templates.nones import none_guard
from hephaestus.repair.templates.operands import operand_types
from hephaestus.repair.templates.typeerrors import type_error
from hephaestus.repair.templates.values import blank_value

__all__ = ["FixContext", "Template", "templates_for"]

_REGISTRY: dict[str, tuple[Template, ...]] = {
    "ZeroDivisionError": (zero_division,),
    "NameError": (name_error, unbound_local),
    "UnboundLocalError": (unbound_local, branch_default),
    "AttributeError": (attribute_error, none_guard),
    "KeyError": (key_error,),
    "IndexError": (index_error,),
    "TypeError": (type_error, call_site, operand_types, none_guard),
    "ImportError": (import_error,),
    "ModuleNotFoundError": (import_error,),
    "ValueError": (blank_value, empty_json_file),
    "JSONDecodeError": (blank_value, empty_json_file),
}


def templates_for(error_type: str) -> tuple[Template, ...]:
    """Templates that may repair `error_type` (short name, e.g. "KeyError")."""
    return _REGISTRY.get(error_type, ())
