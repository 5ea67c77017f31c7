"""The in-process bus of `analyze`: the bus contract without bytes or SQLite, records handed over."""

from datetime import UTC, datetime

from hephaestus.bus import RAW_LOGS
from hephaestus.bus.base import partition_for
from hephaestus.bus.local import LocalBus
from hephaestus.bus.memory import HeldMessage, MemoryBus
from hephaestus.collect import FileSource
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.process.processor import Processor
from hephaestus.wire import RawRecord, encode

TRACED = '{"timestamp": "2026-01-01T10:00:00Z", "level": "ERROR", "message": "no funds", "trace_id": "t1"}\n'
TRACE = (
    "2026-01-01 10:00:01,002 ERROR [app] failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/a.py", line 3, in f\n'
    "    return 1 / 0\n"
    "ZeroDivisionError: division by zero\n"
)


def _values(msgs):
    return [m.value for m in msgs]


def test_messages_are_invisible_until_flushed():
    bus = MemoryBus(partitions=3)
    producer = bus.producer()
    producer.produce("t", b"a", key=b"k1")
    consumer = bus.consumer("g", ["t"])
    assert consumer.poll_batch() == []
    producer.flush()
    assert _values(consumer.poll_batch()) == [b"a"]


def test_same_key_same_partition_in_order_as_on_the_local_bus():
    bus = MemoryBus(partitions=4)
    producer = bus.producer()
    for i in range(20):
        producer.produce("t", str(i).encode(), key=b"same")
    producer.flush()
    msgs = bus.consumer("g", ["t"]).poll_batch()
    assert {m.partition for m in msgs} == {partition_for(b"same", 4)}
    assert _values(msgs) == [str(i).encode() for i in range(20)]
    assert [m.offset for m in msgs] == list(range(20))


def test_uncommitted_messages_are_redelivered_committed_are_not():
    bus = MemoryBus()
    producer = bus.producer()
    for i in range(6):
        producer.produce("t", str(i).encode(), key=b"one-partition", headers={"n": str(i)})
    producer.flush()
    consumer = bus.consumer("g", ["t"])
    batch = consumer.poll_batch()
    assert _values(batch) == [b"0", b"1", b"2", b"3", b"4", b"5"]
    consumer.commit(batch[:3])
    again = bus.consumer("g", ["t"]).poll_batch()  # the group's next consumer
    assert [m.headers["n"] for m in again] == ["3", "4", "5"]
    assert len(bus.consumer("other", ["t"]).poll_batch()) == 6
    consumer.rewind()
    assert _values(consumer.poll_batch(max_messages=2)) == [b"3", b"4"]
    assert sum(consumer.lag().values()) == 1


def test_prune_drops_what_every_group_committed_offsets_continue():
    bus = MemoryBus(partitions=1)
    producer = bus.producer()
    for i in range(10):
        producer.produce("t", str(i).encode())
    producer.produce("dlq", b"poison")
    producer.flush()
    fast, slow = bus.consumer("fast", ["t"]), bus.consumer("slow", ["t"])
    late = bus.consumer("late", ["t"])  # registered, nothing read yet: keeps everything
    fast.commit(fast.poll_batch())
    slow.commit(slow.poll_batch(max_messages=4))
    assert bus.prune() == 0
    late.commit(late.poll_batch())
    assert bus.prune() == 4  # only what every group is past
    assert _values(bus.consumer("slow", ["t"]).poll_batch()) == [str(i).encode() for i in range(4, 10)]
    slow.commit(slow.poll_batch())
    assert bus.prune() == 6
    producer.produce("t", b"10")
    producer.flush()
    (new,) = bus.consumer("fast", ["t"]).poll_batch()
    assert (new.offset, new.value) == (10, b"10")
    assert bus.end_offsets("t") == {0: 11}
    assert _values(bus.consumer("reader", ["dlq"]).poll_batch()) == [b"poison"]  # nobody consumed it


def test_a_record_is_handed_over_and_encoded_only_when_its_bytes_are_read():
    calls = []

    def counting(record):
        calls.append(record)
        return encode(record)

    raw = RawRecord(timestamp=datetime(2026, 1, 1, tzinfo=UTC), source="/a.log", host="h", message="x")
    bus = MemoryBus()
    producer = bus.producer()
    producer.produce_record("t", raw, counting, key=b"/a.log")
    producer.flush()
    (msg,) = bus.consumer("g", ["t"]).poll_batch()
    assert isinstance(msg, HeldMessage)
    assert msg.held() is raw
    assert calls == []
    assert msg.value == encode(raw) == msg.value
    assert len(calls) == 1  # once, then kept


def test_other_buses_encode_at_once():
    bus = LocalBus(":memory:")
    producer = bus.producer()
    raw = RawRecord(timestamp=datetime(2026, 1, 1, tzinfo=UTC), source="/a.log", host="h", message="x")
    producer.produce_record("t", raw, encode)
    producer.flush()
    (msg,) = bus.consumer("g", ["t"]).poll_batch()
    assert msg.held() is None
    assert msg.value == encode(raw)


def test_the_pipeline_on_the_memory_bus_counts_indexes_and_dead_letters_like_the_local_bus(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text("2026-01-01 10:00:00,001 INFO [app] ok\n" + TRACE * 3 + TRACED)
    bus = MemoryBus()
    pipeline = Pipeline(bus=bus, store=store, processor=Processor(application="app"))
    producer = bus.producer()
    producer.produce(RAW_LOGS, b"{not json", key=b"k", headers={ORIGIN: "x@0"})
    producer.flush()
    pipeline.drain(collect=FileSource([path]))
    assert (pipeline.stats.records, pipeline.stats.errors) == (5, 4)
    assert sorted((i.error_type or "", i.count, i.trace_ids) for i in store.issues()) == [
        ("", 1, ("t1",)),
        ("ZeroDivisionError", 3, ()),
    ]
    (related,) = store.related_logs(["t1"])  # the indexer kept the traced log
    assert related["message"] == "no funds"
    (dead,) = pipeline.dead_letters()
    assert dead["reason"].startswith("not a RawLog")
    assert dead["value"] == "{not json"
    assert bus.prune() == 0  # drain pruned what every group had committed


class _Refusing(Processor):
    def process(self, item, *, origin=None):
        raise RuntimeError("bug")


def test_a_held_record_that_fails_is_dead_lettered_with_its_wire_bytes(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text("2026-01-01 10:00:00,001 INFO [app] ok\n")
    pipeline = Pipeline(bus=MemoryBus(), store=store, processor=_Refusing())
    pipeline.drain(collect=FileSource([path], host="h"))
    (dead,) = pipeline.dead_letters()
    assert dead["reason"] == "internal error: RuntimeError: bug"
    assert '"message":"2026-01-01 10:00:00,001 INFO [app] ok"' in dead["value"]
    assert '"host":"h"' in dead["value"]


def test_the_analyze_command_tunes_the_collector_only_while_it_runs(tmp_path, monkeypatch):
    import gc

    from click.testing import CliRunner

    import hephaestus.cli.analyze as command
    from hephaestus.cli import cli

    seen = []
    real = command.analyze_logs

    def spy(*args, **kwargs):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(command, "analyze_logs", spy)
    monkeypatch.setenv("HEPHAESTUS_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "app.log"
    path.write_text(TRACE)
    before = gc.get_threshold()
    result = CliRunner().invoke(cli, ["analyze", str(path), "--no-fix", "--json"])
    assert result.exit_code == 0, result.output
    assert '"count": 1' in result.output
    assert seen == [(50_000, True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
