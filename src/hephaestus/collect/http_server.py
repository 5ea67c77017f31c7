"""HttpSource: the collector's own HTTP listener for `POST /ingest` (uvicorn in a thread).

Fed by HTTP clients (the endpoint of hephaestus.collect.http; token from HEPHAESTUS_API_TOKEN);
feeds its PushSource buffer, which a Pump moves to the bus.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hephaestus.api.security import BearerAuth, BodyLimit
from hephaestus.collect.http import INGEST_PATH, ingest_endpoint
from hephaestus.collect.push import PushSource

__all__ = ["HttpSource"]


class HttpSource(PushSource):
    """Serves POST /ingest (and GET /healthz) on host:port once started; port 0 picks a free one."""

    name = "http-source"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8090,
        token: str | None = None,
        capacity: int = 10_000,
        max_body_bytes: int = 8 * 1024 * 1024,
        ack_timeout_s: float = 30.0,
    ) -> None:
        super().__init__(capacity=capacity)
        self.host, self.port = host, port
        self.token = token or None
        self.max_body_bytes = max_body_bytes
        self.ack_timeout_s = ack_timeout_s
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}"

    def start(self) -> None:
        super().start()
        endpoint = ingest_endpoint(
            lambda: self, max_bytes=self.max_body_bytes, ack_timeout_s=self.ack_timeout_s,
            healthy=lambda: self.failure,
        )  # fmt: skip

        async def healthz(_request: Request) -> JSONResponse:
            return JSONResponse({"status": "ok", "held": self.held})

        app = Starlette(
            routes=[Route(INGEST_PATH, endpoint, methods=["POST"]), Route("/healthz", healthz)],
            middleware=[
                Middleware(BodyLimit, max_bytes=self.max_body_bytes),
                Middleware(BearerAuth, token=self.token),
            ],
        )
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        server = self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=self.name, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not server.started:
            raise OSError(f"HTTP ingest did not start on {self.url}")

    def stop(self) -> None:
        """Stop accepting requests (what is buffered stays for the pump to drain)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        super().stop()
