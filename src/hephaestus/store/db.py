"""The Store: issues, events, related logs, solutions, feedback and checkpoints.

Every write is one transaction and idempotent under re-delivery (event ids, log ids), so a
stage may commit its bus offsets right after a Store call returns.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hephaestus.analyze.group import merge_event, new_issue
from hephaestus.errors import ConfigError, InputError, RetryableError
from hephaestus.records import ErrorEvent, Frame, Issue, Solution, StructuredLog, Validation
from hephaestus.store.models import Base, CheckpointRow, EventRow, FeedbackRow, IssueRow, LogRow, SolutionRow

__all__ = ["Store"]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
    row.first_seen, row.last_seen = issue.first_seen, issue.last_seen
    row.frames = [f.model_dump() for f in issue.frames]
    row.stack_trace = issue.stack_trace
    row.sample_log_ids, row.trace_ids = list(issue.sample_log_ids), list(issue.trace_ids)


class Store:
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
            except OperationalError as exc:  # "table ... already exists" / "database is locked"
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

    # --- analyzer sink -------------------------------------------------------------------------
    def record_events(self, events: Iterable[ErrorEvent]) -> int:
        """Fold new events into issues; events already counted are skipped. Returns how many counted."""
        batch = {e.event_id: e for e in events}
        if not batch:
            return 0
        with self.session() as s:
            seen = set(s.scalars(select(EventRow.event_id).where(EventRow.event_id.in_(list(batch)))))
            fresh = [e for e in batch.values() if e.event_id not in seen]
            fps = {e.fingerprint for e in fresh}
            rows = {
                r.fingerprint: r for r in s.scalars(select(IssueRow).where(IssueRow.fingerprint.in_(fps)))
            }
            current = {fp: _issue(r) for fp, r in rows.items()}
            for ev in sorted(fresh, key=lambda e: e.timestamp):
                issue = current.get(ev.fingerprint)
                current[ev.fingerprint] = merge_event(issue, ev) if issue else new_issue(ev)
                s.add(EventRow(event_id=ev.event_id, fingerprint=ev.fingerprint, timestamp=ev.timestamp))
            for fp, issue in current.items():
                row = rows.get(fp)
                if row is None:
                    row = IssueRow(
                        id=issue.id,
                        fingerprint=fp,
                        title=issue.title,
                        error_type=issue.error_type,
                        message=issue.message,
                        application=issue.application,
                        status="open",
                    )
                    s.add(row)
                _fill(row, issue)
            return len(fresh)

    def record_logs(self, logs: Iterable[StructuredLog]) -> int:
        """Keep logs with a trace id (related-logs context); idempotent by log_id."""
        batch = {}
        for log in logs:
            trace = log.context.process_info.get("trace_id")
            if trace:
                batch[log.log_id] = (log, str(trace))
        if not batch:
            return 0
        with self.session() as s:
            seen = set(s.scalars(select(LogRow.log_id).where(LogRow.log_id.in_(list(batch)))))
            for log_id, (log, trace) in batch.items():
                if log_id not in seen:
                    s.add(
                        LogRow(
                            log_id=log_id,
                            trace_id=trace,
                            timestamp=log.original_timestamp,
                            application=log.source.application,
                            level=log.error.level,
                            message=log.error.message,
                        )
                    )
            return len(batch) - len(seen)

    # --- reading -------------------------------------------------------------------------------
    def issues(self, *, status: str | None = None, limit: int = 1000) -> list[Issue]:
        with self.session() as s:
            query = select(IssueRow).order_by(IssueRow.last_seen.desc()).limit(limit)
            if status:
                query = query.where(IssueRow.status == status)
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
                    "timestamp": r.timestamp.isoformat() if r.timestamp else None,
                }
                for r in rows
            ]

    # --- solutions and feedback ----------------------------------------------------------------
    def save_solution(self, solution: Solution) -> None:
        with self.session() as s:
            s.add(
                SolutionRow(
                    issue_id=solution.issue_id,
                    status=solution.status,
                    provider=solution.provider,
                    template=solution.template,
                    patch=solution.patch,
                    score=solution.score,
                    explanation=solution.explanation,
                    validation=solution.validation.model_dump(mode="json") if solution.validation else None,
                    files=list(solution.files),
                    created_at=solution.created_at,
                    feedback=solution.feedback,
                )
            )

    def set_diagnosis(self, issue_id: str, diagnosis: str | None) -> None:
        with self.session() as s:
            row = s.get(IssueRow, issue_id)
            if row is not None:
                row.diagnosis = diagnosis

    def diagnosis(self, issue_id: str) -> str | None:
        with self.session() as s:
            row = s.get(IssueRow, issue_id)
            return row.diagnosis if row else None

    def _latest_row(self, s: Session, issue_id: str) -> SolutionRow | None:
        """The issue's newest solution: the one shown, and the one feedback applies to."""
        query = select(SolutionRow).where(SolutionRow.issue_id == issue_id)
        return s.scalars(query.order_by(SolutionRow.id.desc())).first()

    def solution(self, issue_id: str) -> Solution | None:
        with self.session() as s:
            row = self._latest_row(s, issue_id)
            if row is None:
                return None
            return Solution(
                issue_id=row.issue_id,
                status=row.status,
                provider=row.provider,
                patch=row.patch,
                score=row.score,
                explanation=row.explanation,
                validation=Validation.model_validate(row.validation) if row.validation else None,
                files=tuple(row.files),
                template=row.template,
                created_at=_aware(row.created_at),
                feedback=row.feedback,
            )

    def record_feedback(self, issue_id: str, verdict: Literal["accepted", "rejected"]) -> str | None:
        """Mark the issue's best solution and remember the verdict for its template."""
        with self.session() as s:
            row = self._latest_row(s, issue_id)
            if row is None:
                raise InputError(f"issue {issue_id!r} has no solution to {verdict[:-2]}")
            row.feedback = verdict
            if row.template:
                s.add(FeedbackRow(template=row.template, accepted=1 if verdict == "accepted" else 0))
            issue = s.get(IssueRow, issue_id)
            if issue is not None and verdict == "accepted":
                issue.status = "resolved"
            return row.template

    def add_feedback(self, template: str, *, accepted: bool) -> None:
        with self.session() as s:
            s.add(FeedbackRow(template=template, accepted=1 if accepted else 0))

    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """template -> (accepted, total)."""
        with self.session() as s:
            rows = s.execute(
                select(FeedbackRow.template, func.sum(FeedbackRow.accepted), func.count()).group_by(
                    FeedbackRow.template
                )
            )
            return {str(t): (int(a or 0), int(n)) for t, a, n in rows}

    # --- collector checkpoints -----------------------------------------------------------------
    def checkpoint(self, source: str) -> tuple[int, str] | None:
        with self.session() as s:
            row = s.get(CheckpointRow, source)
            return (row.position, row.identity) if row else None

    def save_checkpoint(self, source: str, position: int, identity: str) -> None:
        with self.session() as s:
            row = s.get(CheckpointRow, source)
            if row is None:
                s.add(CheckpointRow(source=source, position=position, identity=identity))
            else:
                row.position, row.identity = position, identity

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
