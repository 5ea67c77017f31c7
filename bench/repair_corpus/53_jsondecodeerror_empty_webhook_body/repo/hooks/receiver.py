"""Inbound webhooks from the Git hosting provider."""

from __future__ import annotations

import json


def parse_event(body: bytes) -> dict:
    """The decoded JSON payload. Ping/verification requests arrive with an empty body: that is {}."""
    return json.loads(body)


def event_action(body: bytes) -> str:
    """The payload's "action", or "ping" when it has none."""
    return parse_event(body).get("action", "ping")
