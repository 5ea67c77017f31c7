"""Delivery sinks. Each sink module exposes render(alert) -> str."""

from __future__ import annotations


def get_sink(kind: str):
    """The sink module for `kind` ("email" or "webhook")."""
    if kind == "email":
        from pager.sinks import email as sink
    elif kind == "webhook":
        from pager.sinks import webhook as sink
    else:
        raise ValueError(f"unknown sink {kind!r}")
    return sink
