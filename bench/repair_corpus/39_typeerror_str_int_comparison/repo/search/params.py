"""Query-string handling. Values arrive as strings, exactly as parsed from the URL."""

from __future__ import annotations

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def query_terms(params: dict[str, str]) -> list[str]:
    """Whitespace-separated terms of the q parameter, lower-cased."""
    return params.get("q", "").lower().split()


def page_size(params: dict[str, str]) -> int:
    """The "size" parameter clamped to 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when absent."""
    size = params.get("size", DEFAULT_PAGE_SIZE)
    return max(1, min(size, MAX_PAGE_SIZE))
