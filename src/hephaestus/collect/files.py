"""FileSource: reads and follows log files, assembling multi-line records (stack traces).

Fed by files on disk (plain, gzip, JSON lines; rotation and truncation detected); feeds
(RawLog, origin) items to the runner, which produces them and then calls `commit()`.
"""

from __future__ import annotations

import gzip
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol, cast

from hephaestus.errors import InputError
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.records import RawLog
from hephaestus.stages import Source

__all__ = ["Checkpoints", "FileSource", "SourceItem"]

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_LINES = 5000


class Checkpoints(Protocol):
    """Where a source keeps its read positions (the Store implements it)."""

    def checkpoint(self, source: str) -> tuple[int, str] | None: ...

    def save_checkpoint(self, source: str, position: int, identity: str) -> None: ...


@dataclass(frozen=True)
class SourceItem:
    raw: RawLog
    origin: str  # "<path>@<byte offset>": stable identity of the record across restarts


@dataclass
class _FileState:
    path: Path
    identity: str
    position: int  # next unread byte
    safe: int  # byte offset after the last emitted record (what a checkpoint may store)
    gz: bool
    assembler: MultilineAssembler
    line_no: int = 0
    ends: dict[int, int] = field(default_factory=dict)  # line_no -> byte offset after it (pending)
    starts: dict[int, int] = field(default_factory=dict)
    idle_since: float | None = None
    done: bool = False


def _identity(path: Path) -> str:
    st = path.stat()
    return f"{st.st_dev}:{st.st_ino}"


def validate_log_path(path: Path) -> None:
    """Raise InputError with a one-line reason unless `path` is a readable regular file."""
    if not path.exists():
        raise InputError(f"log file not found: {path}")
    if path.is_dir():
        raise InputError(f"log path is a directory, not a file: {path}")
    if not os.access(path, os.R_OK):
        raise InputError(f"log file is not readable: {path}")


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
        self._files: dict[Path, _FileState] = {}
        self.bytes_read = 0

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
        return _FileState(
            path,
            identity,
            position,
            position,
            gz,
            MultilineAssembler(max_lines=self.max_record_lines),
            0,
            {},
            {},
        )

    def read(self) -> Iterator[SourceItem]:
        for path in self.paths:
            state = self._files.get(path)
            if path.exists() and (state is None or self._rotated(state)):
                state = self._files[path] = self._open_state(path)
            if state is None or state.done:
                continue
            yield from self._read_file(state)

    def _rotated(self, state: _FileState) -> bool:
        try:
            identity = _identity(state.path)
            size = state.path.stat().st_size
        except OSError:
            return False
        return identity != state.identity or (not state.gz and size < state.position)

    def _read_file(self, state: _FileState) -> Iterator[SourceItem]:
        got_data = False
        with self._open(state) as fh:
            if not state.gz:
                fh.seek(state.position)
            elif state.position:
                fh.seek(state.position)  # gzip seeks by decompressing: correct, just slower
            for _ in range(_CHUNK_LINES):
                line = fh.readline()
                if not line:
                    break
                if not line.endswith(b"\n") and self.follow and not state.gz:
                    break  # a line still being written: wait for its newline
                got_data = True
                state.line_no += 1
                state.starts[state.line_no] = state.position
                state.position += len(line)
                state.ends[state.line_no] = state.position
                self.bytes_read += len(line)
                text = line.decode("utf-8", errors="replace").rstrip("\r\n")
                for record in state.assembler.feed(text, line_no=state.line_no):
                    yield self._emit(state, record)
            else:
                state.idle_since = time.monotonic()  # more lines are waiting: the next read() continues
                return
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

    def _open(self, state: _FileState) -> IO[bytes]:
        if state.gz:
            return cast(IO[bytes], gzip.open(state.path, "rb"))
        return state.path.open("rb")

    def _emit(self, state: _FileState, record: Assembled) -> SourceItem:
        start = state.starts.get(record.first_line, state.safe)
        state.safe = state.ends.get(record.last_line, state.safe)
        for n in [n for n in state.ends if n <= record.last_line]:
            state.ends.pop(n, None)
            state.starts.pop(n, None)
        self.counters.add(received=1, sent=1)
        raw = RawLog(timestamp=datetime.now(UTC), source=str(state.path), host=self.host, message=record.text)
        return SourceItem(raw=raw, origin=f"{state.path}@{start}")

    def commit(self) -> None:
        """Persist the positions after every emitted record (call once the bus flushed them)."""
        if self.checkpoints is None:
            return
        for state in self._files.values():
            self.checkpoints.save_checkpoint(str(state.path), state.safe, state.identity)

    @property
    def finished(self) -> bool:
        return bool(self._files) and all(s.done for s in self._files.values())
