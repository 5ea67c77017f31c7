"""The embedded bus: durable named topics with partitions and group offsets in one SQLite file.

Same contract as the Kafka bus: producers buffer until flush() makes the batch durable in one
transaction; a consumer group's offsets move only on commit(), so a crash re-delivers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import orjson

from hephaestus.bus.base import Bus, Consumer, Message, Producer, partition_for
from hephaestus.errors import ConfigError, RetryableError

__all__ = ["LocalBus"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    topic TEXT NOT NULL, part INTEGER NOT NULL, off INTEGER NOT NULL,
    key BLOB, value BLOB NOT NULL, headers TEXT NOT NULL,
    PRIMARY KEY (topic, part, off)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS offsets (
    grp TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL, next_off INTEGER NOT NULL,
    PRIMARY KEY (grp, topic, part)
) WITHOUT ROWID;
"""


class LocalBus(Bus):
    """A file-backed bus for the embedded mode (`path=":memory:"` for throwaway runs)."""

    def __init__(self, path: str | Path, *, partitions: int = 4) -> None:
        self.path = str(path)
        self.partitions = partitions
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # a long busy wait from the first statement: several services may open a new file at once
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open local bus at {self.path}: {exc}") from exc
        self.lock = threading.RLock()
        self._partitions: dict[str, int] = {}  # a topic's partition count never changes once created

    def ensure_topics(self, names: list[str]) -> None:
        with self.lock:
            for name in names:
                self._conn.execute(
                    "INSERT OR IGNORE INTO topics(name, partitions) VALUES (?, ?)", (name, self.partitions)
                )

    def partitions_of(self, topic: str) -> int:
        known = self._partitions.get(topic)
        if known is not None:
            return known
        with self.lock:
            row = self._conn.execute("SELECT partitions FROM topics WHERE name=?", (topic,)).fetchone()
        if row is None:
            self.ensure_topics([topic])
            return self.partitions_of(topic)
        self._partitions[topic] = count = int(row[0])
        return count

    def producer(self, *, bulk: bool = False) -> LocalProducer:  # one kind: every write is durable at once
        return LocalProducer(self)

    def consumer(self, group: str, topics: list[str]) -> LocalConsumer:
        self.ensure_topics(topics)
        return LocalConsumer(self, group, topics)

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self.lock:
            return list(self._conn.execute(sql, params).fetchall())

    def write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """Run `work` in one IMMEDIATE transaction (serialised across processes); durable on return."""
        with self.lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                work(self._conn)
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise RetryableError(f"local bus write failed: {exc}") from exc

    def transaction(self, statements: list[tuple[str, tuple[object, ...]]]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            for sql, params in statements:
                conn.execute(sql, params)

        self.write(run)

    def end_offsets(self, topic: str) -> dict[int, int]:
        rows = self.execute("SELECT part, MAX(off) + 1 FROM messages WHERE topic=? GROUP BY part", (topic,))
        return {int(str(p)): int(str(o)) for p, o in rows}

    def prune(self) -> int:
        """Delete messages that every consumer group of their topic has committed past.

        A group counts from its first consumer on (it is registered at offset 0), so nothing it has
        still to read goes. Topics nobody consumes (the dead-letter topic) are kept whole. Returns
        rows deleted; the freed pages are reused by later writes (the file does not shrink).
        """
        deleted = 0

        def run(conn: sqlite3.Connection) -> None:
            nonlocal deleted
            rows = conn.execute(
                "SELECT topic, part, MIN(next_off) FROM offsets GROUP BY topic, part"
            ).fetchall()
            for topic, part, low in rows:
                # keep the newest message of each partition: new offsets continue from MAX(off) + 1
                cur = conn.execute(
                    "DELETE FROM messages WHERE topic=? AND part=? AND off<? AND off<"
                    "(SELECT MAX(off) FROM messages WHERE topic=? AND part=?)",
                    (topic, part, low, topic, part),
                )
                deleted += cur.rowcount

        self.write(run)
        return deleted

    def close(self) -> None:
        with self.lock:
            self._conn.close()


class LocalProducer(Producer):
    def __init__(self, bus: LocalBus) -> None:
        self.bus = bus
        self._pending: list[tuple[str, bytes | None, bytes, dict[str, str]]] = []
        self._rr = 0

    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self._pending.append((topic, key, value, dict(headers or {})))

    def flush(self, timeout: float = 30.0) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        try:
            self.bus.write(lambda conn: self._insert(conn, pending))
        except RetryableError:
            self._pending = pending + self._pending
            raise

    def _insert(
        self, conn: sqlite3.Connection, pending: list[tuple[str, bytes | None, bytes, dict[str, str]]]
    ) -> None:
        """Runs inside the bus's write transaction, so concurrent processes never share an offset."""
        nexts: dict[tuple[str, int], int] = {}
        sql = "INSERT INTO messages(topic, part, off, key, value, headers) VALUES (?, ?, ?, ?, ?, ?)"
        rows: list[tuple[str, int, int, bytes | None, bytes, str]] = []
        for topic, key, value, headers in pending:
            self._rr += 1
            part = partition_for(key, self.bus.partitions_of(topic), self._rr)
            off = nexts.get((topic, part))
            if off is None:
                row = conn.execute(
                    "SELECT COALESCE(MAX(off) + 1, 0) FROM messages WHERE topic=? AND part=?", (topic, part)
                ).fetchone()
                off = int(row[0])
            nexts[(topic, part)] = off + 1
            rows.append((topic, part, off, key, value, orjson.dumps(headers).decode() if headers else "{}"))
        conn.executemany(sql, rows)


class LocalConsumer(Consumer):
    """One consumer per group in embedded mode: it owns every partition of its topics."""

    def __init__(self, bus: LocalBus, group: str, topics: list[str]) -> None:
        self.bus = bus
        self.group = group
        self.topics = list(topics)
        self._position: dict[tuple[str, int], int] = {}
        # registered at offset 0 on every partition it has no offset for yet: prune keeps its input
        register = "INSERT OR IGNORE INTO offsets(grp, topic, part, next_off) VALUES (?, ?, ?, 0)"
        bus.transaction([(register, (group, t, p)) for t in self.topics for p in range(bus.partitions_of(t))])
        self.rewind()

    def poll_batch(self, max_messages: int = 500, timeout: float = 1.0) -> list[Message]:
        out: list[Message] = []
        for topic in self.topics:
            for part in range(self.bus.partitions_of(topic)):
                if len(out) >= max_messages:
                    return out
                start = self._position.get((topic, part), 0)
                rows = self.bus.execute(
                    "SELECT off, key, value, headers FROM messages WHERE topic=? AND part=? AND off>=? "
                    "ORDER BY off LIMIT ?",
                    (topic, part, start, max_messages - len(out)),
                )
                for off, key, value, headers in rows:
                    msg = Message(
                        topic,
                        part,
                        int(str(off)),
                        key if isinstance(key, bytes) else None,
                        bytes(value) if isinstance(value, bytes | bytearray) else str(value).encode(),
                        orjson.loads(str(headers)) if headers != "{}" else {},
                    )
                    out.append(msg)
                    self._position[(topic, part)] = msg.offset + 1
        return out

    def commit(self, messages: list[Message], *, wait: bool = True) -> None:
        last: dict[tuple[str, int], int] = defaultdict(lambda: -1)
        for m in messages:
            last[(m.topic, m.partition)] = max(last[(m.topic, m.partition)], m.offset)
        sql = (
            "INSERT INTO offsets(grp, topic, part, next_off) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(grp, topic, part) DO UPDATE SET next_off=MAX(next_off, excluded.next_off)"
        )
        self.bus.transaction([(sql, (self.group, t, p, o + 1)) for (t, p), o in last.items()])

    def rewind(self) -> None:
        """Forget uncommitted progress: the next poll re-reads from the committed offsets."""
        self._position = {}
        for topic, part, nxt in self.bus.execute(
            "SELECT topic, part, next_off FROM offsets WHERE grp=?", (self.group,)
        ):
            if topic in self.topics:
                self._position[(str(topic), int(str(part)))] = int(str(nxt))

    def lag(self) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = {}
        for topic in self.topics:
            for part, end in self.bus.end_offsets(topic).items():
                out[(topic, part)] = end - self._position.get((topic, part), 0)
        return out

    def close(self) -> None:
        self._position.clear()
