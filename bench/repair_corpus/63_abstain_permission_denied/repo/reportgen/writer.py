"""Writes the daily CSV reports into the configured report directory."""

from __future__ import annotations

import csv
import os


def report_path(directory: str, day: str) -> str:
    return os.path.join(directory, f"daily-{day}.csv")


def write_report(directory: str, day: str, rows: list[dict]) -> str:
    """Write `rows` as CSV and return the file path."""
    path = report_path(directory, day)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
