"""The PROCESS stage: multi-line assembly, format parsing, stack traces, templates, detection.

Fed raw lines/records by collectors; feeds StructuredLog records and ErrorEvents to analysis.
Import the pieces from their modules; the names below are the stable public surface.
"""

from __future__ import annotations

from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.process.processor import Processed, Processor
from hephaestus.process.stacktrace import ParsedTrace, parse_stack_trace
from hephaestus.process.templates import TemplateMiner, TemplateStore

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
