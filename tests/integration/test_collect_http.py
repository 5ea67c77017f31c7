"""POST /ingest on the real API app and on the collector's listener (uvicorn on an ephemeral port,
httpx as the client): NDJSON, arrays, text, gzip, token, 413, 429 and 503 with Retry-After; every
200 means the records are on the embedded bus, and exactly those come out of the real processor."""

import contextlib
import gzip
import json
import os
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from hephaestus.api import create_app
from hephaestus.bus.local import LocalBus
from hephaestus.collect.http_server import HttpSource
from hephaestus.collect.pump import Pump
from hephaestus.pipeline import Pipeline
from hephaestus.settings import load_settings
from tests.support.collect import assert_exactly, structured_records, wait_for

N = int(os.environ.get("HEPHAESTUS_COLLECT_N", "1000"))
TOKEN = "s3cret-token"


@contextlib.contextmanager
def serving(app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="uvicorn started")
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _ndjson(start, stop):
    return "".join(
        json.dumps({"message": f"rec-{i} order ok", "level": "INFO"}) + "\n" for i in range(start, stop)
    )


def test_api_app_ingest_every_format_then_exactly_those_records(tmp_path):
    settings = load_settings(None, data_dir=str(tmp_path / "data"))
    half = N // 2
    with serving(create_app(settings, token=TOKEN)) as url:
        auth = {"authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=url, timeout=60) as client:
            assert client.post("/ingest", content=_ndjson(0, 1)).status_code == 401
            assert (
                client.post("/ingest", content="x", headers={"authorization": "Bearer nope"}).status_code
                == 401
            )
            r = client.post(
                "/ingest",
                content=gzip.compress(_ndjson(0, half).encode()),
                headers={**auth, "content-type": "application/x-ndjson", "content-encoding": "gzip"},
            )
            assert (r.status_code, r.json()) == (200, {"accepted": half, "dead_letters": 0})
            records = [{"message": f"rec-{i} order ok"} for i in range(half, N - 2)] + [{"bad": 1}]
            r = client.post("/ingest", json=records, headers=auth)
            assert (r.status_code, r.json()) == (200, {"accepted": N - 2 - half, "dead_letters": 1})
            text = (
                f"2026-01-01 10:00:00,000 ERROR [shop] rec-{N - 2} checkout failed\n"
                "Traceback (most recent call last):\n"
                '  File "/srv/shop/cart.py", line 9, in total\n'
                "KeyError: 'sku'\n"
                f"2026-01-01 10:00:01,000 INFO [shop] rec-{N - 1} done\n"
            )
            r = client.post("/ingest", content=text, headers={**auth, "content-type": "text/plain"})
            assert (r.status_code, r.json()) == (200, {"accepted": 2, "dead_letters": 0})
            assert client.get("/healthz").status_code == 200
    bus = LocalBus(settings.bus_path)
    records = structured_records(bus)
    assert_exactly(records, N)
    (trace,) = [r for r in records if r["error"]["type"] == "KeyError"]
    assert f"rec-{N - 2}" in trace["error"]["message"]
    (dead,) = Pipeline(bus=bus, store=None).dead_letters()
    assert (dead["reason"], json.loads(dead["value"])) == (
        "http ingest: record has no string 'message'",
        {"bad": 1},
    )


def test_api_app_body_caps_413(tmp_path):
    settings = load_settings(
        None, data_dir=str(tmp_path / "data"), api__max_body_kb=64, collect__ingest_max_body_kb=256
    )
    with serving(create_app(settings)) as url, httpx.Client(base_url=url, timeout=60) as client:
        r = client.post("/ingest", content=b"x\n" * 40_000)  # 80 KB on the wire > 64 KB
        assert r.status_code == 413
        bomb = gzip.compress(b"y\n" * 200_000)  # 2 KB compressed, 400 KB inflated > 256 KB
        r = client.post("/ingest", content=bomb, headers={"content-encoding": "gzip"})
        assert (r.status_code, r.json()["error"]) == (413, "decompressed body larger than 262144 bytes")


@pytest.fixture
def listener(tmp_path):
    """The collector's own /ingest listener with a 100-record buffer and no pump yet."""
    source = HttpSource(host="127.0.0.1", port=0, capacity=100, ack_timeout_s=1.0)
    source.start()
    bus = LocalBus(tmp_path / "bus.sqlite")
    yield source, bus
    source.stop()
    source.close()
    bus.close()


def test_full_buffer_answers_429_then_the_held_request_completes_once_the_bus_takes_it(listener):
    source, bus = listener
    results = {}

    def first():
        with httpx.Client(timeout=60) as client:
            results["first"] = client.post(f"{source.url}/ingest", content=_ndjson(0, 100))

    sender = threading.Thread(target=first)
    sender.start()
    wait_for(lambda: source.held == 100, what="the first body held in the buffer")
    with httpx.Client(timeout=60) as client:
        r = client.post(f"{source.url}/ingest", content=_ndjson(100, 101))
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")
    assert source.counters.dropped == 1
    pump = Pump(source, bus).start()  # the bus starts taking records: the first request is answered
    sender.join(timeout=30)
    assert (results["first"].status_code, results["first"].json()["accepted"]) == (200, 100)
    pump.stop()
    assert_exactly(structured_records(bus), 100)


def test_no_acknowledgement_in_time_answers_503_with_retry_after(listener):
    source, _bus = listener
    started = time.monotonic()
    with httpx.Client(timeout=60) as client:
        r = client.post(
            f"{source.url}/ingest", content=_ndjson(0, 5), headers={"content-type": "application/x-ndjson"}
        )
    assert (r.status_code, r.headers["retry-after"]) == (503, "5")
    assert "not durable within 1 s" in r.json()["error"]
    assert time.monotonic() - started >= 1.0


def test_ten_thousand_records_through_the_collector_listener(listener):
    source, bus = listener
    source.capacity = 20_000
    pump = Pump(source, bus).start()
    with httpx.Client(timeout=60) as client:
        for start in range(0, 10_000, 1000):
            body = gzip.compress(_ndjson(start, start + 1000).encode())
            r = client.post(
                f"{source.url}/ingest",
                content=body,
                headers={"content-type": "application/x-ndjson", "content-encoding": "gzip"},
            )
            assert r.json() == {"accepted": 1000, "dead_letters": 0}
    pump.stop()
    assert source.counters.as_dict() == {"received": 10_000, "sent": 10_000, "errored": 0, "dropped": 0}
    assert_exactly(structured_records(bus), 10_000)
