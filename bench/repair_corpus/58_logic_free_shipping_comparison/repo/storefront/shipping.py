"""Shipping fee rules shown at checkout."""

from __future__ import annotations

FREE_SHIPPING_FROM = 50.00
FLAT_FEE = 4.95


def shipping_fee(subtotal: float) -> float:
    """Orders of FREE_SHIPPING_FROM or more ship free; the others pay FLAT_FEE."""
    return 0.0 if subtotal > FREE_SHIPPING_FROM else FLAT_FEE
