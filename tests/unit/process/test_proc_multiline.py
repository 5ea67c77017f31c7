"""Multi-line assembly: traces join their first line, JSON lines stand alone, caps hold."""

from __future__ import annotations

from hephaestus.process.multiline import Assembled, MultilineAssembler


def _assemble(text: str, *, max_lines: int = 500) -> list[Assembled]:
    asm = MultilineAssembler(max_lines=max_lines)
    out: list[Assembled] = []
    for no, line in enumerate(text.split("\n"), 1):
        out.extend(asm.feed(line, line_no=no))
    out.extend(asm.flush())
    return out


PY_CHAINED = """2024-01-01 10:00:00,123 ERROR app: boom
Traceback (most recent call last):
  File "/app/x.py", line 3, in f
    return 1 / 0
ZeroDivisionError: division by zero

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/y.py", line 9, in g
    raise ValueError("bad")
ValueError: bad
2024-01-01 10:00:01,000 INFO app: next"""


def test_python_chained_traceback_joins_into_one_record() -> None:
    recs = _assemble(PY_CHAINED)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 12), (13, 13)]
    assert recs[0].text.startswith("2024-01-01 10:00:00,123 ERROR app: boom\nTraceback")
    assert recs[0].text.endswith("ValueError: bad")
    assert recs[1].text == "2024-01-01 10:00:01,000 INFO app: next"


def test_java_trace_with_caused_by_and_more() -> None:
    text = (
        "2024-01-01 10:00:02.000 [main] ERROR com.x.Foo - failed\n"
        "java.lang.IllegalStateException: nope\n"
        "\tat com.x.Foo.bar(Foo.java:10)\n"
        "Caused by: java.io.IOException: disk\n"
        "\tat com.x.Disk.read(Disk.java:3)\n"
        "\t... 2 more\n"
        "2024-01-01 10:00:03.000 [main] INFO com.x.Foo - ok"
    )
    recs = _assemble(text)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 6), (7, 7)]


def test_exception_header_without_frames_stays_separate() -> None:
    recs = _assemble("INFO starting\nValueError: not a trace\nINFO next")
    assert [r.text for r in recs] == ["INFO starting", "ValueError: not a trace", "INFO next"]


def test_go_panic_with_goroutine_dump() -> None:
    text = (
        "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d\n"
        "exit status 2\nnext line"
    )
    recs = _assemble(text)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 6), (7, 7)]


def test_node_and_dotnet_frames_join() -> None:
    node = "app crashed\nTypeError: x is undefined\n    at f (/app/a.js:1:2)\n    at /app/b.js:3:4\nok"
    assert [(r.first_line, r.last_line) for r in _assemble(node)] == [(1, 4), (5, 5)]
    dotnet = "fail\nSystem.NullReferenceException: Object\n   at A.B.C() in C:\\a.cs:line 4\nok"
    assert [(r.first_line, r.last_line) for r in _assemble(dotnet)] == [(1, 3), (4, 4)]


def test_json_line_is_always_its_own_record() -> None:
    text = '{"msg": "a"}\n  indented after json\n{"msg": "b"}\nTraceback (most recent call last):'
    recs = _assemble(text)
    assert [r.text for r in recs] == [
        '{"msg": "a"}',
        "  indented after json",
        '{"msg": "b"}',
        "Traceback (most recent call last):",
    ]


def test_timestamp_line_always_starts_a_record() -> None:
    text = "2024-01-01 10:00:00 a\n2024-01-01 10:00:01 b\nJan  3 10:00:00 host c"
    assert len(_assemble(text)) == 3


def test_max_lines_caps_a_record() -> None:
    text = "start\n" + "\n".join(f"    at frame{i}" for i in range(9))
    recs = _assemble(text, max_lines=4)
    assert [len(r.text.split("\n")) for r in recs] == [4, 4, 2]
    assert recs[1].first_line == 5
    assert recs[-1].last_line == 10


def test_blank_lines_alone_make_no_record_and_trailing_blanks_are_trimmed() -> None:
    recs = _assemble("\n\nfirst\n    at x\n\n\n")
    assert [(r.text, r.first_line, r.last_line) for r in recs] == [("first\n    at x", 3, 4)]


def test_crlf_is_stripped() -> None:
    recs = _assemble("a\r\nb\r")
    assert [r.text for r in recs] == ["a", "b"]
