"""The Bus interface on Apache Kafka (confluent-kafka): grouped consumers and the bus itself.

Fed by KafkaSettings (bootstrap, prefixes, TLS/SASL) and the stages; feeds Kafka topics through
KafkaProducer (kafka_producer.py) and the dead-letter topic. At-least-once: offsets are committed
only by `commit(messages)` (after the output is durable), never on revoke; close() makes the last
asynchronous commit synchronous.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer as _RdConsumer
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from hephaestus.bus.base import Bus, Consumer, Message, Producer
from hephaestus.bus.kafka_admin import apply_topics
from hephaestus.bus.kafka_client import ErrorWatch, client_config, is_auth
from hephaestus.bus.kafka_producer import KafkaProducer
from hephaestus.bus.topics import DEAD_LETTER, TopicSpec, default_topics
from hephaestus.errors import ConfigError, RetryableError
from hephaestus.settings import KafkaSettings

__all__ = ["KafkaBus", "KafkaConsumer", "KafkaProducer", "client_config", "send_to_dead_letter"]


def _headers(raw: Any) -> dict[str, str]:
    pairs = raw.items() if isinstance(raw, dict) else (raw or [])
    return {str(k): v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v or "") for k, v in pairs}


class KafkaConsumer(Consumer):
    """Group member with manual commits; revoked partitions are simply handed over (re-delivery)."""

    def __init__(self, bus: KafkaBus, group: str, topics: list[str]) -> None:
        self._bus, self._watch = bus, ErrorWatch(bus.settings)
        conf = client_config(bus.settings) | {
            "group.id": f"{bus.settings.group_prefix}.{group}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "partition.assignment.strategy": "cooperative-sticky",
            "session.timeout.ms": bus.settings.session_timeout_ms,
            "error_cb": self._watch,
            "on_commit": self._on_commit,
        }
        self._committed: dict[tuple[str, int], int] = {}  # next offset to read, as last committed here
        self._unsure: set[tuple[str, int]] = set()  # of those, committed without waiting
        self._c = _RdConsumer(conf | bus.extra_config)
        self._logical: dict[str, str] = {}  # physical -> logical topic name, computed once per topic
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
        for p in parts:  # another member may have committed since we last owned it
            self._committed.pop((p.topic, p.partition), None)
            self._unsure.discard((p.topic, p.partition))

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
        logical = self._logical
        for msg in raw:
            err = msg.error()
            if err is not None:
                if is_auth(err):
                    raise ConfigError(f"Kafka refused the consumer: {err.str()}")
                if err.fatal():
                    raise RetryableError(f"Kafka consumer failed: {err.str()}")
                self.stats["errors"] += 1
                continue
            topic, headers = msg.topic() or "", msg.headers()
            name = logical.get(topic)
            if name is None:
                name = logical[topic] = self._bus.logical(topic)
            out.append(
                Message(
                    name,
                    msg.partition() or 0,
                    msg.offset() or 0,
                    msg.key(),
                    msg.value() or b"",
                    _headers(headers) if headers else {},
                )
            )
        self.stats["received"] += len(out)
        return out

    def commit(self, messages: list[Message], *, wait: bool = True) -> None:
        """Commit offset+1 of the last message per partition still assigned to us (see Consumer)."""
        best: dict[tuple[str, int], int] = {}
        for m in messages:
            tp = (self._bus.physical(m.topic), m.partition)
            best[tp] = max(best.get(tp, -1), m.offset)
        owned = {tp: off for tp, off in best.items() if tp in self.assigned}
        self.stats["commit_skipped_revoked"] += len(best) - len(owned)
        if not owned:
            return
        offsets = [TopicPartition(t, p, off + 1) for (t, p), off in owned.items()]
        self._committed.update({tp: off + 1 for tp, off in owned.items()})
        if not wait:
            self._c.commit(offsets=offsets, asynchronous=True)  # failures: on_commit, then close()
            self._unsure.update(owned)
            self.stats["committed"] += len(messages)
            return
        try:
            result = self._c.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:
            raise RetryableError(f"Kafka offset commit failed: {exc.args[0].str()}") from exc
        bad = [tp for tp in result or [] if tp.error is not None]
        if bad:
            raise RetryableError(
                f"Kafka offset commit failed for {bad[0].topic}[{bad[0].partition}]: {bad[0].error}"
            )
        self._unsure.difference_update(owned)  # these offsets are acknowledged now
        self.stats["committed"] += len(messages)

    def lag(self) -> dict[tuple[str, int], int]:
        """Records behind the committed offset, per assigned (logical topic, partition).

        Cheap, so a metrics thread never stalls the consumer: the high watermark is the one the last
        fetch response carried (`cached=True`); the committed offset is the last one this consumer
        committed, else the group's (asked once per assignment), else its position, else the log
        start. Partitions without a fetch response yet are left out."""
        parts = [TopicPartition(t, p) for t, p in sorted(self.assigned)]
        unknown = [tp for tp in parts if (tp.topic, tp.partition) not in self._committed]
        if unknown:  # once per assignment: what the group committed before this consumer got it
            with contextlib.suppress(KafkaException):
                for tp in self._c.committed(unknown, timeout=10):
                    if tp.offset >= 0:
                        self._committed.setdefault((tp.topic, tp.partition), tp.offset)
        position = {(tp.topic, tp.partition): tp.offset for tp in self._c.position(parts)} if parts else {}
        out: dict[tuple[str, int], int] = {}
        for tp in parts:
            low, high = self._c.get_watermark_offsets(tp, cached=True)
            start = self._committed.get((tp.topic, tp.partition), position.get((tp.topic, tp.partition), -1))
            if start < 0:  # nothing read or committed here yet: all of the partition is behind
                start = max(low, 0)
            if high >= 0:
                out[(self._bus.logical(tp.topic), tp.partition)] = max(0, high - start)
        return out

    def _on_commit(self, err: KafkaError | None, _parts: list[TopicPartition]) -> None:
        if err is not None:
            self.stats["commit_failed"] += 1  # the next commit (or close) covers these offsets

    def close(self) -> None:
        """Commit the last asynchronously committed offsets synchronously, then leave the group."""
        mine = self._unsure & self.assigned & self._committed.keys()
        last = [TopicPartition(t, p, self._committed[t, p]) for t, p in sorted(mine)]
        if last:
            with contextlib.suppress(KafkaException):  # not committed = re-delivered, never lost
                self._c.commit(offsets=last, asynchronous=False)
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

    def producer(self, *, bulk: bool = False) -> KafkaProducer:
        return KafkaProducer(self, bulk=bulk)

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
