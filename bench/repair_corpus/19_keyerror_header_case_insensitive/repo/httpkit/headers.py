"""Header helpers. HTTP header names are case-insensitive (RFC 9110 section 5.1)."""

from __future__ import annotations

DEFAULT_TYPE = "application/octet-stream"


def get_header(headers: dict[str, str], name: str, default: str | None = None) -> str | None:
    """Case-insensitive header lookup."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return default


def content_type(headers: dict[str, str]) -> str:
    """Lower-case media type without parameters ("text/HTML; charset=utf-8" -> "text/html").

    DEFAULT_TYPE when the request has no Content-Type header.
    """
    if not headers:
        return DEFAULT_TYPE
    return headers["Content-Type"].split(";")[0].strip().lower()
