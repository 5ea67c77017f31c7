"""Bad input never crashes the stage: binary, invalid UTF-8, huge lines, truncated JSON (hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hephaestus.errors import PermanentError
from hephaestus.process.formats import parse_record
from hephaestus.process.masking import Masker
from hephaestus.process.multiline import MultilineAssembler
from hephaestus.process.processor import Processor
from hephaestus.process.stacktrace import parse_stack_trace
from hephaestus.process.templates import TemplateMiner
from hephaestus.records import RawLog

TS = datetime(2024, 1, 1, tzinfo=UTC)
PROC = Processor()


def _raw(message: str) -> RawLog:
    return RawLog(timestamp=TS, source="/var/log/fuzz.log", host="h", message=message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400))
def test_any_bytes_decoded_leniently_give_a_record(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    try:
        (out,) = PROC.process(_raw(text))
    except PermanentError:
        assert not text.strip()  # only blank input is refused
        return
    assert out.structured.log_id
    assert out.template_id
    if "\x00" in text or any(0xDC80 <= ord(c) <= 0xDCFF for c in text):
        assert out.parse_error is not None


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_any_text_through_every_piece(text: str) -> None:
    parse_record(text)
    parse_stack_trace(text)
    Masker().mask(text)
    TemplateMiner().add(text)
    asm = MultilineAssembler(max_lines=3)
    out = [r for i, line in enumerate(text.split("\n"), 1) for r in asm.feed(line, line_no=i)] + asm.flush()
    assert all(r.first_line <= r.last_line for r in out)
    assert all(len(r.text.split("\n")) <= 3 for r in out)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["msg", "level", "ts", "exc_info", "pid", "x"]), st.text(max_size=30)),
    st.data(),
)
def test_truncated_json_is_marked_not_raised(obj: dict[str, str], data: st.DataObject) -> None:
    line = json.dumps(obj)
    cut = data.draw(st.integers(min_value=1, max_value=max(1, len(line) - 1)))
    (out,) = PROC.process(_raw(line[:cut] if cut < len(line) else line + "{"))
    assert out.parse_error is not None


def test_one_megabyte_line() -> None:
    line = "2024-01-01 10:00:00,000 ERROR big: " + "x1 " * 350_000
    (out,) = PROC.process(_raw(line))
    assert out.is_error
    assert len(out.template) <= 5000  # only the head of a huge message is templated
    (out2,) = PROC.process(_raw("y" * 1_000_000))
    assert out2.structured.error.message == "y" * 1_000_000
