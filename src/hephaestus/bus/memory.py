"""The in-process bus of one-shot runs (`hephaestus analyze`): topics, partitions and group offsets in
Python lists, nothing on disk.

Same contract as the other buses within the process: flush() makes a producer's batch visible at
once, a group's offsets move only on commit(), a new consumer of a group re-reads what it did not
commit, prune() drops what every group committed past. Nothing outlives the process (an `analyze`
that dies is simply run again), so records produced with `produce_record` are handed over as they
are: their wire bytes are encoded only if a reader asks for `value` (a dead letter, a foreign reader).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zlib import crc32

from hephaestus.bus.base import Bus, Consumer, Message, Producer

__all__ = ["HeldMessage", "MemoryBus"]


class HeldMessage(Message):
    """A message carrying its record itself; `value` is encoded from it on first read."""

    __slots__ = ("_encode", "_record")

    def __init__(
        self,
        topic: str,
        partition: int,
        key: bytes | None,
        record: object,
        encode: Callable[[Any], bytes],
        headers: dict[str, str],
    ) -> None:
        # the dataclass fields but `value`, which __getattr__ makes when something reads it
        self.topic, self.partition, self.offset, self.key, self.headers = topic, partition, -1, key, headers
        self._record, self._encode = record, encode

    def __getattr__(self, name: str) -> Any:  # only called for slots not set: `value`
        if name != "value":
            raise AttributeError(name)
        value = self.value = self._encode(self._record)
        return value

    def held(self) -> object:
        return self._record


@dataclass
class _Partition:
    base: int = 0  # offset of messages[0] (what prune dropped before it)
    messages: list[Message] = field(default_factory=list)


class MemoryBus(Bus):
    """A bus in this process's memory (see the module docstring); thread-safe."""

    def __init__(self, *, partitions: int = 4) -> None:
        self.partitions = partitions
        self.lock = threading.Lock()
        self._topics: dict[str, list[_Partition]] = {}
        self._offsets: dict[str, dict[tuple[str, int], int]] = {}  # group -> committed next offsets

    def ensure_topics(self, names: list[str]) -> None:
        with self.lock:
            for name in names:
                if name not in self._topics:
                    self._topics[name] = [_Partition() for _ in range(self.partitions)]

    def _parts(self, topic: str) -> list[_Partition]:
        parts = self._topics.get(topic)
        if parts is None:
            self.ensure_topics([topic])
            parts = self._topics[topic]
        return parts

    def producer(self, *, bulk: bool = False) -> MemoryProducer:
        return MemoryProducer(self)

    def consumer(self, group: str, topics: list[str]) -> MemoryConsumer:
        self.ensure_topics(topics)
        with self.lock:  # registered at offset 0 where it has none: prune keeps its input
            committed = self._offsets.setdefault(group, {})
            for topic in topics:
                for part in range(len(self._topics[topic])):
                    committed.setdefault((topic, part), 0)
        return MemoryConsumer(self, group, topics)

    def append(self, batch: list[Message]) -> None:
        """Give each message its offset and make the whole batch visible (a producer's flush)."""
        topics = self._topics  # producers made every topic they wrote to (MemoryProducer.partitions)
        with self.lock:
            for msg in batch:
                part = topics[msg.topic][msg.partition]
                messages = part.messages
                msg.offset = part.base + len(messages)
                messages.append(msg)

    def read(self, topic: str, part: int, start: int, limit: int) -> list[Message]:
        with self.lock:
            p = self._parts(topic)[part]
            first = max(start - p.base, 0)
            return p.messages[first : first + limit]

    def commit(self, group: str, nexts: dict[tuple[str, int], int]) -> None:
        with self.lock:
            committed = self._offsets.setdefault(group, {})
            for tp, nxt in nexts.items():
                committed[tp] = max(committed.get(tp, 0), nxt)

    def committed(self, group: str) -> dict[tuple[str, int], int]:
        with self.lock:
            return dict(self._offsets.get(group, {}))

    def end_offsets(self, topic: str) -> dict[int, int]:
        with self.lock:
            return {n: p.base + len(p.messages) for n, p in enumerate(self._parts(topic)) if p.messages}

    def prune(self) -> int:
        """Drop messages every group of their topic has committed past (topics nobody reads stay)."""
        deleted = 0
        with self.lock:
            low: dict[tuple[str, int], int] = {}
            for committed in self._offsets.values():
                for tp, nxt in committed.items():
                    low[tp] = min(low.get(tp, nxt), nxt)
            for (topic, part), nxt in low.items():
                p = self._topics[topic][part]
                drop = min(nxt - p.base, len(p.messages))
                if drop > 0:
                    del p.messages[:drop]
                    p.base += drop
                    deleted += drop
        return deleted


class MemoryProducer(Producer):
    def __init__(self, bus: MemoryBus) -> None:
        self.bus = bus
        self._pending: list[Message] = []
        self._rr = 0
        self._counts: dict[str, int] = {}

    def _partition(self, topic: str, key: bytes | None) -> int:
        """partition_for(key, ...) with the topic's partition count kept here."""
        self._rr += 1
        count = self._counts.get(topic)
        if count is None:
            count = self._counts[topic] = len(self.bus._parts(topic))
        if count <= 1:
            return 0
        return self._rr % count if key is None else crc32(key) % count

    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        part = self._partition(topic, key)
        self._pending.append(Message(topic, part, -1, key, value, dict(headers) if headers else {}))

    def produce_record(
        self,
        topic: str,
        record: object,
        encode: Callable[[Any], bytes],
        *,
        key: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        part = self._partition(topic, key)
        self._pending.append(HeldMessage(topic, part, key, record, encode, dict(headers) if headers else {}))

    def flush(self, timeout: float = 30.0) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.bus.append(pending)


class MemoryConsumer(Consumer):
    """One consumer per group: it owns every partition of its topics."""

    def __init__(self, bus: MemoryBus, group: str, topics: list[str]) -> None:
        self.bus = bus
        self.group = group
        self.topics = list(topics)
        self._position: dict[tuple[str, int], int] = {}
        self.rewind()

    def poll_batch(self, max_messages: int = 500, timeout: float = 1.0) -> list[Message]:
        out: list[Message] = []
        for topic in self.topics:
            for part in range(self.bus.partitions):
                if len(out) >= max_messages:
                    return out
                start = self._position.get((topic, part), 0)
                got = self.bus.read(topic, part, start, max_messages - len(out))
                if got:
                    out += got
                    self._position[(topic, part)] = got[-1].offset + 1
        return out

    def commit(self, messages: list[Message], *, wait: bool = True) -> None:
        nexts: dict[tuple[str, int], int] = {}
        for m in reversed(messages):  # a partition's last message is usually its highest offset
            tp = (m.topic, m.partition)
            if m.offset >= nexts.get(tp, 0):
                nexts[tp] = m.offset + 1
        self.bus.commit(self.group, nexts)

    def rewind(self) -> None:
        """Forget uncommitted progress: the next poll re-reads from the committed offsets."""
        self._position = {tp: n for tp, n in self.bus.committed(self.group).items() if tp[0] in self.topics}

    def lag(self) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = {}
        for topic in self.topics:
            for part, end in self.bus.end_offsets(topic).items():
                out[(topic, part)] = end - self._position.get((topic, part), 0)
        return out

    def close(self) -> None:
        self._position.clear()
