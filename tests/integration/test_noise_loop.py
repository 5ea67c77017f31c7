"""The noise loop end to end: an issue marked as noise (`hephaestus issues noise`) stops counting new
lines of its template, in `analyze` and in a running pipeline (without restart); marking it real
(the undo) counts them again. Real SQLite store, local bus, real files."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hephaestus import runner
from hephaestus.service import analyze_logs, mark_noise
from hephaestus.settings import Settings, load_settings
from hephaestus.store import Store

NOISE = "2026-01-01 10:{m:02d}:{s:02d} ERROR fan controller reading unavailable on rack {n}\n"
REAL = "2026-01-01 10:{m:02d}:{s:02d} ERROR payment gateway rejected order {n}\n"


def _append(log: Path, start: int, count: int) -> None:
    with log.open("a", encoding="utf-8") as fh:
        for n in range(start, start + count):
            fh.write(NOISE.format(m=n // 60, s=n % 60, n=n))
            fh.write(REAL.format(m=n // 60, s=n % 60, n=n))


def _counts(settings: Settings) -> dict[str, int]:
    store = Store(settings.store_url)
    try:
        return {i.title.split()[0]: i.count for i in store.issues()}
    finally:
        store.close()


def _issue_id(settings: Settings, word: str) -> str:
    store = Store(settings.store_url)
    try:
        return next(i.id for i in store.issues() if i.title.startswith(word))
    finally:
        store.close()


def test_analyze_skips_a_noise_template_until_it_is_marked_real(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    log = tmp_path / "app.log"
    _append(log, 1, 3)
    analyze_logs([log], settings=settings, repo=None, fix=False)
    assert _counts(settings) == {"fan": 3, "payment": 3}
    fan = _issue_id(settings, "fan")
    assert mark_noise(fan, "noise", settings=settings)["status"] == "ignored"
    _append(log, 4, 2)
    stats = analyze_logs([log], settings=settings, repo=None, fix=False).stats
    assert stats["events_counted"] == 2  # the 2 new payment lines; the fan lines were not errors
    assert _counts(settings) == {"fan": 3, "payment": 5}
    mark_noise(fan, "real", settings=settings)
    _append(log, 6, 2)
    analyze_logs([log], settings=settings, repo=None, fix=False)
    # analyze reads the whole file again: the fan lines skipped while suppressed count now, too
    assert _counts(settings) == {"fan": 7, "payment": 7}


def _wait(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_running_pipeline_picks_up_a_verdict_without_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "NOISE_REFRESH_S", 0.1)
    log = tmp_path / "app.log"
    log.write_text("", encoding="utf-8")
    settings = load_settings(
        data_dir=str(tmp_path / "data"), collect={"files": [str(log)], "poll_interval_s": 0.05}
    )
    stop = threading.Event()
    thread = threading.Thread(
        target=runner.run_pipeline,
        args=(settings,),
        kwargs={"stop": stop, "stages": frozenset({"collect", "process", "analyze"})},
        daemon=True,
    )
    thread.start()
    try:
        _append(log, 1, 3)
        _wait(lambda: _counts(settings) == {"fan": 3, "payment": 3})
        fan = _issue_id(settings, "fan")
        mark_noise(fan, "noise", settings=settings)
        time.sleep(0.5)  # a few refresh periods
        _append(log, 4, 2)
        _wait(lambda: _counts(settings).get("payment") == 5)
        assert _counts(settings) == {"fan": 3, "payment": 5}
        mark_noise(fan, "real", settings=settings)
        time.sleep(0.5)
        _append(log, 6, 2)
        _wait(lambda: _counts(settings) == {"fan": 5, "payment": 7})
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
