"""End-to-end Kafka pipeline benchmark on a LocalKafka broker it starts itself.

Measures (1) a bare confluent-kafka consume->produce->commit passthrough, (2) the real services
(N `hephaestus processor` sharing the partitions + one `hephaestus analyzer`) draining the same
preloaded raw logs into the store, with the CPU each role spent per log (and the rate those costs
allow on this machine's cores: the CPU-bound ceiling), and (3) ingest ->
error-event latency at a paced rate through one processor, after a warm-up. Last line:
RESULT throughput_logs_per_s=N p99_ms=M passthrough_ratio=R hx_cpu_us_per_log=C pt_cpu_us_per_msg=B
p99_at_<rate>_ms=M (hx_cpu: CPU time of the processor + analyzer services per log, broker excluded;
pt_cpu: the bare passthrough's CPU time per message, the same run's baseline; p99 is wall time)

    .venv/bin/python bench/kafka_pipeline.py [--logs 40000] [--rate 1000] [--seconds 10] [--warmup 3]
        [--processors 1] [--full-jit-broker]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

import yaml
from confluent_kafka import Consumer, Producer

from hephaestus.bus import ERRORS, RAW_LOGS
from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka import KafkaBus
from hephaestus.pipeline import ORIGIN, Pipeline
from hephaestus.records import RawLog
from hephaestus.settings import KafkaSettings

ERROR_EVERY = 10  # one record in ten is an error with a stack trace
TRACE = (
    "2026-01-01 10:00:{s:02d},000 ERROR [api] request failed bench_seq={n}\n"
    "Traceback (most recent call last):\n"
    '  File "/app/api/handlers.py", line 40, in get_order\n'
    "    return ORDERS[order_id]\n"
    "KeyError: 'A-{n}'"
)
INFO = "2026-01-01 10:00:{s:02d},500 INFO [api] GET /orders/{n} 200 12ms bench_seq={n}"
SEQ = re.compile(rb"'A-(\d+)'")  # the KeyError message in the event


def raw_log(n: int) -> tuple[bytes, bytes]:
    text = (TRACE if n % ERROR_EVERY == 0 else INFO).format(s=n % 60, n=n)
    raw = RawLog(timestamp=datetime.now(UTC), source=f"/var/log/api-{n % 24}.log", host="h1", message=text)
    return raw.source.encode(), raw.model_dump_json().encode()


def preload(bootstrap: str, topic: str, count: int) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "compression.type": "lz4"})
    for n in range(count):
        key, value = raw_log(n)
        while True:
            try:
                producer.produce(topic, value, key, headers=[(ORIGIN, f"bench@{n}".encode())])
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    producer.flush(60)


def passthrough(bootstrap: str, src: str, dst: str, count: int) -> tuple[float, float]:
    """Bare client: consume a batch, produce it, flush, commit (the pipeline's loop without work).

    Returns (messages/s, CPU µs per message of this process: Python side and librdkafka threads)."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"pt-{uuid.uuid4().hex[:6]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "acks": "all",
            "enable.idempotence": True,
            "linger.ms": 5,
            "compression.type": "lz4",
        }
    )
    consumer.subscribe([src])
    moved, began, cpu0 = 0, 0.0, 0.0
    while moved < count:
        batch = [m for m in consumer.consume(1000, timeout=1.0) if m.error() is None]
        if batch and not began:
            began, cpu0 = time.perf_counter(), time.process_time()
        for msg in batch:
            producer.produce(dst, msg.value(), msg.key(), headers=msg.headers())
        producer.flush(30)
        if batch:
            consumer.commit(asynchronous=False)
        moved += len(batch)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu0
    consumer.close()
    return count / elapsed, cpu / count * 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape(port: int, name: str, component: str) -> float:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            body = resp.read().decode()
    except OSError:
        return 0.0
    for line in body.splitlines():
        if line.startswith(name + "{") and f'component="{component}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def service(command: str, config: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hephaestus", command, "--config", str(config), "--metrics-port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(60)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (Linux /proc), to show where the time goes."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pipeline_throughput(
    config: Path, count: int, processors: int, broker_pids: list[int]
) -> tuple[float, float, dict[str, float]]:
    """N processor services + one analyzer drain `count` preloaded raw logs.

    Returns (logs/s end to end, logs/s until the processors were done, CPU µs per log by role)."""
    pports, aport = [free_port() for _ in range(processors)], free_port()
    workers = [service("processor", config, port) for port in pports]
    analyzer = service("analyzer", config, aport)
    roles = {"processor": [p.pid for p in workers], "analyzer": [analyzer.pid], "broker": broker_pids}
    events = count // ERROR_EVERY
    began = processed_at = 0.0
    cpu0: dict[str, float] = {}
    try:
        while True:
            done_in = sum(scrape(port, "hephaestus_records_in_total", "processor") for port in pports)
            if done_in and not began:
                began = time.perf_counter()
                cpu0 = {role: sum(map(cpu_seconds, pids)) for role, pids in roles.items()}
            if done_in >= count and not processed_at:
                processed_at = time.perf_counter()
            if scrape(aport, "hephaestus_records_out_total", "issue-sink") >= events:
                break
            time.sleep(0.2)  # scraping three /metrics costs CPU too: not too often
        end = time.perf_counter()
        cpu = {role: (sum(map(cpu_seconds, pids)) - cpu0[role]) / count * 1e6 for role, pids in roles.items()}
    finally:
        stop([*workers, analyzer])
    return count / (end - began), count / (processed_at - began), cpu


def latency(settings: KafkaSettings, config: Path, rate: int, seconds: float, warmup: float) -> list[float]:
    """Raw produced at `rate`/s -> its ErrorEvent readable on the errors topic (ms).

    The first `warmup` seconds of the stream are not recorded: they measure a cold processor and a
    cold broker JIT (reported separately by running with --warmup 0), not the steady state."""
    bus = KafkaBus(settings)
    sent: dict[int, float] = {}
    got: dict[int, float] = {}
    reader = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": f"lat-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",  # "latest" resolves lazily: could skip first events
            "enable.auto.commit": False,
        }
    )
    reader.subscribe([bus.physical(ERRORS)])
    while not reader.assignment():
        reader.poll(0.2)
    procs = [service("processor", config, free_port())]
    time.sleep(4)  # the processor joins its group before the paced stream starts
    skip = int(rate * warmup)
    total = skip + int(rate * seconds)
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            msg = reader.poll(0.05)  # one at a time: consume(n, timeout) would wait for n (adds latency)
            match = SEQ.search(msg.value() or b"") if msg is not None and msg.error() is None else None
            if match:
                got.setdefault(int(match.group(1)), time.perf_counter())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    producer = bus.producer()
    began = time.perf_counter()
    base = 10_000_000  # distinct from the throughput run's records
    for i in range(total):
        due = began + i / rate
        while (now := time.perf_counter()) < due:
            time.sleep(min(0.001, due - now))
        key, value = raw_log(base + i)
        producer.produce(RAW_LOGS, value, key=key, headers={ORIGIN: f"lat@{i}"})
        if (base + i) % ERROR_EVERY == 0 and i >= skip:
            sent[base + i] = time.perf_counter()
        if i % 200 == 0:
            producer.flush(10)  # a collector flushes per batch: counts the produce latency too
    producer.close(30)
    deadline = time.perf_counter() + 30
    while len(sent.keys() - got.keys()) and time.perf_counter() < deadline:
        time.sleep(0.1)
    done.set()
    thread.join()
    reader.close()
    stop(procs)
    missing = len(sent) - len(got.keys() & sent.keys())
    if missing:
        print(f"latency: {missing} of {len(sent)} events not seen within 30 s after the stream")
    return sorted((got[n] - t0) * 1000 for n, t0 in sent.items() if n in got)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logs", type=int, default=40_000)
    ap.add_argument("--rate", type=int, default=1_000, help="ingest rate of the latency run (logs/s)")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument(
        "--kafka-config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra librdkafka property for the services (repeatable)",
    )
    ap.add_argument(
        "--full-jit-broker",
        action="store_true",
        help="broker JVM with C2 too (in one-minute runs its compiles cost more than they save)",
    )
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds streamed before latency is recorded")
    ap.add_argument("--processors", type=int, default=1, help="processor services sharing the partitions")
    args = ap.parse_args()
    with LocalKafka(quick_start=not args.full_jit_broker) as kafka, tempfile.TemporaryDirectory() as tmp:
        prefix = f"b{uuid.uuid4().hex[:6]}."
        settings = KafkaSettings(
            bootstrap_servers=kafka.bootstrap_servers, topic_prefix=prefix, group_prefix=prefix + "g"
        )
        config = Path(tmp) / "hephaestus.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "data_dir": str(Path(tmp) / "data"),
                    "bus": {"kind": "kafka"},
                    "kafka": {
                        "bootstrap_servers": settings.bootstrap_servers,
                        "topic_prefix": prefix,
                        "group_prefix": settings.group_prefix,
                        "extra_config": dict(kv.split("=", 1) for kv in args.kafka_config),
                    },
                }
            )
        )
        bus = KafkaBus(settings)
        Pipeline(bus=bus, store=None).close()  # topics with their designed layout
        bus.ensure_topics(["bench.pt.in", "bench.pt.out"])
        started = time.perf_counter()
        preload(kafka.bootstrap_servers, bus.physical("bench.pt.in"), args.logs)
        preload(kafka.bootstrap_servers, bus.physical(RAW_LOGS), args.logs)
        print(
            f"broker start {kafka.start_seconds:.1f} s; preload 2x{args.logs} in "
            f"{time.perf_counter() - started:.1f} s"
        )
        pt, pt_cpu = passthrough(
            kafka.bootstrap_servers, bus.physical("bench.pt.in"), bus.physical("bench.pt.out"), args.logs
        )
        print(
            f"passthrough (bare confluent-kafka consume->produce->commit): {pt:,.0f} msgs/s, "
            f"{pt_cpu:.1f} µs CPU per message"
        )
        tput, proc_only, cpu = pipeline_throughput(
            config, args.logs, args.processors, [p.pid for p in kafka.procs]
        )
        print(
            f"pipeline ({args.processors} processor + 1 analyzer services, {args.logs} logs, "
            f"1 in {ERROR_EVERY} errors): {tput:,.0f} logs/s end to end; processors done at "
            f"{proc_only:,.0f} logs/s; CPU per log: "
            + ", ".join(f"{role} {us:.0f} µs" for role, us in cpu.items())
        )
        hx_cpu = cpu["processor"] + cpu["analyzer"]
        print(
            f"services' CPU time per log (processor + analyzer, broker excluded): {hx_cpu:.0f} µs "
            f"= {hx_cpu / pt_cpu:.1f}x the bare passthrough's {pt_cpu:.1f} µs per message (one hop; "
            f"a log crosses two: raw -> processor -> structured/errors -> analyzer)"
        )
        cores = os.cpu_count() or 1
        ceiling = cores * 1e6 / sum(cpu.values())
        print(
            f"CPU-bound ceiling on {cores} cores at these costs: {ceiling:,.0f} logs/s "
            f"(the {args.processors} processor service(s) alone, a core each: "
            f"{1e6 / cpu['processor'] * args.processors:,.0f})"
        )
        lat = latency(settings, config, args.rate, args.seconds, args.warmup)
        p50 = statistics.median(lat) if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
        print(
            f"latency raw->error event at {args.rate} logs/s for {args.seconds:.0f} s "
            f"(after {args.warmup:.0f} s of warm-up at that rate): "
            f"n={len(lat)} p50={p50:.1f} ms p99={p99:.1f} ms max={lat[-1] if lat else float('nan'):.1f} ms"
        )
    print(
        f"RESULT throughput_logs_per_s={tput:.0f} p99_ms={p99:.1f} passthrough_ratio={tput / pt:.3f} "
        f"hx_cpu_us_per_log={hx_cpu:.0f} pt_cpu_us_per_msg={pt_cpu:.1f} p99_at_{args.rate}_ms={p99:.1f}"
    )


if __name__ == "__main__":
    main()
