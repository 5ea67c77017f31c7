"""Pytest failure sections: parsed as Python traces, one record and one error per failing test."""

from __future__ import annotations

from datetime import UTC, datetime

from hephaestus.process.multiline import MultilineAssembler
from hephaestus.process.processor import Processor
from hephaestus.process.pytest_output import is_section_header, is_separator, parse_pytest_failure
from hephaestus.process.stacktrace import parse_stack_trace
from hephaestus.records import RawLog
from hephaestus.repair.logparse import parse_pytest

LONG = """________________________ test_discount_lowers_price ________________________

    def test_discount_lowers_price():
>       assert apply_discount(80.0, 25) == 60.0
E       assert 100.0 == 60.0
E        +  where 100.0 = apply_discount(80.0, 25)

tests/test_hidden.py:5: AssertionError"""

# --tb=auto with a frame in the code under test, separated by the "_ _ _" line (pytest prints the
# location of a frame that did not raise with a trailing space).
DEEP = """__________________________ TestRates.test_zero[eu] __________________________

self = <tests.test_rates.TestRates object at 0x7f>

    def test_zero(self):
>       assert rate(0) == 0

tests/test_rates.py:12:{space}
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _

n = 0

    def rate(n):
        def helper():
            return 1
>       return 100 / n
E       ZeroDivisionError: division by zero

src/rates/core.py:4: ZeroDivisionError""".format(space=" ")

SHORT = """_________________________ test_load _________________________
tests/test_cfg.py:7: in test_load
    load("x")
src/cfg.py:3: in load
    return json.loads(text)
E   json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)"""

NATIVE = """_________________________ test_native _________________________
Traceback (most recent call last):
  File "/w/tests/test_n.py", line 4, in test_native
    f()
  File "/w/src/n.py", line 2, in f
    raise KeyError("k")
KeyError: 'k'"""

RUN = """============================= test session starts ==============================
platform linux -- Python 3.11.7, pytest-9.2.0, pluggy-1.6.0
collected 2 items

tests/test_hidden.py FF                                                  [100%]

=================================== FAILURES ===================================
________________________________ test_not_owner ________________________________

    def test_not_owner():
>       assert not can_edit({"id": 3}, {"owner": 4})
E       AssertionError: assert not True
E        +  where True = can_edit({'id': 3}, {'owner': 4})

tests/test_hidden.py:5: AssertionError
__________________________ test_archived_own_document __________________________

    def test_archived_own_document():
>       assert not can_edit({"id": 3}, {"owner": 3, "archived": True})
E       AssertionError: assert not True

tests/test_hidden.py:9: AssertionError
=========================== short test summary info ============================
FAILED tests/test_hidden.py::test_not_owner - AssertionError: assert not True
FAILED tests/test_hidden.py::test_archived_own_document - AssertionError: assert not True
============================== 2 failed in 0.21s ==============================="""


def test_header_and_separator_predicates() -> None:
    assert is_section_header("____ test_x ____")
    assert is_section_header("2024-01-01T10:00:00.123456789Z ____ ERROR at setup of test_x ____")
    assert not is_section_header("_ _ _ _ _ _ _ _ _ _")
    assert not is_section_header("__init__ ___")
    assert is_separator("==== short test summary info ====")
    assert is_separator("=" * 40)
    assert not is_separator("== not a pytest line")


def test_long_style_section() -> None:
    failure = parse_pytest_failure(LONG)
    assert failure is not None
    assert failure.test_name == "test_discount_lowers_price"
    assert failure.error_type == "AssertionError"
    assert failure.message == "assert 100.0 == 60.0"
    assert [(f.file, f.line, f.function, f.source_line) for f in failure.frames] == [
        ("tests/test_hidden.py", 5, "test_discount_lowers_price", "assert apply_discount(80.0, 25) == 60.0")
    ]
    assert failure.text == LONG


def test_frames_through_the_code_under_test_innermost_last() -> None:
    failure = parse_pytest_failure(DEEP)
    assert failure is not None
    assert failure.error_type == "ZeroDivisionError"
    assert failure.message == "division by zero"
    assert [(f.file, f.line, f.function, f.source_line) for f in failure.frames] == [
        ("tests/test_rates.py", 12, "test_zero", "assert rate(0) == 0"),
        ("src/rates/core.py", 4, "rate", "return 100 / n"),  # the outer def, not the nested helper
    ]


def test_short_style_takes_the_exception_from_the_e_line() -> None:
    failure = parse_pytest_failure(SHORT)
    assert failure is not None
    assert failure.error_type == "json.decoder.JSONDecodeError"
    assert failure.message == "Expecting value: line 1 column 1 (char 0)"
    assert [(f.file, f.line, f.function, f.source_line) for f in failure.frames] == [
        ("tests/test_cfg.py", 7, "test_load", 'load("x")'),
        ("src/cfg.py", 3, "load", "return json.loads(text)"),
    ]


def test_section_ends_at_the_next_header_or_separator() -> None:
    failure = parse_pytest_failure(RUN)
    assert failure is not None
    assert failure.test_name == "test_not_owner"
    assert failure.message == "assert not True"
    assert failure.text.split("\n")[0].strip("_ ") == "test_not_owner"
    assert failure.text.endswith("tests/test_hidden.py:5: AssertionError")
    assert "test_archived_own_document" not in failure.text


def test_log_prefix_before_the_header_is_dropped_from_the_text() -> None:
    failure = parse_pytest_failure("2024-01-01T10:00:00.123456789Z " + LONG)
    assert failure is not None
    assert failure.text == LONG


def test_no_section_or_an_empty_one_is_not_a_failure() -> None:
    assert parse_pytest_failure("2024-01-01 INFO plain\nline two") is None
    assert parse_pytest_failure("____ notes ____\njust some text\n") is None


def test_parse_stack_trace_recognises_sections() -> None:
    trace = parse_stack_trace(DEEP)
    assert trace is not None
    assert (trace.language, trace.error_type, trace.text) == ("python", "ZeroDivisionError", DEEP)
    assert trace.frames[-1].function == "rate"
    native = parse_stack_trace(NATIVE)
    assert native is not None
    assert (native.error_type, native.message, native.text) == ("KeyError", "'k'", NATIVE)
    assert [f.function for f in native.frames] == ["test_native", "f"]


def test_repair_side_reads_what_the_process_stage_keeps() -> None:
    trace = parse_stack_trace(LONG)
    assert trace is not None
    failure = parse_pytest(trace.text)
    assert failure is not None
    assert failure.error_type == "AssertionError"
    assert [(f.file, f.line) for f in failure.frames] == [("tests/test_hidden.py", 5)]


def test_a_pytest_run_yields_one_error_per_failed_test() -> None:
    asm = MultilineAssembler()
    records = []
    for no, line in enumerate(RUN.split("\n"), 1):
        records.extend(asm.feed(line, line_no=no))
    records.extend(asm.flush())
    processor = Processor()
    errors = []
    for rec in records:
        raw = RawLog(timestamp=datetime(2024, 1, 1, tzinfo=UTC), source="ci.log", host="h", message=rec.text)
        (done,) = processor.process(raw)
        if done.is_error:
            errors.append(done)
    assert [e.rule for e in errors] == ["exception", "exception"]  # the FAILED summary lines are not errors
    events = [e.event for e in errors]
    assert [(ev.error_type, ev.message) for ev in events if ev is not None] == [
        ("AssertionError", "assert not True"),
        ("AssertionError", "assert not True"),
    ]
    assert [ev.frames[-1].function for ev in events if ev is not None] == [
        "test_not_owner",
        "test_archived_own_document",
    ]


def test_a_title_wider_than_the_terminal_keeps_one_underscore_each_side() -> None:
    """pytest prints `_ title _` when the title is wider than the terminal (long parametrized ids)."""
    name = "TestRates.test_zero[" + "-".join(f"region{i}" for i in range(12)) + "]"
    wide = f"_ {name} _"
    assert is_section_header(wide)
    assert not is_section_header("_ short _")  # a short line needs the usual rule of 3+
    assert not is_section_header("_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _")
    failure = parse_pytest_failure(LONG.replace(LONG.splitlines()[0], wide))
    assert failure is not None
    assert failure.test_name == name
    assert failure.frames[-1].file == "tests/test_hidden.py"
