"""SMS bodies for order notifications."""

from __future__ import annotations

MAX_SMS = 160


def otp_text(code: str) -> str:
    """One-time-password message."""
    return f"Your verification code is {code}. It expires in 10 minutes."


def order_shipped_text(order_id: int, carrier: str) -> str:
    """Shipping notice for order `order_id` (an int), truncated to MAX_SMS characters."""
    text = "Your order #" + order_id + " has shipped with " + carrier + "."
    return text[:MAX_SMS]
