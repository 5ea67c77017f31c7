"""Persistence port for template-miner state: the TemplateStore protocol and a JSON-file adapter.

Fed `TemplateMiner.to_state()` dicts by whoever owns the miner (the pipeline, a CLI); feeds them
back to `TemplateMiner.from_state()`. The miner itself never does I/O.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol

__all__ = ["JsonFileStore", "TemplateStore"]


class TemplateStore(Protocol):
    """Persistence port for miner state (plain JSON-able dicts)."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, state: dict[str, Any]) -> None: ...


class JsonFileStore:
    """TemplateStore backed by one JSON file, written atomically (temp file + rename)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None

    def save(self, state: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(f"{self.path.suffix}.{os.getpid()}.tmp")  # several processes may save
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.path)
