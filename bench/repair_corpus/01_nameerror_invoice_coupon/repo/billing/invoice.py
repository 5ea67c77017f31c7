"""Invoice arithmetic for the monthly billing run."""

from __future__ import annotations

VAT_RATE = 0.21
#: A coupon never takes an invoice below this amount (before VAT).
MINIMUM_CHARGE = 1.00


def line_total(line: dict) -> float:
    """Quantity times unit price, rounded to cents."""
    return round(line["qty"] * line["unit_price"], 2)


def invoice_total(lines: list[dict], coupon: float = 0.0) -> float:
    """Sum of the lines minus an optional fixed coupon (never below MINIMUM_CHARGE), plus VAT."""
    subtotal = sum(line_total(line) for line in lines)
    if coupon:
        subtotal = max(sub_total - coupon, MINIMUM_CHARGE)
    return round(subtotal * (1 + VAT_RATE), 2)
