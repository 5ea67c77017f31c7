"""Restock suggestions for the warehouse dashboard."""

from __future__ import annotations

DEFAULT_THRESHOLD = 5


def low_stock(items: list[dict], threshold: int = DEFAULT_THRESHOLD) -> list[str]:
    """SKUs whose on-hand quantity is below `threshold`; discontinued items are never reordered."""
    reorder = []
    for item in items:
        if item.get("discontinued"):
            continue
        if item["on_hand"] < threshold:
            reorder.append(itme["sku"])
    return reorder
