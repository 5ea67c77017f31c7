"""Grouping helpers for the customer activity report."""

from __future__ import annotations


def customer_count(orders: list[dict]) -> int:
    """Number of distinct customers."""
    return len({o["customer"] for o in orders})


def group_by_customer(orders: list[dict]) -> dict[str, list[str]]:
    """Order ids per customer, each list in input order."""
    groups: dict[str, list[str]] = {}
    for order in orders:
        groups[order["customer"]].append(order["id"])
    return groups
