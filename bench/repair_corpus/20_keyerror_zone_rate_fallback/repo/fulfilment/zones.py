"""Delivery fees by destination country."""

from __future__ import annotations

ZONE_RATES = {"DE": 4.50, "FR": 5.90, "NL": 4.90, "BE": 4.90}
#: Flat rate for every country without a negotiated zone rate.
DEFAULT_RATE = 12.00
#: Baskets at or above this total ship free, wherever they go.
FREE_ABOVE = 100.00


def delivery_fee(country: str, basket_total: float) -> float:
    """Zone rate of the destination (ISO code, any case), DEFAULT_RATE elsewhere; free above FREE_ABOVE."""
    if basket_total >= FREE_ABOVE:
        return 0.0
    return ZONE_RATES[country.upper()]
