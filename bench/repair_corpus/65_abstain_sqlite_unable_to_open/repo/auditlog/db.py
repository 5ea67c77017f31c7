"""Append-only audit trail in SQLite."""

from __future__ import annotations

import sqlite3

SCHEMA = "CREATE TABLE IF NOT EXISTS events (ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL)"


def open_db(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(SCHEMA)
    return conn


def record(conn: sqlite3.Connection, ts: str, actor: str, action: str) -> None:
    with conn:
        conn.execute("INSERT INTO events VALUES (?, ?, ?)", (ts, actor, action))
