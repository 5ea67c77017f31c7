"""ASGI middleware guarding the HTTP API: bearer token, allowed Host names, security headers.

Fed by `create_app` (the token from `--token` / HEPHAESTUS_API_TOKEN and the hosts the server
answers to); feeds every response the headers that keep the dashboard's untrusted data (log
text, patches) inert in a browser. Pure ASGI classes, like the MCP server's BearerAuth
(hephaestus.mcp.http): the token check is constant-time and runs before any route, so an
unauthenticated caller learns nothing, not even which /api paths exist.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "API_PREFIX",
    "CONTENT_SECURITY_POLICY",
    "INGEST_PATH",
    "TOKEN_ENV",
    "BearerAuth",
    "BodyLimit",
    "HostCheck",
    "SecurityHeaders",
    "is_api_path",
    "json_error",
    "needs_token",
]

API_PREFIX = "/api"
TOKEN_ENV = "HEPHAESTUS_API_TOKEN"  # noqa: S105 - a variable name, not a secret

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
"""No inline script or style, nothing from another origin: a payload that reaches the DOM as
markup by mistake still cannot run, load or exfiltrate anything."""

_SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


INGEST_PATH = "/ingest"  # log ingest (hephaestus.collect.http): guarded by the token like /api


def is_api_path(path: str) -> bool:
    """True for /api and everything under /api/ (not for /apiary)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def needs_token(path: str) -> bool:
    """The paths BearerAuth guards: the API and log ingest."""
    return is_api_path(path) or path == INGEST_PATH


async def json_error(
    send: Send, status: int, message: str, *, extra: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """Send a complete `{"error": message}` JSON response from inside an ASGI middleware."""
    body = json.dumps({"error": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """A request body over `max_bytes` gets 413 before any route sees it: a declared
    Content-Length is checked first, a streamed body is counted and never held beyond the cap."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        too_big = f"request body larger than {self.max_bytes} bytes"
        if declared.isdigit() and int(declared) > self.max_bytes:
            await json_error(send, 413, too_big)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await json_error(send, 413, too_big)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body"))
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: wait for the disconnect
            replayed = True
            return whole

        await self.app(scope, replay, send)


class BearerAuth:
    """Every HTTP request under /api, and to /ingest, must carry `Authorization: Bearer <token>`
    (401 otherwise).

    The dashboard page, its static files, /healthz and the API description stay public: they
    hold no data. With `token=None` the middleware lets everything through.
    """

    def __init__(self, app: ASGIApp, *, token: str | None) -> None:
        self.app = app
        self._token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._token is not None and scope["type"] == "http" and needs_token(scope["path"]):
            header = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, value = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(value.strip(), self._token):
                await json_error(
                    send, 401, "unauthorized", extra=[(b"www-authenticate", b'Bearer realm="hephaestus"')]
                )
                return
        await self.app(scope, receive, send)


class HostCheck:
    """Answer only requests whose Host header names this server (400 otherwise).

    Defeats DNS rebinding: a web page on another origin that makes its own name resolve to
    127.0.0.1 still sends its own name as Host, so it cannot drive a local, token-less server.
    `allowed=None` disables the check (for a server behind a proxy that rewrites Host).
    """

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str] | None) -> None:
        self.app = app
        self._allowed = None if allowed is None else {h.lower() for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._allowed is not None and scope["type"] == "http":
            raw = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            if _host_name(raw) not in self._allowed:
                await json_error(send, 400, "invalid Host header")
                return
        await self.app(scope, receive, send)


def _host_name(host: str) -> str:
    """`example.org:8080` -> `example.org`; `[::1]:8080` -> `::1`."""
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class SecurityHeaders:
    """Add CSP, nosniff, frame and referrer policies to every response; no-store on /api."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = is_api_path(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    headers[name.decode()] = value.decode()
                if api:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
