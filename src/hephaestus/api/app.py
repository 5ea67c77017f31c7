"""The HTTP API and dashboard application: `create_app(settings, token=...)`.

Fed the effective Settings (the store they name is opened once and closed at shutdown) and an
optional bearer token; serves the /api routes (hephaestus.api.routes), the dashboard's static
files, an offline API reference at /docs over /openapi.json, /healthz, and log ingest at
POST /ingest (api/ingest.py). Every error leaves as `{"error": "..."}` with a 4xx/5xx status,
never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from hephaestus import __version__
from hephaestus.api.ingest import INGEST_PATH, IngestHub, ingest_endpoint
from hephaestus.api.routes import ApiError, api_router
from hephaestus.api.security import BearerAuth, BodyLimit, HostCheck, SecurityHeaders
from hephaestus.errors import AccessDenied, HephaestusError, InputError, RetryableError
from hephaestus.service import open_store
from hephaestus.settings import Settings

__all__ = ["LOOPBACK_HOSTS", "STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_log = logging.getLogger(__name__)

_DESCRIPTION = """Issues found in production logs, their validated fixes, and feedback on them.

When the server runs with a token, every `/api` route needs `Authorization: Bearer <token>`.
Errors are `{"error": "..."}` with status 400, 401, 404 or 503."""


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names a loopback-bound server answers to (see HostCheck)."""


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers={"cache-control": "no-store"})


def _validation_message(exc: RequestValidationError) -> str:
    """`body.verdict: Input should be 'accept' or 'reject'` from pydantic's first error."""
    first: dict[str, Any] = next(iter(exc.errors()), {})
    if first.get("type") == "json_invalid":
        return "request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body" or len(first["loc"]) == 1)
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid request"))


def _install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return _error(exc.status, exc.message)

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _error(400, _validation_message(exc))

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        response = _error(exc.status_code, message.lower())
        response.headers.update(exc.headers or {})
        return response

    async def on_hephaestus(_request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, InputError):
            return _error(400, str(exc))
        if isinstance(exc, AccessDenied):
            return _error(403, str(exc))
        if isinstance(exc, RetryableError):
            return _error(503, "the store is busy, retry shortly")
        _log.error("request failed: %s", exc)
        return _error(500, str(exc))

    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error", exc_info=exc)
        response = _error(500, "internal server error")
        # outside SecurityHeaders (ServerErrorMiddleware is outermost): add the essentials here
        response.headers["x-content-type-options"] = "nosniff"
        return response

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(HephaestusError, on_hephaestus)
    app.add_exception_handler(Exception, on_unexpected)


def create_app(
    settings: Settings, *, token: str | None = None, allowed_hosts: Iterable[str] | None = None
) -> FastAPI:
    """The API + dashboard app over the store `settings` name.

    `token`: when set (non-empty), every /api request needs `Authorization: Bearer <token>`.
    `allowed_hosts`: Host header names to answer (e.g. LOOPBACK_HOSTS); None = any.
    """
    store = open_store(settings)
    ingest = IngestHub(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            ingest.close()
            store.close()

    app = FastAPI(
        title="Hephaestus",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,  # the stock pages load Swagger UI from a CDN; /docs is served offline below
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.ingest = ingest
    _install_error_handlers(app)
    app.include_router(api_router(settings, store, token=token or None))

    @app.get("/healthz", tags=["meta"], summary="Liveness and store check")
    def healthz() -> dict[str, object]:
        """`{"status": "ok"}` when the store answers; public, holds no data."""
        store.event_count()
        return {"status": "ok", "version": __version__, "auth": bool(token)}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html; charset=utf-8")

    collect = settings.collect
    endpoint = ingest_endpoint(
        ingest.source,
        max_bytes=collect.ingest_max_body_kb * 1024,
        ack_timeout_s=collect.ingest_ack_timeout_s,
        healthy=ingest.failure,
    )
    # NDJSON, a JSON array or text lines (gzip allowed); answers once the records are on the bus
    app.add_route(INGEST_PATH, endpoint, methods=["POST"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # outermost first: headers on every answer, then Host, then the token before any route
    app.add_middleware(BodyLimit, max_bytes=settings.api.max_body_kb * 1024)
    app.add_middleware(BearerAuth, token=token or None)
    app.add_middleware(HostCheck, allowed=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app
