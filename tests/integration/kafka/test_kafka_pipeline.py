"""The real pipeline over a real broker: file -> raw -> structured/errors -> issue in the store,
with a crashed processor's uncommitted batch re-delivered and not counted twice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hephaestus.bus.kafka import KafkaBus
from hephaestus.collect import FileSource
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.process.processor import Processor
from hephaestus.records import RawLog
from hephaestus.settings import KafkaSettings
from hephaestus.store import Store

pytestmark = pytest.mark.kafka

TRACE = (
    "2026-01-01 10:00:{s:02d},000 ERROR [api] request {n} failed trace_id={n:032x}\n"
    "Traceback (most recent call last):\n"
    '  File "/app/api/handlers.py", line 40, in get_order\n'
    "    return ORDERS[order_id]\n"
    "KeyError: 'A-{n}'\n"
)


def _until(step, done, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        step()
    assert done(), "timed out"


def test_file_to_issue_over_kafka_survives_a_processor_crash(
    tmp_path: Path, kafka_settings: KafkaSettings
) -> None:
    log = tmp_path / "api.log"
    log.write_text("".join(TRACE.format(s=n % 60, n=n) for n in range(40)))
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")

    collector = Pipeline(bus=KafkaBus(kafka_settings), store=None, group_prefix=kafka_settings.group_prefix)
    assert collector.collect_once(FileSource([log])) == 40

    # processor 1 processes and produces a batch, then "crashes" before committing its input
    crashing_bus = KafkaBus(kafka_settings)
    crashing = Pipeline(
        bus=crashing_bus,
        store=None,
        processor=Processor(application="api"),
        group_prefix=kafka_settings.group_prefix,
    )
    consumer = crashing._consumer("processor", crashing.raw)
    batch: list = []
    _until(lambda: batch.extend(consumer.poll_batch(100, timeout=0.5)), lambda: len(batch) >= 10)
    for msg in batch:  # outputs reach the broker, the commit never happens
        raw = RawLog.model_validate_json(msg.value)
        for out in crashing.processor.process(raw, origin=msg.headers.get(ORIGIN)):
            if out.event is not None:
                event = out.event
                crashing.producer.produce(
                    crashing.errors, event.model_dump_json().encode(), key=event.fingerprint.encode()
                )
    crashing.producer.flush()
    consumer.close()

    # processor 2 and the analyzer take over: everything is re-delivered, nothing double-counted
    survivor = Pipeline(
        bus=KafkaBus(kafka_settings),
        store=store,
        processor=Processor(application="api"),
        group_prefix=kafka_settings.group_prefix,
    )

    def step() -> None:
        survivor.process_once()
        survivor.analyze_once()

    def counted() -> bool:
        issues = store.issues()
        return bool(issues) and issues[0].count == 40

    _until(step, lambda: counted() and survivor.stats.errors >= 40)  # the re-delivered batch too
    for _ in range(5):  # drain any remaining duplicates: the count must not move
        step()
    (issue,) = store.issues()
    assert issue.count == 40
    assert issue.error_type == "KeyError"
    assert store.event_count() == 40
    assert survivor.stats.errors == 40
    survivor.close()
    store.close()
