"""Whole-process `hephaestus analyze` on a large generated application log: wall, CPU, peak RSS.

The log (deterministic, `--lines` lines) looks like a web service's: `2026-11-24 02:00:05,276 INFO
[worker-3] shop.orders: ...` lines with varied numbers, ids, durations and paths, mostly INFO, some
DEBUG/WARNING, and every `--error-every` lines an ERROR with a Python traceback from one of a handful
of distinct exceptions (or a one-line ERROR without traceback). The expected issues are printed
beside the ones found, so a run also checks that nothing was lost.

Each command runs as its own child process (its own HEPHAESTUS_DATA_DIR); its peak RSS comes from
wait4's rusage, CPU is user + system of that child. Baselines on the same file, in the same run:
`wc -l` and `hephaestus parse` (the parse face: same Analyser, no bus, no store).

Usage: .venv/bin/python bench/analyze.py [--lines 1000000] [--keep FILE] [--no-parse]
       .venv/bin/python bench/analyze.py --long-line-mb 50     # one 50 MB line + one error
The last line is `RESULT lines=<n> wall_s=<x> cpu_s=<y> peak_rss_mib=<z>` for analyze.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["Run", "generate_log", "run_child"]

_COMPONENTS = ("shop.orders", "shop.http", "shop.db", "shop.cache", "shop.auth", "shop.payments")
_PATHS = ("/api/orders", "/api/orders/{id}", "/api/cart", "/api/users/{id}", "/health", "/api/search")
# (exception line, frames): a handful of distinct crashes, each its own issue
_CRASHES = (
    ("ZeroDivisionError: division by zero",
     [("shop/pricing.py", 42, "average_price"), ("shop/report.py", 17, "nightly")]),
    ("KeyError: 'customer_id'", [("shop/orders.py", 88, "load_order"), ("shop/http.py", 120, "handle")]),
    ("ValueError: invalid literal for int() with base 10: 'abc'",
     [("shop/forms.py", 31, "parse_qty"), ("shop/http.py", 120, "handle")]),
    ("AttributeError: 'NoneType' object has no attribute 'email'",
     [("shop/mail.py", 55, "notify"), ("shop/orders.py", 140, "confirm")]),
    ("TimeoutError: timed out after 30 s", [("shop/db.py", 210, "query"), ("shop/orders.py", 60, "save")]),
)  # fmt: skip
_PLAIN_ERRORS = ("Connection refused to payments.internal:8443", "Disk quota exceeded on /var/spool/shop")


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak RSS (MiB), exit status and output."""

    wall: float
    cpu: float
    rss_mib: float
    rc: int
    stdout: bytes
    stderr: bytes


def _info(rnd: random.Random) -> str:
    k = rnd.randrange(6)
    if k == 0:
        path = rnd.choice(_PATHS).replace("{id}", str(rnd.randrange(1, 10**6)))
        ip = ".".join(str(rnd.randrange(256)) for _ in range(3))
        return f"GET {path} 200 {rnd.randrange(1, 900)} ms ip=10.{ip}"
    if k == 1:
        user = f"u-{rnd.getrandbits(32):08x}"
        return f"Order {rnd.randrange(10**7)} processed in {rnd.randrange(1, 500)} ms for user {user}"
    if k == 2:
        return f"cache hit ratio {rnd.random():.3f} over {rnd.randrange(100, 10000)} keys"
    if k == 3:
        return f"query took {rnd.random() * 50:.2f} ms rows={rnd.randrange(0, 5000)}"
    if k == 4:
        return f"session {rnd.getrandbits(64):016x} started for user {rnd.randrange(10**6)}"
    return f"payment {rnd.getrandbits(48):012x} authorized amount={rnd.randrange(100, 100000) / 100:.2f} EUR"


def generate_log(path: Path, lines: int, *, error_every: int = 2500, seed: int = 12) -> dict[str, int]:
    """Write about `lines` lines to `path`; returns the expected count per error title."""
    rnd = random.Random(seed)
    t = datetime(2026, 11, 24, 2, 0, 0)
    expected: dict[str, int] = {}
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < lines:
            t += timedelta(milliseconds=rnd.randrange(1, 40))
            stamp = t.strftime("%Y-%m-%d %H:%M:%S,") + f"{t.microsecond // 1000:03d}"
            head = f"{stamp} {{}} [worker-{rnd.randrange(8)}] {rnd.choice(_COMPONENTS)}: "
            if written and written % error_every == 0:
                n = written // error_every
                if n % 7 == 3:
                    msg = _PLAIN_ERRORS[n % len(_PLAIN_ERRORS)]
                    out.write(head.format("ERROR") + msg + "\n")
                    expected[msg] = expected.get(msg, 0) + 1
                    written += 1
                    continue
                exc, frames = _CRASHES[n % len(_CRASHES)]
                out.write(head.format("ERROR") + f"request {rnd.randrange(10**6)} failed\n")
                out.write("Traceback (most recent call last):\n")
                for file, line, func in reversed(frames):
                    out.write(f'  File "/srv/shop/{file}", line {line}, in {func}\n')
                    out.write(f"    result = {func}(request)\n")
                out.write(exc + "\n")
                expected[exc] = expected.get(exc, 0) + 1
                written += 3 + 2 * len(frames)
                continue
            roll = rnd.random()
            level = "INFO" if roll < 0.9 else "DEBUG" if roll < 0.97 else "WARNING"
            if level == "WARNING":
                msg = f"slow request {rnd.randrange(10**6)}: {rnd.randrange(1000, 9000)} ms over budget"
            else:
                msg = _info(rnd)
            out.write(head.format(level) + msg + "\n")
            written += 1
    return expected


def _write_long_line(path: Path, mb: int) -> None:
    """One `mb` MB line, then one error record with a traceback."""
    with path.open("w", encoding="utf-8") as out:  # written 1 MiB at a time: a forked child's peak
        out.write("2026-11-24 02:00:00,000 INFO [main] shop: ")  # RSS starts from this process's
        for _ in range(mb):
            out.write("x" * (1 << 20))
        out.write("\n")
        out.write(
            "2026-11-24 02:00:01,000 ERROR [main] shop: failed\nTraceback (most recent call last):\n"
            '  File "/srv/shop/shop/pricing.py", line 42, in average_price\n    return a / b\n'
            "ZeroDivisionError: division by zero\n"
        )


def run_child(cmd: list[str], env: dict[str, str], *, keep_stdout: bool = True) -> Run:
    """Run `cmd` to completion; its own rusage (peak RSS, CPU) comes from wait4."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sink = out if keep_stdout else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, stdout=sink, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, stdout, stderr)


def _print(name: str, lines: int, run: Run) -> None:
    per = run.cpu / lines * 1e6 if lines else 0.0
    print(f"{name:<10} wall {run.wall:8.2f} s  cpu {run.cpu:8.2f} s  ({per:6.1f} µs/line)"
          f"  peak RSS {run.rss_mib:7.1f} MiB  rc={run.rc}", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--error-every", type=int, default=2500, help="one ERROR record every N lines")
    ap.add_argument("--long-line-mb", type=int, default=0, help="instead: one line of this size + one error")
    ap.add_argument("--keep", help="write the log here (and reuse it when it exists)")
    ap.add_argument("--no-parse", action="store_true", help="skip the `hephaestus parse` baseline")
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}
    with tempfile.TemporaryDirectory(prefix="hx-analyze-bench-") as tmp:
        log = Path(args.keep) if args.keep else Path(tmp) / "app.log"
        if args.long_line_mb:
            expected: dict[str, int] = {"ZeroDivisionError: division by zero": 1}
            if not log.exists():
                _write_long_line(log, args.long_line_mb)
        elif log.exists() and log.with_suffix(".expected.json").exists():
            expected = json.loads(log.with_suffix(".expected.json").read_text(encoding="utf-8"))
        else:
            expected = generate_log(log, args.lines, error_every=args.error_every)
            if args.keep:
                log.with_suffix(".expected.json").write_text(json.dumps(expected), encoding="utf-8")
        size = log.stat().st_size
        with log.open("rb") as fh:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        print(f"# {log.name}: {lines} lines, {size / 1e6:.1f} MB; whole processes, one at a time;"
              " CPU = user+sys of the child")  # fmt: skip
        _print("wc -l", lines, run_child(["wc", "-l", str(log)], env))
        hx = [sys.executable, "-m", "hephaestus"]
        if not args.no_parse:
            parse_env = {**env, "HEPHAESTUS_DATA_DIR": f"{tmp}/parse"}
            _print("parse", lines, run_child([*hx, "parse", str(log)], parse_env, keep_stdout=False))
        analyze_env = {**env, "HEPHAESTUS_DATA_DIR": f"{tmp}/data"}
        run = run_child([*hx, "analyze", str(log), "--no-fix", "--json"], analyze_env)
        _print("analyze", lines, run)
        if run.rc:
            sys.stderr.write(run.stderr.decode("utf-8", "replace")[-2000:])
            return 1
        report = json.loads(run.stdout)
        found = {i["title"]: i["count"] for i in report["issues"]}
        print("# stats:", {k: v for k, v in report["stats"].items() if isinstance(v, int | float)})
        for title, count in sorted(expected.items()):
            got = sum(c for t, c in found.items() if title in t)  # a message may be split by component
            print(f"#   expected {count:5d} x {title[:60]!r}: found {got}")
        print(f"#   issues found: {len(found)}")
    print(f"RESULT lines={lines} wall_s={run.wall:.2f} cpu_s={run.cpu:.2f} peak_rss_mib={run.rss_mib:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
