"""Promotional pricing."""

from __future__ import annotations


def format_price(amount: float, currency: str = "EUR") -> str:
    return f"{amount:,.2f} {currency}"


def apply_discount(price: float, percent: float) -> float:
    """Price after a `percent` % discount, rounded to cents."""
    return round(price * (1 + percent / 100), 2)
