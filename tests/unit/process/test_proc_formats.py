"""Format detection and field extraction for the supported log encodings."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from hephaestus.process.formats import compile_log_format, parse_record
from hephaestus.process.headers import LogFormat, normalize_level, parse_timestamp


def test_python_logging_default() -> None:
    p = parse_record("2024-01-01 10:00:00,123 ERROR shop.orders: payment failed\nTraceback ...")
    assert p.format == "python"
    assert (p.level, p.component, p.message) == ("ERROR", "shop.orders", "payment failed")
    assert p.timestamp == datetime(2024, 1, 1, 10, 0, 0, 123000, tzinfo=UTC)
    assert p.body == "Traceback ..."


@pytest.mark.parametrize(
    ("record", "message", "level", "ts_year"),
    [
        ('{"msg": "a", "level": "warn", "ts": "2024-05-01T00:00:00Z"}', "a", "WARNING", 2024),
        (
            '{"message": "b", "severity": "ERROR", "@timestamp": "2023-02-03T04:05:06.7+00:00"}',
            "b",
            "ERROR",
            2023,
        ),
        ('{"message": "c", "lvl": "info", "time": 1700000000}', "c", "INFO", 2023),
        ('{"message": "d", "lvl": "info", "time": 1700000000123}', "d", "INFO", 2023),
    ],
)
def test_json_aliases(record: str, message: str, level: str, ts_year: int) -> None:
    p = parse_record(record)
    assert p.format == "json"
    assert (p.message, p.level) == (message, level)
    assert p.timestamp is not None
    assert p.timestamp.year == ts_year


def test_json_exception_fields_and_nested_error() -> None:
    p = parse_record(json.dumps({"msg": "x", "exc_info": "Traceback ...", "pid": 7, "trace_id": "abc"}))
    assert (p.exception, p.pid, p.trace_id) == ("Traceback ...", 7, "abc")
    q = parse_record(json.dumps({"msg": "y", "error": {"stack_trace": "at a", "type": "E"}, "status": 503}))
    assert q.exception == "at a"
    assert q.status == 503
    assert q.fields["error.type"] == "E"


def test_truncated_and_non_object_json_are_marked() -> None:
    p = parse_record('{"msg": "cut')
    assert p.parse_error is not None
    assert p.message == '{"msg": "cut'
    assert parse_record("[1, 2]").format == "plain"
    assert parse_record("{1}").parse_error is not None


def test_logfmt() -> None:
    p = parse_record('ts=2024-01-01T00:00:00Z level=error msg="db down" pid=12 user=bob')
    assert p.format == "logfmt"
    assert (p.message, p.level, p.pid) == ("db down", "ERROR", 12)
    assert p.fields["user"] == "bob"
    assert parse_record("a=1 b=2").format == "plain"  # no known key: not logfmt


def test_syslog_3164_and_5424() -> None:
    p = parse_record("<11>Jan  3 10:00:00 web01 nginx[123]: upstream timed out")
    assert (p.format, p.component, p.pid, p.level, p.message) == (
        "syslog3164",
        "nginx",
        123,
        "ERROR",
        "upstream timed out",
    )
    q = parse_record('<165>1 2003-10-11T22:14:15.003Z host app 99 ID47 [ex@1 a="b"] hello there')
    assert (q.format, q.component, q.pid, q.level, q.message) == (
        "syslog5424",
        "app",
        99,
        "NOTICE",
        "hello there",
    )
    assert q.timestamp is not None


def test_access_and_error_logs() -> None:
    p = parse_record('10.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 503 2326 "-" "curl"')
    assert (p.format, p.status) == ("access", 503)
    assert p.message.startswith('"GET /a.gif HTTP/1.0" 503')
    assert p.timestamp is not None
    a = parse_record(
        "[Wed Oct 11 14:32:52.123 2000] [core:error] [pid 35:tid 9] [client 1.2.3.4:5] File missing"
    )
    assert (a.format, a.level, a.pid, a.component, a.message) == (
        "apache_error",
        "ERROR",
        35,
        "core",
        "File missing",
    )
    n = parse_record("2024/01/02 03:04:05 [crit] 10#11: *3 connect() failed")
    assert (n.format, n.level, n.pid, n.thread, n.message) == (
        "nginx_error",
        "CRITICAL",
        10,
        "11",
        "connect() failed",
    )


def test_log4j_spring_and_fallbacks() -> None:
    p = parse_record("2024-01-01 10:00:00.123 [http-nio-1] ERROR com.shop.Api - request failed")
    assert (p.format, p.thread, p.level, p.component) == ("log4j", "http-nio-1", "ERROR", "com.shop.Api")
    s = parse_record("2024-01-01 10:00:00.123  WARN 4242 --- [  main] o.s.Boot  : slow start")
    assert (s.format, s.pid, s.thread, s.message) == ("spring", 4242, "main", "slow start")
    t = parse_record("2024-01-01T10:00:00Z [ERROR] it broke")
    assert (t.format, t.level, t.message) == ("timestamp_level", "ERROR", "it broke")
    assert parse_record("just words").format == "plain"


def test_docker_json_file_and_cri() -> None:
    line = json.dumps(
        {"log": "2024-01-01 10:00:00,1 ERROR a: x\n", "stream": "stderr", "time": "2024-01-01T10:00:00Z"}
    )
    p = parse_record(line)
    assert (p.format, p.level, p.message) == ("docker+python", "ERROR", "x")
    c = parse_record("2024-01-01T10:00:00.1Z stderr F level=error msg=boom")
    assert (c.format, c.level, c.message) == ("cri+logfmt", "ERROR", "boom")


def test_journald_export_json() -> None:
    p = parse_record(
        json.dumps(
            {
                "MESSAGE": "unit failed",
                "PRIORITY": "3",
                "_PID": "8",
                "SYSLOG_IDENTIFIER": "systemd",
                "__REALTIME_TIMESTAMP": "1700000000000000",
            }
        )
    )
    assert (p.format, p.level, p.pid, p.component) == ("journald", "ERROR", 8, "systemd")
    assert p.timestamp == datetime.fromtimestamp(1_700_000_000, tz=UTC)


def test_logpai_pattern() -> None:
    fmt = compile_log_format("<Date> <Time> <Pid> <Level> <Component>: <Content>")
    p = parse_record(
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating", log_format=fmt
    )
    assert (p.format, p.level, p.pid, p.component) == ("logpai", "INFO", 148, "dfs.DataNode$PacketResponder")
    assert p.message == "PacketResponder 1 terminating"
    assert p.timestamp == datetime(2008, 11, 9, 20, 36, 15, tzinfo=UTC)
    assert fmt.split("nonsense") is None
    with pytest.raises(ValueError, match="Content"):
        compile_log_format("<Date> <Time>")
    with pytest.raises(ValueError, match="valid"):
        compile_log_format("<Content> (")


def test_level_and_timestamp_helpers() -> None:
    assert normalize_level("warn") == "WARNING"
    assert normalize_level("E") == "ERROR"
    assert normalize_level("3") == "ERROR"
    assert normalize_level(" ") is None
    assert parse_timestamp("not a time") is None
    assert parse_timestamp("x" * 100) is None


def test_python_bracket_logger_format_keeps_the_message_whole():
    from hephaestus.process.formats import parse_record

    rec = parse_record("2026-11-24 02:00:00,815 INFO [shop.http] GET /orders?page=0 200 22ms")
    assert rec.component == "shop.http"
    assert rec.message == "GET /orders?page=0 200 22ms"
    assert rec.level == "INFO"


def test_log_format_fields_equal_logparsers_all_lazy_construction() -> None:
    pattern = "<Date> <Time> <Level> <Component>: <Content>"
    fmt = LogFormat(pattern)
    lazy = re.compile(
        r"^(?P<Date>.*?)\s+(?P<Time>.*?)\s+(?P<Level>.*?)\s+(?P<Component>.*?):\s+(?P<Content>.*?)$"
    )
    lines = [
        "081109 203615 INFO dfs.DataNode: a: b: c  ",
        "081109 203615 INFO  dfs.DataNode:   spaced   content: x",
        "2024-01-01 10:00:00 WARN x.y: ",
        "no header at all",
        "a b c d: e\tf",
    ]
    for line in lines:
        ours = fmt.regex.match(line.strip())
        theirs = lazy.match(line.strip())
        assert (ours.groupdict() if ours else None) == (theirs.groupdict() if theirs else None), line


def test_timestamp_shape_that_keeps_failing_is_given_up_but_a_parsing_shape_never(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hephaestus.process import timestamps

    tried: list[str] = []
    real = timestamps._parse_timestamp
    monkeypatch.setattr(timestamps, "_parse_timestamp", lambda raw: tried.append(raw) or real(raw))
    monkeypatch.setattr(timestamps, "_STAMP_CACHE", {})
    monkeypatch.setattr(timestamps, "_SHAPE_FAILURES", {})
    bad = [f"2005-06-03-15.42.{i:02d}.363779" for i in range(20)]
    assert all(parse_timestamp(raw) is None for raw in bad)
    assert len(tried) == timestamps._SHAPE_GIVE_UP  # then no more attempts for that shape
    tried.clear()
    # a shape that fails once (no such day) and then parses stays tried
    assert parse_timestamp("2024-02-30 10:00:00") is None
    assert parse_timestamp("2024-02-10 10:00:00") == datetime(2024, 2, 10, 10, tzinfo=UTC)
    assert parse_timestamp("2024-02-31 10:00:00") is None
    assert parse_timestamp("2024-02-11 10:00:00") == datetime(2024, 2, 11, 10, tzinfo=UTC)
    assert len(tried) == 4
