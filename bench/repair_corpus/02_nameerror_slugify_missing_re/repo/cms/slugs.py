"""Slugs and titles for CMS pages."""

from __future__ import annotations

import unicodedata

MAX_SLUG_LENGTH = 60


def title_case(text: str) -> str:
    """Capitalise every word and collapse runs of whitespace."""
    return " ".join(word.capitalize() for word in text.split())


def slugify(title: str) -> str:
    """ASCII, lower-case, dash-separated slug of at most MAX_SLUG_LENGTH characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")
