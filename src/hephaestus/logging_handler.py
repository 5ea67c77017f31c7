"""HephaestusHandler: a `logging.Handler` that ships an application's records to HTTP ingest.

Fed LogRecords by the application's loggers (emit never blocks or raises; bounded queue, drops
counted); feeds NDJSON batches to `POST /ingest` from a background thread; `close()` flushes.
"""

from __future__ import annotations

import gzip
import logging
import queue
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

__all__ = ["DEFAULT_FORMAT", "HephaestusHandler"]

DEFAULT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"  # setFormatter() to change it
_STOP = object()


class HephaestusHandler(logging.Handler):
    """Ships records to `url` (e.g. http://127.0.0.1:8080/ingest) in NDJSON batches of up to
    `batch_size`, sent every `flush_interval_s` or when a batch fills. A batch is retried (same
    Idempotency-Key, so nothing is counted twice) until acknowledged or `retry_for_s` passes; while
    the queue of `capacity` records is full new records are dropped and counted in `dropped`."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        application: str | None = None,
        level: int = logging.NOTSET,
        capacity: int = 10_000,
        batch_size: int = 500,
        flush_interval_s: float = 0.5,
        retry_for_s: float = 60.0,
        timeout_s: float = 10.0,
        gzip_min_bytes: int = 4096,
    ) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter(DEFAULT_FORMAT))
        self.url = url
        self.application = application
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.retry_for_s = retry_for_s
        self.gzip_min_bytes = gzip_min_bytes
        self.sent = 0  # records acknowledged by the server
        self.dropped = 0  # records given up: queue full, or not acknowledged within retry_for_s
        self.failures = 0  # failed send attempts
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(headers=headers, timeout=timeout_s)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=capacity)
        self._idle = threading.Condition()
        self._pending = 0  # records queued or being sent
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="hephaestus-log-shipper", daemon=True)
        self._thread.start()

    # --- application side: never blocks, never raises -------------------------------------------
    def handle(self, record: logging.LogRecord) -> bool:
        """Filter and emit without the handler's lock (emit is thread-safe on its own): the shipper
        thread's own records (httpx's request lines) are dropped, and nothing waits on logging's
        shutdown, which holds that lock while it flushes this handler."""
        rv = self.filter(record)
        if rv and threading.current_thread() is not self._thread:
            self.emit(record)
        return rv

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._closed:
                return
            item = self._item(record)
            with self._idle:
                self._pending += 1
            try:
                self._queue.put_nowait(item)
            except queue.Full:
                with self._idle:
                    self._pending -= 1
                    self.dropped += 1
        except Exception:
            self.handleError(record)

    def _item(self, record: logging.LogRecord) -> bytes:
        return orjson.dumps(
            {
                "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "message": self.format(record),  # with the exc_info traceback and stack_info
                "source": self.application or record.name,
                "pid": record.process,
                "thread": record.threadName,
            }
        )

    def flush(self) -> None:
        """Wait (up to 30 s) until every queued record was acknowledged or given up."""
        self.drain(30.0)

    def drain(self, timeout: float | None = 30.0) -> bool:
        """Wait until every queued record was acknowledged or given up; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self) -> None:
        """Flush what is queued (up to retry_for_s), stop the shipper thread, release the client."""
        if not self._closed:
            self._closed = True
            self.drain(self.retry_for_s + 5)
            self._queue.put(_STOP)
            self._thread.join(timeout=5)
            self._client.close()
        super().close()

    # --- shipper thread -------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            deadline = time.monotonic() + self.flush_interval_s
            while len(batch) < self.batch_size:
                left = deadline - time.monotonic()
                try:
                    item = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(item)
            delivered = self._send(batch)
            with self._idle:
                self._pending -= len(batch)
                if delivered:
                    self.sent += len(batch)
                else:
                    self.dropped += len(batch)
                self._idle.notify_all()

    def _send(self, batch: list[bytes]) -> bool:
        body = b"\n".join(batch) + b"\n"
        headers = {"content-type": "application/x-ndjson", "idempotency-key": uuid.uuid4().hex}
        if len(body) >= self.gzip_min_bytes:
            body, headers["content-encoding"] = gzip.compress(body, compresslevel=1), "gzip"
        give_up = time.monotonic() + self.retry_for_s
        wait = 0.1
        while True:
            try:
                response = self._client.post(self.url, content=body, headers=headers)
                if response.status_code == 200:
                    return True
                if response.status_code not in {429, 502, 503, 504}:
                    self.failures += 1
                    return False  # refused for good (400, 401, 413): retrying would not help
                retry = response.headers.get("retry-after", "")
                wait = float(retry) if retry.replace(".", "", 1).isdigit() else wait
            except httpx.HTTPError:
                pass
            self.failures += 1
            if time.monotonic() + wait > give_up:
                return False
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
