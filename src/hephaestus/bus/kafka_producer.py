"""The Kafka producer behind the Bus interface: idempotent, acks=all, never drops a record.

Fed by the stages' outputs; feeds Kafka topics, and a disk spool (fsynced JSON lines, replayed on
the next start) for what cannot be delivered. `mark`/`delivered` let a stage commit a batch's input
offsets once that batch's outputs are acknowledged, without blocking on a flush per batch.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confluent_kafka import KafkaError
from confluent_kafka import Producer as _RdProducer

from hephaestus.bus.base import Producer
from hephaestus.bus.kafka_client import ErrorWatch, client_config, is_auth, producer_safe
from hephaestus.errors import BackpressureError, ConfigError, PermanentError, RetryableError

if TYPE_CHECKING:
    from hephaestus.bus.kafka import KafkaBus

__all__ = ["KafkaProducer"]

_PERMANENT_CODES = {
    KafkaError.INVALID_RECORD,
    KafkaError.MSG_SIZE_TOO_LARGE,
    KafkaError.RECORD_LIST_TOO_LARGE,
}


_POLL_EVERY = 64  # produce() calls between two poll(0)s (flush() serves the rest)


class KafkaProducer(Producer):
    """Idempotent, acks=all. A failed delivery is re-sent once by flush(), then spooled, never dropped.

    `bulk` producers wait `bulk_linger_ms` instead of `linger_ms` before sending a batch (fewer,
    bigger requests: the broker's cost is per request) and leave replaying the spool to the others."""

    def __init__(self, bus: KafkaBus, *, bulk: bool = False) -> None:
        self._bus, self._watch = bus, ErrorWatch(bus.settings)
        conf = client_config(bus.settings) | {
            "enable.idempotence": True,
            "acks": "all",
            "compression.type": bus.settings.compression,
            "linger.ms": bus.settings.bulk_linger_ms if bulk else bus.settings.linger_ms,
            "error_cb": self._watch,
        }
        self._p = _RdProducer(conf | producer_safe(bus.extra_config) | bus.producer_config)
        self._lock = threading.Lock()
        self._failed: list[tuple[dict[str, Any], KafkaError]] = []
        self.stats: Counter[str] = Counter()
        self._unpolled = 0
        self._epoch = 0  # batch counter for mark()/delivered()
        self._open: dict[int, int] = {}  # epoch -> records sent in it and not yet acknowledged
        # one delivery callback per batch, not per record: a headerless record is rebuilt from the
        # delivery report if it has to be re-sent (reports carry no headers: those keep their record)
        self._epoch_done = functools.partial(self._on_epoch_delivery, 0)
        self._replaying: list[Path] = [] if bulk else self._replay()

    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self._watch.check()
        if key is None and topic in self._bus.compacted:
            raise PermanentError(f"topic {topic} is compacted: records need a key")
        physical = self._bus.physical(topic)
        if not headers:  # the hot path: no record dict, no callback object per record
            try:
                self._p.produce(physical, value, key, on_delivery=self._epoch_done)
            except BufferError:
                pass  # queue full: _send waits for room (or raises BackpressureError)
            else:
                self._sent(self._epoch)
                return
        self._send({"topic": physical, "value": value, "key": key, "headers": headers or {}})

    def mark(self) -> int:
        """End the current batch; `delivered(token)` turns True once all of it is acknowledged."""
        token, self._epoch = self._epoch, self._epoch + 1
        self._epoch_done = functools.partial(self._on_epoch_delivery, self._epoch)
        return token

    def delivered(self, token: int) -> bool:
        """Serve delivery reports, then: is every record of batches up to `token` acknowledged?

        False while a delivery failed: flush() must re-send or spool it before anything is committed."""
        self._p.poll(0)
        self._watch.check()
        return not self._failed and all(epoch > token for epoch in self._open)

    def _send(self, rec: dict[str, Any], *, block_s: float = 10.0) -> None:
        rec.setdefault("epoch", self._epoch)  # replayed and re-sent records keep or get one
        deadline = time.monotonic() + block_s
        while True:
            try:
                callback = functools.partial(self._on_delivery, rec)
                if rec["headers"]:
                    headers = list(rec["headers"].items())
                    self._p.produce(
                        rec["topic"], rec["value"], rec["key"], headers=headers, on_delivery=callback
                    )
                else:
                    self._p.produce(rec["topic"], rec["value"], rec["key"], on_delivery=callback)
                self._sent(rec["epoch"])
                return
            except BufferError:
                if time.monotonic() > deadline:
                    raise BackpressureError("Kafka producer queue is full") from None
                self._p.poll(0.1)

    def _sent(self, epoch: int) -> None:
        self.stats["produced"] += 1
        self._open[epoch] = self._open.get(epoch, 0) + 1
        self._unpolled += 1
        if self._unpolled >= _POLL_EVERY:  # serve delivery callbacks now and then, not per record
            self._unpolled = 0
            self._p.poll(0)

    def _on_epoch_delivery(self, epoch: int, err: KafkaError | None, msg: Any) -> None:
        if err is None:
            self._acknowledged(epoch)
            return
        rec = {"topic": msg.topic(), "value": msg.value() or b"", "key": msg.key(), "headers": {}}
        self._on_delivery(rec | {"epoch": epoch}, err, msg)

    def _acknowledged(self, epoch: int) -> None:
        left = self._open[epoch] - 1
        if left:
            self._open[epoch] = left
        else:
            del self._open[epoch]
        self.stats["delivered"] += 1

    def _on_delivery(self, rec: dict[str, Any], err: KafkaError | None, _msg: Any) -> None:
        if err is None:
            self._acknowledged(rec["epoch"])
            return
        epoch = rec["epoch"]
        self._open[epoch] -= 1
        if self._open[epoch] <= 0:
            del self._open[epoch]
        self.stats["failed"] += 1
        with self._lock:
            self._failed.append((rec, err))

    def _take_failed(self) -> list[tuple[dict[str, Any], KafkaError]]:
        with self._lock:
            failed, self._failed = self._failed, []
        return failed

    def _flush_until(self, deadline: float) -> int:
        """librdkafka flush in short slices, so an authentication failure ends the wait early."""
        while True:
            remaining = int(self._p.flush(max(0.0, min(0.5, deadline - time.monotonic()))))
            if not remaining or self._watch.auth_error or time.monotonic() >= deadline:
                return remaining

    def flush(self, timeout: float = 30.0) -> None:
        """Durable or raise: re-send retriable failures once, then spool them and raise RetryableError.

        Records the broker rejects for good (e.g. keyless on a compacted topic) go to
        `<spool>/rejected-*.jsonl` (never replayed) and raise PermanentError.
        """
        deadline = time.monotonic() + timeout
        remaining = self._flush_until(deadline)
        failed = self._take_failed()
        resend = [rec for rec, err in failed if not (is_auth(err) or err.code() in _PERMANENT_CODES)]
        for rec in resend:
            self.stats["retried"] += 1
            self._send(rec)
        if resend:
            remaining = self._flush_until(deadline)
        failed = [
            (r, e) for r, e in failed if is_auth(e) or e.code() in _PERMANENT_CODES
        ] + self._take_failed()
        rejected = [(r, e) for r, e in failed if e.code() in _PERMANENT_CODES]
        failed = [(r, e) for r, e in failed if e.code() not in _PERMANENT_CODES]
        where = self._spool(failed) if failed else ""
        self._watch.check()
        if any(is_auth(err) for _, err in failed):
            raise ConfigError(f"Kafka refused {len(failed)} messages: {failed[0][1].str()}")
        if rejected:
            kept = (
                self._spool(rejected, prefix="rejected-") if self._bus.spool_dir else "nowhere (no spool_dir)"
            )
            raise PermanentError(
                f"Kafka rejected {len(rejected)} messages ({rejected[0][1].str()}); kept in {kept}"
            )
        if failed:
            raise RetryableError(
                f"{len(failed)} messages not delivered ({failed[0][1].str()}); kept in {where}"
            )
        if remaining:
            raise RetryableError(f"{remaining} messages still in flight after {timeout:.1f}s")
        for path in self._replaying:
            path.unlink(missing_ok=True)
        self._replaying = []

    def close(self, timeout: float = 30.0) -> None:
        """Flush and shut down; on failure purge librdkafka's queues into the spool (or say what was lost)."""
        try:
            self.flush(timeout)
        except (RetryableError, ConfigError) as exc:
            self._p.purge(in_queue=True, in_flight=True)
            self._p.poll(0)
            failed = self._take_failed()
            if failed and self._bus.spool_dir is None:
                lost = f"{exc}; {len(failed)} undelivered messages dropped: no spool_dir configured"
                raise type(exc)(lost) from None
            if failed:
                self._spool(failed)
            raise
        finally:
            self._p.close()

    def _spool(self, failed: list[tuple[dict[str, Any], KafkaError]], *, prefix: str = "") -> str:
        spool = self._bus.spool_dir
        if spool is None and not prefix:
            with self._lock:  # no disk spool: keep them for the next flush()
                self._failed[:0] = failed
            return "memory (next flush)"
        assert spool is not None
        spool.mkdir(parents=True, exist_ok=True)
        path = spool / f"{prefix}{time.time_ns()}-{uuid.uuid4().hex[:8]}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for rec, _err in failed:
                out.write(json.dumps(_encode(rec)) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self.stats["spooled"] += len(failed)
        return str(path)

    def _replay(self) -> list[Path]:
        """Re-send every spooled record; the files are deleted after the next successful flush()."""
        spool = self._bus.spool_dir
        if spool is None or not spool.is_dir():
            return []
        files = sorted(p for p in spool.glob("*.jsonl") if not p.name.startswith("rejected-"))
        for path in files:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.stats["replayed"] += 1
                    self._send(_decode(json.loads(line)))
        return files


def _encode(rec: dict[str, Any]) -> dict[str, Any]:
    key = rec["key"]
    return {
        "topic": rec["topic"],
        "value": base64.b64encode(rec["value"]).decode(),
        "key": None if key is None else base64.b64encode(key).decode(),
        "headers": rec["headers"],
    }


def _decode(data: dict[str, Any]) -> dict[str, Any]:
    key = data["key"]
    return {
        "topic": data["topic"],
        "value": base64.b64decode(data["value"]),
        "key": None if key is None else base64.b64decode(key),
        "headers": data["headers"],
    }
