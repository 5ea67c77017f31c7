"""Reads the crash out of text: a Python traceback (last of a chain) or a failing pytest run.

Fed Issue.stack_trace / the validator's failing pytest output; feeds the engine frames
(innermost last), the exception type and message, and the failing test ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hephaestus.records import Frame

__all__ = ["Failure", "parse_pytest", "parse_traceback"]

_TB_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+))?$')
_EXC = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<msg>.*))?$")
_PT_LOC = re.compile(r"^(?P<file>[^\s:][^:]*\.py):(?P<line>\d+):(?: in (?P<func>\S+)| (?P<exc>[\w.]+))?\s*$")
_PT_SECTION = re.compile(r"^_{3,} (?P<name>.+?) _{3,}$")
_PT_FAILED = re.compile(r"^(?:FAILED|ERROR) (?P<id>\S+::\S+)")
_CARETS = re.compile(r"^\s*[\^~]+\s*$")


@dataclass(frozen=True)
class Failure:
    """One crash read from text."""

    error_type: str
    message: str
    frames: tuple[Frame, ...]
    test_ids: tuple[str, ...] = ()
    assertion: str = ""


def parse_traceback(text: str) -> Failure | None:
    """The last traceback in `text` (the one that escaped), or None."""
    lines = text.splitlines()
    starts = [i for i, ln in enumerate(lines) if ln.strip().startswith("Traceback (most recent call last)")]
    if not starts:
        return None
    frames: list[Frame] = []
    exc_type, message = "", ""
    i = starts[-1] + 1
    while i < len(lines):
        line = lines[i]
        match = _TB_FRAME.match(line)
        if match:
            source = None
            if i + 1 < len(lines) and not _TB_FRAME.match(lines[i + 1]) and lines[i + 1].startswith("    "):
                source = lines[i + 1].strip()
                i += 1
            frames.append(
                Frame(file=match["file"], line=int(match["line"]), function=match["func"], source_line=source)
            )
        elif line.strip() and not line.startswith(" ") and not _CARETS.match(line):
            exc = _EXC.match(line.strip())
            if exc and frames:
                exc_type, message = exc["type"], (exc["msg"] or "").strip()
                break
        i += 1
    if not exc_type:
        return None
    return Failure(error_type=exc_type, message=message, frames=tuple(frames))


def _section_frames(block: list[str]) -> tuple[list[Frame], str, str]:
    frames: list[Frame] = []
    pending_source: str | None = None
    e_lines: list[str] = []
    func: str | None = None
    for idx, line in enumerate(block):
        stripped = line.strip()
        if line.startswith(">"):
            pending_source = line[1:].strip()
        elif line.startswith("E "):
            e_lines.append(line[1:].strip())
        elif stripped.startswith("def "):
            func = stripped[4:].split("(", 1)[0]
        match = _PT_LOC.match(stripped)
        if match is None:
            continue
        source = pending_source
        if match["func"] is not None:
            nxt = block[idx + 1] if idx + 1 < len(block) else ""
            source = nxt.strip() if nxt.startswith(" ") else None
        frames.append(
            Frame(
                file=match["file"],
                line=int(match["line"]),
                function=match["func"] or func,
                source_line=source,
            )
        )
        pending_source, func = None, None
    error_type, message = "", ""
    for text in e_lines:
        exc = _EXC.match(text)
        if exc and exc["msg"] is not None and (exc["type"][0].isupper() or "." in exc["type"]):
            error_type, message = exc["type"], exc["msg"].strip()
            break
    if not error_type and e_lines:
        error_type, message = "AssertionError", "\n".join(e_lines)
    return frames, error_type, message


def parse_pytest(text: str) -> Failure | None:
    """The first failing test of a pytest run: its frames, exception and the failing test ids."""
    native = None
    if "Traceback (most recent call last)" in text:
        native = parse_traceback(text)
    lines = text.splitlines()
    test_ids = tuple(m["id"] for m in map(_PT_FAILED.match, lines) if m)
    heads = [i for i, ln in enumerate(lines) if _PT_SECTION.match(ln) and "short test summary" not in ln]
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        block = [ln for ln in lines[start + 1 : end] if not ln.startswith("=")]
        frames, error_type, message = _section_frames(block)
        if frames and error_type:
            assertion = message if error_type == "AssertionError" else ""
            return Failure(error_type, message, tuple(frames), test_ids, assertion)
    if native is not None:
        return Failure(native.error_type, native.message, native.frames, test_ids)
    return None
