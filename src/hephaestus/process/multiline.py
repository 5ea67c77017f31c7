"""Joins the physical lines of a log file into logical records (a message plus its stack trace).

Fed line by line by a collector or `hephaestus parse`; feeds whole records (`Assembled`) to the
Processor. Knows Python (incl. chained), Java, Go, Node.js and .NET trace shapes; JSON lines stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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
_PY_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?::.*)?$")
_GO_FUNC_LINE = re.compile(r"^[\w.*/()\[\]{}-]+\(.*\)$")


@dataclass(frozen=True)
class Assembled:
    """One logical record: its text (lines joined by newlines) and its physical line span (1-based)."""

    text: str
    first_line: int
    last_line: int


class MultilineAssembler:
    """Stateful line joiner; `feed` returns the records a line completes, `flush` the rest."""

    def __init__(self, *, max_lines: int = 500, starts_record: Callable[[str], bool] | None = None) -> None:
        """`starts_record` (e.g. a known header pattern) marks lines that always open a new record."""
        if max_lines < 1:
            raise ValueError("max_lines must be >= 1")
        self._max_lines = max_lines
        self._starts_record = starts_record
        self._lines: list[str] = []
        self._first = 0
        self._json = False
        self._mode = ""  # "" | "py" (inside frames) | "py_done" (after exception line) | "go"
        self._tentative: int | None = None  # index of an exception header that needs frames to stay

    def feed(self, line: str, *, line_no: int) -> list[Assembled]:
        """Add one physical line (without its newline); return records completed by it."""
        line = line.rstrip("\r\n")
        out: list[Assembled] = []
        if self._lines and self._continues(line):
            self._tentative = None  # frames (or a chain line) follow the header: it stays joined
            self._lines.append(line)
            if len(self._lines) >= self._max_lines:
                out.extend(self._emit())
            return out
        if (
            self._lines
            and self._tentative is None
            and not self._json
            and _EXCEPTION_HEADER.match(line)
            and not (self._starts_record is not None and self._starts_record(line))
        ):
            self._tentative = len(self._lines)
            self._lines.append(line)
            return out
        out.extend(self._emit())
        self._start(line, line_no)
        if len(self._lines) >= self._max_lines:
            out.extend(self._emit())
        return out

    def flush(self) -> list[Assembled]:
        """Emit whatever is buffered (end of input or idle timeout)."""
        return self._emit()

    # ------------------------------------------------------------------ internals
    def _start(self, line: str, line_no: int) -> None:
        self._lines = [line]
        self._first = line_no
        stripped = line.strip()
        self._json = stripped.startswith("{") and stripped.endswith("}")
        self._mode = ""
        self._tentative = None
        if stripped == _PY_TRACEBACK:
            self._mode = "py"
        elif stripped.startswith("panic: ") or stripped.startswith("fatal error: "):
            self._mode = "go"

    def _continues(self, line: str) -> bool:
        if self._json:
            return False
        stripped = line.strip()
        if stripped == _PY_TRACEBACK or stripped in _PY_CHAIN:
            self._mode = "py"
            return True
        if not stripped:
            # Blank lines belong to a trace (chained Python exceptions, Go dumps); else they end nothing.
            return self._mode != "" or self._tentative is not None or len(self._lines) > 1
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
            out.extend(_make(tail, self._first + self._tentative))
        else:
            out.extend(_make(lines, self._first))
        self._lines = []
        self._json = False
        self._mode = ""
        self._tentative = None
        return out


def _make(lines: list[str], first: int) -> list[Assembled]:
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    if end == 0:
        return []  # blank lines alone are not a record
    return [Assembled(text="\n".join(lines[:end]), first_line=first, last_line=first + end - 1)]
