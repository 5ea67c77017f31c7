"""Helpers for the log-source integration tests: process what reached the embedded bus, poll counters."""

import re
import time
from pathlib import Path

import orjson

import hephaestus
from hephaestus.bus.local import LocalBus
from hephaestus.pipeline import Pipeline
from hephaestus.process.processor import Processor

SRC = str(Path(hephaestus.__file__).resolve().parents[1])  # this checkout's src/, for child processes
TOKEN = re.compile(r"rec-(\d+)\b")


def wait_for(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def structured_records(bus: LocalBus) -> list[dict]:
    """Run the real processor over everything on the raw topic; return the structured records."""
    pipeline = Pipeline(bus=bus, store=None, processor=Processor(), group_prefix="check")
    while pipeline.process_once():
        pass
    pipeline.close()
    consumer = bus.consumer("check.reader", [pipeline.structured])
    out: list[dict] = []
    while batch := consumer.poll_batch(5000, timeout=0.05):
        out += [orjson.loads(m.value) for m in batch]
    return out


def token_counts(records: list[dict]) -> dict[int, int]:
    """How many structured records carry each `rec-<n>` token (in message or stack trace)."""
    counts: dict[int, int] = {}
    for record in records:
        text = f"{record['error']['message']}\n{record['error'].get('stack_trace') or ''}"
        for n in {int(m) for m in TOKEN.findall(text)}:
            counts[n] = counts.get(n, 0) + 1
    return counts


def assert_exactly(records: list[dict], n: int) -> None:
    assert len(records) == n
    counts = token_counts(records)
    assert sorted(counts) == list(range(n))
    assert set(counts.values()) == {1}
