from datetime import UTC, datetime

from hephaestus.bus import RAW_LOGS, Producer
from hephaestus.bus.local import LocalBus
from hephaestus.collect import FileSource
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.process.processor import Processor
from hephaestus.records import RawLog
from tests.unit.core.factories import make_event

TRACE = (
    "2026-01-01 10:00:01,002 ERROR [app] failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/a.py", line 3, in f\n'
    "    return 1 / 0\n"
    "ZeroDivisionError: division by zero\n"
)


def _pipeline(store, bus=None):
    bus = bus or LocalBus(":memory:")
    return Pipeline(bus=bus, store=store, processor=Processor(application="app"))


def test_file_to_issue_through_the_bus(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text("2026-01-01 10:00:00,001 INFO [app] ok\n" + TRACE * 3)
    pipeline = _pipeline(store)
    pipeline.drain(collect=FileSource([path]))
    assert pipeline.stats.records == 4
    assert pipeline.stats.errors == 3
    (issue,) = store.issues()
    assert issue.count == 3
    assert issue.error_type == "ZeroDivisionError"
    assert issue.frames[-1].function == "f"
    assert pipeline.dead_letters() == []


def test_poison_records_go_to_the_dead_letter_topic_with_a_reason(store):
    bus = LocalBus(":memory:")
    pipeline = _pipeline(store, bus)
    producer = bus.producer()
    producer.produce(RAW_LOGS, b"{not json", key=b"k")
    good = RawLog(timestamp=datetime.now(UTC), source="/a.log", host="h", message=TRACE.rstrip())
    producer.produce(RAW_LOGS, good.model_dump_json().encode(), key=b"k", headers={ORIGIN: "/a.log@0"})
    producer.flush()
    pipeline.drain()
    (dead,) = pipeline.dead_letters()
    assert dead["reason"].startswith("not a RawLog")
    assert dead["value"] == "{not json"
    assert len(store.issues()) == 1


class _Exploding(Processor):
    def process(self, item, *, origin=None):
        raise RuntimeError("bug in a transform")


def test_an_unexpected_transform_error_dead_letters_instead_of_crashing(store):
    bus = LocalBus(":memory:")
    pipeline = Pipeline(bus=bus, store=store, processor=_Exploding())
    producer = bus.producer()
    raw = RawLog(timestamp=datetime.now(UTC), source="/a.log", host="h", message="x")
    producer.produce(RAW_LOGS, raw.model_dump_json().encode())
    producer.flush()
    pipeline.drain()
    assert [d["reason"] for d in pipeline.dead_letters()] == [
        "internal error: RuntimeError: bug in a transform"
    ]


def test_redelivered_raw_records_are_not_counted_twice(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text(TRACE * 2)
    bus_path = tmp_path / "bus.sqlite"
    first = _pipeline(store, LocalBus(bus_path))
    first.collect_once(FileSource([path]))
    first.collect_once(FileSource([path]))  # the collector crashed before its checkpoint: same lines again
    first.drain()
    assert first.stats.errors == 4
    (issue,) = store.issues()
    assert issue.count == 2
    assert first.issue_sink.counters.as_dict() == {"received": 4, "sent": 2, "errored": 0, "dropped": 2}
    # a restarted processor/analyzer finds nothing left to do
    second = _pipeline(store, LocalBus(bus_path))
    assert second.drain() == 0


def test_stages_start_stop_is_safe_without_start(store):
    for component in (
        Processor(),
        FileSource([]),
        Pipeline(bus=LocalBus(":memory:"), store=store).issue_sink,
    ):
        component.stop()
        component.start()
        assert component.started
        component.stop()
        assert not component.started


class _HeldProducer(Producer):
    """A producer whose records count as acknowledged only once the test says so."""

    def __init__(self, inner: Producer) -> None:
        self.inner, self.topics, self.acked, self.marks = inner, [], False, 0

    def produce(self, topic, value, *, key=None, headers=None):
        self.topics.append(topic)
        self.inner.produce(topic, value, key=key, headers=headers)

    def flush(self, timeout=30.0):
        self.inner.flush(timeout)
        self.acked = True

    def mark(self):
        self.marks += 1
        return self.marks

    def delivered(self, token):
        return self.acked


class _HeldBus(LocalBus):
    def __init__(self) -> None:
        super().__init__(":memory:")
        self.made: dict[bool, _HeldProducer] = {}

    def producer(self, *, bulk=False):
        self.made[bulk] = _HeldProducer(super().producer())
        return self.made[bulk]


def test_structured_logs_go_through_the_bulk_producer_and_input_commits_wait_for_both(store):
    bus = _HeldBus()
    feeder = LocalBus.producer(bus)
    for n in range(3):
        raw = RawLog(timestamp=datetime.now(UTC), source="a.log", host="h", message=TRACE if n else "ok")
        feeder.produce(RAW_LOGS, raw.model_dump_json().encode(), key=b"a.log")
    feeder.flush()
    pipeline = _pipeline(store, bus)
    assert pipeline.process_once() == 3
    prompt, bulk = bus.made[False], bus.made[True]
    assert bulk.topics == [pipeline.structured] * 3
    assert prompt.topics == [pipeline.errors, pipeline.errors]  # error events: the prompt producer
    commits = []
    consumer = pipeline.consumers["processor"]
    real_commit = consumer.commit

    def spy(messages, *, wait=True):
        commits.append(messages)
        real_commit(messages, wait=wait)

    consumer.commit = spy

    prompt.acked = True  # the errors are durable, the structured logs not yet: nothing committed
    assert pipeline.process_once() == 0
    assert commits == []
    bulk.acked = True
    assert pipeline.process_once() == 0
    assert [m.offset for m in commits[0]] == [2]  # the last record of the batch, once both acknowledged
    pipeline.close()  # nothing left to settle: no second commit
    assert len(commits) == 1


def test_a_malformed_structured_record_is_dead_lettered_by_the_indexer(store):
    bus = LocalBus(":memory:")
    pipeline = _pipeline(store, bus)
    producer = bus.producer()
    producer.produce(pipeline.structured, b'{"log_id": "x", "oops"', key=b"x")  # no trace id, cut off
    producer.produce(pipeline.structured, b"plain text", key=b"y")
    producer.flush()
    assert pipeline.index_once() == 2
    reasons = [d["reason"] for d in pipeline.dead_letters()]
    assert len(reasons) == 2
    assert all(r.startswith("not a StructuredLog") for r in reasons)


class _OneAtATimeBus(LocalBus):
    """Hands out one record per poll, as a consumer does while records trickle in."""

    def consumer(self, group, topics):
        inner = super().consumer(group, topics)
        poll = inner.poll_batch
        inner.poll_batch = lambda max_messages=500, timeout=1.0: poll(1, timeout)
        return inner


def _events(bus, pipeline, n):
    producer = bus.producer()
    for i in range(n):
        producer.produce(pipeline.errors, make_event(i).model_dump_json().encode(), key=b"f")
    producer.flush()


def test_a_lingering_analyzer_takes_what_trickles_in_as_one_batch(store):
    bus = _OneAtATimeBus(":memory:")
    pipeline = Pipeline(bus=bus, store=store, batch_size=3, linger_s=60.0)  # ends at batch_size here
    _events(bus, pipeline, 3)
    assert pipeline.analyze_once() == 3  # one store transaction, one commit for the three
    assert pipeline.stats.events_counted == 3
    assert pipeline.analyze_once() == 0  # nothing left: no lingering on an empty poll


def test_without_linger_the_analyzer_takes_what_one_poll_gives(store):
    bus = _OneAtATimeBus(":memory:")
    pipeline = Pipeline(bus=bus, store=store, batch_size=3)
    _events(bus, pipeline, 2)
    assert pipeline.analyze_once() == 1


class _Watched(LocalBus):
    """A LocalBus that records how many messages it holds each time the pipeline prunes it."""

    def __init__(self) -> None:
        super().__init__(":memory:")
        self.held: list[int] = []

    def prune(self) -> int:
        self.held.append(int(str(self.execute("SELECT COUNT(*) FROM messages")[0][0])))
        return super().prune()


def test_drain_keeps_the_bus_bounded_whatever_the_input_size(tmp_path, store):
    path = tmp_path / "big.log"
    lines = (f"2026-01-01 10:00:{i % 60:02d},000 INFO [app] req {i} in {i % 97} ms\n" for i in range(30_000))
    path.write_text("".join(lines) + TRACE)
    bus = _Watched()
    pipeline = _pipeline(store, bus)
    pipeline.drain(collect=FileSource([path]))
    assert pipeline.stats.records == pipeline.stats.structured == 30_001
    assert store.issues()[0].count == 1
    # each round holds one chunk of the source (raw + structured), never the whole input
    assert len(bus.held) > 5
    assert max(bus.held) <= 2 * 5_000 + 20
    assert int(str(bus.execute("SELECT COUNT(*) FROM messages")[0][0])) <= 3 * bus.partitions
