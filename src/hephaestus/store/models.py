"""SQLAlchemy table mappings behind hephaestus.store.Store (portable: SQLite and PostgreSQL).

Values that come from the logs or the config (error types, application names, trace ids,
sources, provider:model names) are Text: PostgreSQL enforces VARCHAR lengths where SQLite does
not, and a too-long value must not turn into a write that fails on every retry. Counters and
file offsets are BigInteger (PostgreSQL's INTEGER is 32-bit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "CheckpointRow",
    "EventRow",
    "FeedbackRow",
    "IssueRow",
    "IssueTemplateRow",
    "LogRow",
    "NoiseVerdictRow",
    "SolutionRow",
    "aware",
    "utc",
]


def aware(value: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives it back naive, PostgreSQL in the session's zone)."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """A time to store: UTC, so that SQLite (which drops the offset) and PostgreSQL agree."""
    return value.astimezone(UTC) if value.tzinfo else value


class Base(DeclarativeBase):
    pass


class IssueRow(Base):
    __tablename__ = "issues"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str] = mapped_column(Text)
    error_type: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    application: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(BigInteger)
    severity: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="open")
    frames: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    stack_trace: Mapped[str | None] = mapped_column(Text)
    sample_log_ids: Mapped[list[str]] = mapped_column(JSON)
    trace_ids: Mapped[list[str]] = mapped_column(JSON)
    diagnosis: Mapped[str | None] = mapped_column(Text, default=None)


class EvidenceRow(Base):
    """What reproducing an issue showed (failing tests, localized lines, values): one per issue."""

    __tablename__ = "evidence"
    issue_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventRow(Base):
    """Every counted event id: makes the analyzer sink idempotent under re-delivery."""

    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LogRow(Base):
    """Structured logs that carry a trace id or are errors: the related-logs context."""

    __tablename__ = "logs"
    log_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trace_id: Mapped[str | None] = mapped_column(Text, index=True)
    timestamp: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    application: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)


class SolutionRow(Base):
    __tablename__ = "solutions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(128))
    patch: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    validation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    files: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    feedback: Mapped[str | None] = mapped_column(String(16))


class FeedbackRow(Base):
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template: Mapped[str] = mapped_column(String(128), index=True)
    accepted: Mapped[int] = mapped_column(Integer)


class IssueTemplateRow(Base):
    """The message template of an issue's first event: what marking the issue as noise suppresses."""

    __tablename__ = "issue_templates"
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    template: Mapped[str] = mapped_column(Text)


class NoiseVerdictRow(Base):
    """An operator's verdict on an issue's template: noise (suppressed by detection) or real (never
    suppressed). One per issue; a new verdict replaces the old one and takes a new id (fold order)."""

    __tablename__ = "noise_verdicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[str] = mapped_column(String(32), unique=True)
    template: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    real: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CheckpointRow(Base):
    __tablename__ = "checkpoints"
    __table_args__ = (UniqueConstraint("source"),)
    source: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    identity: Mapped[str] = mapped_column(Text)
