"""Typed accessors over the gateway's parsed YAML configuration."""

from __future__ import annotations

#: Seconds an upstream call may take when the config does not say otherwise.
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_UPSTREAM = "http://localhost:8000"


def upstream_url(cfg: dict) -> str:
    """cfg["http"]["upstream"], or DEFAULT_UPSTREAM."""
    return cfg.get("http", {}).get("upstream", DEFAULT_UPSTREAM).rstrip("/")


def http_timeout(cfg: dict) -> float:
    """cfg["http"]["timeout"] in seconds, or DEFAULT_TIMEOUT_S when the key is absent."""
    http = cfg.get("http", {})
    if "timeout" in http:
        return float(http["timeout"])
    return DEFAULT_TIMEOUT
