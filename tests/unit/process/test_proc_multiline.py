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


JOURNALD = """Jul 07 07:06:00 web-2 gateway[1222]: INFO gateway.boot: starting
Jul 07 07:06:00 web-2 gateway[1222]: ERROR gateway.boot: invalid configuration
Jul 07 07:06:00 web-2 gateway[1222]: Traceback (most recent call last):
Jul 07 07:06:00 web-2 gateway[1222]:   File "/srv/gateway/settings.py", line 20, in http_timeout
Jul 07 07:06:01 web-2 gateway[1222]:     return DEFAULT_TIMEOUT
Jul 07 07:06:01 web-2 gateway[1222]:            ^^^^^^^^^^^^^^^
Jul 07 07:06:01 web-2 gateway[1222]: NameError: name 'DEFAULT_TIMEOUT' is not defined
Jul 07 07:06:02 web-2 gateway[1222]: INFO gateway.boot: retrying"""


def test_syslog_prefix_is_stripped_from_continuation_lines() -> None:
    recs = _assemble(JOURNALD)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 1), (2, 7), (8, 8)]
    assert recs[1].text == (
        "Jul 07 07:06:00 web-2 gateway[1222]: ERROR gateway.boot: invalid configuration\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/gateway/settings.py", line 20, in http_timeout\n'
        "    return DEFAULT_TIMEOUT\n"
        "           ^^^^^^^^^^^^^^^\n"
        "NameError: name 'DEFAULT_TIMEOUT' is not defined"
    )


def test_syslog_trace_as_first_line_and_short_iso_timestamps() -> None:
    text = (
        "2024-07-07T07:06:00+0000 web-2 api[7]: Traceback (most recent call last):\n"
        '2024-07-07T07:06:00+0000 web-2 api[7]:   File "/a.py", line 1, in f\n'
        "2024-07-07T07:06:00+0000 web-2 api[7]: KeyError: 'x'\n"
        "2024-07-07T07:06:01+0000 web-2 api[7]: INFO ok"
    )
    recs = _assemble(text)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 3), (4, 4)]
    assert recs[0].text.split("\n")[1:] == ['  File "/a.py", line 1, in f', "KeyError: 'x'"]


def test_a_different_program_or_pid_does_not_continue_the_record() -> None:
    text = (
        "Jul 07 07:06:00 web-2 api[7]: ERROR failed\n"
        "Jul 07 07:06:00 web-2 worker[8]:   indented line of another program\n"
        "Jul 07 07:06:00 web-2 api[9]: Traceback (most recent call last):"
    )
    assert [(r.first_line, r.last_line) for r in _assemble(text)] == [(1, 1), (2, 2), (3, 3)]


def test_prefixed_plain_lines_stay_separate_records() -> None:
    text = "Jul 07 07:06:00 web-2 api[7]: GET /a 200\nJul 07 07:06:00 web-2 api[7]: GET /b 200"
    assert [r.text for r in _assemble(text)] == text.split("\n")


def test_prefixed_exception_header_without_frames_keeps_its_prefix() -> None:
    text = (
        "Jul 07 07:06:00 web-2 api[7]: INFO starting\n"
        "Jul 07 07:06:00 web-2 api[7]: ValueError: not a trace\n"
        "Jul 07 07:06:00 web-2 api[7]: INFO next"
    )
    assert [r.text for r in _assemble(text)] == text.split("\n")


def test_prefixed_java_header_joins_when_frames_follow() -> None:
    text = (
        "Jul 07 07:06:00 web-2 svc[3]: ERROR request failed\n"
        "Jul 07 07:06:00 web-2 svc[3]: java.lang.IllegalStateException: nope\n"
        "Jul 07 07:06:00 web-2 svc[3]: \tat com.x.Foo.bar(Foo.java:10)"
    )
    recs = _assemble(text)
    assert len(recs) == 1
    assert recs[0].text.split("\n")[1:] == [
        "java.lang.IllegalStateException: nope",
        "\tat com.x.Foo.bar(Foo.java:10)",
    ]


def test_cri_and_docker_timestamp_prefixes() -> None:
    cri = (
        "2024-01-01T10:00:00.123456789Z stderr F ERROR boom\n"
        "2024-01-01T10:00:00.123456790Z stderr F Traceback (most recent call last):\n"
        '2024-01-01T10:00:00.123456791Z stderr F   File "/a.py", line 1, in f\n'
        "2024-01-01T10:00:00.123456792Z stderr F ValueError: bad\n"
        "2024-01-01T10:00:01.000000000Z stdout F next"
    )
    recs = _assemble(cri)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 4), (5, 5)]
    assert recs[0].text.split("\n")[1] == "Traceback (most recent call last):"
    docker = (
        "2024-01-01T10:00:00.123456789Z ERROR boom\n"
        "2024-01-01T10:00:00.223456789Z     at com.x.Foo.bar(Foo.java:10)\n"
        "2024-01-01T10:00:01.000000000Z INFO next"
    )
    assert [r.text.split("\n")[-1] for r in _assemble(docker)] == [
        "    at com.x.Foo.bar(Foo.java:10)",
        "2024-01-01T10:00:01.000000000Z INFO next",
    ]


def test_aligned_level_after_an_iso_timestamp_is_not_a_continuation() -> None:
    # tracing-style "<ts>  INFO ..." (6-digit fraction) is not a docker prefix: no joining on the padding.
    text = "2024-01-01T10:00:00.123456Z  INFO a: one\n2024-01-01T10:00:00.223456Z  INFO a: two"
    assert len(_assemble(text)) == 2


PYTEST = """============================= FAILURES =============================
____________________________ test_first ____________________________

    def test_first():
>       assert f(1) == 2
E       assert 3 == 2

tests/test_x.py:5: AssertionError
----------------------------- Captured log call -----------------------------
2024-01-01 10:00:00 ERROR app: logged during the test
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
____________________________ test_second ____________________________
tests/test_x.py:9: in test_second
    g()
E   ValueError: bad
==================== short test summary info ====================
FAILED tests/test_x.py::test_first - assert 3 == 2"""


def test_pytest_failure_sections_are_one_record_each() -> None:
    recs = _assemble(PYTEST)
    assert [(r.first_line, r.last_line) for r in recs] == [(1, 1), (2, 11), (12, 15), (16, 16), (17, 17)]
    assert recs[1].text == "\n".join(PYTEST.split("\n")[1:11])  # verbatim, timestamps inside included
    assert recs[2].text.endswith("E   ValueError: bad")
