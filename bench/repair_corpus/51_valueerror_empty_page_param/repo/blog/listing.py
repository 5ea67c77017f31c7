"""Post listing pages."""

from __future__ import annotations

POSTS_PER_PAGE = 10


def current_page(query: dict[str, str]) -> int:
    """The page query parameter. Missing or empty (?page=) means 1, as does anything below 1."""
    return max(1, int(query.get("page", "1")))


def page_slice(page: int) -> slice:
    start = (page - 1) * POSTS_PER_PAGE
    return slice(start, start + POSTS_PER_PAGE)
