"""Three-node cluster, designed topics at RF 3 / min.insync.replicas 2: 100k raw logs go through the
real pipeline (`hephaestus processor` subprocess + an analyzer writing a SQLite store) while

* the broker coordinating the processor group is SIGKILLed mid-stream (records in flight), and
  every record after it is produced and processed by the two surviving brokers, then
* the processor is killed -9 mid-batch (outputs written, input offsets not yet committed) and
  restarted, and finally the dead broker is restarted while the backlog is still processed;

every record ends up counted exactly once in the store: none lost, re-deliveries deduplicated.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from confluent_kafka import Consumer, TopicPartition

# Public API; confluent-kafka's stubs only lack explicit re-exports for these names.
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType  # type: ignore[attr-defined]

from hephaestus.bus import DEAD_LETTER, ERRORS, RAW_LOGS, STRUCTURED_LOGS
from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka import KafkaBus, KafkaProducer
from hephaestus.bus.topics import default_topics
from hephaestus.errors import RetryableError
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.records import RawLog
from hephaestus.settings import KafkaSettings
from hephaestus.store import Store
from tests.integration.kafka.test_kafka_services import FAST_GROUP, _free_port, scrape
from tests.support.proc import child_env

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOTAL = 100_000
SOURCES = 24  # record keys: spread over the raw topic's 12 partitions
BUSY_AT = 20_000  # the stream waits here until the processor is working through it...
BUSY = 5_000  # ...i.e. has read this many records
NODE_KILL_AT = 40_000  # the coordinator broker is SIGKILLed before producing this record
PAUSE_AT = 70_000  # the stream pauses here while the processor is killed -9 with a backlog
PROCESSOR_KILL_AT = 45_000  # records the processor has read before its kill (>= 25k backlog left)
KILL_ATTEMPTS = 3  # a kill that lands between two batches re-delivers nothing: kill again


@pytest.fixture
def kafka_cluster(kafka_broker: LocalKafka) -> Iterator[LocalKafka]:
    # kafka_broker is requested only so toolchain checks (skip/fail) happen the same way
    with LocalKafka(nodes=3) as cluster:
        yield cluster


def raw_log(n: int) -> tuple[bytes, bytes]:
    """Raw log number `n` as (value, key); each one is an error event for the processor."""
    raw = RawLog(
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
        source=f"svc-{n % SOURCES}",
        host="h1",
        message=f"2026-01-01 10:00:{n % 60:02d},000 ERROR [pay] payment {n} failed: timeout",
    )
    return raw.model_dump_json().encode(), raw.source.encode()


class Stream(threading.Thread):
    """Produces TOTAL raw logs (acks=all); `hooks[n](producer)` runs in this thread before record n."""

    def __init__(self, bus: KafkaBus, hooks: dict[int, Callable[[KafkaProducer], None]]) -> None:
        super().__init__(name="raw-stream", daemon=True)
        self.bus, self.hooks = bus, hooks
        self.produced = 0
        self.stats: dict[str, int] = {}
        self.error: BaseException | None = None

    def run(self) -> None:
        producer = self.bus.producer()
        try:
            for n in range(TOTAL):
                if n in self.hooks:
                    self.hooks[n](producer)
                value, key = raw_log(n)
                producer.produce(RAW_LOGS, value, key=key, headers={ORIGIN: f"ha@{n}"})
                self.produced = n + 1
            producer.close(120)  # librdkafka retries what the dead leaders did not acknowledge
        except BaseException as exc:
            self.error = exc
        finally:
            self.stats = dict(producer.stats)


class Processor:
    """One `hephaestus processor` subprocess with its own metrics port and stderr file."""

    def __init__(self, config: Path, home: Path, name: str) -> None:
        self.port, self.log = _free_port(), home / f"{name}.stderr"
        args = ["--config", str(config), "--metrics-port", str(self.port), *FAST_GROUP]
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hephaestus", "processor", *args],
                env=child_env(home),
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    def records_in(self) -> float:
        return scrape(self.port, "hephaestus_records_in_total", component="processor")

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def tail(self) -> str:
        return self.log.read_bytes()[-1500:].decode("utf-8", "replace")


def _wait(what: str, done: Callable[[], bool], timeout: float, status: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; {status()}")
        time.sleep(0.1)


def _assert_designed_layout(admin: AdminClient, bus: KafkaBus) -> None:
    """Every designed topic exists with its partitions, 3 replicas and min.insync.replicas=2."""
    meta = admin.list_topics(timeout=10)
    specs = {bus.physical(s.name): s for s in default_topics()}
    assert set(specs) == {bus.physical(t) for t in (RAW_LOGS, STRUCTURED_LOGS, ERRORS, DEAD_LETTER)}
    for name, spec in specs.items():
        parts = meta.topics[name].partitions
        assert len(parts) == spec.partitions, name
        assert {len(p.replicas) for p in parts.values()} == {3}, f"{name} is not at RF 3"
    resources = [ConfigResource(ResourceType.TOPIC, name) for name in specs]
    for res, future in admin.describe_configs(resources, request_timeout=30).items():
        config = future.result(timeout=30)
        assert config["min.insync.replicas"].value == "2", f"{res.name}: {config['min.insync.replicas']}"
        for key, value in specs[res.name].config.items():
            assert config[key].value == value, f"{res.name}: {key}"


class Offsets:
    """The processor group's committed raw offsets vs. the error events written so far.

    Every raw log yields exactly one error event, written before its offset is committed; so
    `written() - committed()` events belong to raw logs that will be read (and sent) again.
    """

    def __init__(self, client_config: dict[str, Any], bus: KafkaBus) -> None:
        admin = AdminClient(client_config)
        self.group = f"{bus.settings.group_prefix}.processor"  # the `hephaestus processor` service's
        groups: set[str] = set()
        deadline = time.monotonic() + 30  # a group shows up in the listing only once it has joined
        while self.group not in groups and time.monotonic() < deadline:
            listed = admin.list_consumer_groups(request_timeout=30).result(timeout=30).valid
            groups = {g.group_id for g in listed}
            time.sleep(0 if self.group in groups else 0.2)
        assert self.group in groups, f"no consumer group {self.group} among {sorted(groups)}"
        self.reader = Consumer(client_config | {"group.id": self.group, "log_level": 0})
        self.raw = [TopicPartition(bus.physical(RAW_LOGS), p) for p in range(12)]
        self.errors = [TopicPartition(bus.physical(ERRORS), p) for p in range(6)]

    def committed(self) -> int:
        return sum(max(0, tp.offset) for tp in self.reader.committed(self.raw, timeout=30))

    def written(self) -> int:
        return sum(self.reader.get_watermark_offsets(tp, timeout=30, cached=False)[1] for tp in self.errors)

    def kill_mid_batch(self, processor: Processor, timeout: float = 30.0) -> dict[str, float]:
        """SIGKILL `processor` at a moment its outputs are ahead of its commits (mid-batch).

        Written is read before committed, so `written > committed` held when committed was read;
        the commit may still win the race to the kill: the returned figures tell (after the kill).
        """
        read, deadline = processor.records_in(), time.monotonic() + timeout
        while True:
            written, committed = self.written(), self.committed()
            if written > committed:
                break
            assert time.monotonic() < deadline, f"outputs never ahead of commits in {timeout:.0f}s"
        processor.kill9()
        time.sleep(0.5)  # what the dead process had sent is appended by now
        return {"read": read, "committed": self.committed(), "written": self.written()}

    def close(self) -> None:
        self.reader.close()


def test_100k_records_survive_a_broker_kill_and_a_processor_kill9_exactly_once(
    kafka_cluster: LocalKafka, kafka_topic_prefix: str, tmp_path: Path
) -> None:
    began = time.monotonic()
    settings = KafkaSettings(
        bootstrap_servers=kafka_cluster.bootstrap_servers,
        topic_prefix=kafka_topic_prefix,
        group_prefix=kafka_topic_prefix + "g",
    )
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                "bus": {"kind": "kafka", "batch_size": 5000, "poll_timeout_s": 1.0},
                "kafka": {
                    "bootstrap_servers": settings.bootstrap_servers,
                    "topic_prefix": settings.topic_prefix,
                    "group_prefix": settings.group_prefix,
                },
            }
        )
    )
    store = Store(f"sqlite:///{tmp_path / 'issues.sqlite'}")
    bus = KafkaBus(settings)
    analyzer = Pipeline(bus=bus, store=store, group_prefix=settings.group_prefix)  # creates the topics
    assert analyzer.issue_sink is not None
    sink = analyzer.issue_sink
    admin = AdminClient(kafka_cluster.client_config())
    _assert_designed_layout(admin, bus)

    processors = [Processor(config, tmp_path, "p1")]
    facts: dict[str, Any] = {"analyzer_retries": 0}
    node_killed, at_pause, resume = threading.Event(), threading.Event(), threading.Event()

    def status() -> str:
        p = processors[-1]
        alive = "running" if p.proc.poll() is None else f"exited {p.proc.returncode}"
        return (
            f"stream produced {stream.produced} ({stream.error!r}), {len(processors)} processor(s), the"
            f" last {alive} with {p.records_in():.0f} read, store has {store.event_count()} events,"
            f" facts {facts}\nprocessor stderr: {p.tail()}"
        )

    def processor_busy(_producer: KafkaProducer) -> None:
        _wait(
            f"the processor to read {BUSY} records", lambda: processors[0].records_in() >= BUSY, 120, status
        )
        offsets = Offsets(kafka_cluster.client_config(), bus)
        facts["group"] = offsets.group
        offsets.close()
        (desc,) = admin.describe_consumer_groups([facts["group"]], request_timeout=30).values()
        facts["victim"] = desc.result(timeout=30).coordinator.id - 1  # node ids are 1..3

    def kill_broker(producer: KafkaProducer) -> None:  # no flush before: records are in flight
        kafka_cluster.kill_node(facts["victim"])
        facts["t_node_kill"] = time.monotonic() - began
        facts["node_kill"] = {
            "produced": producer.stats["produced"],
            "acked": producer.stats["delivered"],
            "processed": processors[0].records_in(),
        }
        node_killed.set()

    def pause(_producer: KafkaProducer) -> None:
        at_pause.set()
        if not resume.wait(300):
            raise AssertionError("the stream was never resumed after the processor kill")

    stream = Stream(KafkaBus(settings), {BUSY_AT: processor_busy, NODE_KILL_AT: kill_broker, PAUSE_AT: pause})

    def pump(what: str, done: Callable[[], bool], timeout: float) -> None:
        """Run the analyzer until `done()`; a broker failover may fail a commit: that is retried."""
        deadline = time.monotonic() + timeout
        while not done():
            if stream.error is not None:
                raise AssertionError(f"the stream failed while waiting for {what}: {status()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; {status()}")
            try:
                analyzer.analyze_once()
            except RetryableError:
                facts["analyzer_retries"] += 1
                time.sleep(0.2)

    try:
        stream.start()
        pump("the broker kill", node_killed.is_set, 240)
        victim = facts["victim"]
        pump(
            "the metadata to drop the killed broker",
            lambda: len(admin.list_topics(timeout=10).brokers) == 2,
            60,
        )
        pump(f"the stream to pause at {PAUSE_AT}", at_pause.is_set, 240)

        # processor kill -9 with a backlog of >= 25k records, aimed mid-batch (again if it missed)
        facts["t_pause"] = time.monotonic() - began
        offsets = Offsets(kafka_cluster.client_config(), bus)
        try:
            threshold = float(PROCESSOR_KILL_AT)
            for attempt in range(1, KILL_ATTEMPTS + 1):
                target = processors[-1]
                pump(f"processor read {threshold:.0f}", lambda: target.records_in() >= threshold, 240)
                facts["processor_kill"] = {"attempt": attempt, **offsets.kill_mid_batch(target)}
                facts.setdefault("read_while_down", facts["processor_kill"]["read"])
                processors.append(Processor(config, tmp_path, f"p{len(processors) + 1}"))
                if facts["processor_kill"]["written"] > facts["processor_kill"]["committed"]:
                    break
                threshold = 3000  # the new process counts from 0: let it get into a batch
            else:
                raise AssertionError(
                    f"{KILL_ATTEMPTS} processor kills all landed between batches: {status()}"
                )
        finally:
            offsets.close()
        resume.set()

        pump("the stream to end", lambda: not stream.is_alive(), 240)
        assert stream.error is None, f"stream failed: {stream.error!r}"
        assert kafka_cluster.procs[victim].poll() is not None, "the broker came back before the stream ended"
        facts["t_stream_end"] = time.monotonic() - began
        kafka_cluster.restart_node(victim)  # rejoins while the backlog is processed
        facts["t_node_back"] = time.monotonic() - began
        pump(f"{TOTAL} events in the store", lambda: store.event_count() >= TOTAL, 300)
        facts["t_all_counted"] = time.monotonic() - began
        settle = time.monotonic() + 3  # re-deliveries still in flight must not move the counts
        pump("the settle time", lambda: time.monotonic() > settle, 30)
        last = processors[-1]
        last.proc.send_signal(signal.SIGTERM)
        assert last.proc.wait(timeout=60) == 0, last.tail()
    finally:
        resume.set()
        for p in processors:
            if p.proc.poll() is None:
                p.proc.kill()
                p.proc.wait()

    # every record acknowledged, >= 60k of them while the coordinator broker was dead (it was still
    # down at the end of the stream), and the processor read on with it dead
    assert stream.stats["delivered"] == TOTAL, stream.stats
    node_kill = facts["node_kill"]
    assert node_kill["acked"] <= NODE_KILL_AT, node_kill
    assert facts["read_while_down"] > node_kill["processed"], facts
    # none lost, none counted twice
    assert store.event_count() == TOTAL
    assert sum(issue.count for issue in store.issues()) == TOTAL
    assert sink.counters.sent == TOTAL
    assert sink.counters.received == TOTAL + sink.counters.dropped
    # the killed processor's uncommitted outputs came again and were dropped as duplicates
    kill = facts["processor_kill"]
    assert sink.counters.dropped >= kill["written"] - kill["committed"] > 0, (sink.counters, kill)
    print(
        f"\nHA run {time.monotonic() - began:.0f}s: broker {victim + 1} (processor group coordinator) killed"
        f" at {node_kill}; processor kill {kill}; {sink.counters.dropped} re-deliveries dropped;"
        f" producer {stream.stats}; facts {facts}"
    )
    analyzer.close()
    store.close()
