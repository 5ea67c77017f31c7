"""The one exception tree of Hephaestus.

Every error raised on purpose derives from HephaestusError. Stages route Permanent
errors to the dead-letter topic, retry Retryable ones with backoff, and stop on ConfigError.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "BackpressureError",
    "ConfigError",
    "HephaestusError",
    "InputError",
    "PermanentError",
    "RetryableError",
]


class HephaestusError(Exception):
    """Root of every error Hephaestus raises on purpose."""


class ConfigError(HephaestusError):
    """The configuration (file, environment, flags) is invalid; nothing can run."""


class InputError(HephaestusError):
    """A user-supplied path or argument is unusable (missing log, bad repo); the CLI exits 2."""


class AccessDenied(HephaestusError):
    """A caller of the API or MCP server asked for something it may not do (403): run the tests
    of a repository outside `api.allowed_repos`, or run any without a token."""


class PermanentError(HephaestusError):
    """This record can never be processed; it goes to the dead-letter topic with the reason."""


class RetryableError(HephaestusError):
    """A transient failure (network, broker, busy database); retry with backoff."""


class BackpressureError(RetryableError):
    """A sink cannot keep up; the caller should pause consuming and retry later."""
