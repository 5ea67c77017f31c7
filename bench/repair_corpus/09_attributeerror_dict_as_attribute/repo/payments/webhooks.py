"""Turns payment-provider webhook events (decoded JSON dicts) into ledger entries."""

from __future__ import annotations


def ledger_entry(event: dict) -> dict:
    """{"account", "delta"} in cents: charges credit the account, refunds debit it."""
    kind = event["type"]
    if kind == "charge.succeeded":
        return {"account": event["account"], "delta": event["amount"]}
    if kind == "charge.refunded":
        return {"account": event["account"], "delta": -event.amount_refunded}
    return {"account": event["account"], "delta": 0}
