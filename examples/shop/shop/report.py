"""The nightly sales report: groups orders by region and summarises each one."""

from __future__ import annotations

import logging

from shop.pricing import average_order_value, order_total

log = logging.getLogger("shop.report")


def region_summary(region: str, orders: list[dict]) -> dict:
    """Revenue, order count and average order value for one region."""
    return {
        "region": region,
        "orders": len(orders),
        "revenue": round(sum(order_total(o) for o in orders), 2),
        "average": average_order_value(orders),
    }


def build_report(orders_by_region: dict[str, list[dict]]) -> list[dict]:
    """One summary per region, in alphabetical order."""
    return [region_summary(region, orders_by_region[region]) for region in sorted(orders_by_region)]
