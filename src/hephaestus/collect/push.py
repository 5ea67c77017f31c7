"""PushSource: the bounded buffer between network receivers (HTTP ingest, syslog) and the bus.

Fed by receiver threads and request handlers (`offer`, `offer_dead`); feeds the raw topic through
a Pump, which resolves an offer's ticket only after the bus flushed its records.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

from hephaestus.collect.files import SourceItem
from hephaestus.errors import BackpressureError, RetryableError
from hephaestus.records import RawLog, RawMetadata
from hephaestus.stages import Source
from hephaestus.wire import raw_record

__all__ = ["NO_METADATA", "DeadFrame", "PushSource", "Ticket"]

NO_METADATA = RawMetadata()  # frozen: one shared instance spares a validation per record

_MAX_DEAD = 10_000  # dead-letter frames waiting for the pump; beyond that they are counted and dropped

Ticket = Future  # Future[int]: the number of records, set once the bus has them durably


@dataclass(frozen=True)
class DeadFrame:
    """A frame no record could be made of: goes to the dead-letter topic with `reason`."""

    value: bytes
    reason: str


@dataclass
class _Group:
    items: list[SourceItem]
    ticket: Future[int]


class PushSource(Source[SourceItem]):
    """Holds at most `capacity` records between `offer` and the bus's acknowledgement.

    `offer` waits up to `timeout` for room and raises BackpressureError when there is none (the
    caller answers 429, stops reading its socket, or drops a datagram). `read` (the pump) takes whole
    offers; `commit` (after the bus flushed them) resolves their tickets. `stop` (subclasses: stop
    listening) keeps what is buffered; `close` (the pump's, after draining) refuses new offers and
    fails the tickets still pending, so no waiter hangs on a stopping collector.
    """

    name = "push-source"

    def __init__(self, *, capacity: int = 10_000, wait_s: float = 0.05, chunk: int = 5_000) -> None:
        super().__init__()
        self.capacity = capacity
        self.wait_s = wait_s
        self.chunk = chunk
        self._cond = threading.Condition()
        self._queue: deque[_Group] = deque()
        self._dead: deque[DeadFrame] = deque()
        self._held = 0  # records offered and not yet committed (queued, being produced, in flight)
        self._in_flight: list[tuple[Future[int], int]] = []
        self._closed = False
        self.failure: str | None = None  # the bus's current failure, set by the pump (ingest: 503)

    @property
    def held(self) -> int:
        """Records taken in and not yet acknowledged by the bus."""
        return self._held

    def offer(
        self, raws: Sequence[RawLog], origins: Sequence[str], *, timeout: float | None = 0.0
    ) -> Future[int]:
        """Queue `raws` (one origin each) as one group; its ticket resolves once they are durable."""
        n = len(raws)
        ticket: Future[int] = Future()
        if n == 0:
            ticket.set_result(0)
            return ticket
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            # a group larger than the whole buffer still goes through, alone
            while not self._closed and self._held and self._held + n > self.capacity:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    self.counters.add(dropped=n)
                    raise BackpressureError(f"{self.name}: buffer full ({self._held} records held)")
                self._cond.wait(left if left is None else min(left, 0.5))
            if self._closed:
                self.counters.add(dropped=n)
                raise RetryableError(f"{self.name}: stopping")
            self._queue.append(
                _Group([SourceItem(raw_record(r), o) for r, o in zip(raws, origins, strict=True)], ticket)
            )
            self._held += n
            self._cond.notify_all()
        self.counters.add(received=n)
        return ticket

    def offer_dead(self, value: bytes, reason: str) -> None:
        """Queue a malformed frame for the dead-letter topic (never blocks; counted as errored)."""
        with self._cond:
            if len(self._dead) >= _MAX_DEAD:
                self.counters.add(dropped=1)
                return
            self._dead.append(DeadFrame(value, reason))
            self._cond.notify_all()
        self.counters.add(received=1, errored=1)

    def take_dead(self) -> list[DeadFrame]:
        with self._cond:
            out = list(self._dead)
            self._dead.clear()
        return out

    def read(self) -> Iterator[SourceItem]:
        """Whole groups, up to `chunk` records (at least one group); waits `wait_s` for the first."""
        with self._cond:
            if not self._queue and not self._dead and not self._closed:
                self._cond.wait(self.wait_s)
            groups: list[_Group] = []
            count = 0
            while self._queue and (not groups or count + len(self._queue[0].items) <= self.chunk):
                group = self._queue.popleft()
                groups.append(group)
                count += len(group.items)
        for group in groups:
            yield from group.items
            # only once its last record was produced may a commit acknowledge the group
            self._in_flight.append((group.ticket, len(group.items)))

    def commit(self) -> None:
        """The bus flushed everything read so far: acknowledge those groups."""
        done, self._in_flight = self._in_flight, []
        if not done:
            return
        total = sum(n for _, n in done)
        with self._cond:
            self._held -= total
            self._cond.notify_all()
        self.counters.add(sent=total)
        for ticket, n in done:
            with contextlib.suppress(InvalidStateError):  # a waiter that gave up cancelled it
                ticket.set_result(n)

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        """Refuse new offers; fail the tickets of records not yet durable (their senders retry)."""
        with self._cond:
            self._closed = True
            pending = [g.ticket for g in self._queue] + [t for t, _ in self._in_flight]
            self._queue.clear()
            self._in_flight = []
            self._held = 0
            self._cond.notify_all()
        for ticket in pending:
            with contextlib.suppress(InvalidStateError):
                ticket.set_exception(RetryableError(f"{self.name}: stopped before the records were durable"))

    @property
    def closed(self) -> bool:
        return self._closed
