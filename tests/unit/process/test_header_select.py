"""The header selector finds the same first detector as trying each detector in order."""

from __future__ import annotations

import itertools
import re

import pytest

from hephaestus.process import headers
from hephaestus.process.formats import ParsedLine, compile_log_format, parse_record
from hephaestus.process.header_select import build_selector, marker_index

_STAMPS = [
    "2024-01-01 10:00:00",
    "2024-01-01T10:00:00Z",
    "2024-01-01 10:00:00,123",
    "2024-01-01T10:00:00.123456+01:00",
    "2024-01-01 10:00:00-0500",
    "2024-01-01 10:00:00.5Z",
    "2024-01-01 10:00:00,12x",
    "2024-01-01 10:00",
]
_RESTS = [
    "  INFO 4242 --- [           main] o.s.b.App : Started",
    " ERROR shop.orders: payment failed",
    " - shop.orders - WARNING - low stock",
    " [main] INFO org.example.App - started",
    " INFO [main] org.example.App - started",
    " INFO [shop.http] GET /orders 200",
    " [ERROR]: broken",
    "\tWARN: tabbed",
    " something happened",
    ' - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5',
    "+0100 INFO x: y",
    "Z - a - INFO - b",
    "",
    " ",
]


@pytest.mark.parametrize(("stamp", "rest"), list(itertools.product(_STAMPS, _RESTS)))
def test_iso_lines_find_the_detector_the_in_order_scan_finds(stamp: str, rest: str) -> None:
    line = stamp + rest
    assert headers.detect(line) == headers._detect_reference(line)


def test_detect_builds_the_requested_class() -> None:
    found = headers.detect("2024-01-01 10:00:00,123 ERROR shop.orders: payment failed", cls=ParsedLine)
    assert isinstance(found, ParsedLine)
    assert (found.format, found.level, found.component) == ("python", "ERROR", "shop.orders")


def test_selector_marks_the_first_matching_alternative() -> None:
    sources = [r"^ab(?P<x>\d+)\s+x$", r"^ab\d+\s+(?P<y>\w+)$", r"^c(?P<z>.*)$", r"^ab\d+ .*$"]
    select = build_selector(sources, head=r"ab\d+")
    assert select is not None
    for line, want in (("ab12 x", 0), ("ab1  yy", 1), ("cab", 2), ("ab1 y z", 3), ("zz", None)):
        m = select.match(line)
        got = None if m is None else marker_index(m)
        first = next((k for k, rx in enumerate(sources) if re.match(rx, line)), None)
        assert got == want == first, line
    assert build_selector(sources[:1], head="ab") is None


def test_selector_refuses_unnamed_groups() -> None:
    with pytest.raises(ValueError, match="groups"):
        build_selector([r"^(a)b$", r"^c$"], head="a")


def test_a_long_line_in_a_known_format_keeps_its_overflow() -> None:
    fmt = compile_log_format("<Level> <Content>")
    parsed = parse_record("INFO " + "x" * 9000 + "\nmore", log_format=fmt)
    assert (parsed.format, parsed.level, len(parsed.message), parsed.body) == ("logpai", "INFO", 9000, "more")


def test_header_fields_keep_the_order_fields_from_builds_them_in() -> None:
    from dataclasses import fields

    names = [f.name for f in fields(headers.HeaderFields)]
    assert names[:10] == [
        *("format", "message", "timestamp", "level", "component"),
        *("pid", "thread", "trace_id", "status", "fields"),
    ]
