"""Start-up of `hephaestus --help` and `hephaestus parse` (a one-line file), as whole processes.

Each command runs --runs times; the minimum CPU seconds (user + system of the child) and wall seconds
are printed. With --base-src DIR (another checkout's `src`), that code runs alternately with this one
(PYTHONPATH), so both see the same machine load. HEPHAESTUS_* variables are dropped from the children.

Usage: .venv/bin/python bench/startup.py [--runs 7] [--base-src /tmp/base/src]
The last line is `RESULT help_cpu_s=<x> parse_cpu_s=<y>` for this checkout.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process."""
    before, t0 = os.times(), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    wall, after = time.perf_counter() - t0, os.times()
    return after.children_user - before.children_user + after.children_system - before.children_system, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--base-src", default=None, help="another checkout's src/, run alternately")
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}
    variants = {"this": env}
    if args.base_src:
        variants["base"] = {**env, "PYTHONPATH": args.base_src}
    hx = [sys.executable, "-m", "hephaestus"]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "one.log"
        log.write_text("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating\n")
        commands = {
            "help": [*hx, "--help"],
            "parse": [
                *hx,
                "parse",
                str(log),
                "--log-format",
                "<Date> <Time> <Pid> <Level> <Component>: <Content>",
            ],
        }
        best: dict[tuple[str, str], tuple[float, float]] = {}
        for name, cmd in commands.items():
            times: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
            for _ in range(max(1, args.runs)):
                for variant, variant_env in variants.items():
                    times[variant].append(run(cmd, variant_env))
            for variant, got in times.items():
                best[(name, variant)] = (min(c for c, _ in got), min(w for _, w in got))
                cpu, wall = best[(name, variant)]
                print(
                    f"{name:<6} {variant:<5} min CPU {cpu:.2f} s  min wall {wall:.2f} s  (of {len(got)} runs)"
                )
    print(f"RESULT help_cpu_s={best[('help', 'this')][0]:.2f} parse_cpu_s={best[('parse', 'this')][0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
