"""Retry policy for background jobs, read from the worker's parsed config."""

from __future__ import annotations

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BACKOFF_S = 2.0


def max_attempts(cfg: dict) -> int:
    """cfg["retry"]["max_attempts"]; the whole retry section is optional (DEFAULT_MAX_ATTEMPTS)."""
    return int(cfg.get("retry").get("max_attempts", DEFAULT_MAX_ATTEMPTS))


def backoff(attempt: int, base: float = DEFAULT_BACKOFF_S) -> float:
    """Exponential backoff before retry number `attempt` (1-based)."""
    return base * 2 ** (attempt - 1)
