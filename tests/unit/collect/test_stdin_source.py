"""StdinSource over a real pipe: partial lines, multi-line records, truncation, idle flush, EOF."""

import os
import threading
import time

from hephaestus.collect import StdinSource

TRACE = (
    "2026-01-01 10:00:01,002 ERROR [app] failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/a.py", line 3, in f\n'
    "    return 1 / 0\n"
    "ZeroDivisionError: division by zero\n"
)


def _all(source):
    out = []
    while True:
        got = list(source.read())
        if not got and source.finished:
            return out
        out += got


def test_blocking_read_until_eof_assembles_records_and_keeps_the_unterminated_last_line():
    r, w = os.pipe()

    def writer():
        data = ("2026-01-01 10:00:00,000 INFO [app] start\n" + TRACE + "tail without newline").encode()
        for i in range(0, len(data), 13):  # lines cut across writes
            os.write(w, data[i : i + 13])
        os.close(w)

    threading.Thread(target=writer).start()
    source = StdinSource(r, wait_s=None)
    items = _all(source)
    os.close(r)
    assert [i.raw.message for i in items] == [
        "2026-01-01 10:00:00,000 INFO [app] start",
        TRACE.rstrip("\n"),
        "tail without newline",
    ]
    assert source.counters.sent == 3
    assert len({i.origin for i in items}) == 3
    assert items[1].origin.endswith("@41")  # the byte offset where the record starts


def test_over_long_lines_are_truncated_with_a_marker():
    r, w = os.pipe()
    os.write(w, b"a" * 100 + b"\nshort\n" + b"b" * 50)
    os.close(w)
    source = StdinSource(r, wait_s=None, max_line_bytes=10)
    texts = [i.raw.message for i in _all(source)]
    os.close(r)
    assert texts == [
        "a" * 10 + " [... 90 more bytes truncated]",
        "short",
        "b" * 10 + " [... 40 more bytes truncated]",
    ]
    assert source.truncated_lines == 2


def test_a_quiet_stream_returns_and_flushes_an_open_record_after_idle_time():
    r, w = os.pipe()
    os.write(w, TRACE.encode())
    source = StdinSource(r, wait_s=0.02, idle_flush_s=0.2)
    first = list(source.read())
    assert first == []  # the trace may continue: held
    deadline = time.monotonic() + 5
    got = []
    while not got and time.monotonic() < deadline:
        got = list(source.read())
    assert [g.raw.message for g in got] == [TRACE.rstrip("\n")]
    assert not source.finished
    os.close(w)
    assert _all(source) == []
    assert source.finished
    os.close(r)
