"""Pump: moves one PushSource into the bus in its own thread, dead-letter frames included.

Fed by a PushSource (HTTP ingest, a syslog listener); feeds the raw topic via Pipeline.collect_once
(produce, flush, then acknowledge) and the dead-letter topic; bus failures are retried with backoff.
"""

from __future__ import annotations

import logging
import threading

from hephaestus.bus import Bus
from hephaestus.collect.push import PushSource
from hephaestus.errors import RetryableError
from hephaestus.pipeline import Pipeline

__all__ = ["DLQ_SOURCE", "Pump"]

DLQ_SOURCE = "dlq-source"  # header naming the source that refused a frame (beside dlq-reason)
_log = logging.getLogger(__name__)


class Pump:
    """`start()` runs the loop in a daemon thread; `stop()` drains what is queued, then closes."""

    def __init__(self, source: PushSource, bus: Bus, *, prefix: str = "", batch_size: int = 1000) -> None:
        self.source = source
        self.pipeline = Pipeline(bus=bus, store=None, prefix=prefix, batch_size=batch_size)
        self.error: str | None = None  # the last bus failure while it lasts (HTTP ingest answers 503)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Produce the dead frames and a chunk of records, flush, acknowledge; returns records moved."""
        pipeline = self.pipeline
        dead = self.source.take_dead()
        for frame in dead:
            headers = {"dlq-reason": frame.reason[:1000], DLQ_SOURCE: self.source.name}
            pipeline.producer.produce(pipeline.dlq, frame.value, headers=headers)
        pipeline.stats.dead_letters += len(dead)
        return pipeline.collect_once(self.source) + len(dead)  # its flush covers the dead letters too

    def start(self) -> Pump:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=f"pump-{self.source.name}", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        backoff = 0.1
        while not self._stop.is_set():
            try:
                self.run_once()
            except RetryableError as exc:
                self.error = self.source.failure = str(exc)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            except Exception as exc:  # a bug must not end the pump silently: keep retrying, say why
                self.error = self.source.failure = f"{exc.__class__.__name__}: {exc}"
                _log.exception("pump %s failed", self.source.name)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            self.error = self.source.failure = None
            backoff = 0.1

    def stop(self, *, drain_s: float = 5.0) -> None:
        """Stop the loop, move what is still queued (for up to `drain_s`), then fail the rest."""
        self._stop.set()
        self.source.wake()
        if self._thread is not None:
            self._thread.join(timeout=drain_s + 30)
            self._thread = None
        try:
            for _ in range(max(1, int(drain_s / max(self.source.wait_s, 0.01)))):
                if self.run_once() == 0 and self.source.held == 0:
                    break
        except Exception as exc:  # nothing more can be done: the senders' tickets fail below
            _log.warning("pump %s: could not drain: %s", self.source.name, exc)
        self.source.close()
        self.pipeline.close()
