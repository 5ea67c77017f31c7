"""The Store: issues, events, related logs, solutions, feedback and checkpoints.

Every write is one transaction and idempotent under re-delivery (event ids, log ids), so a
stage may commit its bus offsets right after a Store call returns. Writers may run concurrently
(several analyzer replicas): new ids are claimed with INSERT … ON CONFLICT DO NOTHING and the
issues a batch folds into are locked (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer
at a time), always in key order so that two writers cannot deadlock.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from hephaestus.analyze.group import merge_event, new_issue
from hephaestus.errors import ConfigError, InputError, RetryableError
from hephaestus.records import ErrorEvent, Frame, Issue, StructuredLog
from hephaestus.store.models import (
    Base,
    CheckpointRow,
    EventRow,
    IssueRow,
    IssueTemplateRow,
    LogRow,
)
from hephaestus.store.models import aware as _aware
from hephaestus.store.models import utc as _utc
from hephaestus.store.verdicts import NoiseVerdict, Verdicts

__all__ = ["NoiseVerdict", "Store"]  # NoiseVerdict re-exported from verdicts


_DIALECTS = ("sqlite", "postgresql")


def _issue(row: IssueRow) -> Issue:
    return Issue(
        id=row.id,
        fingerprint=row.fingerprint,
        title=row.title,
        error_type=row.error_type,
        message=row.message,
        application=row.application,
        count=row.count,
        severity=row.severity,
        first_seen=_aware(row.first_seen),
        last_seen=_aware(row.last_seen),
        status=row.status,
        frames=tuple(Frame.model_validate(f) for f in row.frames),
        stack_trace=row.stack_trace,
        sample_log_ids=tuple(row.sample_log_ids),
        trace_ids=tuple(row.trace_ids),
    )


def _fill(row: IssueRow, issue: Issue) -> None:
    row.count, row.severity = issue.count, issue.severity
    row.first_seen, row.last_seen = _utc(issue.first_seen), _utc(issue.last_seen)
    row.frames = [f.model_dump() for f in issue.frames]
    row.stack_trace = issue.stack_trace
    row.sample_log_ids, row.trace_ids = list(issue.sample_log_ids), list(issue.trace_ids)


class Store(Verdicts):
    """A SQLAlchemy-backed store; `url` like sqlite:///path.db or postgresql+psycopg://…"""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            # sqlite: wait up to 30 s for a lock from the first statement (services start together)
            connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
            self.engine: Engine = create_engine(url, future=True, connect_args=connect_args)
        except (SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot open store {url!r}: {exc}") from exc
        if self.engine.dialect.name not in _DIALECTS:
            raise ConfigError(f"unsupported store {self.engine.dialect.name!r}: use sqlite or postgresql")
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_schema(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _create_schema(self, url: str) -> None:
        """Create missing tables; services starting together may race, so retry a few times."""
        for attempt in range(5):
            try:
                Base.metadata.create_all(self.engine)
                return
            # "table ... already exists" / "database is locked"; PostgreSQL reports a lost
            # CREATE TABLE race as a duplicate key (pg_type) or a duplicate table
            except (OperationalError, IntegrityError, ProgrammingError) as exc:
                if attempt == 4:
                    raise ConfigError(f"cannot initialise store {url!r}: {exc.orig}") from exc
                time.sleep(0.1 * (attempt + 1))
            except SQLAlchemyError as exc:
                raise ConfigError(f"cannot initialise store {url!r}: {exc.__class__.__name__}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except SQLAlchemyError as exc:
                session.rollback()
                raise RetryableError(f"store write failed: {exc.__class__.__name__}: {exc}") from exc

    def _insert_new(
        self, s: Session, key: InstrumentedAttribute[str], rows: list[dict[str, Any]]
    ) -> set[str]:
        """INSERT the rows whose key is not stored yet; returns the keys this call inserted.

        A row another transaction is inserting concurrently makes this wait for it to commit,
        then skips it: the key is claimed once. Rows go in key order (no deadlock between two
        writers of overlapping keys)."""
        if not rows:
            return set()
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        rows = sorted(rows, key=lambda row: str(row[key.key]))
        stmt = insert(key.class_).on_conflict_do_nothing().returning(key)
        return set(s.scalars(stmt, rows))

    # --- analyzer sink -------------------------------------------------------------------------
    def record_events(self, events: Iterable[ErrorEvent]) -> int:
        """Fold new events into issues; events already counted are skipped. Returns how many counted."""
        batch = {e.event_id: e for e in events}
        if not batch:
            return 0
        with self.session() as s:
            claimed = self._insert_new(
                s,
                EventRow.event_id,
                [
                    {"event_id": e.event_id, "fingerprint": e.fingerprint, "timestamp": _utc(e.timestamp)}
                    for e in batch.values()
                ],
            )
            fresh = sorted((batch[i] for i in claimed), key=lambda e: e.timestamp)
            if not fresh:
                return 0
            firsts: dict[str, ErrorEvent] = {}
            for ev in fresh:
                firsts.setdefault(ev.fingerprint, ev)
            created = self._insert_new(
                s, IssueRow.fingerprint, [_new_row(new_issue(ev)) for ev in firsts.values()]
            )
            templates = [{"fingerprint": fp, "template": firsts[fp].template} for fp in created]
            self._insert_new(s, IssueTemplateRow.fingerprint, templates)  # what `noise` suppresses
            rows = {
                r.fingerprint: r
                for r in s.scalars(
                    select(IssueRow)
                    .where(IssueRow.fingerprint.in_(sorted(firsts)))
                    .order_by(IssueRow.fingerprint)
                    .with_for_update()
                    .execution_options(populate_existing=True)
                )
            }
            lost = sorted(set(firsts) - set(rows))
            if lost:  # its id (HEP-<first 8 hex>) is taken by another fingerprint
                raise RetryableError(f"store write failed: issue id of fingerprint {lost[0]} is taken")
            current = {fp: _issue(r) for fp, r in rows.items() if fp not in created}
            for ev in fresh:
                issue = current.get(ev.fingerprint)
                current[ev.fingerprint] = merge_event(issue, ev) if issue else new_issue(ev)
            for fp, issue in current.items():
                _fill(rows[fp], issue)
            return len(fresh)

    def record_logs(self, logs: Iterable[StructuredLog]) -> int:
        """Keep logs with a trace id (related-logs context); idempotent by log_id."""
        batch: dict[str, dict[str, Any]] = {}
        for log in logs:
            trace = log.context.process_info.get("trace_id")
            if trace:
                when = log.original_timestamp
                batch[log.log_id] = {
                    "log_id": log.log_id,
                    "trace_id": str(trace),
                    "timestamp": _utc(when) if when else None,
                    "application": log.source.application,
                    "level": log.error.level,
                    "message": log.error.message,
                }
        if not batch:
            return 0
        with self.session() as s:
            return len(self._insert_new(s, LogRow.log_id, list(batch.values())))

    # --- reading -------------------------------------------------------------------------------
    def issues(
        self, *, status: str | None = None, limit: int = 1000, hide_ignored: bool = False
    ) -> list[Issue]:
        """Newest first; `hide_ignored` leaves out issues marked as noise when no status is asked."""
        with self.session() as s:
            query = select(IssueRow).order_by(IssueRow.last_seen.desc()).limit(limit)
            if status:
                query = query.where(IssueRow.status == status)
            elif hide_ignored:
                query = query.where(IssueRow.status != "ignored")
            return [_issue(r) for r in s.scalars(query)]

    def issue(self, issue_id: str) -> Issue:
        with self.session() as s:
            row = s.get(IssueRow, issue_id)
            if row is None:
                row = s.scalars(select(IssueRow).where(IssueRow.fingerprint == issue_id)).first()
            if row is None:
                raise InputError(f"no issue {issue_id!r}")
            return _issue(row)

    def event_count(self) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(EventRow)) or 0)

    def related_logs(self, trace_ids: Iterable[str], *, limit: int = 50) -> list[dict[str, Any]]:
        ids = list(trace_ids)
        if not ids:
            return []
        with self.session() as s:
            rows = s.scalars(
                select(LogRow).where(LogRow.trace_id.in_(ids)).order_by(LogRow.timestamp).limit(limit)
            )
            return [
                {
                    "log_id": r.log_id,
                    "trace_id": r.trace_id,
                    "level": r.level,
                    "message": r.message,
                    "timestamp": (_aware(r.timestamp) if r.timestamp.tzinfo else r.timestamp).isoformat()
                    if r.timestamp
                    else None,
                }
                for r in rows
            ]

    # --- collector checkpoints -----------------------------------------------------------------
    def checkpoint(self, source: str) -> tuple[int, str] | None:
        with self.session() as s:
            row = s.get(CheckpointRow, source)
            return (row.position, row.identity) if row else None

    def save_checkpoint(self, source: str, position: int, identity: str) -> None:
        values = {"source": source, "position": position, "identity": identity}
        with self.session() as s:
            if self.engine.dialect.name == "postgresql":
                pg = postgresql.insert(CheckpointRow).values(values)
                s.execute(pg.on_conflict_do_update(index_elements=["source"], set_=pg.excluded))
            else:
                lite = sqlite.insert(CheckpointRow).values(values)
                s.execute(lite.on_conflict_do_update(index_elements=["source"], set_=lite.excluded))

    def close(self) -> None:
        self.engine.dispose()


def _new_row(issue: Issue) -> dict[str, Any]:
    """The issues row of a first occurrence (then folded like any other, under the row lock)."""
    return {
        "id": issue.id,
        "fingerprint": issue.fingerprint,
        "title": issue.title,
        "error_type": issue.error_type,
        "message": issue.message,
        "application": issue.application,
        "count": issue.count,
        "severity": issue.severity,
        "first_seen": _utc(issue.first_seen),
        "last_seen": _utc(issue.last_seen),
        "status": "open",
        "frames": [f.model_dump() for f in issue.frames],
        "stack_trace": issue.stack_trace,
        "sample_log_ids": list(issue.sample_log_ids),
        "trace_ids": list(issue.trace_ids),
    }


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
