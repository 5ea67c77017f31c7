"""Logging configuration for the notifier, from its parsed YAML config."""

from __future__ import annotations

import logging

DEFAULT_LEVEL = "INFO"


def log_level(cfg: dict) -> int:
    """Numeric level from cfg["logging"]["level"] (case-insensitive).

    Both the logging section and its level key are optional: the default is DEFAULT_LEVEL.
    """
    name = cfg["logging"].get("level", DEFAULT_LEVEL)
    return logging.getLevelName(name.upper())
