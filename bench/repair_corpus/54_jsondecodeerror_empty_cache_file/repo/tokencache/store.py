"""On-disk cache of OAuth access tokens, keyed by client id."""

from __future__ import annotations

import json
import os


def load_cache(path: str) -> dict:
    """The cached tokens. A missing or empty file (e.g. truncated by a crash mid-write) is an empty cache."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def save_cache(path: str, tokens: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(tokens, fh)
