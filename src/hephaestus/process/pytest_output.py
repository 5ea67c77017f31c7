"""Reads one failure section of pytest's report (``____ test_x ____`` ... ``x.py:5: AssertionError``).

Pytest output is a log like any other: the multi-line assembler makes each failure section one record
(`is_section_header` / `is_separator`), and `parse_stack_trace` turns it into a Python trace through
`parse_pytest_failure` (frames from the ``path:line:`` location lines, the exception from the last one,
the message from the first ``E`` line). Handles the long (default), auto and short ``--tb`` styles; a
``--tb=native`` section carries a regular traceback, which stacktrace.py parses itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (pydantic: imported once a trace is found)
    from hephaestus.records import Frame


__all__ = ["PytestFailure", "is_section_header", "is_separator", "parse_pytest_failure"]

# "_____ test_name _____" (also "ERROR at setup of test_x", "TestA.test_b[1-2]", "ERROR collecting x.py").
# A title wider than the terminal gets a single underscore each side ("_ test_b[long ids] _"), so
# short rules count only on long lines. The "_ _ _ _" line between the frames of one failure is no title.
_SECTION = re.compile(r"^(?P<prefix>(?:.*\s)?)(?P<rule>_+) (?P<name>\S(?:.*\S)?) _+\s*$")
_MIN_WIDE = 60
# "tests/test_x.py:5: AssertionError" (long style) or "src/app.py:3: in f" (short style, --tb=short).
_LOCATION = re.compile(
    r"^(?P<file>[^\s:>][^:]*\.py):(?P<line>\d+):(?: in (?P<func>\S+)| (?P<exc>[A-Za-z_][\w.]*))?\s*$"
)
_E_EXC = re.compile(r"^(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*):(?:\s(?P<msg>.*))?$")
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(?P<name>\w+)\s*\(")
_TRACEBACK = "Traceback (most recent call last):"  # --tb=native sections; stacktrace.py parses those
_TEST_NAME = re.compile(r"(?:ERROR at (?:setup|teardown|call) of )?(?:[\w.]+\.)?(?P<func>\w+)(?:\[.*\])?$")


@dataclass(frozen=True)
class PytestFailure:
    """One failure section: `frames` outermost first (the test) and innermost last, `text` verbatim."""

    test_name: str
    error_type: str | None
    message: str
    frames: tuple[Frame, ...]
    text: str


def is_section_header(line: str) -> bool:
    """True for a failure section header such as ``____ test_name ____`` (cheap for other lines)."""
    if "_ " not in line or not line.rstrip().endswith("_"):
        return False
    match = _SECTION.match(line)
    if match is None or not match.group("name").strip("_ "):
        return False
    return len(match.group("rule")) >= 3 or len(line) - len(match.group("prefix")) >= _MIN_WIDE


def is_separator(line: str) -> bool:
    """True for pytest's ``==== title ====`` lines, which end a failure section."""
    return line.startswith("===") and line.rstrip().endswith("=")


def parse_pytest_failure(text: str) -> PytestFailure | None:
    """The first failure section in `text` (header through the next header or ``====`` line), or None."""
    if "_ " not in text:
        return None
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if is_section_header(ln)), None)
    if start is None:
        return None
    header = _SECTION.match(lines[start])
    assert header is not None  # is_section_header matched it
    name = header.group("name")
    end = start + 1
    while end < len(lines) and not is_section_header(lines[end]) and not is_separator(lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    body = lines[start + 1 : end]
    frames, error_type, e_lines = _frames(body, _test_function(name))
    if not frames and not e_lines and not any(ln.startswith(_TRACEBACK) for ln in body):
        return None  # a section header without a failure report (e.g. a lone underscore banner)
    if error_type is None:
        for e_line in e_lines:
            exc = _E_EXC.match(e_line)
            if exc is not None:
                error_type = exc.group("type")
                break
    return PytestFailure(
        test_name=name,
        error_type=error_type,
        message=_message(e_lines, error_type),
        frames=tuple(frames),
        text="\n".join([lines[start][len(header.group("prefix")) :], *body]),  # minus any log prefix
    )


def _test_function(name: str) -> str | None:
    match = _TEST_NAME.match(name)
    return match.group("func") if match is not None and not name.startswith("ERROR collecting") else None


def _frames(body: list[str], test_func: str | None) -> tuple[list[Frame], str | None, list[str]]:
    """Frames (in printed order, innermost last), the exception of the last location line, E lines."""
    from hephaestus.records import Frame  # noqa: PLC0415 - pydantic once a trace is found

    frames: list[Frame] = []
    e_lines: list[str] = []
    error_type: str | None = None
    func: str | None = None
    source: str | None = None
    for idx, line in enumerate(body):
        if line.startswith("E ") or line == "E":
            e_lines.append(line[1:].strip())
            continue
        if line.startswith(">"):
            source = line[1:].strip() or None
            continue
        definition = _DEF.match(line) if func is None else None
        if definition is not None:
            func = definition.group("name")  # the frame's own function (not a nested def)
            continue
        loc = _LOCATION.match(line)
        if loc is None:
            continue
        if loc.group("func") is not None:  # short style: the source line follows the location
            func = loc.group("func")
            following = body[idx + 1] if idx + 1 < len(body) else ""
            source = following.strip() if following.startswith(" ") and following.strip() else None
        if loc.group("exc") is not None:
            error_type = loc.group("exc")
        if func is None and not frames:
            func = test_func  # the first frame is the test function itself
        frames.append(
            Frame(file=loc.group("file"), line=int(loc.group("line")), function=func, source_line=source)
        )
        func, source = None, None
    return frames, error_type, e_lines


def _message(e_lines: list[str], error_type: str | None) -> str:
    first = next((ln for ln in e_lines if ln), "")
    if error_type:
        for prefix in (error_type, error_type.rsplit(".", 1)[-1]):
            if first.startswith(prefix + ":"):
                return first[len(prefix) + 1 :].strip()
            if first == prefix:
                return ""
    return first
