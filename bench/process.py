"""PROCESS-stage throughput: Processor.process and the full pipeline step, beside drain3, per input kind.

Input kinds (all built deterministically from files in the repository / shared data set):
  loghub  every raw line of the 16 Loghub-2k samples (headers auto-detected, no log_format), one source each
  shop    examples/logs/shop.log assembled into records by MultilineAssembler (Python tracebacks included)
  json    one JSON object per Loghub-2k line (`{"ts","level","logger","msg",...}`), as a JSON logger writes

For each kind and repetition (fresh Processor / miner every time):
  process  records/s of Processor.process(RawLog) alone
  step     records/s of pipeline.process_once's per-record work without the bus:
           decode_raw(bytes) -> Processor.process -> encode() / model_dump_json() of every output
  miner    records/s of TemplateMiner.add on the contents the Processor hands the miner
  drain3   records/s of drain3 TemplateMiner.add_log_message on the same contents (default config,
           in the same process and run)

Usage: .venv/bin/python bench/process.py [--repeat 5] [--kinds loghub shop json] [--profile KIND]
The medians of the repetitions are reported; the last line is
`RESULT process_records_per_s=<loghub> step_records_per_s=<loghub> miner_speedup=<drain3 s / miner s>`
(all three measured on the loghub kind, the largest and most varied input).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drain3 import TemplateMiner as Drain3Miner
from drain3.template_miner_config import TemplateMinerConfig

from hephaestus.process.formats import parse_record
from hephaestus.process.multiline import MultilineAssembler
from hephaestus.process.processor import Processor
from hephaestus.process.templates import TemplateMiner
from hephaestus.records import RawLog
from hephaestus.wire import decode_raw, encode

REPO = Path(__file__).resolve().parent.parent
SYSTEMS = ["HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "HPC", "Thunderbird", "Windows",
           "Linux", "Android", "HealthApp", "Apache", "Proxifier", "OpenSSH", "OpenStack", "Mac"]  # fmt: skip
T0 = datetime(2024, 1, 1, tzinfo=UTC)
_LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARNING", "ERROR")
# CPU seconds of this process (the machine is shared, wall time swings with other jobs); --wall: perf_counter
_CLOCK: list[Callable[[], float]] = [time.process_time]


def _clock() -> float:
    return _CLOCK[0]()


def _raw(source: str, message: str, k: int) -> RawLog:
    return RawLog(timestamp=T0 + timedelta(milliseconds=k), source=source, host="bench", message=message)


def load_loghub(data: Path) -> list[RawLog]:
    out: list[RawLog] = []
    for system in SYSTEMS:
        lines = (data / system / f"{system}_2k.log").read_text(encoding="utf-8").splitlines()
        out += [_raw(f"/var/log/{system.lower()}.log", ln, k) for k, ln in enumerate(lines) if ln.strip()]
    return out


def load_shop() -> list[RawLog]:
    asm = MultilineAssembler()
    records = []
    lines = (REPO / "examples" / "logs" / "shop.log").read_text(encoding="utf-8").splitlines()
    for no, line in enumerate(lines, 1):
        records += asm.feed(line, line_no=no)
    records += asm.flush()
    return [_raw("/var/log/shop.log", r.text, k) for k, r in enumerate(records)]


def load_json(loghub: list[RawLog]) -> list[RawLog]:
    out = []
    for k, item in enumerate(loghub):
        content = parse_record(item.message).message
        doc = {
            "ts": (T0 + timedelta(milliseconds=k)).isoformat(),
            "level": _LEVELS[k % len(_LEVELS)],
            "logger": item.source.rsplit("/", 1)[-1].removesuffix(".log"),
            "msg": content,
            "pid": 1000 + k % 7,
            "trace_id": f"{k:032x}" if k % 3 == 0 else None,
        }
        out.append(_raw(item.source.replace(".log", ".json"), json.dumps(doc), k))
    return out


def contents_of(records: list[RawLog]) -> list[str]:
    """What the Processor gives the miner (first line of the parsed message)."""
    proc = Processor()
    seen: list[str] = []
    add = proc.miner.add

    class _Spy:
        def add(self, content: str) -> object:
            seen.append(content)
            return add(content)

    proc.miner = _Spy()  # type: ignore[assignment]
    for r in records:
        proc.process(r)
    return seen


def time_process(records: list[RawLog]) -> float:
    proc = Processor()
    process = proc.process
    t0 = _clock()
    for r in records:
        process(r)
    return _clock() - t0


def time_step(payloads: list[bytes]) -> float:
    proc = Processor()
    process = proc.process
    t0 = _clock()
    for value in payloads:
        for out in process(decode_raw(value), origin=None):
            encode(out.structured)
            if out.event is not None:
                out.event.model_dump_json().encode()
    return _clock() - t0


def time_miner(contents: list[str]) -> float:
    add = TemplateMiner().add
    t0 = _clock()
    for c in contents:
        add(c)
    return _clock() - t0


def time_drain3(contents: list[str]) -> float:
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    add = Drain3Miner(persistence_handler=None, config=cfg).add_log_message
    t0 = _clock()
    for c in contents:
        add(c)
    return _clock() - t0


def median_time(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(max(1, repeat)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "datasets" / "loghub-2k"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--kinds", nargs="*", default=["loghub", "shop", "json"])
    ap.add_argument("--profile", default=None, help="cProfile Processor.process on this kind and exit")
    ap.add_argument("--wall", action="store_true", help="time with wall clock instead of process CPU time")
    args = ap.parse_args(argv)
    if args.wall:
        _CLOCK[0] = time.perf_counter
    loghub = load_loghub(Path(args.data))
    inputs = {"loghub": loghub, "shop": load_shop(), "json": load_json(loghub)}
    if args.profile:
        records = inputs[args.profile]
        prof = cProfile.Profile()
        prof.enable()
        time_process(records)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return 0
    clock = "wall clock" if args.wall else "process CPU time"
    print(f"# repeat: median of {args.repeat} ({clock}); fresh Processor / miner per repetition")
    print(f"{'kind':<8} {'records':>7} {'process/s':>10} {'step/s':>9} {'miner/s':>9} {'drain3/s':>9} "
          f"{'miner x':>8}")  # fmt: skip
    result: dict[str, tuple[float, float, float]] = {}
    for kind in args.kinds:
        records = inputs[kind]
        if kind == "shop":  # 60-odd records: repeat the file so timings are not all noise
            records = [r for _ in range(50) for r in records]
        payloads = [r.model_dump_json().encode() for r in records]
        contents = contents_of(records)
        n = len(records)
        t_proc = median_time(lambda r=records: time_process(r), args.repeat)  # type: ignore[misc]
        t_step = median_time(lambda p=payloads: time_step(p), args.repeat)  # type: ignore[misc]
        t_miner = median_time(lambda c=contents: time_miner(c), args.repeat)  # type: ignore[misc]
        t_d3 = median_time(lambda c=contents: time_drain3(c), args.repeat)  # type: ignore[misc]
        result[kind] = (n / t_proc, n / t_step, t_d3 / t_miner)
        print(f"{kind:<8} {n:>7} {n / t_proc:>10.0f} {n / t_step:>9.0f} {n / t_miner:>9.0f} "
              f"{n / t_d3:>9.0f} {t_d3 / t_miner:>8.2f}")  # fmt: skip
    head = result.get("loghub") or next(iter(result.values()))
    print(
        f"RESULT process_records_per_s={head[0]:.0f} step_records_per_s={head[1]:.0f} "
        f"miner_speedup={head[2]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
