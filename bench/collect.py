"""Records per second of each log source adapter into the embedded bus, whole path: a real client in
its own process -> the adapter -> the bus (durable in a SQLite file; acknowledged only after that).

Adapters: stdin (a child writes the log into a pipe read by StdinSource), http (httpx posts NDJSON
bodies of --batch records to HttpSource, each answered once durable), syslog-tcp (one connection,
LF-framed RFC 5424), syslog-udp (one datagram per record, as fast as the client goes: loss is
reported), handler (HephaestusHandler in a child process -> HttpSource). The clock runs from the
first record the adapter receives to the last one on the bus (the client's start-up is not counted).

Usage: .venv/bin/python bench/collect.py [--records 20000] [--only http,syslog-tcp] [--batch 1000]
The last line is `RESULT records=<n> <adapter>_rps=<records/s> ...` (udp also `syslog_udp_lost=<n>`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from hephaestus.bus.local import LocalBus
from hephaestus.collect import StdinSource
from hephaestus.collect.http_server import HttpSource
from hephaestus.collect.pump import Pump
from hephaestus.collect.push import PushSource
from hephaestus.collect.syslog import SyslogSource
from hephaestus.pipeline import Pipeline

SRC = str(Path(__file__).resolve().parents[1] / "src")
ADAPTERS = ("stdin", "http", "syslog-tcp", "syslog-udp", "handler")
LINE = "2026-01-01 10:00:00,{ms:03d} INFO [worker-{w}] shop.orders: order {i} paid in {d} ms"

CLIENTS = {
    "http": """
        import httpx, json, sys
        url, n, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        with httpx.Client(timeout=60) as c:
            for s in range(0, n, batch):
                span = range(s, min(n, s + batch))
                lines = [LINE.format(ms=i % 1000, w=i % 8, i=i, d=i % 97) for i in span]
                body = "".join(json.dumps({"message": m}) + "\\n" for m in lines)
                r = c.post(url, content=body, headers={"content-type": "application/x-ndjson"})
                assert r.status_code == 200, r.text
    """,
    "syslog-tcp": """
        import socket, sys
        port, n = int(sys.argv[1]), int(sys.argv[2])
        with socket.create_connection(("127.0.0.1", port)) as s:
            chunk = []
            for i in range(n):
                text = LINE.format(ms=i % 1000, w=i % 8, i=i, d=i % 97)
                chunk.append(f"<14>1 2026-01-01T10:00:00Z web1 shop - - - {text}\\n")
                if len(chunk) == 500:
                    s.sendall("".join(chunk).encode()); chunk = []
            s.sendall("".join(chunk).encode())
    """,
    "syslog-udp": """
        import socket, sys
        port, n = int(sys.argv[1]), int(sys.argv[2])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(n):
            text = LINE.format(ms=i % 1000, w=i % 8, i=i, d=i % 97)
            s.sendto(f"<14>1 2026-01-01T10:00:00Z web1 shop - - - {text}".encode(), ("127.0.0.1", port))
    """,
    "handler": """
        import logging, sys
        from hephaestus.logging_handler import HephaestusHandler
        url, n = sys.argv[1], int(sys.argv[2])
        h = HephaestusHandler(url, batch_size=1000, capacity=n)
        log = logging.getLogger("shop.orders")
        log.addHandler(h)
        log.setLevel(logging.INFO)
        log.propagate = False
        for i in range(n):
            log.info("order %d paid in %d ms", i, i % 97)
        h.close()
        assert h.sent == n, (h.sent, h.dropped)
    """,
}


def _client(kind: str, *args: object) -> subprocess.Popen[bytes]:
    code = f"LINE = {LINE!r}\n" + textwrap.dedent(CLIENTS[kind])
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=env)


def _measure(
    source: PushSource, expected: int, proc: subprocess.Popen[bytes], *, lossy: bool = False
) -> tuple[float, int]:
    """(seconds from the first record received to the last on the bus, records on the bus, CPU
    seconds this process spent meanwhile: the adapter, its pump and the bus, not the client)."""
    first = None
    cpu_first = cpu_done = 0.0
    stable_since = time.monotonic()
    last_sent = -1
    while True:
        now = time.monotonic()
        counters = source.counters
        if first is None and counters.received:
            first, cpu_first = now, time.process_time()
        if counters.sent != last_sent:
            last_sent, stable_since, cpu_done = counters.sent, now, time.process_time()
        if counters.sent >= expected:
            break
        if lossy and proc.poll() is not None and now - stable_since > 1.0:
            break  # the client is done and nothing more arrived for a second: the rest was lost
        if proc.poll() not in (None, 0):
            raise SystemExit(f"client failed with exit status {proc.returncode}")
        time.sleep(0.001)
    done = time.monotonic() if not lossy else stable_since
    proc.wait(timeout=60)
    return done - (first or done), source.counters.sent, cpu_done - cpu_first


def bench_push(kind: str, n: int, batch: int, bus: LocalBus) -> tuple[float, int, float]:
    if kind in {"http", "handler"}:
        source: PushSource = HttpSource(host="127.0.0.1", port=0, capacity=max(10_000, 2 * batch))
    else:
        source = SyslogSource(protocol="tcp" if kind == "syslog-tcp" else "udp", host="127.0.0.1", port=0)
    source.start()
    pump = Pump(source, bus, batch_size=batch).start()
    try:
        if isinstance(source, HttpSource):
            args: tuple[object, ...] = (
                (f"{source.url}/ingest", n, batch) if kind == "http" else (f"{source.url}/ingest", n)
            )
        else:
            args = (source.port, n)
        return _measure(source, n, _client(kind, *args), lossy=kind == "syslog-udp")
    finally:
        source.stop()
        pump.stop()


def bench_stdin(n: int, bus: LocalBus, batch: int) -> tuple[float, int, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as fh:
        fh.writelines(LINE.format(ms=i % 1000, w=i % 8, i=i, d=i % 97) + "\n" for i in range(n))
    writer = subprocess.Popen(["cat", fh.name], stdout=subprocess.PIPE)
    assert writer.stdout is not None
    source = StdinSource(writer.stdout, wait_s=None)
    pipeline = Pipeline(bus=bus, store=None, batch_size=batch)
    began, cpu = time.monotonic(), time.process_time()
    moved = 0
    while moved < n and (got := pipeline.collect_once(source)):
        moved += got
    elapsed, cpu = time.monotonic() - began, time.process_time() - cpu
    writer.wait()
    os.unlink(fh.name)
    return elapsed, moved, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000, help="records per HTTP body and per bus flush")
    parser.add_argument("--only", default=",".join(ADAPTERS))
    args = parser.parse_args()
    results: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in [k.strip() for k in args.only.split(",") if k.strip()]:
            bus = LocalBus(Path(tmp) / f"{kind}.sqlite")
            if kind == "stdin":
                seconds, got, cpu = bench_stdin(args.records, bus, args.batch)
            else:
                seconds, got, cpu = bench_push(kind, args.records, args.batch, bus)
            bus.close()
            rate = got / seconds if seconds > 0 else float("inf")
            lost = args.records - got
            cpu_us = cpu / got * 1e6 if got else 0.0
            shown = f"{kind:11s} {got:>8,d} records in {seconds:6.2f} s = {rate:>9,.0f} records/s, "
            shown += f"collector CPU {cpu_us:5.1f} us/record" + (f"  ({lost} lost)" if lost else "")
            print(shown, flush=True)
            key = kind.replace("-", "_")
            results[f"{key}_rps"] = f"{rate:.0f}"
            results[f"{key}_cpu_us"] = f"{cpu_us:.1f}"
            if kind == "syslog-udp":
                results["syslog_udp_lost"] = str(lost)
    print(f"RESULT records={args.records} " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
