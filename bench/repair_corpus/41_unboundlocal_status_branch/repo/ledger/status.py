"""One-line payment summaries for the payments table."""

from __future__ import annotations


def describe(payment: dict) -> str:
    """ "#<id> <label>". Statuses other than paid/pending/failed (e.g. "refunded", "disputed") are
    shown as the status name, capitalised."""
    status = payment["status"]
    if status == "paid":
        label = f"Paid on {payment['paid_at'][:10]}"
    elif status == "pending":
        label = "Awaiting payment"
    elif status == "failed":
        label = f"Failed: {payment.get('reason', 'unknown reason')}"
    return f"#{payment['id']} {label}"
