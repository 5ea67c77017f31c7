"""Severity of an issue from its level, exception type and how often it happens.

Pure; fed by grouping (analyze.group), feeds the Issue record and the ranking of work.
"""

from __future__ import annotations

from hephaestus.records import Severity

__all__ = ["severity"]

_CRITICAL_LEVELS = {"CRITICAL", "FATAL", "EMERG", "EMERGENCY", "ALERT", "PANIC", "SEVERE"}
_CRITICAL_TYPES = {
    "MemoryError",
    "RecursionError",
    "SystemError",
    "java.lang.OutOfMemoryError",
    "OutOfMemoryError",
}
_HIGH_COUNT = 50


def severity(*, level: str | None, error_type: str | None, has_frames: bool, count: int) -> Severity:
    """critical: fatal levels or resource exhaustion; high: crashes with a stack or a flood of
    errors; medium: other errors; low: warnings and template signals."""
    lvl = (level or "").upper()
    short_type = (error_type or "").rsplit(".", 1)[-1]
    if lvl in _CRITICAL_LEVELS or error_type in _CRITICAL_TYPES or short_type in _CRITICAL_TYPES:
        return "critical"
    if (error_type and has_frames) or count >= _HIGH_COUNT:
        return "high"
    if lvl in {"ERROR", "ERR"} or error_type:
        return "medium"
    return "low"
