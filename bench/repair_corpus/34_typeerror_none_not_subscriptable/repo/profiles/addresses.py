"""Address helpers for customer profiles."""

from __future__ import annotations

UNKNOWN_CITY = "unknown"


def default_address(profile: dict) -> dict | None:
    """The address flagged as default, else the first one, else None."""
    addresses = profile.get("addresses", [])
    for address in addresses:
        if address.get("default"):
            return address
    return addresses[0] if addresses else None


def shipping_city(profile: dict) -> str:
    """City of the default address; UNKNOWN_CITY for profiles without any address."""
    return default_address(profile)["city"]
