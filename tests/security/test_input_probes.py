"""Hostile and broken inputs to `hephaestus analyze` (issue #12, probes 5-7).

Every input ends in a clear answer: a one-line error and exit 2, or exit 0 with what could
be read and a warning; never a hang, an unbounded read or a traceback.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hephaestus.collect import FileSource
from hephaestus.collect.files import validate_log_path
from hephaestus.errors import InputError

PY = sys.executable
ERROR_LINE = "2024-05-01 10:00:00 ERROR shop.pricing: ZeroDivisionError: division by zero\n"


def analyze(tmp_path: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """`hephaestus analyze ARGS --no-fix --json` with its own data dir (a hang fails the test)."""
    full_env = {**os.environ, "HEPHAESTUS_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [PY, "-m", "hephaestus", "analyze", *args, "--no-fix", "--json"],
        env=full_env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def _one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("hephaestus: error:")
    assert len(lines[0]) < 400
    for word in words:
        assert word in lines[0]


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "app.log"
    os.mkfifo(fifo)
    _one_line_error(analyze(tmp_path, str(fifo), timeout=60), "not a regular file")


def test_dev_zero_is_refused(tmp_path: Path) -> None:
    _one_line_error(analyze(tmp_path, "/dev/zero", timeout=60), "not a regular file")


def test_proc_file_is_read_once(tmp_path: Path) -> None:
    done = analyze(tmp_path, "/proc/version", timeout=60)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)["stats"]
    assert stats["bytes"] == len(Path("/proc/version").read_bytes())


def test_name_too_long_is_a_one_line_error(tmp_path: Path) -> None:
    _one_line_error(analyze(tmp_path, str(tmp_path / ("a" * 5000)), timeout=60), "File name too long")


def test_permission_denied_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "app.log"
    log.write_text(ERROR_LINE)
    real_open = os.open

    def denied(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(log):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)  # root reads everything: simulate the unprivileged case
    with pytest.raises(InputError, match=r"cannot read log file .*Permission denied"):
        validate_log_path(log)


def test_long_line_is_capped_with_a_marker(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    with log.open("w") as fh:
        fh.write("2024-05-01 10:00:00 ERROR huge: " + "x" * 5_000_000 + "\n")
        fh.write(ERROR_LINE)
    source = FileSource([log], max_line_bytes=64 * 1024)
    source.start()
    texts = [item.raw.message for item in source.read()]
    assert source.truncated_lines == 1
    assert max(len(t) for t in texts) < 64 * 1024 + 100
    assert any("more bytes truncated]" in t for t in texts)
    assert any("ZeroDivisionError" in t for t in texts)  # the line after is intact
    assert source.bytes_read == log.stat().st_size


def test_long_line_cap_through_analyze(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("2024-05-01 10:00:00 ERROR huge: " + "y" * 2_000_000 + "\n" + ERROR_LINE)
    done = analyze(tmp_path, str(log), HEPHAESTUS_COLLECT__MAX_LINE_KB="16")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stats"]["truncated_lines"] == 1
    assert len(done.stdout) < 200_000  # nothing carries the 2 MB line


def test_gzip_bomb_stops_at_the_decompressed_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.log.gz"
    with gzip.open(bomb, "wb") as fh:
        fh.write(ERROR_LINE.encode())
        for _ in range(32):
            fh.write(b"\0" * (1024 * 1024))
    source = FileSource([bomb], max_decompressed_bytes=2 * 1024 * 1024)
    source.start()
    texts = [item.raw.message for item in source.read()]
    assert any("ZeroDivisionError" in t for t in texts)
    assert source.bytes_read <= 2 * 1024 * 1024 + 64 * 1024
    assert len(source.warnings) == 1
    assert "cap" in source.warnings[0]


def test_gzip_is_decompressed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "many.log.gz"
    with gzip.open(log, "wt") as fh:
        for n in range(12_000):
            fh.write(f"2024-05-01 10:00:00 INFO step {n}\n")
    opened: list[object] = []
    real = gzip.open

    def counting(*args: object, **kwargs: object) -> object:
        opened.append(args[0])
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(gzip, "open", counting)
    source = FileSource([log])
    source.start()
    while not source.finished:
        for _ in source.read():
            pass
    assert len(opened) == 1
    assert source.bytes_read == len(real(log).read())


def test_truncated_gzip_processes_the_readable_part(tmp_path: Path) -> None:
    whole = tmp_path / "whole.log.gz"
    with gzip.open(whole, "wt") as fh:
        fh.write(ERROR_LINE)
        for n in range(20_000):
            fh.write(f"2024-05-01 10:00:01 INFO step {n} {'z' * (n % 97)}\n")
    cut = tmp_path / "cut.log.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    done = analyze(tmp_path, str(cut))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stats"]["issues"] >= 1
    assert len(report["stats"]["warnings"]) == 1
    assert "hephaestus: warning:" in done.stderr
    assert "damaged or cut" in done.stderr
