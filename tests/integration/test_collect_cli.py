"""The command line with the new sources, as real processes: `analyze -` reads stdin, `collector
--stdin` ends at EOF with every line on the bus, and `collector` with collect.sources serves HTTP
ingest and syslog with their counters on /metrics."""

import json
import logging
import signal
import socket
import subprocess
import sys
from logging.handlers import SysLogHandler
from pathlib import Path

import httpx
import yaml

from hephaestus.bus.local import LocalBus
from tests.support.collect import SRC, assert_exactly, structured_records, wait_for
from tests.support.proc import child_env

ROOT = Path(__file__).resolve().parents[2]
SHOP_LOG = ROOT / "examples" / "logs" / "shop.log"


def _cli(tmp_path, *args, **kwargs):
    env = child_env(tmp_path, PYTHONPATH=SRC, HEPHAESTUS_DATA_DIR=str(tmp_path / "data"))
    return [sys.executable, "-m", "hephaestus", *args], env


def _free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_analyze_dash_reads_stdin_like_the_file(tmp_path):
    cmd, env = _cli(tmp_path, "analyze", "-", "--no-fix", "--json")
    piped = subprocess.run(cmd, input=SHOP_LOG.read_bytes(), env=env, capture_output=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    report = json.loads(piped.stdout)
    # what the README documents for `analyze examples/logs/shop.log`: 47 records, two issues
    assert report["stats"]["records"] == 47
    assert report["stats"]["bytes"] == SHOP_LOG.stat().st_size
    assert [(i["title"].split(":")[0], i["count"]) for i in report["issues"]] == [
        ("ZeroDivisionError", 3),
        ("ConnectionRefusedError", 1),
    ]


def test_collector_stdin_ends_at_eof_with_every_record_on_the_bus(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(
        yaml.safe_dump({"data_dir": str(tmp_path / "data"), "collect": {"poll_interval_s": 0.05}})
    )
    lines = "".join(f"2026-01-01 10:00:00,{i % 1000:03d} INFO [app] rec-{i} ok\n" for i in range(2000))
    cmd, env = _cli(tmp_path, "collector", "--stdin", "--config", str(config))
    done = subprocess.run(cmd, input=lines.encode(), env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"reading stdin" in done.stderr
    assert_exactly(structured_records(LocalBus(tmp_path / "data" / "bus.sqlite")), 2000)


def test_collector_runs_http_and_syslog_sources_with_counters_on_metrics(tmp_path):
    http_port, tcp_port, udp_port, metrics_port = (
        _free_port(), _free_port(), _free_port(socket.SOCK_DGRAM), _free_port()
    )  # fmt: skip
    config = tmp_path / "c.yaml"
    sources = [
        {"kind": "http", "port": http_port},
        {"kind": "syslog", "protocol": "tcp", "port": tcp_port},
        {"kind": "syslog", "protocol": "udp", "port": udp_port},
    ]
    config.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "collect": {"sources": sources}}))
    cmd, env = _cli(tmp_path, "collector", "--config", str(config), "--metrics-port", str(metrics_port))
    env["HEPHAESTUS_API_TOKEN"] = "tok"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with httpx.Client(timeout=30) as client:
            wait_for(lambda: _up(client, f"http://127.0.0.1:{http_port}/healthz"), 60, "the collector")
            body = "".join(json.dumps({"message": f"rec-{i} via http"}) + "\n" for i in range(300))
            r = client.post(
                f"http://127.0.0.1:{http_port}/ingest",
                content=body,
                headers={"authorization": "Bearer tok", "content-type": "application/x-ndjson"},
            )
            assert r.json() == {"accepted": 300, "dead_letters": 0}
            for port, kind, first in (
                (tcp_port, socket.SOCK_STREAM, 300),
                (udp_port, socket.SOCK_DGRAM, 400),
            ):
                handler = SysLogHandler(("127.0.0.1", port), socktype=kind)
                for i in range(first, first + 100):
                    handler.emit(logging.makeLogRecord({"msg": f"rec-{i} via syslog", "levelno": 40}))
                handler.close()
            metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
            expected = [
                f'hephaestus_{family}_total{{component="{component}",service="collector"}} {count:.1f}'
                for component, count in (
                    ("http-source", 300),
                    ("syslog-tcp-source", 100),
                    ("syslog-udp-source", 100),
                )
                for family in ("records_in", "records_out")
            ]
            wait_for(
                lambda: all(line in _text(client, metrics_url) for line in expected), what="the counters"
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"sources: http, syslog/tcp, syslog/udp" in err
    assert_exactly(structured_records(LocalBus(tmp_path / "data" / "bus.sqlite")), 500)


def _up(client, url):
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def _text(client, url):
    return client.get(url).text
