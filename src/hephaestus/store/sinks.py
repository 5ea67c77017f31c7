"""Sinks that persist pipeline output in the Store: error events into issues, traced logs
into the related-logs index. Fed by the pipeline's analyze/index steps; writes are
transactional, so `flush()` has nothing left to do when `write()` returns.
"""

from __future__ import annotations

from hephaestus.records import ErrorEvent, StructuredLog
from hephaestus.stages import Sink
from hephaestus.store.db import Store

__all__ = ["IssueSink", "LogIndexSink"]


class IssueSink(Sink[ErrorEvent]):
    """Folds error events into issues; a re-delivered event is counted as dropped, not again."""

    name = "issue-sink"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.fingerprints: set[str] = set()

    def write(self, items: list[ErrorEvent]) -> None:
        counted = self.store.record_events(items)
        self.fingerprints.update(e.fingerprint for e in items)
        self.counters.add(received=len(items), sent=counted, dropped=len(items) - counted)


class LogIndexSink(Sink[StructuredLog]):
    """Keeps logs that carry a trace id, so an issue can show what happened around it."""

    name = "log-index-sink"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def write(self, items: list[StructuredLog]) -> None:
        kept = self.store.record_logs(items)
        self.counters.add(received=len(items), sent=kept, dropped=len(items) - kept)
