"""PushSource tickets resolve only after the bus flushed; backpressure; Pump dead-letters with reasons."""

from datetime import UTC, datetime

import pytest

from hephaestus.bus.local import LocalBus
from hephaestus.collect import PushSource
from hephaestus.collect.pump import DLQ_SOURCE, Pump
from hephaestus.errors import BackpressureError, RetryableError
from hephaestus.pipeline import Pipeline
from hephaestus.records import RawLog


def _raws(n, text="line"):
    now = datetime.now(UTC)
    return [RawLog(timestamp=now, source="t", host="h", message=f"{text} {i}") for i in range(n)], [
        f"o#{i}" for i in range(n)
    ]


def test_ticket_resolves_only_at_commit_after_its_last_record_was_read():
    source = PushSource(capacity=100, chunk=3)
    t1 = source.offer(*_raws(2), timeout=0)
    t2 = source.offer(*_raws(2), timeout=0)
    reader = source.read()
    got = [next(reader), next(reader)]
    source.commit()  # what a flush mid-group would do: t1's last record not yet past the yield
    assert not t1.done()
    got += list(reader)  # chunk 3: only the first group (two groups would be 4)
    assert len(got) == 2
    source.commit()
    assert t1.result(0) == 2
    assert not t2.done()
    assert source.held == 2
    assert len(list(source.read())) == 2
    source.commit()
    assert t2.result(0) == 2
    assert source.counters.as_dict() == {"received": 4, "sent": 4, "errored": 0, "dropped": 0}


def test_full_buffer_refuses_with_backpressure_and_counts_the_drop():
    source = PushSource(capacity=5)
    source.offer(*_raws(4), timeout=0)
    with pytest.raises(BackpressureError, match="buffer full"):
        source.offer(*_raws(2), timeout=0.05)
    assert source.counters.dropped == 2
    big = PushSource(capacity=5)
    assert not big.offer(*_raws(50), timeout=0).done()  # larger than the buffer: taken when it is empty


def test_close_fails_pending_tickets_so_no_sender_waits_forever():
    source = PushSource()
    ticket = source.offer(*_raws(3), timeout=0)
    source.close()
    with pytest.raises(RetryableError, match="stopped before"):
        ticket.result(0)
    with pytest.raises(RetryableError):
        source.offer(*_raws(1), timeout=0)


def test_pump_moves_records_and_dead_frames_with_their_reason(tmp_path):
    bus = LocalBus(tmp_path / "bus.sqlite")
    source = PushSource()
    source.name = "test-source"
    pump = Pump(source, bus).start()
    ticket = source.offer(*_raws(300), timeout=0)
    source.offer_dead(b"garbage", "syslog: no <PRI> at the start")
    assert ticket.result(10) == 300
    pump.stop()
    reader = Pipeline(bus=bus, store=None)
    consumer = bus.consumer("check", [reader.raw])
    values = []
    while batch := consumer.poll_batch(1000, timeout=0.1):
        values += batch
    assert len(values) == 300
    assert {m.headers["hephaestus-origin"] for m in values} == {f"o#{i}" for i in range(300)}
    (dead,) = reader.dead_letters()
    assert dead == {"reason": "syslog: no <PRI> at the start", "value": "garbage"}
    dlq = bus.consumer("check-dlq", [reader.dlq]).poll_batch(10, timeout=0.1)
    assert dlq[0].headers[DLQ_SOURCE] == "test-source"
    assert source.counters.as_dict() == {"received": 301, "sent": 300, "errored": 1, "dropped": 0}
