"""The Bus interface on Apache Kafka (confluent-kafka): idempotent producer, grouped consumers.

Fed by KafkaSettings (bootstrap, prefixes, TLS/SASL) and the stages' records; feeds Kafka topics,
a disk spool for undeliverable messages (replayed on the next start) and the dead-letter topic.
At-least-once: offsets are committed only by `commit(messages)`, never on revoke or close.
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
from typing import Any

from confluent_kafka import Consumer as _RdConsumer
from confluent_kafka import KafkaError, KafkaException, TopicPartition
from confluent_kafka import Producer as _RdProducer

from hephaestus.bus.base import Bus, Consumer, Message, Producer
from hephaestus.bus.kafka_admin import apply_topics
from hephaestus.bus.topics import DEAD_LETTER, TopicSpec, default_topics
from hephaestus.errors import BackpressureError, ConfigError, PermanentError, RetryableError
from hephaestus.settings import KafkaSettings

__all__ = ["KafkaBus", "KafkaConsumer", "KafkaProducer", "client_config", "send_to_dead_letter"]

_AUTH_CODES = {
    KafkaError._AUTHENTICATION,
    KafkaError.SASL_AUTHENTICATION_FAILED,
    KafkaError.TOPIC_AUTHORIZATION_FAILED,
    KafkaError.GROUP_AUTHORIZATION_FAILED,
    KafkaError.CLUSTER_AUTHORIZATION_FAILED,
}


_CONSUMER_ONLY = ("session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "group.", "auto.",
                  "fetch.", "isolation.level", "partition.assignment.strategy", "enable.auto.")  # fmt: skip


def _producer_safe(extra: dict[str, Any]) -> dict[str, Any]:
    """Extra properties minus consumer-only ones (librdkafka warns about them on a producer)."""
    return {k: v for k, v in extra.items() if not k.startswith(_CONSUMER_ONLY)}


def client_config(settings: KafkaSettings) -> dict[str, Any]:
    """librdkafka connection + security settings; holds the password, so never log the result."""
    conf: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "security.protocol": settings.security_protocol,
        "broker.address.family": "v4" if "127.0.0.1" in settings.bootstrap_servers else "any",
    }
    if settings.security_protocol.startswith("SASL"):
        if not settings.sasl_username or settings.sasl_password is None:
            raise ConfigError(
                f"kafka.security_protocol={settings.security_protocol} needs sasl_username/password"
            )
        conf |= {
            "sasl.mechanism": settings.sasl_mechanism,
            "sasl.username": settings.sasl_username,
            "sasl.password": settings.sasl_password.get_secret_value(),
        }
    if settings.security_protocol.endswith("SSL"):
        for key, value in (
            ("ssl.ca.location", settings.ssl_ca_location),
            ("ssl.certificate.location", settings.ssl_certificate_location),
            ("ssl.key.location", settings.ssl_key_location),
        ):
            if value:
                conf[key] = value
        if settings.ssl_key_password is not None:
            conf["ssl.key.password"] = settings.ssl_key_password.get_secret_value()
    return conf


class _ErrorWatch:
    """error_cb target: remembers an auth or TLS certificate failure so the next call raises ConfigError."""

    def __init__(self, settings: KafkaSettings) -> None:
        self.user, self.auth_error, self.tls_error = settings.sasl_username, "", False

    def __call__(self, err: KafkaError) -> None:
        tls = err.code() == KafkaError._SSL and "certificate" in err.str()  # not a transient TLS drop
        if err.code() in _AUTH_CODES or tls:
            self.auth_error, self.tls_error = err.str(), tls

    def check(self) -> None:
        if self.auth_error and self.tls_error:
            raise ConfigError(
                "Kafka TLS handshake failed: is kafka.ssl_ca_location the CA that signed the broker "
                f"certificate? ({self.auth_error})"
            )
        if self.auth_error:
            raise ConfigError(f"Kafka authentication failed for user {self.user!r}: {self.auth_error}")


_PERMANENT_CODES = {
    KafkaError.INVALID_RECORD,
    KafkaError.MSG_SIZE_TOO_LARGE,
    KafkaError.RECORD_LIST_TOO_LARGE,
}


_POLL_EVERY = 64  # produce() calls between two poll(0)s (flush() serves the rest)


def _is_auth(err: KafkaError) -> bool:
    return err.code() in _AUTH_CODES


class KafkaProducer(Producer):
    """Idempotent, acks=all. A failed delivery is re-sent once by flush(), then spooled, never dropped."""

    def __init__(self, bus: KafkaBus) -> None:
        self._bus, self._watch = bus, _ErrorWatch(bus.settings)
        conf = client_config(bus.settings) | {
            "enable.idempotence": True,
            "acks": "all",
            "compression.type": bus.settings.compression,
            "linger.ms": 5,
            "error_cb": self._watch,
        }
        self._p = _RdProducer(conf | _producer_safe(bus.extra_config) | bus.producer_config)
        self._lock = threading.Lock()
        self._failed: list[tuple[dict[str, Any], KafkaError]] = []
        self.stats: Counter[str] = Counter()
        self._unpolled = 0
        self._replaying = self._replay()

    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self._watch.check()
        if key is None and topic in self._bus.compacted:
            raise PermanentError(f"topic {topic} is compacted: records need a key")
        record = {"topic": self._bus.physical(topic), "value": value, "key": key, "headers": headers or {}}
        self._send(record)

    def _send(self, rec: dict[str, Any], *, block_s: float = 10.0) -> None:
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
                self.stats["produced"] += 1
                self._unpolled += 1
                if self._unpolled >= _POLL_EVERY:  # serve delivery callbacks now and then, not per record
                    self._unpolled = 0
                    self._p.poll(0)
                return
            except BufferError:
                if time.monotonic() > deadline:
                    raise BackpressureError("Kafka producer queue is full") from None
                self._p.poll(0.1)

    def _on_delivery(self, rec: dict[str, Any], err: KafkaError | None, _msg: Any) -> None:
        if err is None:
            self.stats["delivered"] += 1
            return
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
        resend = [rec for rec, err in failed if not (_is_auth(err) or err.code() in _PERMANENT_CODES)]
        for rec in resend:
            self.stats["retried"] += 1
            self._send(rec)
        if resend:
            remaining = self._flush_until(deadline)
        failed = [
            (r, e) for r, e in failed if _is_auth(e) or e.code() in _PERMANENT_CODES
        ] + self._take_failed()
        rejected = [(r, e) for r, e in failed if e.code() in _PERMANENT_CODES]
        failed = [(r, e) for r, e in failed if e.code() not in _PERMANENT_CODES]
        where = self._spool(failed) if failed else ""
        self._watch.check()
        if any(_is_auth(err) for _, err in failed):
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


def _headers(raw: Any) -> dict[str, str]:
    pairs = raw.items() if isinstance(raw, dict) else (raw or [])
    return {str(k): v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v or "") for k, v in pairs}


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


class KafkaConsumer(Consumer):
    """Group member with manual commits; revoked partitions are simply handed over (re-delivery)."""

    def __init__(self, bus: KafkaBus, group: str, topics: list[str]) -> None:
        self._bus, self._watch = bus, _ErrorWatch(bus.settings)
        conf = client_config(bus.settings) | {
            "group.id": f"{bus.settings.group_prefix}.{group}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "partition.assignment.strategy": "cooperative-sticky",
            "session.timeout.ms": bus.settings.session_timeout_ms,
            "error_cb": self._watch,
        }
        self._c = _RdConsumer(conf | bus.extra_config)
        self.assigned: set[tuple[str, int]] = set()
        self.stats: Counter[str] = Counter()
        self._c.subscribe(
            [bus.physical(t) for t in topics],
            on_assign=self._on_assign,
            on_revoke=self._on_revoke,
            on_lost=self._on_revoke,
        )

    def _on_assign(self, _c: Any, parts: list[TopicPartition]) -> None:
        self.stats["assigned"] += len(parts)
        self.assigned |= {(p.topic, p.partition) for p in parts}

    def _on_revoke(self, _c: Any, parts: list[TopicPartition]) -> None:
        # Nothing is committed here: what the caller has not committed yet is re-delivered to
        # the partition's next owner (at-least-once), so nothing uncommitted is lost.
        self.stats["revoked"] += len(parts)
        self.assigned -= {(p.topic, p.partition) for p in parts}

    def poll_batch(self, max_messages: int = 500, timeout: float = 1.0) -> list[Message]:
        """What is fetched already, up to `max_messages`; if nothing is, wait up to `timeout` for
        the first message and take the rest that came with it. Adaptive batching: a busy consumer
        gets full batches, an idle one hands on a record as soon as it arrives (low latency)."""
        raw = self._c.consume(num_messages=max_messages, timeout=0)
        if not raw:
            raw = self._c.consume(num_messages=1, timeout=timeout)
            if raw and max_messages > 1:
                raw += self._c.consume(num_messages=max_messages - 1, timeout=0)
        self._watch.check()
        out: list[Message] = []
        for msg in raw:
            err = msg.error()
            if err is not None:
                if _is_auth(err):
                    raise ConfigError(f"Kafka refused the consumer: {err.str()}")
                if err.fatal():
                    raise RetryableError(f"Kafka consumer failed: {err.str()}")
                self.stats["errors"] += 1
                continue
            out.append(
                Message(
                    self._bus.logical(msg.topic() or ""),
                    msg.partition() or 0,
                    msg.offset() or 0,
                    msg.key(),
                    msg.value() or b"",
                    _headers(msg.headers()),
                )
            )
        self.stats["received"] += len(out)
        return out

    def commit(self, messages: list[Message]) -> None:
        """Synchronously commit offset+1 of the last message per partition still assigned to us."""
        best: dict[tuple[str, int], int] = {}
        for m in messages:
            tp = (self._bus.physical(m.topic), m.partition)
            best[tp] = max(best.get(tp, -1), m.offset)
        owned = {tp: off for tp, off in best.items() if tp in self.assigned}
        self.stats["commit_skipped_revoked"] += len(best) - len(owned)
        if not owned:
            return
        offsets = [TopicPartition(t, p, off + 1) for (t, p), off in owned.items()]
        try:
            result = self._c.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:
            raise RetryableError(f"Kafka offset commit failed: {exc.args[0].str()}") from exc
        bad = [tp for tp in result or [] if tp.error is not None]
        if bad:
            raise RetryableError(
                f"Kafka offset commit failed for {bad[0].topic}[{bad[0].partition}]: {bad[0].error}"
            )
        self.stats["committed"] += len(messages)

    def lag(self) -> dict[tuple[str, int], int]:
        """Messages behind the committed offset, per assigned (logical topic, partition)."""
        parts = [TopicPartition(t, p) for t, p in sorted(self.assigned)]
        out: dict[tuple[str, int], int] = {}
        for tp in self._c.committed(parts, timeout=10) if parts else []:
            low, high = self._c.get_watermark_offsets(tp, timeout=10, cached=False)
            start = tp.offset if tp.offset >= 0 else low
            out[(self._bus.logical(tp.topic), tp.partition)] = max(0, high - start)
        return out

    def close(self) -> None:
        self._c.close()


class KafkaBus(Bus):
    """Kafka behind the Bus interface; logical topic names get `settings.topic_prefix`."""

    def __init__(
        self,
        settings: KafkaSettings,
        *,
        spool_dir: str | Path | None = None,
        extra_config: dict[str, Any] | None = None,
        producer_config: dict[str, Any] | None = None,
        default_partitions: int = 3,
    ) -> None:
        self.settings, self.extra_config = settings, dict(extra_config or {})
        self.producer_config = dict(producer_config or {})
        self.spool_dir = Path(spool_dir) if spool_dir else None
        self.default_partitions = default_partitions
        self._specs = {s.name: s for s in default_topics()}
        self.compacted = {
            n for n, s in self._specs.items() if "compact" in s.config.get("cleanup.policy", "")
        }

    def physical(self, topic: str) -> str:
        return self.settings.topic_prefix + topic

    def logical(self, topic: str) -> str:
        prefix = self.settings.topic_prefix
        return topic[len(prefix) :] if prefix and topic.startswith(prefix) else topic

    def ensure_topics(self, names: list[str]) -> None:
        """Create missing topics with their designed layout (RF capped to the broker count)."""
        specs = []
        for name in names:
            base = self._specs.get(name) or TopicSpec(name, self.default_partitions, 3)
            specs.append(
                TopicSpec(self.physical(name), base.partitions, base.replication_factor, base.config)
            )
        apply_topics(client_config(self.settings) | self.extra_config, specs, dry_run=False, create_only=True)

    def producer(self) -> KafkaProducer:
        return KafkaProducer(self)

    def consumer(self, group: str, topics: list[str]) -> KafkaConsumer:
        return KafkaConsumer(self, group, topics)


def send_to_dead_letter(
    producer: Producer, message: Message, reason: str, *, topic: str = DEAD_LETTER
) -> None:
    """Route a poison message to the dead-letter topic, keeping its key/headers plus where and why."""
    headers = dict(message.headers) | {
        "dlq.reason": reason[:1000],
        "dlq.topic": message.topic,
        "dlq.partition": str(message.partition),
        "dlq.offset": str(message.offset),
    }
    producer.produce(topic, message.value, key=message.key, headers=headers)
