"""Whole-process parse benchmark: `hephaestus parse` beside drain3 (bench/drain3_parse.py) on Loghub-2k.

Each sample is repeated `times` times into a temporary file; both parsers run as their own process
(start-up, reading, header split, output included), alternately, best of `repeat`. Accuracy is scored
on one more, untimed run of each on the 2k file itself (the repeated file's labels would have seen it 10x).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Timed", "run_cli_bench", "templates_by_line", "time_process"]

BENCH = Path(__file__).resolve().parent


@dataclass
class Timed:
    """One process run: wall seconds, CPU seconds (user + system of the child) and its stdout."""

    wall: float
    cpu: float
    stdout: bytes


def time_process(cmd: list[str]) -> Timed:
    """Run `cmd` to completion; raises CalledProcessError on a non-zero exit."""
    before = os.times()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
        raise subprocess.CalledProcessError(done.returncode, cmd)
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Timed(wall, cpu, done.stdout)


def templates_by_line(stdout: bytes, n_lines: int) -> tuple[list[str], int]:
    """The template of each of the first `n_lines` input lines (a record's template covers all its
    lines; uncovered lines get ""), and how many records covered them."""
    out = [""] * n_lines
    records = 0
    line = 1
    for raw in stdout.splitlines():
        row = json.loads(raw)
        first, last = int(row.get("first_line", line)), int(row.get("last_line", line))
        if first > n_lines:
            break
        records += 1
        for i in range(first, min(last, n_lines) + 1):
            out[i - 1] = row.get("template") or ""
        line = last + 1
    return out, records


def _repeat_file(src: Path, times: int, into: Path) -> int:
    lines = src.read_bytes().splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += b"\n"
    into.write_bytes(b"".join(lines) * times)
    return len(lines) * times


def _write_pred(path: Path, templates: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["LineId", "EventTemplate"])
        out.writerows((i, t) for i, t in enumerate(templates, 1))


def _best(runs: list[Timed], wall: bool) -> Timed:
    return min(runs, key=lambda t: t.wall if wall else t.cpu)


def run_cli_bench(
    data: Path,
    systems: list[str],
    settings: dict[str, Any],
    *,
    times: int,
    repeat: int,
    wall: bool,
    drain3: bool,
    score: Callable[[list[str], list[str]], tuple[float, float]],
    ground_truth: Callable[[str], list[str]],
    pred_dir: str | None = None,
) -> int:
    """Print one row per dataset and the RESULT line; returns the exit code."""
    hx = [sys.executable, "-m", "hephaestus", "parse"]
    clock = "wall clock" if wall else "CPU time (user+sys) of the child processes"
    print("# whole processes: hephaestus parse vs drain3 (bench/drain3_parse.py, LogPAI tuned regexes)")
    print(f"# each sample x{times}, best of {repeat}, alternately; {clock}; accuracy: one run on the 2k file")
    head = f"{'dataset':<12} {'GA':>6} {'PA':>6} {'recs':>5} {'lines/s':>9} | "
    print(head + f"{'d3 GA':>6} {'d3 PA':>6} {'d3 l/s':>9}")
    rows: list[tuple[float, float, float, float]] = []
    t_ours = t_d3 = 0.0
    per_line: dict[str, float] = {}
    total_lines = 0
    with tempfile.TemporaryDirectory(prefix="hx-parse-bench-") as tmp:
        for system in systems:
            setting = settings[system]
            path = Path(tmp) / f"{system}.log"
            n = _repeat_file(data / system / f"{system}_2k.log", times, path)
            total_lines += n
            ours: list[Timed] = []
            theirs: list[Timed] = []
            sample = str(data / system / f"{system}_2k.log")
            ours_cmd = [*hx, "--log-format", setting["log_format"]]
            d3_cmd = [sys.executable, str(BENCH / "drain3_parse.py"), "--log-format", setting["log_format"],
                      "--st", str(setting["st"]), "--depth", str(setting["depth"]),
                      "--regex", *setting["regex"], "--"]  # fmt: skip
            for _ in range(max(1, repeat)):
                ours.append(time_process([*ours_cmd, str(path)]))
                if drain3:
                    theirs.append(time_process([*d3_cmd, str(path)]))
            gt = ground_truth(system)
            best = _best(ours, wall)
            pred, records = templates_by_line(time_process([*ours_cmd, sample]).stdout, len(gt))
            if pred_dir:  # for ../shared/tools/loghub_score.py --pred-dir
                _write_pred(Path(pred_dir) / f"{system}_2k.log_structured.csv", pred)
            ga, pa = score(gt, pred)
            secs = best.wall if wall else best.cpu
            t_ours += secs
            per_line[system] = secs / n
            d_ga = d_pa = d_rate = float("nan")
            if theirs:
                d_best = _best(theirs, wall)
                d_pred, _ = templates_by_line(time_process([*d3_cmd, sample]).stdout, len(gt))
                d_ga, d_pa = score(gt, d_pred)
                d_secs = d_best.wall if wall else d_best.cpu
                t_d3 += d_secs
                d_rate = n / d_secs
            rows.append((ga, pa, d_ga, d_pa))
            print(f"{system:<12} {ga:>6.3f} {pa:>6.3f} {records:>5} {n / secs:>9.0f} | "
                  f"{d_ga:>6.3f} {d_pa:>6.3f} {d_rate:>9.0f}", flush=True)  # fmt: skip
    k = len(rows)
    avg = [sum(r[i] for r in rows) / k for i in range(4)]
    speedup = t_d3 / t_ours if t_ours and t_d3 else float("nan")
    slowest = max(per_line, key=per_line.__getitem__)
    ratio = per_line[slowest] / per_line["HDFS"] if "HDFS" in per_line else float("nan")
    print(f"{'average':<12} {avg[0]:>6.3f} {avg[1]:>6.3f} {'':>5} {'':>9} | {avg[2]:>6.3f} {avg[3]:>6.3f}")
    print(f"# total: hephaestus {t_ours:.2f}s ({total_lines / t_ours:.0f} lines/s), drain3 {t_d3:.2f}s"
          f" ({total_lines / t_d3 if t_d3 else float('nan'):.0f} lines/s); slowest per line: {slowest}"
          f" = {ratio:.2f}x HDFS")  # fmt: skip
    print(f"RESULT ga={avg[0]:.3f} pa={avg[1]:.3f} speedup={speedup:.2f}")
    return 0
