"""The bus interface shared by the embedded local bus and the Kafka bus.

Producers write keyed messages to topics; consumers in a group read batches and commit
offsets explicitly, after their output is durable (at-least-once, idempotent sinks).
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Bus", "Consumer", "Message", "Producer", "partition_for"]


# one per consumed record: read-only by convention (frozen costs ~2 µs per record); slots halve
# the cost of making one
@dataclass(slots=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def held(self) -> object:
        """The record itself when an in-process bus handed it over with `produce_record` (its
        bytes are made only if `value` is read); None for a message that is only bytes."""
        return None


def partition_for(key: bytes | None, partitions: int, fallback: int = 0) -> int:
    """Stable partition choice by key (CRC32), so one key always lands on one partition."""
    if partitions <= 1:
        return 0
    if key is None:
        return fallback % partitions
    return zlib.crc32(key) % partitions


class Producer(ABC):
    @abstractmethod
    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None: ...

    def produce_record(
        self,
        topic: str,
        record: object,
        encode: Callable[[Any], bytes],
        *,
        key: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Produce `encode(record)`. A bus whose messages never leave the process (MemoryBus) may
        keep the record itself and encode it only when a reader wants bytes (`Message.held`)."""
        self.produce(topic, encode(record), key=key, headers=headers)

    @abstractmethod
    def flush(self, timeout: float = 30.0) -> None:
        """Return when every produced message is durable; raise RetryableError otherwise."""

    def close(self) -> None:
        self.flush()

    def mark(self) -> int:
        """End a batch of produced records; `delivered(token)` says when all of it is durable.

        This default flushes right here (a bus without asynchronous acknowledgements)."""
        self.flush()
        return 0

    def delivered(self, token: int) -> bool:
        """True once every record produced before `mark()` returned `token` is durable."""
        return True


class Consumer(ABC):
    @abstractmethod
    def poll_batch(self, max_messages: int = 500, timeout: float = 1.0) -> list[Message]: ...

    @abstractmethod
    def commit(self, messages: list[Message], *, wait: bool = True) -> None:
        """Commit the offsets after these messages (only call once their output is durable).

        `wait=False` may return before the commit is acknowledged (a lost commit only means
        re-delivery, which sinks deduplicate); close() then commits the last offsets for sure."""

    @abstractmethod
    def close(self) -> None: ...

    def lag(self) -> dict[tuple[str, int], int]:
        return {}


class Bus(ABC):
    @abstractmethod
    def ensure_topics(self, names: list[str]) -> None: ...

    @abstractmethod
    def producer(self, *, bulk: bool = False) -> Producer:
        """A producer; `bulk` ones may hold records longer to send bigger batches (throughput
        over latency: for records nobody waits on). Only the default one replays a spool."""

    @abstractmethod
    def consumer(self, group: str, topics: list[str]) -> Consumer: ...

    def prune(self) -> int:
        """Drop what every consumer group has committed past; returns how many messages went.

        This default keeps everything (Kafka's topic retention does its own pruning)."""
        return 0

    def close(self) -> None:
        return None
