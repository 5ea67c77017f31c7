"""Which request paths the edge proxy exposes without authentication."""

from __future__ import annotations

INTERNAL_PREFIXES = ("/internal", "/admin")
ALWAYS_PUBLIC = frozenset({"/healthz", "/readyz"})


def normalize(path: str) -> str:
    """Collapse duplicate slashes and drop a trailing slash (except for the root)."""
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts)


def is_public(path: str) -> bool:
    """Health probes are public; anything under an internal prefix is not; the rest is."""
    path = normalize(path)
    if path in ALWAYS_PUBLIC:
        return True
    return not any(path.startwith(prefix) for prefix in INTERNAL_PREFIXES)
