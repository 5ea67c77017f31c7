"""Joins the physical lines of a log file into logical records (a message plus its stack trace).

Fed line by line by a collector or `hephaestus parse`; feeds whole records (`Assembled`) to the
Processor. Knows Python (incl. chained), Java, Go, Node.js and .NET trace shapes and pytest failure
sections; JSON lines stand alone. A per-line syslog/journald, CRI or `docker logs -t` prefix repeated
on the following lines is removed from them before deciding whether they continue the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from hephaestus.process.pytest_output import is_section_header, is_separator

__all__ = ["Assembled", "MultilineAssembler"]

# A line that begins with a date/time is always the start of a new record.
_TIMESTAMP_START = re.compile(
    r"^\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2,4}/\d{2}/\d{2,4}[ T:]\d{2}:\d{2}"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}"
    r"|\d{6} \d{6}|\d{10}(?:\.\d+)?\s)"
)
_PY_TRACEBACK = "Traceback (most recent call last):"
_PY_CHAIN = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)
# Lines that continue an open record whatever the language (frames, "Caused by", Go runtime lines).
_CONTINUATION = re.compile(
    r"^(?:\s|Caused by:|Suppressed:|--- End of|\.\.\. \d+ more|goroutine \d+ \["
    r"|\[signal |created by |exit status \d+$)"
)
# A bare exception header ("java.lang.IllegalStateException: x", "TypeError: y"); joins only if frames follow.
_EXCEPTION_HEADER = re.compile(
    r"^(?:[A-Za-z_$][\w$]*\.)*(?:[A-Z][\w$]*)?(?:Exception|Error|Throwable|Fault)(?::\s.*|\s*)$"
)
# With a known header format (`strict`), only these continue a record: Java/.NET/JS frames, the
# "Caused by" chain and elided frames; anything else is a record of its own.
_STRICT_CONTINUATION = re.compile(
    r"^(?:\s+at \S.*|Caused by: .*|\s*Suppressed: .*|\s*\.\.\. \d+ (?:more|common frames omitted)"
    r"|\s*--- End of .*)$"
)
# What a line must start with to have any chance of joining in strict mode (see _continues).
_STRICT_MAY_JOIN = (
    " ",
    "\t",
    "\f",
    "\v",
    "Caused by",
    "Suppressed",
    "...",
    "---",
    "Traceback",
    "During",
    "The above",
)
_PY_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?::.*)?$")
_GO_FUNC_LINE = re.compile(r"^[\w.*/()\[\]{}-]+\(.*\)$")

# Per-line prefixes written by a log transport, not by the program; `key` is what must repeat (the
# timestamp may tick inside one trace). Syslog / journald `short` and `short-iso`: "<ts> host prog[pid]: ".
_SYSLOG_PREFIX = re.compile(
    r"(?:<\d{1,3}>)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{2}:\d{2}:\d{2}"
    r"(?:\.\d+)?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) "
    r"(?P<key>[^\s:]+ [^\s\[\]:]+(?:\[\d+\])?): "
)
# Kubernetes CRI ("<RFC3339Nano> stderr F ") and `docker logs --timestamps` (fixed 9-digit fraction, Z).
_CONTAINER_PREFIX = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}) (?P<key>stdout|stderr) [FP] "
    r"|\.\d{9}Z )"
)
# One cheap test before those: can the line start with such a prefix at all?
_PREFIX_HINT = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) |<\d|\d{4}-\d\d-\d\dT")


def _prefix(line: str) -> tuple[str, int] | None:
    """(key, length) of a transport prefix at the start of `line`, or None; cheap for other lines."""
    if _PREFIX_HINT.match(line) is None:
        return None
    match = _SYSLOG_PREFIX.match(line)
    if match is None and line[:1].isdigit():
        match = _CONTAINER_PREFIX.match(line)
    if match is None:
        return None
    return match.group("key") or "", match.end()


class Assembled(NamedTuple):  # immutable, and built for every record: a tuple is the cheapest to make
    """One logical record: its text (lines joined by newlines) and its physical line span (1-based)."""

    text: str
    first_line: int
    last_line: int


class MultilineAssembler:
    """Stateful line joiner; `feed` returns the records a line completes, `flush` the rest."""

    def __init__(
        self,
        *,
        max_lines: int = 500,
        starts_record: Callable[[str], bool] | None = None,
        strict: bool = False,
    ) -> None:
        """`starts_record` (e.g. a known header pattern) marks lines that always open a new record;
        `strict` (input with a known header format) joins only unmistakable continuations: traceback
        and frame lines, never a transport prefix's repeat or an indented line alone."""
        if max_lines < 1:
            raise ValueError("max_lines must be >= 1")
        self._max_lines = max_lines
        self._starts_record = starts_record
        self._strict = strict
        self._lines: list[str] = []
        self._first = 0
        self._json = False
        self._mode = ""  # "" | "py" (in frames) | "py_done" (after exception line) | "go" | "pytest"
        self._tentative: int | None = None  # index of an exception header that needs frames to stay
        self._tentative_line = ""  # that header as read (with its prefix), in case it stands alone
        self._key: str | None = None  # transport prefix key of the open record's first line

    def feed(self, line: str, *, line_no: int) -> list[Assembled]:
        """Add one physical line (without its newline); return records completed by it."""
        line = line.rstrip("\r\n")
        if (
            self._strict
            and self._max_lines > 1
            and not self._mode
            and self._tentative is None
            and not line.startswith(_STRICT_MAY_JOIN)
            and _EXCEPTION_HEADER.match(line) is None
        ):  # a header-format line that can neither continue nor be held: the usual case, decided here
            done = self._emit()
            self._start(line, line_no, None)
            return done
        out: list[Assembled] = []
        body = line  # the line without a transport prefix that repeats the open record's one
        found: tuple[str, int] | None = None
        checked = self._key is not None  # set only while a record is open (never when strict)
        if checked:
            found = _prefix(line)
            if found is not None and found[0] == self._key:
                body = line[found[1] :]
        if self._lines and self._continues(body):
            self._tentative = None  # frames (or a chain line) follow the header: it stays joined
            self._lines.append(body)
            if len(self._lines) >= self._max_lines:
                out.extend(self._emit())
            return out
        if (
            self._lines
            and self._tentative is None
            and not self._json
            and _EXCEPTION_HEADER.match(body)
            and self._mode != "pytest"
            and not (self._starts_record is not None and self._starts_record(body))
        ):
            self._tentative = len(self._lines)
            self._tentative_line = line
            self._lines.append(body)
            return out
        out.extend(self._emit())
        if not checked and not self._strict and _PREFIX_HINT.match(line) is not None:
            found = _prefix(line)  # (the hint inline: most lines cannot carry a prefix, skip the call)
        self._start(line, line_no, found)
        if len(self._lines) >= self._max_lines:
            out.extend(self._emit())
        return out

    def flush(self) -> list[Assembled]:
        """Emit whatever is buffered (end of input or idle timeout)."""
        return self._emit()

    # ------------------------------------------------------------------ internals
    def _start(self, line: str, line_no: int, prefix: tuple[str, int] | None) -> None:
        self._lines = [line]
        self._first = line_no
        if prefix is None:
            self._key, content = None, line
        else:
            self._key, content = prefix[0], line[prefix[1] :]
        stripped = content.strip()
        self._json = stripped.startswith("{") and stripped.endswith("}")
        self._mode = ""
        self._tentative = None
        if stripped == _PY_TRACEBACK:
            self._mode = "py"
        elif stripped.startswith("panic: ") or stripped.startswith("fatal error: "):
            self._mode = "go"
        elif content.startswith("___") and is_section_header(content):
            self._mode = "pytest"

    def _continues(self, line: str) -> bool:
        if self._json:
            return False
        if self._mode == "pytest":
            # A failure section runs to the next section header or "==== ... ====" line, whatever it holds.
            return not (is_separator(line) or (line.startswith("___") and is_section_header(line)))
        stripped = line.strip()
        if stripped == _PY_TRACEBACK or stripped in _PY_CHAIN:
            self._mode = "py"
            return True
        if not stripped:
            # Blank lines belong to a trace (chained Python exceptions, Go dumps); else they end nothing.
            open_trace = self._mode != "" or self._tentative is not None
            return open_trace or (len(self._lines) > 1 and not self._strict)
        if self._strict and self._mode not in ("py", "go"):
            return _STRICT_CONTINUATION.match(line) is not None
        if _TIMESTAMP_START.match(line) or (self._starts_record is not None and self._starts_record(line)):
            self._mode = ""
            return False
        if self._mode == "py":
            if line[0].isspace():
                return True
            if _PY_EXCEPTION_LINE.match(stripped):
                self._mode = "py_done"
                return True
            return False
        if self._mode == "go":
            return bool(_CONTINUATION.match(line) or _GO_FUNC_LINE.match(stripped))
        return bool(_CONTINUATION.match(line))

    def _emit(self) -> list[Assembled]:
        if not self._lines:
            return []
        lines = self._lines
        out: list[Assembled] = []
        if self._tentative is not None:
            # The header was not followed by frames: it is a record of its own.
            head, tail = lines[: self._tentative], lines[self._tentative :]
            out.extend(_make(head, self._first))
            tail[0] = self._tentative_line  # standing alone, it keeps its own prefix
            out.extend(_make(tail, self._first + self._tentative))
        else:
            out.extend(_make(lines, self._first))
        self._lines = []
        self._json = False
        self._mode = ""
        self._tentative = None
        self._key = None
        return out


def _make(lines: list[str], first: int) -> list[Assembled]:
    if len(lines) == 1:  # most records
        return [Assembled(lines[0], first, first)] if lines[0].strip() else []
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    if end == 0:
        return []  # blank lines alone are not a record
    return [Assembled(text="\n".join(lines[:end]), first_line=first, last_line=first + end - 1)]
