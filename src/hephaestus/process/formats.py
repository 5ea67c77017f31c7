"""Turns one log record's text into fields (time, level, component, pid, thread, trace id, message).

Fed by the Processor (records already assembled); feeds masking, the template miner and detection.
Structured encodings live here (JSON lines, docker, journald, CRI, logfmt); header lines in headers.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import orjson

from hephaestus.process import headers
from hephaestus.process.headers import HeaderFields, LogFormat, normalize_level, parse_timestamp

__all__ = ["LogFormat", "ParsedLine", "compile_log_format", "parse_record"]

compile_log_format = headers.compile_log_format

_MSG_KEYS = ("msg", "message", "MESSAGE", "log", "text", "event")
_LEVEL_KEYS = ("level", "severity", "lvl", "levelname", "log.level", "loglevel", "PRIORITY")
_TS_KEYS = ("ts", "time", "@timestamp", "timestamp", "t", "__REALTIME_TIMESTAMP", "date")
_EXC_KEYS = ("exc_info", "stack_trace", "exception", "stack", "stacktrace", "error.stack_trace", "exc_text")
_COMPONENT_KEYS = ("logger", "name", "logger_name", "component", "SYSLOG_IDENTIFIER", "module", "caller")
_PID_KEYS = ("pid", "process", "_PID", "process_id")
_THREAD_KEYS = ("thread", "thread_name", "threadName", "tid", "_TID")
_TRACE_KEYS = ("trace_id", "traceId", "trace.id", "otelTraceID", "dd.trace_id", "traceid")
_STATUS_KEYS = ("status", "status_code", "http.status_code", "statusCode")
_CRI = re.compile(
    r"^(?P<ts>\d{4}-\d{2}-\d{2}T\S+) (?P<stream>stdout|stderr) (?P<tag>[FP]) ?(?P<msg>.*)$", re.DOTALL
)
_LONG_DIGITS = re.compile(r"\d{19}").search
_LOGFMT_PAIR = re.compile(r'([\w.@/-]+)=("(?:[^"\\]|\\.)*"|\S*)')
_MAX_PARSE = 8_192  # header regexes see at most this much of a first line
_JSON_USED = frozenset({*_MSG_KEYS, *_LEVEL_KEYS, *_TS_KEYS, *_EXC_KEYS})
_LOGFMT_USED = frozenset({*_MSG_KEYS, *_LEVEL_KEYS, *_TS_KEYS})


@dataclass  # read-only by convention, not frozen: see HeaderFields
class ParsedLine(HeaderFields):
    """The fields found in one record (a header's fields plus what the body adds); `message` is
    the human text, `body` the lines after the first."""

    exception: str | None = None
    body: str = ""
    parse_error: str | None = None


def parse_record(text: str, *, log_format: LogFormat | None = None) -> ParsedLine:
    """Detect the record's encoding and split it into fields; never raises on bad input."""
    first, _, body = text.partition("\n")
    stripped = first.strip()
    if stripped.startswith("{") and not body:
        return _parse_json(stripped)
    cri = _CRI.match(first) if stripped[:1].isdigit() and (" std" in first) else None
    if cri:
        inner = parse_record(cri.group("msg") + ("\n" + body if body else ""), log_format=log_format)
        ts = inner.timestamp or parse_timestamp(cri.group("ts"))
        return replace(inner, format=f"cri+{inner.format}", timestamp=ts)
    overflow = ""
    if len(first) > _MAX_PARSE:  # headers sit at the start: parse the head, keep the rest as message
        first, overflow = first[:_MAX_PARSE], first[_MAX_PARSE:]
    found: ParsedLine | None = None
    if log_format is not None:
        found = log_format.parse(first, cls=ParsedLine)
    if found is None:
        found = headers.detect(first, cls=ParsedLine)  # built as a ParsedLine: no copy
    if overflow:
        found = replace(found, message=found.message + overflow) if found is not None else None
        first += overflow
    if found is None and "=" in first:
        kv = _parse_logfmt(first)
        if kv is not None:
            kv.body = body
            return kv
    if found is None:
        return ParsedLine(format="plain", message=first.strip(), body=body)
    found.body = body
    return found


# ---------------------------------------------------------------- JSON family
def _loads(text: str) -> Any:
    """orjson (~5x faster) where it decodes as the stdlib does: what it refuses (NaN, Infinity, escaped
    lone surrogates, deep nesting) goes to json.loads, whose errors are the ones reported, and so does
    text with 19 digits in a row (orjson would read an integer beyond 64 bits as a float)."""
    if _LONG_DIGITS(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def _parse_json(text: str) -> ParsedLine:
    try:
        data = _loads(text)
    except (ValueError, RecursionError) as exc:
        return ParsedLine(format="json", message=text, parse_error=f"invalid JSON: {exc}"[:200])
    if not isinstance(data, dict):
        return ParsedLine(format="json", message=text, parse_error="JSON value is not an object")
    flat = _flatten(data)
    if "log" in data and "stream" in data and isinstance(data["log"], str):  # docker json-file
        inner = parse_record(data["log"].rstrip("\n"))
        ts = inner.timestamp or parse_timestamp(str(data.get("time", "")))
        return replace(inner, format=f"docker+{inner.format}", timestamp=ts)
    fmt = "journald" if "__REALTIME_TIMESTAMP" in flat or "_SYSTEMD_UNIT" in flat else "json"
    message = _first(flat, _MSG_KEYS)
    ts_raw = _first(flat, _TS_KEYS)
    timestamp = None
    if ts_raw is not None:
        if fmt == "journald" and ts_raw.isdigit():
            timestamp = datetime.fromtimestamp(int(ts_raw) / 1_000_000, tz=UTC)
        else:
            timestamp = parse_timestamp(ts_raw)
    level_raw = _first(flat, _LEVEL_KEYS)
    pid_raw = _first(flat, _PID_KEYS)
    status_raw = _first(flat, _STATUS_KEYS)
    used = _JSON_USED
    return ParsedLine(
        format=fmt,
        message=message if message is not None else text,
        timestamp=timestamp,
        level=normalize_level(level_raw) if level_raw is not None else None,
        component=_first(flat, _COMPONENT_KEYS),
        pid=int(pid_raw) if pid_raw is not None and pid_raw.isdigit() else None,
        thread=_first(flat, _THREAD_KEYS),
        trace_id=_first(flat, _TRACE_KEYS),
        status=int(status_raw) if status_raw is not None and status_raw.isdigit() else None,
        exception=_first(flat, _EXC_KEYS),
        fields={k: v for k, v in flat.items() if k not in used},
    )


def _flatten(data: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 4:
            out.update(_flatten(value, f"{name}.", depth + 1))
            for sub in ("message", "msg", "stack_trace", "stack", "type"):  # error.message -> message
                if (
                    isinstance(value.get(sub), str)
                    and sub not in out
                    and key in ("error", "exception", "err")
                ):
                    out[f"{name}.{sub}"] = value[sub]
        elif isinstance(value, str):
            out[name] = value
        elif value is None:
            continue
        elif isinstance(value, bool | int | float):
            out[name] = str(value) if not isinstance(value, bool) else str(value).lower()
        else:
            out[name] = json.dumps(value, default=str)
    return out


def _first(flat: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = flat.get(key)
        if value is not None and value != "":
            return value
    return None


# ---------------------------------------------------------------- logfmt
def _parse_logfmt(line: str) -> ParsedLine | None:
    pairs = {
        k: v[1:-1].replace('\\"', '"') if v.startswith('"') else v for k, v in _LOGFMT_PAIR.findall(line)
    }
    if len(pairs) < 2 or not any(k in pairs for k in ("msg", "message", "level", "lvl", "ts", "time")):
        return None
    message = _first(pairs, _MSG_KEYS)
    level = _first(pairs, _LEVEL_KEYS)
    ts = _first(pairs, _TS_KEYS)
    pid = _first(pairs, _PID_KEYS)
    status = _first(pairs, _STATUS_KEYS)
    used = _LOGFMT_USED
    return ParsedLine(
        format="logfmt",
        message=message if message is not None else line.strip(),
        timestamp=parse_timestamp(ts) if ts else None,
        level=normalize_level(level) if level else None,
        component=_first(pairs, _COMPONENT_KEYS),
        pid=int(pid) if pid and pid.isdigit() else None,
        thread=_first(pairs, _THREAD_KEYS),
        trace_id=_first(pairs, _TRACE_KEYS),
        status=int(status) if status and status.isdigit() else None,
        exception=_first(pairs, _EXC_KEYS),
        fields={k: v for k, v in pairs.items() if k not in used},
    )
