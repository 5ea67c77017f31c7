"""Header-line formats: LogPAI `<Date> <Time> <Level> <Component>: <Content>` patterns and detection.

Fed the first line of a record by formats.parse_record; feeds it HeaderFields (stamps: timestamps.py).
Knows Python logging, log4j/logback, syslog 3164/5424, Apache/nginx access and error logs, ISO fallbacks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import TypeVar

from hephaestus.process.header_select import build_selector, marker_index
from hephaestus.process.timestamps import parse_timestamp

__all__ = ["HeaderFields", "LogFormat", "compile_log_format", "detect", "normalize_level", "parse_timestamp"]

_LEVEL_ALIASES = {
    "WARN": "WARNING", "ERR": "ERROR", "CRIT": "CRITICAL", "EMERGENCY": "EMERG", "INFORMATION": "INFO",
    "E": "ERROR", "W": "WARNING", "I": "INFO", "D": "DEBUG", "V": "TRACE", "F": "FATAL", "EROR": "ERROR",
}  # fmt: skip
_SYSLOG_SEVERITY = ("EMERG", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG")
_LVL = (
    r"(?P<level>(?i:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|CRIT(?:ICAL)?"
    r"|FATAL|SEVERE|PANIC|EMERG|ALERT))"
)
_TS = r"(?P<ts>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
_DETECTOR_SOURCES: tuple[tuple[str, str], ...] = (
    ("syslog5424", r"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<component>\S+) (?P<pid>\S+) "
                   r"(?P<msgid>\S+) (?:-|(?:\[.*?\])+)\s?(?P<msg>.*)$"),
    ("syslog3164", r"^(?:<(?P<pri>\d{1,3})>)?(?P<ts>[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}) "
                   r"(?P<host>\S+) (?P<component>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$"),
    ("access", r'^(?P<client>\S+) \S+ (?P<user>\S+) \[(?P<ts>[^\]]+)\] (?P<msg>"[^"]*" (?P<status>\d{3}) '
               r"(?:\d+|-).*)$"),
    ("apache_error", r"^\[(?P<ts>[^\]]+)\] \[(?:(?P<component>[\w-]+):)?(?P<level>\w+)\]"
                     r"(?: \[pid (?P<pid>\d+)(?::tid (?P<thread>\d+))?\])?"
                     r"(?: \[client [^\]]+\])? (?P<msg>.*)$"),
    ("nginx_error", r"^(?P<ts>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(?P<level>\w+)\] "
                    r"(?P<pid>\d+)#(?P<thread>\d+): (?:\*\d+ )?(?P<msg>.*)$"),
    ("spring", _TS + r"\s+" + _LVL + r" (?P<pid>\d+) --- \[\s*(?P<thread>[^\]]*)\] "
               r"(?P<component>\S+)\s*: (?P<msg>.*)$"),
    ("python", "^" + _TS + r"\s+" + _LVL + r"\s+(?P<component>[\w.$<>\[\]-]+):\s(?P<msg>.*)$"),
    ("python_dash", "^" + _TS + r" - (?P<component>\S+) - " + _LVL + r" - (?P<msg>.*)$"),
    ("log4j", "^" + _TS + r"\s+\[(?P<thread>[^\]]+)\]\s+" + _LVL
              + r"\s+(?P<component>\S+)\s+-\s(?P<msg>.*)$"),
    ("log4j_level_first", "^" + _TS + r"\s+" + _LVL + r"\s+\[(?P<thread>[^\]]+)\]\s+"
                          r"(?P<component>\S+?)\s+-\s(?P<msg>.*)$"),
    # Python's "%(asctime)s %(levelname)s [%(name)s] %(message)s": the bracket is the logger
    ("bracket_logger", "^" + _TS + r"\s+" + _LVL + r"\s+\[(?P<component>[\w.$-]+)\]\s+(?P<msg>.*)$"),
    ("timestamp_level", "^" + _TS + r"\s+\[?" + _LVL + r"\]?:?\s+(?P<msg>.*)$"),
    ("level_first", r"^\[?" + _LVL + r"\]?:\s*(?P<msg>.*)$"),
    ("timestamp", "^" + _TS + r"\s+(?P<msg>.*)$"),
)  # fmt: skip
_NAME_ROLES = {
    "content": "msg", "message": "msg", "level": "level", "severity": "level", "state": "level",
    "component": "component", "logger": "component", "program": "component", "pid": "pid",
    "thread": "thread", "tid": "thread", "traceid": "trace_id", "trace_id": "trace_id",
}  # fmt: skip
_SOURCES = dict(_DETECTOR_SOURCES)


# Not frozen, on purpose: built for every record, and a frozen dataclass costs ~2 µs more per
# construction (object.__setattr__ per field). Treat instances as read-only; use dataclasses.replace.
@dataclass
class HeaderFields:
    """What a header pattern extracted from one line."""

    format: str
    message: str
    timestamp: datetime | None = None
    level: str | None = None
    component: str | None = None
    pid: int | None = None
    thread: str | None = None
    trace_id: str | None = None
    status: int | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=512)
def normalize_level(raw: str) -> str | None:
    """Upper-case level name with common aliases folded (warn -> WARNING, E -> ERROR, 3 -> ERROR)."""
    value = raw.strip().upper()
    if not value:
        return None
    if value.isdigit() and len(value) == 1 and int(value) < 8:
        return _SYSLOG_SEVERITY[int(value)]
    return _LEVEL_ALIASES.get(value, value)


_H = TypeVar("_H", bound=HeaderFields)


def _fields_from(
    name: str,
    groups: Mapping[str, str | None],
    extra: Mapping[str, str],
    *,
    stamp: str | None = None,
    cls: type[_H] = HeaderFields,  # type: ignore[assignment]
) -> _H:
    """`stamp` (the joined date/time fields of a LogPAI pattern) stands in for a `ts` group; `cls`
    (a subclass with defaults for its own fields) is built directly, not copied from a HeaderFields.
    Built with positional arguments in HeaderFields' field order (per record: keywords cost more)."""
    get = groups.get
    level = get("level")
    lvl = normalize_level(level) if level else None
    if lvl is None:
        pri = get("pri")
        if pri is not None and pri.isdigit():
            lvl = _SYSLOG_SEVERITY[int(pri) % 8]
    pid = get("pid")
    status = get("status")
    ts = get("ts") if stamp is None else stamp
    msg = get("msg")
    return cls(
        name,
        msg.strip() if msg else "",
        parse_timestamp(ts) if ts else None,
        lvl,
        get("component") or None,
        int(pid) if pid and pid.isdigit() else None,
        get("thread") or None,
        get("trace_id") or None,
        int(status) if status else None,
        extra,
    )


_Chain = tuple[tuple[str, re.Pattern[str]], ...]
_EXTRA_KEYS = ("host", "client", "user", "msgid")  # groups kept in `fields`


@cache
def _detectors() -> _Chain:
    """The detectors, compiled on first use (a run with a known --log-format may never need them)."""
    return tuple((name, re.compile(rx)) for name, rx in _DETECTOR_SOURCES)


def _chain(*names: str) -> _Chain:
    by_name = dict(_detectors())
    order = [name for name, _ in _DETECTOR_SOURCES]
    return tuple((name, by_name[name]) for name in sorted(names, key=order.index))


_ISO_HEADS = ("spring", "python", "python_dash", "log4j", "log4j_level_first", "bracket_logger",
              "timestamp_level", "timestamp")  # fmt: skip
# Detectors that can match at all, by the line's first characters (each regex is anchored at the start,
# so a line that cannot begin like it is skipped; the order of the full list is kept). The access log
# needs `] "` somewhere, so each class has a variant with and one without it.
_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iso", _ISO_HEADS),  # 2024-01-01...
    ("slash", ("nginx_error",)),  # 2024/01/01 ...
    ("pri", ("syslog5424", "syslog3164")),  # <13>...
    ("bracket", ("apache_error", "level_first")),  # [Mon ...] / [ERROR] ...
    ("upper", ("syslog3164", "level_first")),  # Jun 14 ... / ERROR: ...
    ("alpha", ("level_first",)),
    ("other", ()),
)
# per class: the selector (None for fewer than two detectors) and (name, regex, extra keys) in order
_Select = tuple[re.Pattern[str] | None, tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]]


@cache
def _chains() -> dict[tuple[str, bool], _Select]:
    chains: dict[tuple[str, bool], _Select] = {}
    for cls, names in _CLASSES:
        for access in (False, True):
            chain = _chain(*names, "access") if access else _chain(*names)
            keyed = tuple((n, rx, tuple(k for k in rx.groupindex if k in _EXTRA_KEYS)) for n, rx in chain)
            sources = [_SOURCES[name] for name, _ in chain]
            chains[(cls, access)] = (build_selector(sources, head=_TS), keyed)
    return chains


def _line_class(line: str) -> str:
    c0 = line[:1]
    if c0.isdigit():
        if line[:4].isdigit():
            sep = line[4:5]
            if sep == "-":
                return "iso"
            if sep == "/":
                return "slash"
        return "other"
    if c0 == "<":
        return "pri"
    if c0 == "[":
        return "bracket"
    if "A" <= c0 <= "Z":
        return "upper"
    return "alpha" if c0.isalpha() else "other"


def detect(line: str, *, cls: type[_H] = HeaderFields) -> _H | None:  # type: ignore[assignment]
    """Try every known header shape in turn; None when the line has no recognisable header. One
    selector match finds the first detector that matches, then that detector alone takes the fields."""
    select, chain = _chains()[(_line_class(line), '] "' in line)]
    if select is not None:
        found = select.match(line)
        if found is None:
            return None
        name, rx, keys = chain[marker_index(found)]
    elif chain:
        name, rx, keys = chain[0]
    else:
        return None
    m = rx.match(line)
    if m is None:
        return None
    groups = m.groupdict()
    extra = {k: v for k in keys if (v := groups[k])} if keys else {}
    return _fields_from(name, groups, extra, cls=cls)


def _detect_reference(line: str) -> HeaderFields | None:
    """The plain in-order scan `detect` must agree with (kept for the equivalence tests)."""
    for name, rx in _detectors():
        m = rx.match(line)
        if m:
            groups = m.groupdict()
            extra = {k: v for k, v in groups.items() if v and k in ("host", "client", "user", "msgid")}
            return _fields_from(name, groups, extra)
    return None


class LogFormat:
    """A LogPAI header pattern such as `<Date> <Time> <Level> <Component>: <Content>`.

    `<Name>` fields match lazily, runs of spaces match any whitespace, the rest is a regex. `Content`
    is the message; Date/Time/Timestamp join into the timestamp; Level, Component, Pid, Thread map by name.
    """

    def __init__(self, pattern: str) -> None:
        if "<Content>" not in pattern:
            raise ValueError(f"log format {pattern!r} has no <Content> field")
        self.pattern = pattern
        self.names: list[str] = []
        regex = ""
        parts = re.split(r"(<[^<>]+>)", pattern)
        for k, part in enumerate(parts):
            if k % 2 == 0:
                regex += re.sub(" +", r"\\s+", part)
            else:
                name = part[1:-1]
                # a field that ends the pattern runs to the end either way: greedy gets there at once
                lazy = "" if k == len(parts) - 2 and not parts[-1] else "?"
                regex += f"(?P<{name}>.*{lazy})"
                self.names.append(name)
        try:
            self.regex = re.compile("^" + regex + "$")
        except re.error as exc:
            raise ValueError(f"log format {pattern!r} is not a valid pattern: {exc}") from exc
        # positions in Match.groups() of the fields by role: timestamp parts, known roles, the rest
        slots = [
            (self.regex.groupindex[name] - 1, name, _slot_role(name)) for name in dict.fromkeys(self.names)
        ]
        self._ts = tuple(i for i, _, role in slots if role == "ts")
        self._roles = tuple((role, i) for i, _, role in slots if role not in ("", "ts"))
        self._extra = tuple((name, i) for i, name, role in slots if not role)

    def split(self, line: str) -> dict[str, str] | None:
        """The raw named fields of `line`, or None if it does not match the pattern."""
        m = self.regex.match(line.strip())
        return {k: v for k, v in m.groupdict().items() if v is not None} if m else None

    def parse(self, line: str, *, cls: type[_H] = HeaderFields) -> _H | None:  # type: ignore[assignment]
        """Map the named fields onto HeaderFields (or the subclass `cls`); None if `line` does not match."""
        m = self.regex.match(line.strip())
        if m is None:
            return None
        values = m.groups()
        groups = {role: values[i] for role, i in self._roles if values[i] is not None}
        extra = {name: values[i] for name, i in self._extra if values[i] is not None}
        ts_parts = [values[i] for i in self._ts if values[i] is not None]
        if not ts_parts:
            return _fields_from("logpai", groups, extra, cls=cls)
        stamp = " ".join(ts_parts)
        fields = _fields_from("logpai", groups, extra, stamp=stamp, cls=cls)
        if fields.timestamp is None and len(ts_parts) > 1:
            fields.timestamp = parse_timestamp(ts_parts[-1])
        return fields


def _slot_role(name: str) -> str:
    lower = name.lower()
    if lower in _NAME_ROLES:
        return _NAME_ROLES[lower]
    return "ts" if lower in ("date", "time", "timestamp", "datetime") else ""


def compile_log_format(pattern: str) -> LogFormat:
    """Build a LogFormat; raises ValueError for a pattern without <Content> or with a broken regex."""
    return LogFormat(pattern)
