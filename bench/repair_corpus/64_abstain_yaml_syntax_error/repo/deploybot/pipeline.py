"""Loads pipeline definitions (YAML) committed by the teams."""

from __future__ import annotations

import yaml


def load_pipeline(text: str) -> dict:
    """The parsed pipeline; stages default to an empty list."""
    data = yaml.safe_load(text) or {}
    data.setdefault("stages", [])
    return data
