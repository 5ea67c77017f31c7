"""Online log-template miner (Drain-style, no I/O): groups messages and keeps one template per group.

Fed message content by the Processor (or bench/parse.py); feeds template / template_id to detection
and error events. State round-trips through to_state()/from_state(); a TemplateStore persists it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol

from hephaestus.process.masking import WILDCARD, Masker

__all__ = ["JsonFileStore", "Template", "TemplateMatch", "TemplateMiner", "TemplateStore"]

_STATE_VERSION = 1
_SEGMENTS = re.compile(r"([:=,/@#()\[\]{}|;\"'<>])")
_ONLY_WILD = re.compile(r"^(?:<\*>|[-:,./@#_|+])+$")
_FIT_CACHE: dict[str, list[str]] = {}
# Words after which a token names something (a user, a host): never an enumeration of event kinds.
_VALUE_INTRODUCERS = frozenset(
    {"user", "users", "for", "host", "hostname", "account", "name", "named", "login"}
)
_UNITS = frozenset({"B", "KB", "MB", "GB", "TB", "PB", "kB", "KiB", "MiB", "GiB", "TiB", "bytes"})
_SPAN = _UNITS | {"sec", "secs", "ms", "s", "us", "ns", "min"}
_MIN_SIGNATURE = 2  # constant words a signature needs before templates are unified by it
_MIN_ENUM_COUNT = 2  # an enumeration value seen at least this often (or few values for the group)
_CALENDAR = frozenset(
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec", "am", "pm", "utc", "gmt"}
)


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
        self.consts: frozenset[tuple[int, str]] = frozenset()
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
        self.consts = frozenset((i, t) for i, t in enumerate(self.tokens) if WILDCARD not in t)
        self.partial = tuple(i for i, t in enumerate(self.tokens) if WILDCARD in t and t != WILDCARD)
        self.n_wild = sum(1 for t in self.tokens if t == WILDCARD)
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
        self._canonical: dict[str, str] = {}  # template text -> signature ("" = none)
        self._by_signature: dict[str, list[str]] = {}  # signature -> [template_id, template]
        self._max_cache = max_cache

    # ------------------------------------------------------------------ public API
    def add(self, content: str) -> TemplateMatch:
        """Assign `content` to a group (creating or generalising one) and return the result."""
        tokens = tuple(self.masker.mask_tokens(content))
        change: Literal["new", "updated", "none"] = "none"
        cluster = self._exact.get(tokens)
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
        cluster.size += 1
        if cluster.getter is None:
            canon = cluster.canon
            if canon is None:
                canon = cluster.canon = self._canonical_ref(cluster.id, cluster.text)
            return TemplateMatch(canon[0], canon[1], change, cluster.size, cluster.id, tokens)
        self._observe(cluster, tokens)
        template_id, template = self._render(cluster, tokens)
        return TemplateMatch(template_id, template, change, cluster.size, cluster.id, tokens)

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
    def from_state(cls, state: dict[str, Any], *, masker: Masker | None = None) -> TemplateMiner:
        """Rebuild a miner from `to_state()` output; raises ValueError for an unknown layout."""
        if state.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported template state version: {state.get('version')!r}")
        miner = cls(
            similarity_threshold=float(state["similarity_threshold"]),
            masker=masker,
            max_enum=int(state.get("max_enum", 8)),
            enum_ratio=float(state.get("enum_ratio", 0.2)),
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
        pairs = set(enumerate(tokens))
        n = len(tokens)
        best: _Cluster | None = None
        best_score = -1.0
        for cluster in candidates:
            # equal constants / positions where the template is not a bare wildcard
            same = len(cluster.consts & pairs)
            for i in cluster.partial:
                if _fits(cluster.tokens[i], tokens[i]):
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
            if old in (tok, WILDCARD) or (WILDCARD in old and _fits(old, tok)):
                continue
            current[i] = _merge_tokens(old, tok)
            changed = True
            if (
                _is_word(old)
                and _is_word(tok)
                and not _same_value_slot(old, tok)
                and not _introduced(current, i)
                and not _is_unit(current, i, tok)
            ):
                cluster.stats[i] = {old: cluster.size}  # `tok` is counted by _observe
                cluster.stats_changed()
        return changed

    def _observe(self, cluster: _Cluster, tokens: tuple[str, ...]) -> None:
        for i in list(cluster.stats):
            tok = tokens[i]
            counts = cluster.stats[i]
            if tok in counts:
                counts[tok] += 1
            elif (
                not _is_word(tok)
                or len(counts) >= self.max_enum
                or any(_same_value_slot(tok, known) for known in counts)
            ):
                del cluster.stats[i]  # a variable or too many values: never an enumeration again
                cluster.stats_changed()
            else:
                counts[tok] = 1
                cluster.rendered = {}

    def _is_enum(self, counts: dict[str, int], size: int) -> bool:
        """Few values, each seen repeatedly (or few relative to the group): an enumeration."""
        distinct = len(counts)
        return distinct <= self.enum_ratio * size or min(counts.values()) >= _MIN_ENUM_COUNT

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
        kept = []
        for token in template.split():
            text = token.replace(WILDCARD, "") if WILDCARD in token else token
            if text.strip(",.;:()[]") not in _SPAN and any(c.isalnum() for c in text):
                kept.append(text)  # `uid=<*>` keeps `uid=`; `(<*>`, `5 KB)` and `<*>` say nothing
        signature = " ".join(kept) if len(kept) >= _MIN_SIGNATURE else ""
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


def _is_word(token: str) -> bool:
    """Not a bare variable and no calendar name: a candidate enumeration value."""
    return (
        token.count(WILDCARD) <= (0 if token == WILDCARD else 1)
        and token.strip(",.:;()[]").lower() not in _CALENDAR
    )


def _same_value_slot(a: str, b: str) -> bool:
    """`(<*>)` vs `()` or `(host)`: the same slot holding different values, not different words."""
    if WILDCARD not in a and WILDCARD not in b:
        return False
    if "=" in a and "=" in b and a.split("=", 1)[0] == b.split("=", 1)[0]:
        return True  # key=<value>: the key is the word, the value the variable
    return (
        a.replace(WILDCARD, "") == b.replace(WILDCARD, "")
        or (WILDCARD in a and _fits(a, b))
        or (WILDCARD in b and _fits(b, a))
    )


def _is_unit(tokens: list[str], i: int, new: str) -> bool:
    """A size unit right after a variable (`5.2 KB`, `212 B`) varies with it: part of the variable."""
    return i > 0 and WILDCARD in tokens[i - 1] and new.strip(",.;:()[]") in _UNITS


def _introduced(tokens: list[str], i: int) -> bool:
    """True when token i names a value: `user bob`, `for bob`, `user=bob`."""
    key = tokens[i].partition("=")[0] if "=" in tokens[i] else ""
    previous = tokens[i - 1].lower() if i else ""
    return key.lower().strip("([{") in _VALUE_INTRODUCERS or previous in _VALUE_INTRODUCERS


def _fits(pattern: str, token: str) -> bool:
    """`user=<*>` fits `user=bob`, `<*>(<*>)` fits `sshd(42)`: the constant parts line up in order,
    each wildcard covering at least one character (leftmost matching is exact for this glob form)."""
    parts = _FIT_CACHE.get(pattern)
    if parts is None:
        parts = pattern.split(WILDCARD)
        if len(_FIT_CACHE) > 10_000:
            _FIT_CACHE.clear()
        _FIT_CACHE[pattern] = parts
    head, tail = parts[0], parts[-1]
    end = len(token) - len(tail)
    if end - len(head) < len(parts) - 1 or not token.startswith(head) or not token.endswith(tail):
        return False
    pos = len(head)
    for middle in parts[1:-1]:
        found = token.find(middle, pos + 1, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return end - pos >= 1


def _merge_tokens(a: str, b: str) -> str:
    """Generalise two different tokens segment by segment when their punctuation skeleton agrees."""
    pa, pb = _SEGMENTS.split(a), _SEGMENTS.split(b)
    if len(pa) != len(pb) or pa[1::2] != pb[1::2]:
        return WILDCARD
    out = [x if x == y else WILDCARD for x, y in zip(pa, pb, strict=True)]
    merged = "".join(out)
    return WILDCARD if _ONLY_WILD.match(merged) else merged
