"""The API app's log ingest: `POST /ingest` of `hephaestus serve`, into the configured bus.

Fed requests by create_app's route (collect.http.ingest_endpoint); feeds the raw topic of the bus
the settings name through a Pump started on first use (an app that never ingests opens no bus).
"""

from __future__ import annotations

import threading

from hephaestus.bus import Bus
from hephaestus.collect.http import INGEST_PATH, ingest_endpoint
from hephaestus.collect.pump import Pump
from hephaestus.collect.push import PushSource
from hephaestus.settings import Settings
from hephaestus.stages import Counters

__all__ = ["INGEST_PATH", "IngestHub", "ingest_endpoint"]


class IngestHub:
    """The ingest buffer, its bus and pump, made on the first request and stopped by `close()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._source: PushSource | None = None
        self._pump: Pump | None = None
        self._bus: Bus | None = None

    def source(self) -> PushSource:
        with self._lock:
            if self._source is None:
                from hephaestus.runner import open_bus  # noqa: PLC0415 - the bus only once ingest is used

                source = PushSource(capacity=self.settings.collect.buffer_records)
                source.name = "http-source"
                self._bus = open_bus(self.settings)
                self._pump = Pump(source, self._bus, batch_size=self.settings.bus.batch_size).start()
                self._source = source
            return self._source

    def failure(self) -> str | None:
        """The bus's current failure, while the pump retries it."""
        return self._pump.error if self._pump is not None else None

    @property
    def counters(self) -> Counters | None:
        return self._source.counters if self._source is not None else None

    def close(self) -> None:
        with self._lock:
            if self._pump is not None:
                self._pump.stop()
            if self._bus is not None:
                self._bus.close()
            self._source = self._pump = self._bus = None
