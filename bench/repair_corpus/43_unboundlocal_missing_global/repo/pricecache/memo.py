"""Process-wide cache of catalogue prices; hit/miss counters feed the /metrics endpoint."""

from __future__ import annotations

from collections.abc import Callable

_cache: dict[str, float] = {}
hits = 0
misses = 0


def cached_price(sku: str, loader: Callable[[str], float]) -> float:
    """Price of `sku`, calling `loader` only the first time it is asked for."""
    global misses
    if sku in _cache:
        hits += 1
        return _cache[sku]
    misses += 1
    _cache[sku] = loader(sku)
    return _cache[sku]


def stats() -> dict[str, int]:
    return {"hits": hits, "misses": misses, "size": len(_cache)}
