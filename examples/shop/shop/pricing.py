"""Pricing helpers for the nightly sales report."""

from __future__ import annotations

TAX_RATE = 0.2


def order_total(order: dict) -> float:
    """Total of one order: sum of quantity * unit price, plus tax."""
    subtotal = sum(line["qty"] * line["unit_price"] for line in order["lines"])
    return round(subtotal * (1 + TAX_RATE), 2)


def average_order_value(orders: list[dict]) -> float:
    """Mean order total over `orders`.

    Returns 0.0 when there are no orders (a quiet day must not break the report).
    """
    total = sum(order_total(order) for order in orders)
    return round(total / len(orders), 2)
