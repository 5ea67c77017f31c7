"""The PROCESS stage: multi-line assembly, format parsing, stack traces, templates, detection.

Fed raw lines/records by collectors; feeds StructuredLog records and ErrorEvents to analysis.
Import the pieces from their modules; the names below are the stable public surface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.process.stacktrace import ParsedTrace, parse_stack_trace
from hephaestus.process.templates import TemplateMiner, TemplateStore

if TYPE_CHECKING:
    from hephaestus.process.processor import Processed, Processor

__all__ = [
    "Assembled",
    "MultilineAssembler",
    "ParsedTrace",
    "Processed",
    "Processor",
    "TemplateMiner",
    "TemplateStore",
    "parse_stack_trace",
]


def __getattr__(name: str) -> Any:
    """Processor and Processed on first use: they bring pydantic, which `hephaestus parse` never needs."""
    if name in ("Processed", "Processor"):
        from hephaestus.process import processor  # noqa: PLC0415

        return getattr(processor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
