"""Text previews for feed cards."""

from __future__ import annotations

ELLIPSIS = "…"


def preview(text: str, limit: int = 40) -> str:
    """`text` shortened to at most `limit` characters; when cut, the last character is ELLIPSIS."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit] + ELLIPSIS
