"""Persistence of issues, solutions, feedback and collector checkpoints (SQLAlchemy 2).

SQLite by default, PostgreSQL by URL; fed by the analyzer and solver sinks, read by the faces.
"""

from __future__ import annotations

from hephaestus.store.db import Store

__all__ = ["Store"]
