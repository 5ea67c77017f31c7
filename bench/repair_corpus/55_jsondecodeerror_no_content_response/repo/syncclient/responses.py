"""Decoding of partner-API responses."""

from __future__ import annotations

import json
from dataclasses import dataclass


class ApiError(Exception):
    pass


@dataclass
class Response:
    status: int
    text: str


def decode(resp: Response) -> dict | None:
    """JSON body of a successful response; None for 204 No Content and other empty bodies.

    Raises ApiError for status >= 400.
    """
    if resp.status >= 400:
        raise ApiError(f"HTTP {resp.status}: {resp.text[:200]}")
    return json.loads(resp.text)
