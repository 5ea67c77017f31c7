"""Hephaestus: turns production logs into validated code fixes.

Logs flow collect -> process -> analyze -> solve/repair -> validate -> store; the CLI,
HTTP API and MCP server are thin faces over hephaestus.service.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
