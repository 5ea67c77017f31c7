"""Typed, frozen records that flow between the stages.

RawLog and StructuredLog are the wire schemas of the raw and structured topics (JSON Schema
files in schemas/ are checked against them); ErrorEvent, Issue, Solution and Validation are
what the later stages exchange and store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ErrorDetails",
    "ErrorEvent",
    "Frame",
    "Issue",
    "LogContext",
    "RawLog",
    "RawMetadata",
    "Severity",
    "Solution",
    "SolutionStatus",
    "SourceInfo",
    "StructuredLog",
    "Validation",
]

Severity = Literal["critical", "high", "medium", "low"]
SolutionStatus = Literal["validated", "plausible", "failed", "unvalidated"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RawMetadata(_Record):
    """Process-level facts a collector knows about a raw line."""

    process_id: int | None = None
    thread_id: str | None = None
    trace_id: str | None = None


class RawLog(_Record):
    """One log record as collected, before parsing (topic hephaestus.raw.logs).

    `message` is the whole record text; a multi-line record (a stack trace) is one RawLog.
    `timestamp` is the record's own time if the collector knows it, else the collection time.
    """

    timestamp: datetime
    source: str
    host: str
    level: str | None = None
    message: str
    metadata: RawMetadata = Field(default_factory=RawMetadata)


class SourceInfo(_Record):
    application: str
    host: str
    component: str | None = None


class ErrorDetails(_Record):
    """The event part of a structured log; `type` is set only when an exception was found."""

    level: str | None = None
    type: str | None = None
    message: str
    stack_trace: str | None = None


class LogContext(_Record):
    process_info: dict[str, Any] = Field(default_factory=dict)
    system_metrics: dict[str, Any] = Field(default_factory=dict)
    related_logs: list[str] = Field(default_factory=list)


class StructuredLog(_Record):
    """One parsed record (topic hephaestus.structured.logs, keyed by log_id)."""

    log_id: str
    original_timestamp: datetime | None
    processing_timestamp: datetime
    source: SourceInfo
    error: ErrorDetails
    context: LogContext = Field(default_factory=LogContext)


class Frame(_Record):
    """One stack frame, innermost last (Python order)."""

    file: str
    line: int | None = None
    function: str | None = None
    module: str | None = None
    source_line: str | None = None


class ErrorEvent(_Record):
    """A detected error (topic hephaestus.errors, keyed by fingerprint).

    `event_id` is deterministic for the input line, so a re-delivered line yields the same
    event and idempotent sinks can drop the duplicate.
    """

    event_id: str
    fingerprint: str
    log_id: str
    timestamp: datetime
    application: str
    host: str
    level: str | None
    error_type: str | None
    message: str
    template: str
    template_id: str
    rule: str
    frames: tuple[Frame, ...] = ()
    stack_trace: str | None = None
    trace_id: str | None = None


class Issue(_Record):
    """A group of error events sharing one fingerprint."""

    id: str
    fingerprint: str
    title: str
    error_type: str | None
    message: str
    application: str
    count: int
    severity: Severity
    first_seen: datetime
    last_seen: datetime
    status: Literal["open", "resolved", "ignored"] = "open"
    frames: tuple[Frame, ...] = ()
    stack_trace: str | None = None
    sample_log_ids: tuple[str, ...] = ()
    trace_ids: tuple[str, ...] = ()


class Validation(_Record):
    """What the sandboxed test run said about one candidate patch."""

    applied: bool
    passed: bool
    tests_before: Literal["passed", "failed", "error", "timeout", "skipped"]
    tests_after: Literal["passed", "failed", "error", "timeout", "skipped"]
    reproduced_before: bool | None = None
    fixed_after: bool | None = None
    regressions: tuple[str, ...] = ()
    plausible: bool = False  # applies, no regression, tests pass, but nothing reproduced the failure
    duration_s: float
    output_tail: str = ""
    reason: str = ""


class Solution(_Record):
    """A candidate fix for an issue, with how it was made and how it was checked."""

    issue_id: str
    status: SolutionStatus
    provider: str
    patch: str
    score: float
    explanation: str
    validation: Validation | None = None
    files: tuple[str, ...] = ()
    template: str | None = None
    created_at: datetime
    feedback: Literal["accepted", "rejected"] | None = None
