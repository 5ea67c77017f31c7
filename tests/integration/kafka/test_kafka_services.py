"""Scale-out over a real broker: two `hephaestus processor` processes share the raw topic, one is
killed -9 mid-stream, the other takes its partitions over; the store's count stays exact."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from confluent_kafka.admin import AdminClient

from hephaestus.bus import RAW_LOGS
from hephaestus.bus.kafka import KafkaBus
from hephaestus.pipeline import Pipeline
from hephaestus.settings import KafkaSettings
from hephaestus.store import Store
from tests.support.proc import child_env

pytestmark = pytest.mark.kafka

TRACE = (
    "2026-01-01 10:{m:02d}:{s:02d},000 ERROR [api] request {n} failed\n"
    "Traceback (most recent call last):\n"
    '  File "/app/api/handlers.py", line 40, in get_order\n'
    "    return ORDERS[order_id]\n"
    "KeyError: 'A-{n}'\n"
)
FILES, PER_FILE = 12, 500  # the collector keys records by file: one file maps to one partition
RECORDS = FILES * PER_FILE
FAST_GROUP = ("--kafka-config", "session.timeout.ms=6000", "--kafka-config", "heartbeat.interval.ms=500")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape(port: int, name: str, **labels: str) -> float:
    """One sample from a service's /metrics (0 when absent or the service is gone)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            body = resp.read().decode()
    except OSError:
        return 0.0
    for line in body.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def lag_partitions(port: int, group: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        body = resp.read().decode()
    return sum(
        1
        for line in body.splitlines()
        if line.startswith("hephaestus_consumer_lag{") and f'group="{group}"' in line
    )


def wait_for(what: str, done: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def issue_count(url: str) -> tuple[int, int]:
    store = Store(url)
    try:
        issues = store.issues()
        return sum(i.count for i in issues), store.event_count()
    finally:
        store.close()


class Services:
    """`hephaestus <service>` subprocesses on one config, each with its own metrics port."""

    def __init__(self, config: Path, home: Path) -> None:
        self.config, self.home = config, home
        self.procs: dict[str, subprocess.Popen[str]] = {}
        self.ports: dict[str, int] = {}

    def start(self, name: str, command: str) -> None:
        port = _free_port()
        self.procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hephaestus",
                command,
                "--config",
                str(self.config),
                "--metrics-port",
                str(port),
                *FAST_GROUP,
            ],
            env=child_env(self.home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.ports[name] = port

    def stop_all(self) -> dict[str, tuple[int | None, str]]:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        return {
            n: (p.wait(timeout=60), (p.stderr.read() if p.stderr else "")[-2000:])
            for n, p in self.procs.items()
        }


@pytest.fixture
def services(tmp_path: Path, kafka_settings: KafkaSettings) -> Iterator[Services]:
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(tmp_path / "data"),
                "bus": {"kind": "kafka"},
                "kafka": {
                    "bootstrap_servers": kafka_settings.bootstrap_servers,
                    "topic_prefix": kafka_settings.topic_prefix,
                    "group_prefix": kafka_settings.group_prefix,
                },
                "collect": {
                    "files": [str(tmp_path / f"api-{i}.log") for i in range(FILES)],
                    "poll_interval_s": 0.1,
                },
            }
        )
    )
    # topics and the store schema exist before four processes race to create them
    Pipeline(bus=KafkaBus(kafka_settings), store=None).close()
    Store(f"sqlite:///{tmp_path / 'data' / 'hephaestus.sqlite'}").close()
    running = Services(config, tmp_path)
    yield running
    for proc in running.procs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_processors_share_partitions_and_survive_a_kill9(
    tmp_path: Path, services: Services, kafka_settings: KafkaSettings
) -> None:
    for i in range(FILES):
        (tmp_path / f"api-{i}.log").write_text(
            "".join(TRACE.format(m=n // 60 % 60, s=n % 60, n=n) for n in range(PER_FILE))
        )
    url = f"sqlite:///{tmp_path / 'data' / 'hephaestus.sqlite'}"
    services.start("analyzer", "analyzer")
    services.start("p1", "processor")
    services.start("p2", "processor")
    p1, p2 = services.ports["p1"], services.ports["p2"]
    # both processors in the group before any data arrives, so the partitions are split
    wait_for("two processors with partitions", lambda: lag_ok(p1) and lag_ok(p2))
    services.start("collector", "collector")

    def records_in(port: int) -> float:
        return scrape(port, "hephaestus_records_in_total", component="processor")

    wait_for("both processors working", lambda: records_in(p1) > 0 and records_in(p2) > 0)
    assert issue_count(url)[0] < RECORDS  # still mid-stream
    services.procs["p1"].send_signal(signal.SIGKILL)
    services.procs["p1"].wait(timeout=10)
    before = records_in(p2)

    # p2 is handed p1's partitions after the session timeout and re-reads what p1 left uncommitted
    wait_for("p2 owns all raw partitions", lambda: lag_partitions(p2, "processor") == 12, timeout=60)
    wait_for(f"{RECORDS} events counted", lambda: issue_count(url)[0] >= RECORDS, timeout=90)
    time.sleep(2.0)  # re-deliveries still in flight must not be counted again
    assert issue_count(url) == (RECORDS, RECORDS)
    assert records_in(p2) > before
    analyzer = services.ports["analyzer"]
    duplicates = scrape(analyzer, "hephaestus_records_dropped_total", component="issue-sink")
    received = scrape(analyzer, "hephaestus_records_in_total", component="issue-sink")
    assert received == RECORDS + duplicates
    print(f"p1 killed when p2 had {before:.0f} records; analyzer dropped {duplicates:.0f} re-deliveries")

    # the services' consumer groups carry kafka.group_prefix once, as operators look them up
    admin = AdminClient({"bootstrap.servers": kafka_settings.bootstrap_servers})
    groups = {g.group_id for g in admin.list_consumer_groups(request_timeout=30).result(timeout=30).valid}
    prefix = kafka_settings.group_prefix
    assert {f"{prefix}.processor", f"{prefix}.analyzer", f"{prefix}.indexer"} <= groups
    assert not [g for g in groups if g.startswith(f"{prefix}.{prefix}")]

    stopped = services.stop_all()
    assert {n: rc for n, (rc, _) in stopped.items() if n != "p1"} == dict.fromkeys(
        ("analyzer", "p2", "collector"), 0
    ), stopped
    assert issue_count(url) == (RECORDS, RECORDS)


def lag_ok(port: int) -> bool:
    try:
        return lag_partitions(port, "processor") > 0
    except OSError:
        return False


def test_raw_topic_has_partitions_for_scale_out(kafka_settings: KafkaSettings) -> None:
    bus = KafkaBus(kafka_settings)
    bus.ensure_topics([RAW_LOGS])
    meta = AdminClient({"bootstrap.servers": kafka_settings.bootstrap_servers}).list_topics(timeout=10)
    assert len(meta.topics[bus.physical(RAW_LOGS)].partitions) == 12
