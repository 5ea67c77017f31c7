"""Analysis: fingerprint error events, group them into issues, rate severity, gather context.

Fed by the errors topic (ErrorEvent); feeds the store (Issue) and the solvers.
"""

from __future__ import annotations

from hephaestus.analyze.fingerprint import fingerprint

__all__ = ["fingerprint"]
