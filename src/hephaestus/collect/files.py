"""FileSource: reads and follows log files, assembling multi-line records (stack traces).

Fed by regular files on disk (plain, gzip read once, JSON lines; rotation and truncation
detected; lines and decompressed size capped); feeds (RawRecord, origin) items to the runner.
"""

from __future__ import annotations

import gzip
import logging
import os
import socket
import stat
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple, Protocol, TypedDict, cast

from hephaestus.errors import InputError
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.stages import Source
from hephaestus.wire import RawRecord

if TYPE_CHECKING:
    from hephaestus.settings import CollectSettings

__all__ = ["Checkpoints", "FileSource", "SourceItem", "source_limits", "validate_log_path"]

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_LINES = 5000
_GZIP_DAMAGE = (EOFError, gzip.BadGzipFile, zlib.error)
_SHOWN_PATH = 200  # characters of an unusable path quoted in an error


class Checkpoints(Protocol):
    """Where a source keeps its read positions (the Store implements it)."""

    def checkpoint(self, source: str) -> tuple[int, str] | None: ...

    def save_checkpoint(self, source: str, position: int, identity: str) -> None: ...


class SourceItem(NamedTuple):
    raw: RawRecord  # the wire mirror of records.RawLog (same fields, same JSON)
    origin: str  # "<path>@<byte offset>": stable identity of the record across restarts


@dataclass
class _FileState:
    path: Path
    identity: str
    position: int  # next unread byte
    safe: int  # byte offset after the last emitted record (what a checkpoint may store)
    gz: bool
    assembler: MultilineAssembler
    line_no: int = 0  # of the last line read
    marks: list[int] = field(default_factory=list)  # where each line not yet emitted starts
    marks_from: int = 1  # the line number of marks[0]
    idle_since: float | None = None
    done: bool = False
    handle: IO[bytes] | None = None  # a gzip stream stays open: it is decompressed once


def _identity(path: Path) -> str:
    st = path.stat()
    return f"{st.st_dev}:{st.st_ino}"


def validate_log_path(path: Path) -> None:
    """Raise InputError with a one-line reason unless `path` is a readable regular file
    (FIFOs, devices, sockets and directories are refused: they can block or never end)."""
    shown = str(path) if len(str(path)) <= _SHOWN_PATH else f"{str(path)[:_SHOWN_PATH]}..."
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"log file not found: {shown}") from None
    except OSError as exc:  # ENAMETOOLONG, EACCES on a parent, ELOOP, ...
        raise InputError(f"cannot read log file {shown}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"log path is a directory, not a file: {shown}")
    if not stat.S_ISREG(mode):
        raise InputError(f"log path is not a regular file (FIFO, device or socket): {shown}")
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as exc:
        raise InputError(f"cannot read log file {shown}: {exc.strerror or exc}") from None


class SourceLimits(TypedDict):
    max_record_lines: int
    max_line_bytes: int
    max_decompressed_bytes: int


def source_limits(collect: CollectSettings) -> SourceLimits:
    """FileSource's record, line and decompressed-size caps from `collect.*`."""
    return {
        "max_record_lines": collect.max_record_lines,
        "max_line_bytes": collect.max_line_kb * 1024,
        "max_decompressed_bytes": collect.max_decompressed_mb * 1024 * 1024,
    }


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _read_line_rest(fh: IO[bytes], line: bytes, cap: int, budget: int) -> tuple[bytes, int]:
    """`line` (`cap` bytes without a newline) and its real length: the rest of the over-long line
    is skipped `cap` bytes at a time (never held), but never beyond `budget` bytes."""
    total = len(line)
    while total < budget:
        more = fh.readline(cap)
        total += len(more)
        if not more or more.endswith(b"\n"):
            break
    return line, total


class FileSource(Source[SourceItem]):
    """Reads every configured file; with `follow`, keeps reading what is appended."""

    name = "file-source"

    def __init__(
        self,
        paths: list[Path],
        *,
        follow: bool = False,
        checkpoints: Checkpoints | None = None,
        max_record_lines: int = 500,
        max_line_bytes: int = 64 * 1024,
        max_decompressed_bytes: int = 1024 * 1024 * 1024,
        idle_flush_s: float = 1.0,
        host: str | None = None,
    ) -> None:
        super().__init__()
        self.paths = [p.resolve() for p in paths]
        self.follow = follow
        self.checkpoints = checkpoints
        self.max_record_lines = max_record_lines
        self.idle_flush_s = idle_flush_s
        self.host = host or socket.gethostname()
        self.max_line_bytes = max_line_bytes
        self.max_decompressed_bytes = max_decompressed_bytes
        self._files: dict[Path, _FileState] = {}
        self.bytes_read = 0
        self._emitted = 0  # records read() yielded since it last added them to the counters
        self.truncated_lines = 0
        self.warnings: list[str] = []  # one line per file read only in part (damaged or capped gzip)

    def start(self) -> None:
        super().start()
        if not self.follow:  # a followed file may appear later
            for path in self.paths:
                validate_log_path(path)

    def _open_state(self, path: Path) -> _FileState:
        identity = _identity(path)
        with path.open("rb") as fh:
            gz = fh.read(2) == _GZIP_MAGIC
        position = 0
        saved = self.checkpoints.checkpoint(str(path)) if self.checkpoints else None
        if saved and saved[1] == identity and (gz or saved[0] <= path.stat().st_size):
            position = saved[0]
        assembler = MultilineAssembler(max_lines=self.max_record_lines)
        return _FileState(path, identity, position, position, gz, assembler)

    def read(self) -> Iterator[SourceItem]:
        try:
            for path in self.paths:
                state = self._files.get(path)
                if state is None and not _is_regular(path):
                    continue  # not there yet (followed), or a FIFO/device that would block or never end
                if state is None or (self.follow and self._rotated(state)):
                    state = self._files[path] = self._open_state(path)
                if state is None or state.done:
                    continue
                yield from self._read_file(state)
        finally:
            emitted, self._emitted = self._emitted, 0
            self.counters.add(received=emitted, sent=emitted)  # once per read(), not per record

    def _rotated(self, state: _FileState) -> bool:
        try:
            identity = _identity(state.path)
            size = state.path.stat().st_size
        except OSError:
            return False
        return identity != state.identity or (not state.gz and size < state.position)

    def _read_file(self, state: _FileState) -> Iterator[SourceItem]:
        # the per-line loop works on locals, written back to `state` before anything is emitted
        got_data = keep = False
        fh = state.handle or self._open(state)
        position = start = state.position
        line_no, marks, feed, cap = state.line_no, state.marks, state.assembler.feed, self.max_line_bytes
        limit = self.max_decompressed_bytes if state.gz else 1 << 62
        wait_newline = self.follow and not state.gz  # a line still being written: wait for its newline
        try:
            if not state.gz or state.handle is None:
                fh.seek(position)  # a reopened gzip seeks by decompressing: only after a restart
            for _ in range(_CHUNK_LINES):
                if position >= limit:
                    self._warn(state, f"stopped after {position} decompressed bytes (the cap)")
                    break
                try:
                    line = fh.readline(cap)
                    size = len(line)
                    if size == cap and not line.endswith(b"\n"):
                        line, size = _read_line_rest(fh, line, cap, limit - position)
                except _GZIP_DAMAGE as exc:
                    self._warn(state, f"gzip data damaged or cut after {position} bytes ({exc})")
                    break
                if not line or (wait_newline and size == len(line) and not line.endswith(b"\n")):
                    break
                line_no += 1
                marks.append(position)
                position += size
                text = line.decode("utf-8", errors="replace").rstrip("\r\n")
                if size > len(line):
                    self.truncated_lines += 1
                    text += f" [... {size - len(line)} more bytes truncated]"
                records = feed(text, line_no=line_no)
                if records:
                    state.position, state.line_no = position, line_no
                    for record in records:
                        yield self._emit(state, record)
            else:
                state.idle_since = time.monotonic()  # more lines are waiting: the next read() continues
                keep = state.gz
                return
        finally:
            state.position, state.line_no = position, line_no
            self.bytes_read += position - start
            got_data = position > start
            state.handle = fh if keep else None
            if not keep:
                fh.close()
        now = time.monotonic()
        if got_data:
            state.idle_since = now
        finished = not self.follow or state.gz
        if finished or (state.idle_since is not None and now - state.idle_since >= self.idle_flush_s):
            for record in state.assembler.flush():
                yield self._emit(state, record)
            state.idle_since = None
        if finished:
            state.done = True

    def _warn(self, state: _FileState, what: str) -> None:
        message = f"{state.path}: {what}; the part before was processed"
        log.warning("%s", message)
        self.warnings.append(message)

    def _open(self, state: _FileState) -> IO[bytes]:
        if state.gz:
            return cast(IO[bytes], gzip.open(state.path, "rb"))
        return state.path.open("rb")

    def _emit(self, state: _FileState, record: Assembled) -> SourceItem:
        marks, first = state.marks, state.marks_from
        at = record.first_line - first
        start = marks[at] if 0 <= at < len(marks) else state.safe
        after = record.last_line + 1 - first  # where the line after the record's last one starts
        if after > 0:
            state.safe = marks[after] if after < len(marks) else state.position
            del marks[:after]
            state.marks_from = record.last_line + 1
        self._emitted += 1
        name = str(state.path)
        raw = RawRecord(timestamp=datetime.now(UTC), source=name, host=self.host, message=record.text)
        return SourceItem(raw, f"{name}@{start}")

    def commit(self) -> None:
        """Persist the positions after every emitted record (call once the bus flushed them)."""
        if self.checkpoints is None:
            return
        for state in self._files.values():
            self.checkpoints.save_checkpoint(str(state.path), state.safe, state.identity)

    @property
    def finished(self) -> bool:
        return bool(self._files) and all(s.done for s in self._files.values())
