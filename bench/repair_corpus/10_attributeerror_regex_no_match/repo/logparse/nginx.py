"""Parses nginx "combined" access-log lines."""

from __future__ import annotations

import re

LINE = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) '
)


def parse_line(line: str) -> dict | None:
    """The request fields, or None for lines that are not access-log entries (blank, truncated...)."""
    m = LINE.match(line)
    return {"ip": m.group("ip"), "method": m.group("method"), "path": m.group("path"),
            "status": int(m.group("status"))}


def status_histogram(lines: list[str]) -> dict[int, int]:
    """Count of requests per HTTP status, ignoring unparseable lines."""
    counts: dict[int, int] = {}
    for line in lines:
        rec = parse_line(line)
        if rec is None:
            continue
        counts[rec["status"]] = counts.get(rec["status"], 0) + 1
    return counts
