"""The fast paths of the PROCESS stage agree with the plain implementations they shortcut."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hephaestus.process import headers, stacktrace
from hephaestus.process.headers import parse_timestamp
from hephaestus.process.processor import Processor
from hephaestus.process.stacktrace import parse_stack_trace
from hephaestus.records import RawLog

HEADER_LINES = [
    "<34>1 2024-01-01T10:00:00Z host app 42 ID47 - message here",
    "<13>Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
    "Jun 14 15:16:01 combo sshd[19939]: authentication failure",
    '10.0.0.1 - bob [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 500 12',
    '[::1] - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 -',
    '2024-01-01 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5',
    "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
    "[Thu Jun 09 06:07:04.123 2022] [core:error] [pid 12:tid 34] [client 1.2.3.4:5] AH0: x",
    "2023/10/10 13:55:36 [error] 1234#0: *5 open() failed",
    "2024-01-01 10:00:00.123  INFO 4242 --- [           main] o.s.b.App : Started",
    "2024-01-01 10:00:00,123 ERROR shop.orders: payment failed",
    "2024-01-01 10:00:00,123 - shop.orders - WARNING - low stock",
    "2024-01-01 10:00:00,123 [main] INFO org.example.App - started",
    "2024-01-01 10:00:00,123 INFO [main] org.example.App - started",
    "2024-01-01 10:00:00,123 INFO [shop.http] GET /orders 200",
    "2024-01-01T10:00:00Z [ERROR]: broken",
    "2024-01-01T10:00:00Z something happened",
    "ERROR: disk full",
    "[warn]: careful",
    "error: lower case level",
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block",
    "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity",
    "12-17 19:31:36.263  1795  1825 I PowerManager_screenOn: DisplayPowerStatesetColorFadeLevel",
    "  indented line",
    "",
    "{not json",
    "\u017fevere: long s folds to S",
    "Éclair: unicode first letter",
    "٣٣٣٣-01-01 10:00:00 arabic-indic digits",
    "2024-01-01",
]


@pytest.mark.parametrize("line", HEADER_LINES)
def test_header_detection_matches_the_in_order_scan(line: str) -> None:
    assert headers.detect(line) == headers._detect_reference(line)


def test_timestamp_cache_gives_the_same_answers_in_any_order() -> None:
    stamps = [
        "10/Oct/2023:13:55:36 +0000",
        "2023/10/10 13:55:36",
        "Sun Dec 04 04:47:44.123 2005",
        "Sun Dec 04 04:47:44 2005",
        "Jun 14 15:16:01",
        "081109 203615",
        "20171223 22:15:29",
        "2024-01-01 10:00:00,5",
        "1700000000",
        "not a time",
        "Jun 14 15:16:01",  # cached now
    ]
    first = [parse_timestamp(s) for s in stamps]
    second = [parse_timestamp(s) for s in reversed(stamps)]
    assert first == list(reversed(second))
    assert first[0] == datetime(2023, 10, 10, 13, 55, 36, tzinfo=UTC)
    assert first[4] is not None
    assert first[4].year == datetime.now(UTC).year
    assert first[9] is None
    assert parse_timestamp("1900-01-01T00:00:00") == datetime(1900, 1, 1, tzinfo=UTC)  # ISO keeps 1900


@pytest.mark.parametrize(
    "text",
    [
        "plain single line",
        "Traceback (most recent call last): in one line",
        json.dumps(
            {
                "msg": "x",
                "exc_info": 'Traceback (most recent call last):\n  File "a.py", line 1, in f\n'
                "    g()\nValueError: bad",
            }
        ),
        '{"msg": "x", "stack": "Error: boom\\u000a    at f (/a.js:1:2)"}',
        '{"msg": "x", "note": "a\\\\nb"}',
        "panic: one line goroutine 1 [running]:",
        '  {"msg": "indented json"}  ',
    ],
)
def test_single_line_trace_fast_path_matches_the_full_search(text: str) -> None:
    stripped = text.strip()
    expected = None
    if stripped.startswith("{"):
        for value in stacktrace._json_strings(stripped):
            expected = stacktrace._parse_plain(value)
            if expected is not None:
                break
    if expected is None:
        expected = stacktrace._parse_plain(text)
    assert parse_stack_trace(text) == expected


def test_counters_count_received_once_also_when_processing_fails() -> None:
    proc = Processor()
    ts = datetime(2024, 1, 1, tzinfo=UTC)
    proc.process(RawLog(timestamp=ts, source="s", host="h", message="fine"))
    proc.miner.add = lambda content: 1 / 0  # type: ignore[method-assign, assignment, return-value]
    with pytest.raises(ZeroDivisionError):
        proc.process(RawLog(timestamp=ts, source="s", host="h", message="boom"))
    assert proc.counters.as_dict() == {"received": 2, "sent": 1, "errored": 0, "dropped": 0}
