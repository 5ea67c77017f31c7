"""Upload limits read from the environment."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_MB = 25


def max_upload_mb(raw: str | None) -> int:
    """The MAX_UPLOAD_MB setting. Unset or malformed values fall back to DEFAULT_MAX_UPLOAD_MB
    (malformed ones with a warning)."""
    if raw is None:
        return DEFAULT_MAX_UPLOAD_MB
    try:
        value = int(raw)
    except ValueError:
        log.warning("ignoring malformed MAX_UPLOAD_MB=%r", raw)
    return value
