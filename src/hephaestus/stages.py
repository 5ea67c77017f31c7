"""The three stage kinds every pipeline component implements, with their counters.

Sources feed records into the bus, transforms turn one record into zero or more, sinks
persist them; the runner (pipeline.py) wires them to topics and commits offsets only
after every sink has flushed.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Component", "Counters", "Sink", "Source", "Transform"]

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass
class Counters:
    """Per-component counters (thread-safe increments); nothing is logged per record."""

    received: int = 0
    sent: int = 0
    errored: int = 0
    dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, received: int = 0, sent: int = 0, errored: int = 0, dropped: int = 0) -> None:
        with self._lock:
            self.received += received
            self.sent += sent
            self.errored += errored
            self.dropped += dropped

    def as_dict(self) -> dict[str, int]:
        return {
            "received": self.received,
            "sent": self.sent,
            "errored": self.errored,
            "dropped": self.dropped,
        }


class Component:
    """Explicit lifecycle: start() before use, stop() always safe (even without start)."""

    name: str = "component"

    def __init__(self) -> None:
        self.counters = Counters()
        self.started = False

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False


class Source(Component, ABC, Generic[Out]):
    """Produces records; `read()` yields what is available now and returns (no blocking forever)."""

    @abstractmethod
    def read(self) -> Iterator[Out]: ...


class Transform(Component, ABC, Generic[In, Out]):
    """Turns one input into zero or more outputs; raises PermanentError for poison input."""

    @abstractmethod
    def process(self, item: In) -> Iterable[Out]: ...


class Sink(Component, ABC, Generic[In]):
    """Persists records; `flush()` returns only when everything written is durable."""

    @abstractmethod
    def write(self, items: list[In]) -> None: ...

    def flush(self) -> None:
        return None
