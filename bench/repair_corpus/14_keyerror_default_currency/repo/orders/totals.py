"""Human-readable order totals for receipts."""

from __future__ import annotations

DEFAULT_CURRENCY = "EUR"


def format_total(order: dict) -> str:
    """ "12.50 EUR": the amount with two decimals and the order's currency.

    Orders created before multi-currency support carry no "currency" key; they are in DEFAULT_CURRENCY.
    """
    return f"{order['amount']:.2f} {order['currency']}"
