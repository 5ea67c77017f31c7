"""100k raw logs through a real broker: the `hephaestus processor` is killed -9 mid-batch and
restarted; every record ends up counted exactly once in the store (re-deliveries deduplicated)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from hephaestus.bus import RAW_LOGS
from hephaestus.bus.kafka import KafkaBus
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.records import RawLog
from hephaestus.settings import KafkaSettings
from hephaestus.store import Store
from tests.integration.kafka.test_kafka_services import FAST_GROUP, _free_port, scrape
from tests.support.proc import child_env

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOTAL = 100_000
SOURCES = 24  # record keys: spread over the raw topic's 12 partitions


def _produce_raw(bus: KafkaBus) -> None:
    producer = bus.producer()
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(TOTAL):
        raw = RawLog(
            timestamp=stamp,
            source=f"svc-{n % SOURCES}",
            host="h1",
            message=f"2026-01-01 10:00:{n % 60:02d},000 ERROR [pay] payment {n} failed: timeout",
        )
        producer.produce(
            RAW_LOGS, raw.model_dump_json().encode(), key=raw.source.encode(), headers={ORIGIN: f"scale@{n}"}
        )
    producer.close(60)
    assert producer.stats["delivered"] == TOTAL


def metrics_args(port: int) -> list[str]:
    return ["--metrics-port", str(port), *FAST_GROUP]


def _processor(config: Path, home: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hephaestus", "processor", "--config", str(config), *metrics_args(port)],
        env=child_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_100k_records_survive_a_processor_kill9_exactly_once_in_the_store(
    tmp_path: Path, kafka_settings: KafkaSettings
) -> None:
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                # big, slow-to-fill batches: the kill lands while a batch is processed but not committed
                "bus": {"kind": "kafka", "batch_size": 5000, "poll_timeout_s": 1.0},
                "kafka": {
                    "bootstrap_servers": kafka_settings.bootstrap_servers,
                    "topic_prefix": kafka_settings.topic_prefix,
                    "group_prefix": kafka_settings.group_prefix,
                },
            }
        )
    )
    store = Store(f"sqlite:///{tmp_path / 'issues.sqlite'}")
    analyzer = Pipeline(bus=KafkaBus(kafka_settings), store=store, group_prefix=kafka_settings.group_prefix)
    _produce_raw(analyzer.bus)  # type: ignore[arg-type]
    assert analyzer.issue_sink is not None
    sink = analyzer.issue_sink

    port = _free_port()
    first = _processor(config, tmp_path, port)
    try:
        deadline = time.monotonic() + 120
        while scrape(port, "hephaestus_records_in_total", component="processor") < TOTAL * 0.3:
            assert time.monotonic() < deadline, "processor made no progress"
            analyzer.analyze_once()
        first.send_signal(signal.SIGKILL)  # mid-batch: records_in moves per record, commits per 1000
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = sink.counters.received

    second = _processor(config, tmp_path, _free_port())
    try:
        deadline = time.monotonic() + 150
        while store.event_count() < TOTAL:
            assert time.monotonic() < deadline, f"only {store.event_count()} of {TOTAL} counted"
            analyzer.analyze_once()
        settle = time.monotonic() + 3  # let re-deliveries still in flight arrive: counts must not move
        while time.monotonic() < settle:
            analyzer.analyze_once()
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0

    assert store.event_count() == TOTAL
    assert sum(issue.count for issue in store.issues()) == TOTAL
    assert sink.counters.sent == TOTAL
    assert sink.counters.dropped > 0, "the kill landed between batches: nothing was re-delivered"
    assert sink.counters.received == TOTAL + sink.counters.dropped
    print(f"analyzer had {killed_at} events at the kill; {sink.counters.dropped} re-deliveries dropped")
    analyzer.close()
    store.close()
