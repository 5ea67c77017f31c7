"""Request-body size checks done before reading the body."""

from __future__ import annotations

MAX_BODY = 10 * 1024 * 1024


def declared_length(headers: dict[str, str]) -> int:
    """Content-Length as an int; 0 when the header is absent or empty."""
    return int(headers.get("Content-Length", 0))


def too_large(headers: dict[str, str]) -> bool:
    return declared_length(headers) > MAX_BODY
