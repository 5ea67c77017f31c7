"""Pagination for catalog listings. Page numbers are 1-based, as in the public API."""

from __future__ import annotations

PAGE_SIZE = 20


def page_count(n_items: int, size: int = PAGE_SIZE) -> int:
    """Number of pages (an empty listing still has one, empty, page)."""
    return max(1, -(-n_items // size))


def paginate(items: list, page: int, size: int = PAGE_SIZE) -> list:
    """The items on page `page` (1-based); ValueError for pages outside 1..page_count."""
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    if page < 1 or page > len(chunks):
        raise ValueError(f"page {page} out of range 1..{len(chunks)}")
    return chunks[page]
