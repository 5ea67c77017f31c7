"""Delivery failures: an unreachable broker makes flush() raise RetryableError, the records are
spooled to disk and replayed (then delivered) by the next producer."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from hephaestus.bus.base import Message
from hephaestus.bus.kafka import KafkaBus
from hephaestus.errors import RetryableError
from hephaestus.settings import KafkaSettings

pytestmark = pytest.mark.kafka


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once the socket is closed


def test_unreachable_broker_flush_raises_and_spooled_records_are_replayed(
    kafka_settings: KafkaSettings, tmp_path: Path
) -> None:
    dead = kafka_settings.model_copy(update={"bootstrap_servers": f"127.0.0.1:{_closed_port()}"})
    bus = KafkaBus(dead, spool_dir=tmp_path, producer_config={"message.timeout.ms": 1000})
    producer = bus.producer()
    for i in range(3):
        producer.produce("events", f"e{i}".encode(), key=b"k", headers={"i": str(i)})
    started = time.monotonic()
    with pytest.raises(RetryableError, match="3 messages not delivered"):
        producer.flush(timeout=8)
    assert time.monotonic() - started < 8
    assert producer.stats["retried"] == 3
    assert producer.stats["spooled"] == 3
    [spool_file] = tmp_path.glob("*.jsonl")
    assert len(spool_file.read_text().splitlines()) == 3
    producer.close(timeout=0.5)  # nothing is outstanding any more: the spool holds it all
    assert list(tmp_path.glob("*.jsonl")) == [spool_file]

    live = KafkaBus(kafka_settings, spool_dir=tmp_path, default_partitions=1)
    live.ensure_topics(["events"])
    replayer = live.producer()  # replays the spool on start
    assert replayer.stats["replayed"] == 3
    replayer.close(10)
    assert list(tmp_path.glob("*.jsonl")) == []

    consumer = live.consumer("replay-check", ["events"])
    try:
        got: list[Message] = []
        deadline = time.monotonic() + 20
        while len(got) < 3 and time.monotonic() < deadline:
            got += consumer.poll_batch(timeout=0.5)
    finally:
        consumer.close()
    assert [(m.value, m.key, m.headers["i"]) for m in got] == [
        (f"e{i}".encode(), b"k", str(i)) for i in range(3)
    ]


def test_close_without_spool_dir_reports_what_it_could_not_deliver(kafka_settings: KafkaSettings) -> None:
    dead = kafka_settings.model_copy(update={"bootstrap_servers": f"127.0.0.1:{_closed_port()}"})
    producer = KafkaBus(dead, producer_config={"message.timeout.ms": 60000}).producer()
    producer.produce("events", b"x", key=b"k")
    with pytest.raises(RetryableError, match="1 undelivered messages dropped: no spool_dir"):
        producer.close(timeout=1)
