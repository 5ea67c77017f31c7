"""Rows of the warehouse stock-take CSV."""

from __future__ import annotations

DEFAULT_LOCATION = "MAIN"


def parse_row(row: dict[str, str]) -> dict:
    """sku, qty and location of one CSV row.

    Counters leave the qty cell blank (empty or spaces) for a bin they found empty: that is 0.
    A blank location means DEFAULT_LOCATION.
    """
    return {"sku": row["sku"].strip(), "qty": int(row["qty"]), "location": row["location"].strip() or DEFAULT_LOCATION}
