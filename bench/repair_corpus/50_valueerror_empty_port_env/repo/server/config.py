"""Settings read from the process environment."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_PORT = 8080
DEFAULT_HOST = "0.0.0.0"


def listen_host(env: Mapping[str, str]) -> str:
    return env.get("HOST") or DEFAULT_HOST


def listen_port(env: Mapping[str, str]) -> int:
    """PORT from the environment; DEFAULT_PORT when unset or empty (some platforms export PORT="")."""
    return int(env.get("PORT", DEFAULT_PORT))
