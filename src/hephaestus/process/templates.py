"""Online log-template miner (Drain-style, no I/O): groups messages and keeps one template per group.

Fed message content by the Processor (or bench/parse.py); feeds template / template_id to detection
and error events. State round-trips through to_state()/from_state(); a TemplateStore persists it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from hephaestus.process.masking import WILDCARD, Masker

__all__ = ["JsonFileStore", "Template", "TemplateMatch", "TemplateMiner", "TemplateStore"]

_STATE_VERSION = 1


@dataclass(frozen=True)
class Template:
    """A snapshot of one group: its id, template text and how many messages it holds."""

    template_id: str
    template: str
    size: int


@dataclass(frozen=True)
class TemplateMatch:
    """What `add` did with one message."""

    template_id: str
    template: str
    change: Literal["new", "updated", "none"]
    size: int


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
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.path)


class _Cluster:
    __slots__ = ("id", "size", "tokens")

    def __init__(self, cid: str, tokens: list[str], size: int = 0) -> None:
        self.id = cid
        self.tokens = tokens
        self.size = size


class TemplateMiner:
    """Pure, in-memory template miner.

    Messages are masked token by token, looked up in an exact cache, else compared with the
    groups of the same length; a match above `similarity_threshold` generalises the group's template.
    """

    def __init__(
        self, *, similarity_threshold: float = 0.5, masker: Masker | None = None, max_cache: int = 100_000
    ) -> None:
        if not 0 < similarity_threshold <= 1:
            raise ValueError("similarity_threshold must be in (0, 1]")
        self.similarity_threshold = similarity_threshold
        self.masker = masker or Masker()
        self._by_len: dict[int, list[_Cluster]] = {}
        self._by_id: dict[str, _Cluster] = {}
        self._exact: dict[tuple[str, ...], _Cluster] = {}
        self._max_cache = max_cache

    # ------------------------------------------------------------------ public API
    def add(self, content: str) -> TemplateMatch:
        """Assign `content` to a group (creating or generalising one) and return the result."""
        tokens = tuple(self.masker.mask_tokens(content))
        cluster = self._exact.get(tokens)
        if cluster is not None:
            cluster.size += 1
            return TemplateMatch(cluster.id, " ".join(cluster.tokens), "none", cluster.size)
        cluster = self._best(tokens)
        if cluster is None:
            cluster = _Cluster(self._new_id(tokens), list(tokens))
            self._by_len.setdefault(len(tokens), []).append(cluster)
            self._by_id[cluster.id] = cluster
            change: Literal["new", "updated", "none"] = "new"
        else:
            change = "updated" if self._generalise(cluster, tokens) else "none"
        cluster.size += 1
        if len(self._exact) >= self._max_cache:
            self._exact.clear()
        self._exact[tokens] = cluster
        return TemplateMatch(cluster.id, " ".join(cluster.tokens), change, cluster.size)

    def match(self, content: str) -> Template | None:
        """The group `content` would join, without changing anything; None if it would be new."""
        tokens = tuple(self.masker.mask_tokens(content))
        cluster = self._exact.get(tokens) or self._best(tokens)
        return None if cluster is None else Template(cluster.id, " ".join(cluster.tokens), cluster.size)

    def template(self, template_id: str) -> str:
        """The current template text of a group (groups generalise as messages arrive)."""
        return " ".join(self._by_id[template_id].tokens)

    def templates(self) -> list[Template]:
        """Every group, in creation order."""
        return [Template(c.id, " ".join(c.tokens), c.size) for c in self._by_id.values()]

    def to_state(self) -> dict[str, Any]:
        """A plain JSON-able snapshot of every group."""
        return {
            "version": _STATE_VERSION,
            "similarity_threshold": self.similarity_threshold,
            "clusters": [
                {"id": c.id, "tokens": list(c.tokens), "size": c.size} for c in self._by_id.values()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], *, masker: Masker | None = None) -> TemplateMiner:
        """Rebuild a miner from `to_state()` output; raises ValueError for an unknown layout."""
        if state.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported template state version: {state.get('version')!r}")
        miner = cls(similarity_threshold=float(state["similarity_threshold"]), masker=masker)
        for item in state["clusters"]:
            cluster = _Cluster(str(item["id"]), [str(t) for t in item["tokens"]], int(item["size"]))
            miner._by_len.setdefault(len(cluster.tokens), []).append(cluster)
            miner._by_id[cluster.id] = cluster
        return miner

    # ------------------------------------------------------------------ internals
    def _new_id(self, tokens: tuple[str, ...]) -> str:
        base = hashlib.sha1(" ".join(tokens).encode("utf-8", "replace"), usedforsecurity=False).hexdigest()[
            :12
        ]
        cid, n = base, 1
        while cid in self._by_id:
            n += 1
            cid = f"{base}-{n}"
        return cid

    def _best(self, tokens: tuple[str, ...]) -> _Cluster | None:
        candidates = self._by_len.get(len(tokens))
        if not candidates:
            return None
        n = len(tokens)
        best: _Cluster | None = None
        best_score = -1.0
        for cluster in candidates:
            same = 0
            for a, b in zip(cluster.tokens, tokens, strict=True):
                if a == b:
                    same += 1
            score = same / n if n else 1.0
            if score > best_score:
                best, best_score = cluster, score
        if best is not None and best_score >= self.similarity_threshold:
            return best
        return None

    @staticmethod
    def _generalise(cluster: _Cluster, tokens: tuple[str, ...]) -> bool:
        changed = False
        current = cluster.tokens
        for i, tok in enumerate(tokens):
            if current[i] != tok and current[i] != WILDCARD:
                current[i] = WILDCARD
                changed = True
        return changed
