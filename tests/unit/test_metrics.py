"""Metrics and health endpoints over real HTTP: counters from a real pipeline run on the local
bus, readiness failing when the bus is unreachable, and the CLI flag serving them."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from hephaestus.bus.kafka import KafkaBus
from hephaestus.metrics import MetricsServer, ServiceMetrics, bus_probe
from hephaestus.runner import run_pipeline
from hephaestus.settings import KafkaSettings, load_settings
from hephaestus.stages import Counters
from tests.support.proc import child_env

TRACE = (
    "2026-01-01 10:00:{s:02d},000 ERROR [worker] job {n} failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/worker/jobs.py", line 12, in run_job\n'
    "    return payload['sku']\n"
    "KeyError: 'sku'\n"
)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _sample(body: str, name: str, **labels: str) -> float:
    """The value of one sample in the text exposition (labels must all match)."""
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels} in:\n{body}")


def test_endpoints_serve_counters_health_and_readiness() -> None:
    metrics = ServiceMetrics("processor")
    counters = Counters()
    metrics.add_component("processor", counters)
    counters.add(received=7, sent=5, errored=2)
    with MetricsServer(metrics, port=0) as server:
        assert _get(server.url + "/healthz") == (200, "ok\n")
        status, body = _get(server.url + "/readyz")
        assert (status, body) == (503, "starting\n")  # nothing attached yet
        metrics.add_probe("store", lambda: None)
        assert _get(server.url + "/readyz") == (200, "store: ok\n")
        status, body = _get(server.url + "/metrics")
        assert status == 200
        assert _sample(body, "hephaestus_records_in_total", component="processor") == 7
        assert _sample(body, "hephaestus_records_out_total", component="processor") == 5
        assert _sample(body, "hephaestus_records_errors_total", service="processor") == 2
        assert _sample(body, "hephaestus_up", service="processor") == 1
        assert _get(server.url + "/nope")[0] == 404


def test_readiness_fails_when_kafka_is_unreachable() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bus = KafkaBus(KafkaSettings(bootstrap_servers=f"127.0.0.1:{port}"))
    metrics = ServiceMetrics("analyzer")
    metrics.add_probe("bus", bus_probe(bus, timeout=0.5))
    metrics.add_probe("store", lambda: None)
    with MetricsServer(metrics) as server:
        status, body = _get(server.url + "/readyz")
    assert status == 503
    assert "bus: unreachable" in body
    assert "store: ok" in body


def test_run_pipeline_publishes_real_counts(tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    log.write_text("".join(TRACE.format(s=n % 60, n=n) for n in range(30)))
    settings = load_settings(
        None, data_dir=str(tmp_path / "data"), collect__files=(str(log),), collect__poll_interval_s=0.05
    )
    metrics = ServiceMetrics("run", lag_interval_s=0.1)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_pipeline,
        args=(settings,),
        kwargs={"stop": stop, "stages": frozenset({"collect", "process", "analyze"}), "metrics": metrics},
    )
    with MetricsServer(metrics) as server:
        worker.start()
        try:
            deadline, body = time.monotonic() + 30, ""
            while time.monotonic() < deadline:
                body = _get(server.url + "/metrics")[1]
                done = re.search(r'hephaestus_records_out_total\{[^}]*component="issue-sink"[^}]*\} 30', body)
                # the lag gauge is refreshed every 0.1 s: it may still show the batch before the last
                lag = re.search(r'hephaestus_consumer_lag\{[^}]*group="analyzer"[^}]*\} (\S+)', body)
                if done and lag and float(lag.group(1)) == 0:
                    break
                time.sleep(0.1)
            assert _sample(body, "hephaestus_records_in_total", component="file-source") == 30
            assert _sample(body, "hephaestus_records_out_total", component="processor") == 30
            assert _sample(body, "hephaestus_records_out_total", component="issue-sink") == 30
            assert _sample(body, "hephaestus_pipeline_records_total", kind="errors") == 30
            assert _sample(body, "hephaestus_batch_seconds_count", stage="process") >= 1
            assert _sample(body, "hephaestus_consumer_lag", group="analyzer") == 0
            status, ready = _get(server.url + "/readyz")
            assert status == 200, ready
            assert ready == "bus: ok\nstore: ok\n"
        finally:
            stop.set()
            worker.join(timeout=30)
    assert not worker.is_alive()


@pytest.mark.parametrize("command", ["run", "processor"])
def test_cli_metrics_port_serves_endpoints(tmp_path: Path, command: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "a.log"
    log.write_text(TRACE.format(s=1, n=1))
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "d"), "collect": {"files": [str(log)]}}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "hephaestus", command, "--config", str(config), "--metrics-port", str(port)],
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, status = time.monotonic() + 30, 0
        while time.monotonic() < deadline and status != 200:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        body = _get(f"http://127.0.0.1:{port}/metrics")[1]
        assert _sample(body, "hephaestus_up", service=command) == 1
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"metrics on http://127.0.0.1:{port}/metrics" in err
