"""Finds and parses stack traces (Python, Java, Go, Node.js, .NET, pytest failures) anywhere in a log record.

Fed whole records by the Processor (after multi-line assembly); feeds ErrorEvent frames, the
exception type and message. Frames come out innermost LAST whatever order the runtime printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hephaestus.process.pytest_output import parse_pytest_failure

if TYPE_CHECKING:  # (pydantic: imported once a trace is found)
    from hephaestus.records import Frame

__all__ = ["Language", "ParsedTrace", "parse_stack_trace"]

Language = Literal["python", "java", "go", "node", "dotnet"]

_PY_START = "Traceback (most recent call last):"
_PY_CHAIN = re.compile(
    r"^(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:)\s*$"
)
_PY_FRAME = re.compile(r'^\s+File "(?P<file>[^"]*)", line (?P<line>\d+)(?:, in (?P<func>.+))?\s*$')
_PY_MARKER = re.compile(r"^\s*[~^\s]+$")
_PY_EXC = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<msg>.*))?$")

_JAVA_HEAD = re.compile(
    r'^(?:Exception in thread "[^"]*" |Caused by: |Suppressed: )?'
    r"(?P<type>(?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*(?:Exception|Error|Throwable)[\w$]*)(?:: (?P<msg>.*))?$"
)
_JAVA_FRAME = re.compile(
    r"^\s+at (?:[\w.$-]+/)*(?P<qual>[\w$.<>]+)\.(?P<func>[\w$<>]+)"
    r"\((?P<where>[\w$.-]+\.\w+(?::(?P<line>\d+))?|Native Method|Unknown Source)\)\s*$"
)
_NODE_HEAD = re.compile(
    r"^(?:Uncaught )?(?P<type>[A-Z]?\w*(?:Error|Exception)\w*)(?: \[\w+\])?(?:: (?P<msg>.*))?$"
)
_NODE_FRAME = re.compile(
    r"^\s+at (?:async )?(?:(?P<func>.+?) \((?P<f1>.+?):(?P<l1>\d+):\d+\)|(?P<f2>.+?):(?P<l2>\d+):\d+)\s*$"
)
_DOTNET_HEAD = re.compile(
    r"^(?:Unhandled [Ee]xception\.\s*|\s*---> )?"
    r"(?P<type>(?:[\w`]+\.)*[\w`]+(?:Exception|Error))(?:: (?P<msg>.*))?$"
)
_DOTNET_FRAME = re.compile(
    r"^\s+at (?P<qual>[^\s(]+)\.(?P<func>[^\s.(]+)\((?P<args>[^)]*)\)"
    r"(?: in (?P<file>.+?):line (?P<line>\d+))?\s*$"
)
_GO_PANIC = re.compile(r"^(?P<kind>panic|fatal error): (?P<msg>.*)$", re.MULTILINE)
_GO_FUNC = re.compile(r"^(?P<func>[\w./*()\[\]{}-]+)\((?P<args>.*)\)$")
_GO_FILE = re.compile(r"^\s+(?P<file>\S+\.go):(?P<line>\d+)(?: \+0x[0-9a-f]+)?\s*$")


@dataclass(frozen=True)
class ParsedTrace:
    """One stack trace found in a record; `frames` innermost last."""

    language: Language
    error_type: str | None
    message: str
    frames: tuple[Frame, ...]
    text: str


def parse_stack_trace(text: str) -> ParsedTrace | None:
    """Find a trace anywhere in `text` (also inside JSON string fields); None if there is none."""
    if "\n" not in text:  # one line (most records): only a Python banner or a JSON field can hold a trace
        if text.lstrip().startswith("{") and ("\\n" in text or "\\u000" in text):
            for value in _json_strings(text.strip()):  # a decoded newline needs an escape in the JSON
                found = _parse_plain(value)
                if found is not None:
                    return found
        return _parse_python(text) if _PY_START in text else None
    stripped = text.strip()
    if stripped.startswith("{") and "\n" not in stripped:
        for value in _json_strings(stripped):
            found = _parse_plain(value)
            if found is not None:
                return found
    return _parse_plain(text)


def _json_strings(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\n" in node:
                out.append(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _parse_plain(text: str) -> ParsedTrace | None:
    if "___ " in text:  # a pytest failure section ("____ test_x ____"); checked first, it may log tracebacks
        found = _parse_pytest(text)
        if found is not None:
            return found
    if _PY_START in text:
        return _parse_python(text)
    lines = text.split("\n")
    if "goroutine " in text or "panic: " in text or "fatal error: " in text:
        found = _parse_go(text)
        if found is not None:
            return found
    for i in range(1, len(lines)):
        line = lines[i]
        if not line.lstrip().startswith("at "):
            continue
        if _NODE_FRAME.match(line) and not _JAVA_FRAME.match(line):
            return _parse_at_style(lines, i, "node")
        if _JAVA_FRAME.match(line):
            return _parse_at_style(lines, i, "java")
        if _DOTNET_FRAME.match(line):
            return _parse_at_style(lines, i, "dotnet")
    return None


# ---------------------------------------------------------------- Python
def _parse_python(text: str) -> ParsedTrace:
    from hephaestus.records import Frame  # noqa: PLC0415 - pydantic once a trace is found

    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if _PY_START in ln)
    last_tb = max(i for i, ln in enumerate(lines) if _PY_START in ln)
    frames: list[Frame] = []
    error_type: str | None = None
    message_lines: list[str] = []
    end = len(lines)
    i = last_tb + 1
    while i < len(lines):
        line = lines[i]
        frame = _PY_FRAME.match(line)
        if frame:
            source: str | None = None
            if i + 1 < len(lines) and lines[i + 1].startswith(" ") and not _PY_FRAME.match(lines[i + 1]):
                source = lines[i + 1].strip() or None
                i += 1
                while i + 1 < len(lines) and lines[i + 1].strip() and _PY_MARKER.match(lines[i + 1]):
                    i += 1
            func = frame.group("func")
            frames.append(
                Frame(
                    file=frame.group("file"), line=int(frame.group("line")), function=func, source_line=source
                )
            )
        elif line.strip() and not line[0].isspace():
            exc = _PY_EXC.match(line.strip())
            if exc:
                error_type = exc.group("type")
                message_lines.append(exc.group("msg") or "")
            else:
                message_lines.append(line.strip())
            end = i + 1
            while end < len(lines) and lines[end].strip() and not _PY_CHAIN.match(lines[end]):
                message_lines.append(lines[end].strip())
                end += 1
            break
        i += 1
    else:
        end = len(lines)
    trace_text = "\n".join(lines[start:end]).rstrip()
    return ParsedTrace(
        language="python",
        error_type=error_type,
        message="\n".join(message_lines).strip(),
        frames=tuple(frames),
        text=trace_text,
    )


# ---------------------------------------------------------------- pytest
def _parse_pytest(text: str) -> ParsedTrace | None:
    failure = parse_pytest_failure(text)
    if failure is None:
        return None
    if failure.error_type is None and not failure.frames and _PY_START in failure.text:
        native = _parse_python(failure.text)  # --tb=native: a plain traceback inside the section
        return ParsedTrace("python", native.error_type, native.message, native.frames, failure.text)
    message = failure.message or f"{failure.test_name} failed"  # a bare `assert` has no message
    return ParsedTrace("python", failure.error_type, message, failure.frames, failure.text)


# ---------------------------------------------------------------- Java / Node / .NET
def _parse_at_style(lines: list[str], first_frame: int, language: Language) -> ParsedTrace:
    head_rx = {"java": _JAVA_HEAD, "node": _NODE_HEAD, "dotnet": _DOTNET_HEAD}[language]
    head_idx = first_frame - 1
    head = head_rx.match(lines[head_idx].strip()) if language != "dotnet" else head_rx.match(lines[head_idx])
    # Walk back over lines such as Node's code excerpt until the header line.
    probe = head_idx
    while head is None and probe > 0 and first_frame - probe < 6:
        probe -= 1
        head = head_rx.match(lines[probe].strip())
    if head is not None:
        head_idx = probe
    error_type = head.group("type") if head else None
    message = (head.group("msg") or "") if head else lines[first_frame - 1].strip()
    frames: list[Frame] = []
    end = first_frame
    for j in range(first_frame, len(lines)):
        frame = _frame(lines[j], language)
        if frame is not None:
            frames.append(frame)
            end = j + 1
            continue
        if lines[j].strip() and not lines[j][0].isspace() and not lines[j].startswith(("Caused by:", "---")):
            break
        if lines[j].strip().startswith(("...", "Caused by:", "---", "Suppressed:")):
            # Later sections are causes; the top-level (outermost) exception keeps its own frames.
            end = _section_end(lines, j)
            break
    frames.reverse()  # these runtimes print the innermost frame first
    return ParsedTrace(
        language=language,
        error_type=error_type,
        message=message.strip(),
        frames=tuple(frames),
        text="\n".join(lines[head_idx:end]).rstrip(),
    )


def _section_end(lines: list[str], start: int) -> int:
    end = start
    for j in range(start, len(lines)):
        line = lines[j]
        if (
            line.strip()
            and not line[0].isspace()
            and not line.startswith(("Caused by:", "---", "Suppressed:"))
        ):
            break
        end = j + 1
    return end


def _frame(line: str, language: Language) -> Frame | None:
    from hephaestus.records import Frame  # noqa: PLC0415 - pydantic once a trace is found

    if language == "java":
        m = _JAVA_FRAME.match(line)
        if not m:
            return None
        where = m.group("where")
        file = where.split(":", 1)[0] if where else "Unknown Source"
        ln = m.group("line")
        return Frame(
            file=file, line=int(ln) if ln else None, function=m.group("func"), module=m.group("qual")
        )
    if language == "node":
        m = _NODE_FRAME.match(line)
        if not m:
            return None
        file = m.group("f1") or m.group("f2") or ""
        ln = m.group("l1") or m.group("l2")
        return Frame(file=file, line=int(ln) if ln else None, function=m.group("func"))
    m = _DOTNET_FRAME.match(line)
    if not m:
        return None
    ln = m.group("line")
    return Frame(
        file=m.group("file") or m.group("qual"),
        line=int(ln) if ln else None,
        function=m.group("func"),
        module=m.group("qual"),
    )


# ---------------------------------------------------------------- Go
def _parse_go(text: str) -> ParsedTrace | None:
    from hephaestus.records import Frame  # noqa: PLC0415 - pydantic once a trace is found

    panic = _GO_PANIC.search(text)
    lines = text.split("\n")
    g_idx = next((i for i, ln in enumerate(lines) if ln.startswith("goroutine ")), None)
    if panic is None or g_idx is None:
        return None
    kind, message = panic.group("kind"), panic.group("msg").strip()
    error_type = kind
    if kind == "panic" and message.startswith("runtime error: "):
        error_type, message = "runtime error", message[len("runtime error: ") :]
    frames: list[Frame] = []
    end = g_idx + 1
    j = g_idx + 1
    while j + 1 < len(lines):
        func, where = _GO_FUNC.match(lines[j].strip()), _GO_FILE.match(lines[j + 1])
        if not (func and where):
            break
        name = func.group("func")
        module = name.rsplit(".", 1)[0] if "." in name else None
        frames.append(
            Frame(file=where.group("file"), line=int(where.group("line")), function=name, module=module)
        )
        j += 2
        end = j
    start = text[: panic.start()].count("\n")
    frames.reverse()
    return ParsedTrace(
        language="go",
        error_type=error_type,
        message=message,
        frames=tuple(frames),
        text="\n".join(lines[start:end]),
    )
