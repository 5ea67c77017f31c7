"""Online log-template miner (Drain-style, no I/O): groups messages and keeps one template per group.

Fed message content by the Processor (or bench/parse.py); feeds template / template_id to detection
and error events. State round-trips through to_state()/from_state(); a TemplateStore persists it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from operator import eq, itemgetter
from typing import Any, Literal, NamedTuple

from hephaestus.process.masking import WILDCARD, Masker
from hephaestus.process.template_store import JsonFileStore, TemplateStore
from hephaestus.process.template_tokens import (
    MIN_ENUM_COUNT,
    MIN_SIGNATURE,
    SPAN_WORDS,
    fits,
    introduced,
    is_unit,
    is_word,
    merge_tokens,
    same_value_slot,
)

__all__ = ["JsonFileStore", "Template", "TemplateMatch", "TemplateMiner", "TemplateStore"]

_STATE_VERSION = 1
_HAS_ALNUM = re.compile(r"[^\W_]").search


class Template(NamedTuple):
    """A snapshot of one group (or of one message's rendering): id, template text and group size."""

    template_id: str
    template: str
    size: int


class TemplateMatch(NamedTuple):
    """What `add` did with one message: its template (as rendered for it) and its group."""

    template_id: str
    template: str
    change: Literal["new", "updated", "none"]
    size: int
    cluster_id: str
    tokens: tuple[str, ...] = ()  # the masked tokens of the message (what `render` needs later)


_new_match = tuple.__new__  # builds a TemplateMatch without the generated __new__ frame (hot path)


class _Cluster:
    """A group: template tokens, size, and value counts for wildcard positions that held plain words."""

    __slots__ = (
        "canon",
        "consts",
        "getter",
        "id",
        "n_wild",
        "partial",
        "rendered",
        "size",
        "stats",
        "text",
        "tokens",
    )

    def __init__(self, cid: str, tokens: list[str], size: int = 0) -> None:
        self.id = cid
        self.tokens = tokens
        self.text = ""
        self.size = size
        self.canon: list[str] | None = None  # [template_id, template] it renders as (no enumerations)
        self.consts: tuple[str | None, ...] = ()  # the template's constant tokens, None at wildcards
        self.partial: tuple[int, ...] = ()
        self.n_wild = 0
        # position -> {word: count}; a position leaves this dict when a non-word or too many words show up
        self.stats: dict[int, dict[str, int]] = {}
        self.getter: Callable[[tuple[str, ...]], Any] | None = None  # the message values at stats positions
        self.rendered: dict[Any, list[str]] = {}  # those values -> [template_id, template], once settled
        self.reindex()

    def stats_changed(self) -> None:
        """Forget cached renderings after the enumeration positions or their values changed."""
        self.rendered = {}
        self.getter = itemgetter(*self.stats) if self.stats else None

    def reindex(self) -> None:
        """Recompute the comparison index after the template changed."""
        self.text = " ".join(self.tokens)
        self.canon = None
        self.consts = tuple(None if WILDCARD in t else t for t in self.tokens)
        self.partial = tuple(i for i, t in enumerate(self.tokens) if WILDCARD in t and t != WILDCARD)
        self.n_wild = self.tokens.count(WILDCARD)
        self.rendered = {}


class TemplateMiner:
    """Pure, in-memory template miner.

    Messages are masked token by token, looked up in an exact cache, else compared with the groups of
    the same length; a match above `similarity_threshold` generalises the group's template. A wildcard
    position that only ever held a few plain words (`Started`/`Stopped`) is an enumeration, not a
    variable: each message's template keeps its own word there (see `render`).
    """

    def __init__(
        self,
        *,
        similarity_threshold: float = 0.5,
        masker: Masker | None = None,
        max_cache: int = 100_000,
        max_enum: int = 8,
        enum_ratio: float = 0.2,
    ) -> None:
        if not 0 < similarity_threshold <= 1:
            raise ValueError("similarity_threshold must be in (0, 1]")
        self.similarity_threshold = similarity_threshold
        self.masker = masker or Masker()
        self.max_enum = max_enum
        self.enum_ratio = enum_ratio
        self._by_len: dict[int, list[_Cluster]] = {}
        self._by_id: dict[str, _Cluster] = {}
        self._exact: dict[tuple[str, ...], _Cluster] = {}
        self._lines: dict[str, tuple[tuple[str, ...], _Cluster]] = {}  # raw text -> (masked tokens, group)
        self._canonical: dict[str, str] = {}  # template text -> signature ("" = none)
        self._by_signature: dict[str, list[str]] = {}  # signature -> [template_id, template]
        self._max_cache = max_cache

    # ------------------------------------------------------------------ public API
    def add(self, content: str) -> TemplateMatch:
        """Assign `content` to a group (creating or generalising one) and return the result."""
        change: Literal["new", "updated", "none"] = "none"
        cluster: _Cluster | None
        seen = self._lines.get(content)
        if seen is not None:  # the very same text again (half of a typical log): no masking at all
            tokens, cluster = seen
        else:
            tokens = tuple(self.masker.mask_tokens(content))
            cluster = self._exact.get(tokens)
            if len(self._lines) >= self._max_cache:
                self._lines.clear()
        if cluster is None:
            cluster = self._best(tokens)
            if cluster is None:
                cluster = _Cluster(self._new_id(tokens), list(tokens))
                self._by_len.setdefault(len(tokens), []).append(cluster)
                self._by_id[cluster.id] = cluster
                change = "new"
            elif self._generalise(cluster, tokens):
                cluster.reindex()
                change = "updated"
            if len(self._exact) >= self._max_cache:
                self._exact.clear()
            self._exact[tokens] = cluster
        if seen is None:
            self._lines[content] = (tokens, cluster)
        cluster.size += 1
        if cluster.getter is None:
            canon = cluster.canon
            if canon is None:
                canon = cluster.canon = self._canonical_ref(cluster.id, cluster.text)
            return _new_match(TemplateMatch, (canon[0], canon[1], change, cluster.size, cluster.id, tokens))
        self._observe(cluster, tokens)
        template_id, template = self._render(cluster, tokens)
        return _new_match(TemplateMatch, (template_id, template, change, cluster.size, cluster.id, tokens))

    def match(self, content: str) -> Template | None:
        """The template `content` would get, without changing anything; None if it would be new."""
        tokens = tuple(self.masker.mask_tokens(content))
        cluster = self._exact.get(tokens) or self._best(tokens)
        if cluster is None:
            return None
        template_id, template = self._render(cluster, tokens)
        return Template(template_id, template, cluster.size)

    def render(self, match: TemplateMatch) -> Template:
        """The template of an earlier `add` result as its group stands now (final labels)."""
        cluster = self._by_id[match.cluster_id]
        tokens = match.tokens or tuple(cluster.tokens)
        template_id, template = self._render(cluster, tokens)
        return Template(template_id, template, cluster.size)

    def template(self, cluster_id: str) -> str:
        """The current generic template text of a group (enumerations shown as wildcards)."""
        return " ".join(self._by_id[cluster_id].tokens)

    def templates(self) -> list[Template]:
        """Every group, in creation order, with its generic template."""
        return [Template(c.id, " ".join(c.tokens), c.size) for c in self._by_id.values()]

    def to_state(self) -> dict[str, Any]:
        """A plain JSON-able snapshot of every group."""
        return {
            "version": _STATE_VERSION,
            "similarity_threshold": self.similarity_threshold,
            "max_enum": self.max_enum,
            "enum_ratio": self.enum_ratio,
            "clusters": [
                {
                    "id": c.id,
                    "tokens": list(c.tokens),
                    "size": c.size,
                    "stats": {str(k): v for k, v in c.stats.items()},
                }
                for c in self._by_id.values()
            ],
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], *, masker: Masker | None = None, max_cache: int = 100_000
    ) -> TemplateMiner:
        """Rebuild a miner from `to_state()` output; raises ValueError for an unknown layout.
        The caches are not part of the state: they refill as lines come in."""
        if state.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported template state version: {state.get('version')!r}")
        miner = cls(
            similarity_threshold=float(state["similarity_threshold"]),
            masker=masker,
            max_enum=int(state.get("max_enum", 8)),
            enum_ratio=float(state.get("enum_ratio", 0.2)),
            max_cache=max_cache,
        )
        for item in state["clusters"]:
            cluster = _Cluster(str(item["id"]), [str(t) for t in item["tokens"]], int(item["size"]))
            cluster.stats = {
                int(k): {str(w): int(n) for w, n in v.items()} for k, v in item.get("stats", {}).items()
            }
            cluster.stats_changed()
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
            # equal constants (`consts` holds None where the template has a wildcard), then the
            # positions where the template is a partial wildcard (`user=<*>`) that fits the value
            same = sum(map(eq, cluster.consts, tokens))
            for i in cluster.partial:
                if fits(cluster.tokens[i], tokens[i]):
                    same += 1
            informative = n - cluster.n_wild
            score = same / informative if informative else 1.0
            if score > best_score:
                best, best_score = cluster, score
        if best is not None and best_score >= self.similarity_threshold:
            return best
        return None

    def _generalise(self, cluster: _Cluster, tokens: tuple[str, ...]) -> bool:
        changed = False
        current = cluster.tokens
        for i, tok in enumerate(tokens):
            old = current[i]
            if old in (tok, WILDCARD) or (WILDCARD in old and fits(old, tok)):
                continue
            current[i] = merge_tokens(old, tok)
            changed = True
            if (
                is_word(old)
                and is_word(tok)
                and not same_value_slot(old, tok)
                and not introduced(current, i)
                and not is_unit(current, i, tok)
            ):
                cluster.stats[i] = {old: cluster.size}  # `tok` is counted by _observe
                cluster.stats_changed()
        return changed

    def _observe(self, cluster: _Cluster, tokens: tuple[str, ...]) -> None:
        pending: list[int] = []
        for i, counts in cluster.stats.items():
            tok = tokens[i]
            if tok in counts:
                counts[tok] += 1
            else:
                pending.append(i)
        for i in pending:
            tok = tokens[i]
            counts = cluster.stats[i]
            if (
                not is_word(tok)
                or len(counts) >= self.max_enum
                or any(same_value_slot(tok, known) for known in counts)
            ):
                del cluster.stats[i]  # a variable or too many values: never an enumeration again
                cluster.stats_changed()
            else:
                counts[tok] = 1
                cluster.rendered = {}

    def _is_enum(self, counts: dict[str, int], size: int) -> bool:
        """Few values, each seen repeatedly (or few relative to the group): an enumeration."""
        distinct = len(counts)
        return distinct <= self.enum_ratio * size or min(counts.values()) >= MIN_ENUM_COUNT

    def _render(self, cluster: _Cluster, tokens: tuple[str, ...]) -> tuple[str, str]:
        if cluster.getter is None:
            ref = self._canonical_ref(cluster.id, cluster.text)
            return ref[0], ref[1]
        key = cluster.getter(tokens)
        cached = cluster.rendered.get(key)
        if cached is not None:
            return cached[0], cached[1]
        template_id, template, settled = self._render_enum(cluster, tokens)
        ref = self._canonical_ref(template_id, template)
        if settled:  # enumeration decisions only ever flip from "no" to "yes": a full "yes" is final
            cluster.rendered[key] = ref
        return ref[0], ref[1]

    def _canonical_ref(self, template_id: str, template: str) -> list[str]:
        signature = self._canonical.get(template)
        if signature is None:
            signature = self._canonicalise(template_id, template)
        return self._by_signature[signature] if signature else [template_id, template]

    def _canonicalise(self, template_id: str, template: str) -> str:
        """Templates that differ only in how many tokens a value spans (`5 bytes` vs `5 bytes (5 KB)`,
        lists of names) share a signature; the most general template seen stands for all of them."""
        # `uid=<*>` keeps `uid=`; `(<*>`, `5 KB)` and `<*>` say nothing ([^\W_] is str.isalnum)
        kept = [
            text
            for text in template.replace(WILDCARD, "").split()
            if text.strip(",.;:()[]") not in SPAN_WORDS and _HAS_ALNUM(text) is not None
        ]
        signature = " ".join(kept) if len(kept) >= MIN_SIGNATURE else ""
        if signature:
            known = self._by_signature.get(signature)
            if known is None:
                self._by_signature[signature] = [template_id, template]
            elif template.count(WILDCARD) > known[1].count(WILDCARD):
                known[1] = template
        if len(self._canonical) >= self._max_cache:
            self._canonical.clear()
        self._canonical[template] = signature
        return signature

    def _render_enum(self, cluster: _Cluster, tokens: tuple[str, ...]) -> tuple[str, str, bool]:
        out = list(cluster.tokens)
        kept: list[str] = []
        settled = True
        for i, counts in cluster.stats.items():
            tok = tokens[i]
            if tok in counts and self._is_enum(counts, cluster.size):
                out[i] = tok
                if tok != next(iter(counts)):
                    kept.append(f"{i}={tok}")
            else:
                settled = False
        if not kept:
            return cluster.id, " ".join(out), settled
        suffix = hashlib.sha1("|".join(kept).encode("utf-8", "replace"), usedforsecurity=False).hexdigest()[
            :8
        ]
        return f"{cluster.id}:{suffix}", " ".join(out), settled
