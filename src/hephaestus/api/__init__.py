"""The HTTP face of Hephaestus: a JSON API over the store and the use cases, and a dashboard.

`create_app(settings, token=...)` builds the ASGI app (FastAPI) that `hephaestus serve` runs
with uvicorn: /api routes (issues, feedback, analyze), the dashboard at /, an offline API
reference at /docs, /healthz. See docs/api.md.
"""

from __future__ import annotations

from hephaestus.api.app import LOOPBACK_HOSTS, STATIC_DIR, create_app
from hephaestus.api.routes import AnalyzeRequest, ApiError, FeedbackRequest
from hephaestus.api.security import CONTENT_SECURITY_POLICY, TOKEN_ENV

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "LOOPBACK_HOSTS",
    "STATIC_DIR",
    "TOKEN_ENV",
    "AnalyzeRequest",
    "ApiError",
    "FeedbackRequest",
    "create_app",
]
