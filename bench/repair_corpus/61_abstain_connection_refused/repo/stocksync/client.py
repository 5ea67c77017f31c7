"""Minimal line-protocol client for the warehouse stock service."""

from __future__ import annotations

import socket

TIMEOUT_S = 2.0


def parse_reply(line: bytes) -> dict[str, int]:
    """b"SKU-1=4 SKU-2=0" -> {"SKU-1": 4, "SKU-2": 0}."""
    pairs = (item.split("=") for item in line.decode("ascii").split())
    return {sku: int(qty) for sku, qty in pairs}


def fetch_stock(host: str, port: int, skus: list[str]) -> dict[str, int]:
    """Ask the warehouse service for the stock of `skus`."""
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as conn:
        conn.sendall(("STOCK " + " ".join(skus) + "\n").encode("ascii"))
        return parse_reply(conn.makefile("rb").readline())
