"""Shipping quotes for parcels."""

from __future__ import annotations

from dataclasses import dataclass

BASE_FEE = 4.90
PER_KG = 1.20
EXPRESS_SURCHARGE_PER_KG = 0.80


@dataclass(frozen=True)
class Parcel:
    weight_kg: float
    express: bool = False


def shipping_cost(parcel: Parcel) -> float:
    """BASE_FEE + PER_KG per kilo, plus EXPRESS_SURCHARGE_PER_KG per kilo for express parcels."""
    cost = BASE_FEE + PER_KG * parcel.weight_kg
    if parcel.express:
        cost += EXPRESS_SURCHARGE_PER_KG * parcel.weight
    return round(cost, 2)
