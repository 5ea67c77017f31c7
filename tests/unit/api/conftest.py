"""Fixtures for the HTTP API tests: a store filled by really analyzing logs, and the real app
served by uvicorn on a free 127.0.0.1 port in a thread."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from hephaestus.api import create_app
from hephaestus.records import Solution, Validation
from hephaestus.service import analyze_logs
from hephaestus.settings import Settings, load_settings
from hephaestus.store import Store

ROOT = Path(__file__).resolve().parents[3]
SHOP_LOG = ROOT / "examples" / "logs" / "shop.log"
XSS = "<img src=x onerror=alert(1)>"
PATCH = """diff --git a/shop/pricing.py b/shop/pricing.py
--- a/shop/pricing.py
+++ b/shop/pricing.py
@@ -16,5 +16,7 @@
+    if not orders:
+        return 0.0
     total = sum(order_total(order) for order in orders)
"""


@dataclass
class World:
    """A data dir whose store holds the shop issues (one with a validated fix) and an XSS issue."""

    settings: Settings
    zero_id: str
    conn_id: str
    xss_id: str
    xss_log: Path

    def store(self) -> Store:
        return Store(self.settings.store_url)


def write_xss_log(path: Path) -> Path:
    lines = [
        {
            "timestamp": "2026-11-24T03:00:00Z",
            "level": "INFO",
            "message": "checkout <b>started</b>",
            "trace_id": "tr-xss",
        },
        {
            "timestamp": "2026-11-24T03:00:01Z",
            "level": "ERROR",
            "message": f"ValueError: bad coupon {XSS}",
            "trace_id": "tr-xss",
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def world(tmp_path: Path) -> World:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    xss_log = write_xss_log(tmp_path / "xss.log")
    report = analyze_logs([SHOP_LOG, xss_log], settings=settings, repo=None, fix=False)
    by_type = {r.issue.title.split(":")[0]: r.issue.id for r in report.issues}
    world = World(
        settings,
        zero_id=by_type["ZeroDivisionError"],
        conn_id=by_type["ConnectionRefusedError"],
        xss_id=by_type["ValueError"],
        xss_log=xss_log,
    )
    store = world.store()
    try:  # a validated fix, as `analyze --repo` would have stored it (that run takes ~10 s)
        store.save_solution(
            Solution(
                issue_id=world.zero_id,
                status="validated",
                provider="builtin",
                patch=PATCH,
                score=0.95,
                explanation="Return 0.0 early when there are no orders.",
                validation=Validation(
                    applied=True,
                    passed=True,
                    tests_before="failed",
                    tests_after="passed",
                    reproduced_before=True,
                    fixed_after=True,
                    duration_s=1.5,
                    output_tail="3 passed",
                ),
                files=("shop/pricing.py",),
                template="empty-guard",
                created_at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC),
            )
        )
    finally:
        store.close()
    return world


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    """A served app: its base URL and an httpx client bound to it."""

    url: str
    client: httpx.Client
    app: Any


Serve = Callable[..., Running]


@pytest.fixture
def serve(world: World) -> Iterator[Serve]:
    """serve(token=None, allowed_hosts=None, settings=None) -> Running; stopped at teardown."""
    servers: list[tuple[uvicorn.Server, threading.Thread, httpx.Client]] = []

    def start(
        *, token: str | None = None, allowed_hosts: Any = None, settings: Settings | None = None
    ) -> Running:
        app = create_app(settings or world.settings, token=token, allowed_hosts=allowed_hosts)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.02)
        assert server.started, "uvicorn did not start"
        url = f"http://127.0.0.1:{port}"
        client = httpx.Client(base_url=url, timeout=60)
        servers.append((server, thread, client))
        return Running(url, client, app)

    yield start
    for server, thread, client in servers:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)
