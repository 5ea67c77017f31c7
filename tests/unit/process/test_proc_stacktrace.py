"""Stack-trace parsing for Python (incl. chained), Java, Go, Node.js and .NET, also inside JSON."""

from __future__ import annotations

import json

from hephaestus.process.stacktrace import parse_stack_trace

PY = """2024-01-01 10:00:00,123 ERROR app: boom
Traceback (most recent call last):
  File "/app/main.py", line 10, in <module>
    run()
  File "/app/svc/orders.py", line 42, in total
    return a / b
           ~~^~~
ZeroDivisionError: division by zero"""

PY_CHAINED = """Traceback (most recent call last):
  File "/app/x.py", line 3, in f
    return 1 / 0
ZeroDivisionError: division by zero

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/y.py", line 9, in g
    raise ValueError("bad") from exc
ValueError: bad value
  with a second line
"""


def test_python_frames_source_lines_and_exception() -> None:
    t = parse_stack_trace(PY)
    assert t is not None
    assert t.language == "python"
    assert t.error_type == "ZeroDivisionError"
    assert t.message == "division by zero"
    assert [(f.file, f.line, f.function) for f in t.frames] == [
        ("/app/main.py", 10, "<module>"),
        ("/app/svc/orders.py", 42, "total"),
    ]
    assert t.frames[-1].source_line == "return a / b"
    assert t.text.startswith("Traceback (most recent call last):")
    assert "ERROR app" not in t.text


def test_python_chained_last_exception_wins() -> None:
    t = parse_stack_trace(PY_CHAINED)
    assert t is not None
    assert t.error_type == "ValueError"
    assert t.message.startswith("bad value")
    assert [f.function for f in t.frames] == ["g"]
    assert "ZeroDivisionError" in t.text  # the whole chain is kept as text


def test_python_exception_without_message_and_qualified_type() -> None:
    t = parse_stack_trace('Traceback (most recent call last):\n  File "a.py", line 1, in f\nmod.sub.Custom')
    assert t is not None
    assert (t.error_type, t.message) == ("mod.sub.Custom", "")


def test_java_top_level_exception_innermost_last() -> None:
    text = (
        "2024-01-01 ERROR failed\n"
        "java.lang.NullPointerException: x was null\n"
        "\tat com.shop.Cart.total(Cart.java:42)\n"
        "\tat com.shop.Api.handle(Api.java:7)\n"
        "\tat java.base/java.lang.Thread.run(Native Method)\n"
        "Caused by: java.io.IOException: disk\n"
        "\tat com.shop.Disk.read(Disk.java:3)\n"
    )
    t = parse_stack_trace(text)
    assert t is not None
    assert (t.language, t.error_type, t.message) == ("java", "java.lang.NullPointerException", "x was null")
    assert [(f.file, f.line, f.function, f.module) for f in t.frames] == [
        ("Native Method", None, "run", "java.lang.Thread"),
        ("Api.java", 7, "handle", "com.shop.Api"),
        ("Cart.java", 42, "total", "com.shop.Cart"),
    ]
    assert t.text.startswith("java.lang.NullPointerException")
    assert "Caused by" in t.text


def test_go_panic() -> None:
    text = (
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4]\n\n"
        "goroutine 1 [running]:\n"
        "main.(*Server).handle(0x0)\n\t/app/server.go:88 +0x1d\n"
        "main.main()\n\t/app/main.go:12 +0x25\n"
        "exit status 2"
    )
    t = parse_stack_trace(text)
    assert t is not None
    assert (t.language, t.error_type) == ("go", "runtime error")
    assert t.message == "invalid memory address or nil pointer dereference"
    assert [(f.file, f.line, f.function) for f in t.frames] == [
        ("/app/main.go", 12, "main.main"),
        ("/app/server.go", 88, "main.(*Server).handle"),
    ]


def test_node_trace() -> None:
    text = (
        "TypeError: Cannot read properties of undefined (reading 'id')\n"
        "    at getUser (/app/src/users.js:14:20)\n"
        "    at async Router.handle (/app/node_modules/router.js:5:3)\n"
        "    at /app/src/index.js:30:7"
    )
    t = parse_stack_trace(text)
    assert t is not None
    assert (t.language, t.error_type) == ("node", "TypeError")
    assert t.message == "Cannot read properties of undefined (reading 'id')"
    assert [(f.file, f.line, f.function) for f in t.frames] == [
        ("/app/src/index.js", 30, None),
        ("/app/node_modules/router.js", 5, "Router.handle"),
        ("/app/src/users.js", 14, "getUser"),
    ]


def test_dotnet_trace() -> None:
    text = (
        "Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n"
        "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
        "   at Shop.Orders.Total(Int32 id) in /src/Shop/Orders.cs:line 27\n"
    )
    t = parse_stack_trace(text)
    assert t is not None
    assert (t.language, t.error_type) == ("dotnet", "System.InvalidOperationException")
    assert t.message == "Sequence contains no elements"
    assert (t.frames[0].file, t.frames[0].line, t.frames[0].function) == ("/src/Shop/Orders.cs", 27, "Total")
    assert t.frames[-1].function == "ThrowNoElementsException"


def test_trace_inside_json_string_field() -> None:
    record = json.dumps({"level": "error", "msg": "boom", "exc_info": PY.split("\n", 1)[1]})
    t = parse_stack_trace(record)
    assert t is not None
    assert (t.language, t.error_type) == ("python", "ZeroDivisionError")
    assert len(t.frames) == 2


def test_no_trace() -> None:
    assert parse_stack_trace("2024-01-01 INFO all good") is None
    assert parse_stack_trace('{"msg": "fine", "n": 1}') is None
    assert parse_stack_trace("{not json") is None
    assert parse_stack_trace("line\n    at something that is not a frame") is None


def test_python_trace_after_a_syslog_first_line() -> None:
    # What the assembler makes of a journald-prefixed traceback: first line in full, the rest unprefixed.
    text = (
        "Jul 07 07:06:00 web-2 gateway[1222]: ERROR gateway.boot: invalid configuration\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/gateway/gateway/settings.py", line 20, in http_timeout\n'
        "    return DEFAULT_TIMEOUT\n"
        "           ^^^^^^^^^^^^^^^\n"
        "NameError: name 'DEFAULT_TIMEOUT' is not defined"
    )
    t = parse_stack_trace(text)
    assert t is not None
    assert (t.error_type, t.message) == ("NameError", "name 'DEFAULT_TIMEOUT' is not defined")
    assert [(f.file, f.line, f.function, f.source_line) for f in t.frames] == [
        ("/srv/gateway/gateway/settings.py", 20, "http_timeout", "return DEFAULT_TIMEOUT")
    ]
    assert t.text.startswith("Traceback (most recent call last):")
