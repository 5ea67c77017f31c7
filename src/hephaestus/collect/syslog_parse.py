"""Syslog wire formats: RFC 5424 and RFC 3164 messages, RFC 6587 TCP framing.

Fed datagrams and TCP byte streams by the syslog listeners (collect/syslog.py); feeds them
SyslogMessage values, or a SyslogError / FrameError whose text is the dead-letter reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["SEVERITIES", "FrameError", "SyslogError", "SyslogMessage", "TcpFramer", "parse_syslog"]

SEVERITIES = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG")
_PRI = re.compile(rb"<(\d{1,3})>")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
# RFC 3164 header: "Mmm dd hh:mm:ss HOSTNAME " (day space-padded); the TAG is parsed after it
_BSD_HEADER = re.compile(r"([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (?:(\S+) )?")
_BSD_TAG = re.compile(r"([\w./@-]{1,48})(?:\[(\w{1,32})\])?: ?")
_BOM = "\ufeff"


class SyslogError(ValueError):
    """Not a syslog message; the text says why (the dead-letter reason)."""


@dataclass(frozen=True)
class SyslogMessage:
    facility: int
    severity: int
    version: int  # 1 for RFC 5424, 0 for RFC 3164 (BSD)
    timestamp: datetime | None
    host: str | None
    app_name: str | None
    proc_id: str | None
    msg_id: str | None
    structured_data: str | None
    message: str

    @property
    def level(self) -> str:
        return SEVERITIES[self.severity]


def parse_syslog(frame: bytes, *, now: datetime | None = None) -> SyslogMessage:
    """One message (without framing); trailing NUL, CR and LF are ignored. Raises SyslogError."""
    frame = frame.rstrip(b"\x00\r\n")
    m = _PRI.match(frame)
    if m is None:
        raise SyslogError(f"no <PRI> at the start: {frame[:40]!r}")
    pri = int(m.group(1))
    if pri > 191 or (len(m.group(1)) > 1 and m.group(1).startswith(b"0")):
        raise SyslogError(f"invalid PRI <{m.group(1).decode()}>")
    rest = frame[m.end() :].decode("utf-8", errors="replace")
    facility, severity = divmod(pri, 8)
    if rest.startswith("1 "):
        return _parse_5424(facility, severity, rest[2:])
    return _parse_3164(facility, severity, rest, now or datetime.now(UTC))


def _nil(field: str) -> str | None:
    return None if field == "-" else field


def _parse_5424(facility: int, severity: int, rest: str) -> SyslogMessage:
    parts = rest.split(" ", 5)
    if len(parts) < 6:
        raise SyslogError("RFC 5424 header has fewer than 6 fields after the version")
    stamp, host, app, proc, msg_id, tail = parts
    timestamp = None
    if stamp != "-":
        try:
            timestamp = datetime.fromisoformat(stamp)
        except ValueError:
            raise SyslogError(f"RFC 5424 timestamp is not RFC 3339: {stamp[:40]!r}") from None
        if timestamp.tzinfo is None:
            raise SyslogError(f"RFC 5424 timestamp has no time zone: {stamp[:40]!r}")
    for name, value, limit in (("HOSTNAME", host, 255), ("APP-NAME", app, 48), ("PROCID", proc, 128)):
        if len(value) > limit or not value.isprintable():
            raise SyslogError(f"RFC 5424 {name} invalid: {value[:40]!r}")
    sd, message = _structured_data(tail)
    if message.startswith(_BOM):
        message = message[1:]
    return SyslogMessage(
        facility, severity, 1, timestamp, _nil(host), _nil(app), _nil(proc), _nil(msg_id), sd, message
    )


def _structured_data(tail: str) -> tuple[str | None, str]:
    """(SD or None for "-", MSG) from what follows MSGID."""
    if tail == "-" or tail.startswith("- "):
        return None, tail[2:]
    if not tail.startswith("["):
        raise SyslogError(f"RFC 5424 STRUCTURED-DATA must be '-' or start with '[': {tail[:40]!r}")
    i, n = 0, len(tail)
    while i < n and tail[i] == "[":
        in_quote = False
        i += 1
        while i < n:
            c = tail[i]
            if in_quote and c == "\\":
                i += 2
                continue
            if c == '"':
                in_quote = not in_quote
            elif c == "]" and not in_quote:
                break
            i += 1
        if i >= n:
            raise SyslogError("RFC 5424 STRUCTURED-DATA element not closed with ']'")
        i += 1
    if i < n and tail[i] != " ":
        raise SyslogError("RFC 5424 STRUCTURED-DATA not followed by a space")
    return tail[:i], tail[i + 1 :]


def _parse_3164(facility: int, severity: int, rest: str, now: datetime) -> SyslogMessage:
    """BSD syslog: an optional "Mmm dd hh:mm:ss HOST TAG[pid]: " header; without one (Python's
    SysLogHandler sends none) the whole text is the message."""
    m = _BSD_HEADER.match(rest)
    if m is None or m.group(1) not in _MONTHS:
        return SyslogMessage(facility, severity, 0, None, None, None, None, None, None, rest)
    month, day, hh, mm, ss, host = m.groups()
    local = now.astimezone()  # the sender's clock has no zone or year: assume ours, not in the future
    try:
        stamp = local.replace(
            month=_MONTHS[month], day=int(day), hour=int(hh), minute=int(mm), second=int(ss), microsecond=0
        )
    except ValueError:
        raise SyslogError(f"RFC 3164 timestamp out of range: {rest[:15]!r}") from None
    if stamp - local > timedelta(days=1):
        stamp = stamp.replace(year=stamp.year - 1)
    body = rest[m.end() :]
    app = proc = None
    tag = _BSD_TAG.match(body)
    if tag is not None:
        app, proc = tag.group(1), tag.group(2)
        body = body[tag.end() :]
    return SyslogMessage(facility, severity, 0, stamp, host, app, proc, None, None, body)


class FrameError(ValueError):
    """A TCP frame that cannot be delimited; `fatal` means the stream cannot be resynchronised."""

    def __init__(self, reason: str, head: bytes, *, fatal: bool) -> None:
        super().__init__(reason)
        self.head = head
        self.fatal = fatal


_COUNT = re.compile(rb"([1-9]\d{0,9}) ")


class TcpFramer:
    """RFC 6587 framing, decided per frame: octet counting ("LEN SP MSG") when the frame starts with
    a digit, else a trailer: LF, or NUL once the peer has sent one (Python's SysLogHandler ends
    messages with NUL and keeps the newlines of a traceback inside them)."""

    def __init__(self, *, max_frame: int = 64 * 1024) -> None:
        self.max_frame = max_frame
        self._buf = b""
        self._nul = False
        self._skipping = False  # inside an over-long trailer-framed frame: drop until its end

    def feed(self, data: bytes) -> list[bytes | FrameError]:
        """Complete frames in arrival order; a FrameError stands for a frame dead-lettered."""
        self._buf += data
        if not self._nul and b"\x00" in data:
            self._nul = True
        out: list[bytes | FrameError] = []
        while self._buf:
            got = self._next()
            if got is None:
                break
            out.append(got)
            if isinstance(got, FrameError) and got.fatal:
                self._buf = b""
                break
        return out

    def end(self) -> list[bytes | FrameError]:
        """The connection closed: what is left is a last frame without its trailer."""
        rest, self._buf = self._buf.strip(b"\x00\r\n"), b""
        if not rest or self._skipping:
            return []
        if _COUNT.match(rest):
            return [FrameError("connection closed inside an octet-counted frame", rest[:200], fatal=True)]
        return [rest]

    def _next(self) -> bytes | FrameError | None:
        buf = self._buf
        if self._skipping:
            end = self._trailer(buf)
            if end < 0:
                self._buf = b""
                return None
            self._skipping = False
            self._buf = buf[end + 1 :]
            return self._next() if self._buf else None
        start = 0
        while start < len(buf) and buf[start] in b"\r\n\x00":  # empty frames between messages
            start += 1
        buf = self._buf = buf[start:]
        if not buf:
            return None
        if buf[:1].isdigit():
            m = _COUNT.match(buf)
            if m is None and len(buf) < 12 and buf.isdigit():
                return None  # the length is still arriving
            if m is not None:  # else a trailer-framed frame that will not parse: dead-lettered later
                size = int(m.group(1))
                if size > self.max_frame:
                    reason = f"octet count {size} over the {self.max_frame} byte limit"
                    return FrameError(reason, buf[:200], fatal=True)
                if len(buf) < m.end() + size:
                    return None
                self._buf = buf[m.end() + size :]
                return buf[m.end() : m.end() + size]
        end = self._trailer(buf)
        if end < 0:
            if len(buf) > self.max_frame:
                self._skipping, self._buf = True, b""
                reason = f"frame over the {self.max_frame} byte limit without a trailer"
                return FrameError(reason, buf[:200], fatal=False)
            return None
        self._buf = buf[end + 1 :]
        return buf[:end]

    def _trailer(self, buf: bytes) -> int:
        return buf.find(b"\x00") if self._nul else buf.find(b"\n")
