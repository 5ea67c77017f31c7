"""Grouping: folds error events into issues keyed by fingerprint.

Pure functions over records; fed by the analyzer consuming the errors topic, feeds the store
(which makes the fold idempotent by event id).
"""

from __future__ import annotations

from hephaestus.analyze.severity import severity
from hephaestus.records import ErrorEvent, Issue

__all__ = ["issue_id_for", "merge_event", "new_issue", "title_for"]

_MAX_SAMPLES = 20
_TITLE_LEN = 120


def issue_id_for(fingerprint: str) -> str:
    """Short, stable, human-typeable issue id."""
    return f"HEP-{fingerprint[:8]}"


def title_for(event: ErrorEvent) -> str:
    first = event.message.strip().splitlines()[0] if event.message.strip() else event.template
    text = f"{event.error_type}: {first}" if event.error_type and event.error_type not in first else first
    return text if len(text) <= _TITLE_LEN else text[: _TITLE_LEN - 1] + "…"


def new_issue(event: ErrorEvent) -> Issue:
    return Issue(
        id=issue_id_for(event.fingerprint),
        fingerprint=event.fingerprint,
        title=title_for(event),
        error_type=event.error_type,
        message=event.message,
        application=event.application,
        count=1,
        severity=severity(
            level=event.level, error_type=event.error_type, has_frames=bool(event.frames), count=1
        ),
        first_seen=event.timestamp,
        last_seen=event.timestamp,
        frames=event.frames,
        stack_trace=event.stack_trace,
        sample_log_ids=(event.log_id,),
        trace_ids=(event.trace_id,) if event.trace_id else (),
    )


def merge_event(issue: Issue, event: ErrorEvent) -> Issue:
    """The issue after one more (not yet counted) occurrence."""
    count = issue.count + 1
    samples = (
        issue.sample_log_ids
        if len(issue.sample_log_ids) >= _MAX_SAMPLES
        else (
            *issue.sample_log_ids,
            event.log_id,
        )
    )
    traces = issue.trace_ids
    if event.trace_id and event.trace_id not in traces and len(traces) < _MAX_SAMPLES:
        traces = (*traces, event.trace_id)
    newer = event.timestamp >= issue.last_seen
    return issue.model_copy(
        update={
            "count": count,
            "first_seen": min(issue.first_seen, event.timestamp),
            "last_seen": max(issue.last_seen, event.timestamp),
            "severity": severity(
                level=event.level, error_type=issue.error_type, has_frames=bool(issue.frames), count=count
            ),
            "sample_log_ids": samples,
            "trace_ids": traces,
            "frames": event.frames if newer and event.frames else issue.frames,
            "stack_trace": event.stack_trace if newer and event.stack_trace else issue.stack_trace,
        }
    )
