"""StdinSource: reads a log from a stream (standard input, a pipe), assembling multi-line records.

Fed by a file descriptor (`analyze -`, `collector --stdin`); feeds (RawRecord, origin) items to
Pipeline.collect_once. Nothing more is read until the bus flushed what was: a fast writer blocks.
"""

from __future__ import annotations

import os
import select
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from hephaestus.collect.files import SourceItem
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.stages import Source
from hephaestus.wire import RawRecord

__all__ = ["StdinSource"]

_READ_BYTES = 1 << 16


class StdinSource(Source[SourceItem]):
    """`read()` returns once it has records, after `chunk_lines` lines, at end of input, or (with
    `wait_s` set) when no data came for `wait_s` seconds; `wait_s=None` blocks until one of the others
    (a one-shot analysis). A record left open by a quiet stream is emitted after `idle_flush_s`."""

    name = "stdin-source"

    def __init__(
        self,
        stream: BinaryIO | int,
        *,
        wait_s: float | None = 0.05,
        source: str = "stdin",
        max_record_lines: int = 500,
        max_line_bytes: int = 64 * 1024,
        idle_flush_s: float = 1.0,
        chunk_lines: int = 5000,
        host: str | None = None,
    ) -> None:
        super().__init__()
        self.fd = stream if isinstance(stream, int) else stream.fileno()
        self.wait_s = wait_s
        self.source = source
        self.max_line_bytes = max_line_bytes
        self.idle_flush_s = idle_flush_s
        self.chunk_lines = chunk_lines
        self.host = host or socket.gethostname()
        self.assembler = MultilineAssembler(max_lines=max_record_lines)
        self.bytes_read = 0
        self.truncated_lines = 0
        self._run = uuid.uuid4().hex[:12]  # origins differ between two streams fed to one store
        self._buf = b""
        self._long: tuple[bytes, int] | None = None  # (kept head, bytes skipped) of an over-long line
        self._line_no = 0
        self._starts: dict[int, int] = {}  # line number -> byte offset of its start (pending lines)
        self._offset = 0  # byte offset of self._buf's first byte
        self._last_data = time.monotonic()
        self.finished = False

    def read(self) -> Iterator[SourceItem]:
        lines = 0
        while True:
            emitted = False
            for text in self._complete_lines():
                lines += 1
                self._line_no += 1
                for record in self.assembler.feed(text, line_no=self._line_no):
                    emitted = True
                    yield self._emit(record)
            if emitted or (lines >= self.chunk_lines and self.wait_s is not None):
                return
            if self.finished:
                for record in self.assembler.flush():
                    yield self._emit(record)
                return
            if not self._fill():
                if time.monotonic() - self._last_data >= self.idle_flush_s:
                    for record in self.assembler.flush():
                        yield self._emit(record)
                return

    def _fill(self) -> bool:
        """Read what the stream has (waiting up to wait_s); False when nothing came in time."""
        if self.wait_s is not None:
            ready, _, _ = select.select([self.fd], [], [], self.wait_s)
            if not ready:
                return False
        data = os.read(self.fd, _READ_BYTES)
        if not data:  # end of input: a last line without its newline still counts
            self.finished = True
            if self._buf or self._long is not None:
                self._buf += b"\n"
            return True
        self.bytes_read += len(data)
        self._buf += data
        self._last_data = time.monotonic()
        return True

    def _complete_lines(self) -> Iterator[str]:
        """The complete lines in the buffer (scanned by position: the buffer is cut once, at the end)."""
        cap, buf, pos = self.max_line_bytes, self._buf, 0
        try:
            while pos < len(buf):
                if self._long is not None:
                    end = buf.find(b"\n", pos)
                    head, skipped = self._long
                    if end < 0:
                        self._long = (head, skipped + len(buf) - pos)
                        pos = len(buf)
                        return
                    self._long = None
                    skipped += end - pos
                    pos = end + 1
                    self.truncated_lines += 1
                    yield f"{self._text(head)} [... {skipped} more bytes truncated]"
                    continue
                end = buf.find(b"\n", pos, pos + cap + 1)
                self._starts[self._line_no + 1] = self._offset + pos
                if end < 0:
                    if len(buf) - pos <= cap:
                        del self._starts[self._line_no + 1]
                        return  # the rest of the line is still to come
                    # an over-long line: keep its head, skip the rest (now or as it comes)
                    self._long = (buf[pos : pos + cap], -cap)
                    continue
                line = buf[pos:end]
                pos = end + 1
                yield self._text(line)
        finally:
            self._buf = buf[pos:]
            self._offset += pos

    @staticmethod
    def _text(line: bytes) -> str:
        return line.decode("utf-8", errors="replace").rstrip("\r")

    def _emit(self, record: Assembled) -> SourceItem:
        start = self._starts.get(record.first_line, self._offset)
        for n in [n for n in self._starts if n <= record.last_line]:
            del self._starts[n]
        self.counters.add(received=1, sent=1)
        now = datetime.now(UTC)
        raw = RawRecord(timestamp=now, source=self.source, host=self.host, message=record.text)
        return SourceItem(raw=raw, origin=f"{self.source}:{self._run}@{start}")

    def commit(self) -> None:
        """Nothing to checkpoint: a stream cannot be re-read."""
