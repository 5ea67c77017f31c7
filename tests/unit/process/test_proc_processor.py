"""The Processor end to end on single records: fields, templates, detection, ids, bad input."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hephaestus.analyze.fingerprint import fingerprint
from hephaestus.errors import ConfigError, PermanentError
from hephaestus.process.processor import Processor, application_from_source, sanitize
from hephaestus.process.templates import TemplateMiner
from hephaestus.records import RawLog, RawMetadata
from hephaestus.settings import ProcessSettings

TS = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
PY_RECORD = """2024-01-01 10:00:00,123 ERROR shop.orders: payment failed for order 42
Traceback (most recent call last):
  File "/app/shop/orders.py", line 42, in total
    return a / b
ZeroDivisionError: division by zero"""


def _raw(message: str, **kw: object) -> RawLog:
    return RawLog(timestamp=TS, source="/var/log/shop.log", host="web1", message=message, **kw)  # type: ignore[arg-type]


def test_python_error_record_becomes_event() -> None:
    proc = Processor()
    (out,) = proc.process(_raw(PY_RECORD))
    s = out.structured
    assert out.is_error
    assert out.rule == "error-level"
    assert out.template == "payment failed for order <*>"
    assert isinstance(out.template_id, str)
    assert s.source.application == "shop"
    assert s.source.component == "shop.orders"
    assert s.error.type == "ZeroDivisionError"
    assert s.error.level == "ERROR"
    assert s.error.stack_trace is not None
    assert s.error.stack_trace.startswith("Traceback")
    assert s.original_timestamp == datetime(2024, 1, 1, 10, 0, 0, 123000, tzinfo=UTC)
    expected_id = hashlib.sha256(f"/var/log/shop.log|{TS.isoformat()}|{PY_RECORD}".encode()).hexdigest()[:24]
    assert s.log_id == expected_id
    ev = out.event
    assert ev is not None
    assert ev.event_id == expected_id
    assert ev.error_type == "ZeroDivisionError"
    assert ev.message == "division by zero"
    assert ev.frames[-1].function == "total"
    assert ev.fingerprint == fingerprint(
        error_type="ZeroDivisionError", frames=ev.frames, template=out.template, application="shop"
    )
    assert proc.counters.as_dict() == {"received": 1, "sent": 1, "errored": 0, "dropped": 0}


def test_info_record_is_not_an_error_and_origin_sets_id() -> None:
    proc = Processor(application="billing")
    (out,) = proc.process(_raw("2024-01-01 10:00:00,123 INFO shop: started"), origin="file:1")
    assert not out.is_error
    assert out.event is None
    assert out.rule is None
    assert out.structured.source.application == "billing"
    assert out.structured.log_id == hashlib.sha256(b"file:1").hexdigest()[:24]


def test_process_info_from_record_and_metadata() -> None:
    proc = Processor()
    line = json.dumps({"msg": "slow", "level": "warn", "pid": 9, "thread": "t1", "trace_id": "abc"})
    (out,) = proc.process(_raw(line))
    assert out.structured.context.process_info == {
        "pid": 9,
        "thread": "t1",
        "trace_id": "abc",
        "format": "json",
    }
    (out2,) = proc.process(
        _raw("plain text", metadata=RawMetadata(process_id=5, trace_id="t"), level="error")
    )
    assert out2.structured.context.process_info["pid"] == 5
    assert out2.is_error
    assert out2.event is not None
    assert out2.event.trace_id == "t"


def test_json_exception_field_and_http_status() -> None:
    proc = Processor()
    exc = "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'k'"
    (out,) = proc.process(_raw(json.dumps({"msg": "lookup failed", "level": "info", "exc_info": exc})))
    assert out.rule == "exception"
    assert out.structured.error.type == "KeyError"
    access = '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.1" 502 12 "-" "curl"'
    (out2,) = proc.process(_raw(access))
    assert out2.rule == "http-5xx"


def test_shared_miner_and_log_format_setting() -> None:
    miner = TemplateMiner()
    proc = Processor(settings=ProcessSettings(log_format="<Level> <Component>: <Content>"), miner=miner)
    (a,) = proc.process(_raw("ERROR db: connection 1 lost"))
    (b,) = proc.process(_raw("ERROR db: connection 2 lost"))
    assert a.template_id == b.template_id
    assert a.structured.source.component == "db"
    assert len(miner.templates()) == 1
    with pytest.raises(ConfigError, match="log_format"):
        Processor(settings=ProcessSettings(log_format="<Level>"))


def test_rules_file_setting(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("rules:\n  - name: boom\n    message: boom\n", encoding="utf-8")
    proc = Processor(settings=ProcessSettings(rules_file=str(path)))
    assert proc.process(_raw("2024-01-01 10:00:00 ERROR x: fine"))[0].is_error is False
    assert proc.process(_raw("a boom here"))[0].rule == "boom"


def test_empty_record_is_permanent_error() -> None:
    proc = Processor()
    with pytest.raises(PermanentError, match="empty"):
        proc.process(_raw("   \n"))
    with pytest.raises(PermanentError, match="RawLog"):
        proc.process("not a rawlog")  # type: ignore[arg-type]
    assert proc.counters.errored == 2
    assert proc.counters.received == 2


def test_binary_and_invalid_text_give_marked_records() -> None:
    proc = Processor()
    (out,) = proc.process(_raw("\x00\x01\x02\x03garbage\x04\x05"))
    assert out.parse_error == "binary data"
    assert out.structured.context.process_info["parse_error"] == "binary data"
    (out2,) = proc.process(_raw("bad \udcff byte"))
    assert out2.parse_error == "invalid UTF-8 (replaced)"
    (out3,) = proc.process(_raw('{"msg": "trunc'))
    assert out3.parse_error is not None
    assert out3.parse_error.startswith("invalid JSON")


def test_helpers() -> None:
    assert application_from_source("/var/log/shop.log") == "shop"
    assert application_from_source("C:\\logs\\api.txt") == "api"
    assert application_from_source("") == "unknown"
    assert sanitize("fine") == ("fine", None)
    assert sanitize("tab\tok with more words\x1b")[1] == "control characters (replaced)"
