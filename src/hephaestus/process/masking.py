"""Generic variable masking: replaces numbers, hex, IPs, paths, UUIDs, durations, ... by `<*>`.

Fed message content by the template miner (or anyone who wants a masked line); feeds it tokens.
Works per whitespace token with a bounded cache, so repeated words cost one dict lookup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["WILDCARD", "Masker", "tokenize"]

WILDCARD = "<*>"

_OPEN = "([{\"'"
_CLOSE = ")]}\"',.;:!?"
# Whole-token variables (after trimming brackets/quotes/trailing punctuation).
_WHOLE = re.compile(
    r"""^(?:
      [-+]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][-+]?\d+)?(?:[a-zA-Z%µ]{1,5})?   # 12, -3.5, 1,024, 5ms, 12KB, 40%
    | 0[xX][0-9a-fA-F]+                                                        # 0x1f
    | [0-9a-fA-F]{8,}                                                          # long hex / hashes
    | [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}  # UUID
    | (?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}                                   # MAC
    | /?(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?                                        # IPv4[:port]
    | [\w-]+(?:\.[\w-]+)+:\d+                                                     # host:port
    | [0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:.]*                                 # IPv6 / hh:mm:ss
    | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T\-.]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?)?  # dates
    | [a-zA-Z][a-zA-Z0-9+.-]*://\S+                                             # URLs
    | (?:[A-Za-z]:)?(?:[\\/][\w.@%+~$-]+){2,}[\\/]?                             # paths
    )$""",
    re.VERBOSE,
)
_INNER = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|(?<![\w.])/)[\w.@%+~$-]+(?:/[\w.@%+~$-]*)*/?")
_BOOLEANS = frozenset({"true", "false"})
_SPLIT = re.compile(r"([:=,@#()\[\]{}|;\"'<>])")
_WORD_WITH_VERSION = re.compile(r"^[A-Za-z_]*[A-Za-z]\d[A-Za-z_]*$|^[A-Za-z_]*[A-Za-z]\d$")
_ONLY_WILD = re.compile(r"^(?:<\*>|[-:=,./@#_|+<>])+$")


def tokenize(text: str) -> list[str]:
    """Whitespace tokens (the unit the miner compares)."""
    return text.split()


class Masker:
    """Token masker with a bounded memo; `extra` adds (regex, replacement) rules applied to whole text."""

    def __init__(self, *, max_cache: int = 200_000, extra: Sequence[tuple[str, str]] = ()) -> None:
        self._cache: dict[str, str] = {}
        self._max_cache = max_cache
        self._extra = [(re.compile(rx), repl) for rx, repl in extra]

    def mask_tokens(self, text: str) -> list[str]:
        """Split `text` on whitespace and mask each token."""
        for rx, repl in self._extra:
            text = rx.sub(repl, text)
        cache = self._cache
        out: list[str] = []
        append = out.append
        for tok in text.split():
            masked = cache.get(tok)
            if masked is None:
                masked = self.mask_token(tok)
                if len(cache) >= self._max_cache:
                    cache.clear()
                cache[tok] = masked
            append(masked)
        return out

    def mask(self, text: str) -> str:
        """The masked text, tokens joined by single spaces."""
        return " ".join(self.mask_tokens(text))

    @staticmethod
    def mask_token(token: str) -> str:
        """Mask one whitespace-free token (uncached)."""
        if not any(c.isdigit() for c in token) and "/" not in token:
            return WILDCARD if token.lower() in _BOOLEANS else token
        start, end = 0, len(token)
        while start < end and token[start] in _OPEN:
            start += 1
        while end > start and token[end - 1] in _CLOSE:
            end -= 1
        core = token[start:end]
        if not core:
            return token
        if _WHOLE.match(core):
            return token[:start] + WILDCARD + token[end:]
        core = _INNER.sub(WILDCARD, core)
        parts = _SPLIT.split(core)
        for i in range(0, len(parts), 2):
            parts[i] = _mask_segment(parts[i])
        masked = "".join(parts)
        if masked.startswith(WILDCARD) and masked.endswith(WILDCARD) and _ONLY_WILD.match(masked):
            masked = WILDCARD  # `<*>:<*>`, `<*>-<*>`: one variable
        return token[:start] + masked + token[end:]


def _mask_segment(part: str) -> str:
    if not part or part == WILDCARD:
        return part
    if part.lower() in _BOOLEANS:
        return WILDCARD
    if not any(c.isdigit() for c in part):
        return part
    if _WHOLE.match(part) or "/" in part or "\\" in part:
        return WILDCARD  # HTTP/1.1, a/b/3: one variable
    if "." in part:
        subs = part.split(".")
        n = 0
        for j, sub in enumerate(subs):
            if _is_variable(sub):
                subs[j] = WILDCARD
                n += 1
        if n and (n >= 2 or sum(1 for x in subs if x) >= 3):
            return WILDCARD  # a host name or dotted id is one variable
        return ".".join(subs)  # core.<*>, instruction......<*>
    return WILDCARD if _is_variable(part) else part


def _is_variable(part: str) -> bool:
    if not any(c.isdigit() for c in part):
        return False
    return not _WORD_WITH_VERSION.match(part)  # Slf4jLogger, SOCKS5, eth0, IPv4 stay words
