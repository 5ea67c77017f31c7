"""Strict assembly (a known header format): one record per line unless a continuation is unmistakable."""

from __future__ import annotations

from hephaestus.process.multiline import Assembled, MultilineAssembler


def _spans(text: str) -> list[tuple[int, int]]:
    asm = MultilineAssembler(strict=True)
    out: list[Assembled] = []
    for no, line in enumerate(text.split("\n"), 1):
        out.extend(asm.feed(line, line_no=no))
    out.extend(asm.flush())
    return [(r.first_line, r.last_line) for r in out]


def test_repeated_syslog_prefix_and_indented_content_stay_separate_records() -> None:
    # the same host/program prefix on every line: a transport prefix to the loose mode, not here
    text = (
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\n"
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]:  authentication failure\n"
        "    an indented line of its own\n"
        "Error: not followed by frames"
    )
    assert _spans(text) == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_java_frames_and_cause_join_their_record() -> None:
    text = (
        "2024-01-01 10:00:00 ERROR Worker: failed\n"
        "java.lang.IllegalStateException: boom\n"
        "\tat com.acme.Worker.run(Worker.java:12)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:833)\n"
        "Caused by: java.io.IOException: closed\n"
        "\t... 2 more\n"
        "2024-01-01 10:00:01 INFO Worker: next"
    )
    assert _spans(text) == [(1, 6), (7, 7)]


def test_python_traceback_joins_until_its_exception_line() -> None:
    text = (
        "2024-01-01 10:00:00,123 ERROR app: boom\n"
        "Traceback (most recent call last):\n"
        '  File "/app/x.py", line 3, in f\n'
        "    return 1 / 0\n"
        "ZeroDivisionError: division by zero\n"
        "a plain line after the trace"
    )
    assert _spans(text) == [(1, 5), (6, 6)]


def test_loose_mode_still_joins_an_indented_line() -> None:
    asm = MultilineAssembler()
    out = [*asm.feed("2024-01-01 10:00:00 INFO app: a", line_no=1), *asm.feed("    more", line_no=2)]
    out.extend(asm.flush())
    assert [(r.first_line, r.last_line) for r in out] == [(1, 2)]
