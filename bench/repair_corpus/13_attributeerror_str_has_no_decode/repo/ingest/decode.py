"""Decodes "key=value;key=value" message bodies.

The broker client hands us bytes; the HTTP bridge hands us an already-decoded str. Both are valid.
"""

from __future__ import annotations


def decode_payload(payload: bytes | str) -> dict[str, str]:
    """Fields of the message; empty segments are ignored and whitespace is stripped."""
    text = payload.decode("utf-8")
    fields = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip()
    return fields
