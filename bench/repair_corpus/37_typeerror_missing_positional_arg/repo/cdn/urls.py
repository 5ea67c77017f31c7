"""URLs of static assets served by the CDN."""

from __future__ import annotations


def build_url(base: str, path: str, *, version: str | None = None) -> str:
    """base + "/" + path, with an optional cache-busting ?v= parameter."""
    url = base.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?v={version}" if version else url


class AssetLinks:
    def __init__(self, base: str) -> None:
        self.base = base

    def image(self, name: str) -> str:
        return build_url(self.base, f"img/{name}")

    def stylesheet(self, name: str, version: str) -> str:
        """Versioned stylesheet URL."""
        return build_url(f"css/{name}", version=version)
