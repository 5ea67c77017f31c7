from hephaestus.bus.base import partition_for
from hephaestus.bus.local import LocalBus


def _values(msgs):
    return [m.value for m in msgs]


def test_messages_are_invisible_until_flushed_then_durable_across_reopen(tmp_path):
    path = tmp_path / "bus.sqlite"
    bus = LocalBus(path, partitions=3)
    bus.ensure_topics(["t"])
    producer = bus.producer()
    producer.produce("t", b"a", key=b"k1")
    consumer = bus.consumer("g", ["t"])
    assert consumer.poll_batch() == []
    producer.flush()
    bus.close()
    reopened = LocalBus(path, partitions=3)
    assert _values(reopened.consumer("g", ["t"]).poll_batch()) == [b"a"]


def test_same_key_same_partition_in_order(tmp_path):
    bus = LocalBus(tmp_path / "b.sqlite", partitions=4)
    producer = bus.producer()
    for i in range(20):
        producer.produce("t", str(i).encode(), key=b"same")
    producer.flush()
    msgs = bus.consumer("g", ["t"]).poll_batch()
    assert {m.partition for m in msgs} == {partition_for(b"same", 4)}
    assert _values(msgs) == [str(i).encode() for i in range(20)]
    assert [m.offset for m in msgs] == list(range(20))


def test_uncommitted_messages_are_redelivered_committed_are_not(tmp_path):
    path = tmp_path / "b.sqlite"
    bus = LocalBus(path)
    producer = bus.producer()
    for i in range(6):
        producer.produce("t", str(i).encode(), key=b"one-partition", headers={"n": str(i)})
    producer.flush()
    consumer = bus.consumer("g", ["t"])
    batch = consumer.poll_batch()
    assert _values(batch) == [b"0", b"1", b"2", b"3", b"4", b"5"]
    consumer.commit(batch[:3])  # the output of the first three became durable, then a crash
    bus.close()
    restarted = LocalBus(path).consumer("g", ["t"])
    again = restarted.poll_batch()
    assert _values(again) == [b"3", b"4", b"5"]
    assert [m.headers["n"] for m in again] == ["3", "4", "5"]
    # another group is independent of g's offsets
    assert len(LocalBus(path).consumer("other", ["t"]).poll_batch()) == 6


def test_commit_all_then_nothing_left_and_lag(tmp_path):
    bus = LocalBus(tmp_path / "b.sqlite", partitions=2)
    producer = bus.producer()
    for i in range(10):
        producer.produce("t", b"x", key=str(i).encode())
    producer.flush()
    consumer = bus.consumer("g", ["t"])
    assert sum(consumer.lag().values()) == 10
    batch = consumer.poll_batch(max_messages=4)
    assert len(batch) == 4
    consumer.commit(batch)
    rest = consumer.poll_batch()
    assert len(rest) == 6
    consumer.commit(rest)
    assert sum(consumer.lag().values()) == 0
    assert bus.consumer("g", ["t"]).poll_batch() == []
    consumer.rewind()
    assert consumer.poll_batch() == []


def test_keyless_messages_spread_over_partitions(tmp_path):
    bus = LocalBus(":memory:", partitions=3)
    producer = bus.producer()
    for _ in range(9):
        producer.produce("t", b"v")
    producer.flush()
    msgs = bus.consumer("g", ["t"]).poll_batch()
    assert {m.partition for m in msgs} == {0, 1, 2}
    assert bus.end_offsets("t") == {0: 3, 1: 3, 2: 3}


def test_prune_drops_what_every_group_committed_and_keeps_offsets_monotonic(tmp_path):
    bus = LocalBus(tmp_path / "b.sqlite", partitions=1)
    producer = bus.producer()
    for i in range(10):
        producer.produce("t", str(i).encode())
    producer.produce("dlq", b"poison")
    producer.flush()
    fast, slow = bus.consumer("fast", ["t"]), bus.consumer("slow", ["t"])
    fast.commit(fast.poll_batch())
    slow.commit(slow.poll_batch(max_messages=4))
    assert bus.prune() == 4  # only what both groups are past
    assert [m.value for m in bus.consumer("slow", ["t"]).poll_batch()] == [
        str(i).encode() for i in range(4, 10)
    ]
    rest = slow.poll_batch()
    slow.commit(rest)
    assert bus.prune() == 5  # the newest message stays, so offsets never restart
    producer.produce("t", b"10")
    producer.flush()
    (new,) = bus.consumer("fast", ["t"]).poll_batch()
    assert (new.offset, new.value) == (10, b"10")
    assert [m.value for m in bus.consumer("reader", ["dlq"]).poll_batch()] == [b"poison"]  # unconsumed: kept


def test_a_group_that_has_read_nothing_yet_keeps_its_input_from_prune(tmp_path):
    bus = LocalBus(tmp_path / "b.sqlite", partitions=2)
    producer = bus.producer()
    for i in range(8):
        producer.produce("t", str(i).encode(), key=str(i).encode())
    producer.flush()
    fast = bus.consumer("fast", ["t"])
    late = bus.consumer("late", ["t"])  # created, nothing polled or committed yet
    fast.commit(fast.poll_batch())
    assert bus.prune() == 0
    assert len(late.poll_batch()) == 8


def test_prune_frees_committed_messages_so_retention_stays_bounded(tmp_path):
    """A producer and a consumer going round after round: the table holds at most one round."""
    bus = LocalBus(":memory:", partitions=2)
    producer, consumer = bus.producer(), bus.consumer("g", ["t"])
    retained = []
    for round_ in range(20):
        for i in range(100):
            producer.produce("t", b"x" * 100, key=f"{round_}-{i}".encode())
        producer.flush()
        while batch := consumer.poll_batch(max_messages=30):
            consumer.commit(batch)
        bus.prune()
        retained.append(bus.execute("SELECT COUNT(*) FROM messages")[0][0])
    assert max(retained) <= 2  # the newest message of each partition (offsets continue from it)
    assert sum(bus.end_offsets("t").values()) == 2000  # offsets were not reset by the pruning
