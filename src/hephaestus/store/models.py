"""SQLAlchemy table mappings behind hephaestus.store.Store (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "CheckpointRow", "EventRow", "FeedbackRow", "IssueRow", "LogRow", "SolutionRow"]


class Base(DeclarativeBase):
    pass


class IssueRow(Base):
    __tablename__ = "issues"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str] = mapped_column(Text)
    error_type: Mapped[str | None] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text)
    application: Mapped[str] = mapped_column(String(255))
    count: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="open")
    frames: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    stack_trace: Mapped[str | None] = mapped_column(Text)
    sample_log_ids: Mapped[list[str]] = mapped_column(JSON)
    trace_ids: Mapped[list[str]] = mapped_column(JSON)
    diagnosis: Mapped[str | None] = mapped_column(Text, default=None)


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
    trace_id: Mapped[str | None] = mapped_column(String(128), index=True)
    timestamp: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    application: Mapped[str] = mapped_column(String(255))
    level: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)


class SolutionRow(Base):
    __tablename__ = "solutions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(64))
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


class CheckpointRow(Base):
    __tablename__ = "checkpoints"
    __table_args__ = (UniqueConstraint("source"),)
    source: Mapped[str] = mapped_column(String(1024), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    identity: Mapped[str] = mapped_column(String(128))
