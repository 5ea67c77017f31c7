"""Serving the MCP server: stdio for a local assistant, Streamable HTTP behind a bearer token.

Fed a built MCPServer and the transport options by `hephaestus mcp`; feeds uvicorn an ASGI app
whose every request must carry `Authorization: Bearer <token>` (401 otherwise).
"""

from __future__ import annotations

import hmac
from typing import Any

from mcp.server import MCPServer
from starlette.types import ASGIApp, Receive, Scope, Send

from hephaestus.errors import ConfigError

__all__ = ["BearerAuth", "http_app", "serve"]


class BearerAuth:
    """ASGI middleware: constant-time check of the bearer token on every HTTP request."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        if not token:
            raise ConfigError("HTTP transport needs a bearer token (--token or HEPHAESTUS_MCP_TOKEN)")
        self.app, self._token = app, token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, value = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(value.strip(), self._token):
                body = b'{"error":"unauthorized"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="hephaestus"'),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def http_app(server: MCPServer, *, token: str, host: str = "127.0.0.1", max_body: int = 1 << 20) -> ASGIApp:
    """The Streamable HTTP app at /mcp behind BearerAuth, then BodyLimit (413 beyond `max_body`)."""
    from hephaestus.api.security import BodyLimit  # noqa: PLC0415 - FastAPI only for HTTP

    return BearerAuth(BodyLimit(server.streamable_http_app(host=host), max_bytes=max_body), token=token)


def serve(
    server: MCPServer, *, transport: str, host: str, port: int, token: str | None, max_body: int = 1 << 20
) -> None:
    """Block serving `server` over stdio or HTTP until interrupted."""
    if transport == "stdio":
        server.run("stdio")
        return
    import uvicorn  # noqa: PLC0415

    app: Any = http_app(server, token=token or "", host=host, max_body=max_body)
    uvicorn.run(app, host=host, port=port, log_level="warning")
