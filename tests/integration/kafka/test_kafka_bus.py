"""KafkaBus against a real broker: round trip, commit semantics, lag, dead letters, compaction."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hephaestus.bus.base import Consumer, Message
from hephaestus.bus.kafka import KafkaBus, send_to_dead_letter
from hephaestus.bus.topics import DEAD_LETTER, ERRORS, RAW_LOGS
from hephaestus.errors import PermanentError
from hephaestus.settings import KafkaSettings

pytestmark = pytest.mark.kafka


def drain(consumer: Consumer, want: int, *, timeout: float = 20.0) -> list[Message]:
    """Poll until `want` messages arrived (or the deadline); then one short extra poll for surplus."""
    got: list[Message] = []
    deadline = time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        got += consumer.poll_batch(max_messages=100, timeout=0.5)
    got += consumer.poll_batch(max_messages=100, timeout=0.5)
    return got


def test_round_trip_keeps_key_value_headers_and_partition_by_key(kafka_settings: KafkaSettings) -> None:
    bus = KafkaBus(kafka_settings)
    bus.ensure_topics([RAW_LOGS])
    producer = bus.producer()
    for i in range(30):
        producer.produce(RAW_LOGS, f"line {i}".encode(), key=f"host-{i % 3}".encode(), headers={"n": str(i)})
    producer.close(10)
    assert producer.stats["delivered"] == 30

    consumer = bus.consumer("roundtrip", [RAW_LOGS])
    try:
        got = drain(consumer, 30)
    finally:
        consumer.close()
    assert sorted(m.value for m in got) == sorted(f"line {i}".encode() for i in range(30))
    assert {m.topic for m in got} == {RAW_LOGS}  # logical name: the prefix is stripped
    for m in got:
        assert m.headers["n"] == m.value.decode().split()[1]
    by_key: dict[bytes | None, set[int]] = {}
    for m in got:
        by_key.setdefault(m.key, set()).add(m.partition)
    assert len(by_key) == 3
    assert all(len(parts) == 1 for parts in by_key.values())


def test_uncommitted_messages_are_redelivered_committed_ones_are_not(kafka_settings: KafkaSettings) -> None:
    bus = KafkaBus(kafka_settings, default_partitions=1)
    bus.ensure_topics(["work"])
    producer = bus.producer()
    for i in range(10):
        producer.produce("work", str(i).encode(), key=b"k")
    producer.close(10)

    first = bus.consumer("workers", ["work"])
    batch = drain(first, 10)
    assert [m.value for m in batch] == [str(i).encode() for i in range(10)]
    first.commit(batch[:4])  # only the first four have durable output
    first.close()

    second = bus.consumer("workers", ["work"])
    try:
        again = drain(second, 6)
        assert [m.value for m in again] == [str(i).encode() for i in range(4, 10)]
        assert second.lag() == {("work", 0): 6}
        second.commit(again)
        assert second.lag() == {("work", 0): 0}
    finally:
        second.close()

    third = bus.consumer("workers", ["work"])
    try:
        assert drain(third, 1, timeout=4) == []
    finally:
        third.close()

    other_group = bus.consumer("auditors", ["work"])  # groups are independent
    try:
        assert len(drain(other_group, 10)) == 10
    finally:
        other_group.close()


def test_poison_message_goes_to_dead_letter_with_reason(kafka_settings: KafkaSettings) -> None:
    bus = KafkaBus(kafka_settings)
    bus.ensure_topics([RAW_LOGS, DEAD_LETTER])
    producer = bus.producer()
    producer.produce(RAW_LOGS, b"\xff\xfe not utf-8", key=b"svc", headers={"source": "app.log"})
    producer.flush(10)

    consumer = bus.consumer("parser", [RAW_LOGS])
    try:
        [poison] = drain(consumer, 1)
        send_to_dead_letter(producer, poison, "UnicodeDecodeError: invalid start byte")
        producer.flush(10)
        consumer.commit([poison])
    finally:
        consumer.close()
        producer.close(10)

    dlq = bus.consumer("dlq-reader", [DEAD_LETTER])
    try:
        [dead] = drain(dlq, 1)
    finally:
        dlq.close()
    assert dead.value == b"\xff\xfe not utf-8"
    assert dead.key == b"svc"
    assert dead.headers["dlq.reason"] == "UnicodeDecodeError: invalid start byte"
    assert dead.headers["dlq.topic"] == RAW_LOGS
    assert dead.headers["dlq.offset"] == str(poison.offset)
    assert dead.headers["source"] == "app.log"


def test_compacted_topic_rejects_keyless_records(kafka_settings: KafkaSettings, tmp_path: Path) -> None:
    bus = KafkaBus(kafka_settings, spool_dir=tmp_path)
    bus.ensure_topics([ERRORS])
    producer = bus.producer()
    with pytest.raises(PermanentError, match="compacted"):
        producer.produce(ERRORS, b"no key")
    # Bypass the client-side check: the broker itself refuses it, and it is kept, not dropped.
    producer._send({"topic": bus.physical(ERRORS), "value": b"no key", "key": None, "headers": {}})
    with pytest.raises(PermanentError, match="rejected 1 messages"):
        producer.flush(10)
    assert [p.name.startswith("rejected-") for p in tmp_path.iterdir()] == [True]
    producer.produce(ERRORS, b"with key", key=b"fp-1")
    producer.close(10)
