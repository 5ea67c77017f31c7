"""Cart arithmetic. Items come from the storefront API as decoded JSON."""

from __future__ import annotations


def cart_total(items: list[dict]) -> float:
    """Sum of (price - discount) * qty. The per-unit discount is optional: missing or null means none."""
    total = 0.0
    for item in items:
        total += (item["price"] - item.get("discount")) * item["qty"]
    return round(total, 2)
