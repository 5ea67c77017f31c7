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
# Whole-token variables that start like a number, or hold a slash or a colon (checked after the cheap tests).
_WHOLE = re.compile(
    r"""^(?:
      [-+]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][-+]?\d+)?(?:[a-zA-Z%µ]{1,5})?   # 12, -3.5, 1,024, 5ms, 12KB, 40%
    | 0[xX][0-9a-fA-F]+                                                        # 0x1f
    | /?(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?                                        # /IPv4[:port]
    | [\w-]+(?:\.[\w-]+)+:\d+                                                     # host:port
    | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T\-.]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?)?  # dates
    | [a-zA-Z][a-zA-Z0-9+.-]*://\S+                                             # URLs
    | (?:[A-Za-z]:)?(?:[\\/][\w.@%+~$-]+){2,}[\\/]?                             # paths
    )$""",
    re.VERBOSE,
)
_HEXDIGITS = "0123456789abcdefABCDEF"
_HEXISH = _HEXDIGITS + ":-."  # hashes, UUIDs, MACs, IPv6 (when long enough)
_INNER = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|(?<![\w.])/)[\w.@%+~$-]+(?:/[\w.@%+~$-]*)*/?")
# One C-level pass for the commonest whole-token variables (bracketed or not); the rest take the slow path.
_FAST = re.compile(
    r"""([(\[{"']*)(?:
      [-+]?(?:\d+(?:[.,:]\d+)*|\.\d+)(?:[eE][-+]?\d+)?(?:[a-zA-Z%µ]{1,5})?
    | 0[xX][0-9a-fA-F]+
    | [0-9a-fA-F][0-9a-fA-F:.-]{7,}
    | [A-Za-z]+[_-]+-?\d{2,}(?:[_-]\w+)*
    | /(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?
    | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T\-.]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?)?
    )([)\]}"',.;:!?]*)""",
    re.VERBOSE,
)
_DIGITS = "0123456789"
_WORD_NON_DIGITS = "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SPLIT_BOOL = re.compile(r"(?i)(?<![A-Za-z])(?:true|false)(?![A-Za-z])")
_HAS_DIGIT = re.compile(r"\d").search
_NUMERIC = "0123456789.:,-+"
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
        if self._extra:
            for rx, repl in self._extra:
                text = rx.sub(repl, text)
        tokens = text.split()
        cache = self._cache
        masked: list[str | None] = list(map(cache.get, tokens))  # C-level loop for known tokens
        misses = masked.count(None)
        if misses:
            if len(cache) >= self._max_cache:
                cache.clear()
            i = -1
            for _ in range(misses):
                i = masked.index(None, i + 1)
                token = tokens[i]
                masked[i] = cache[token] = _mask_token(token)
        return masked  # type: ignore[return-value]  # every None was replaced

    def mask(self, text: str) -> str:
        """The masked text, tokens joined by single spaces."""
        return " ".join(self.mask_tokens(text))

    @staticmethod
    def mask_token(token: str) -> str:
        """Mask one whitespace-free token (uncached)."""
        return _mask_token(token)


def _mask_token(token: str) -> str:
    if token.isdigit():
        return WILDCARD
    if (
        token.isalpha()
        or not token
        or (
            token[0] not in _DIGITS  # an ASCII digit at either end spares the regex
            and token[-1] not in _DIGITS
            and "/" not in token
            and _HAS_DIGIT(token) is None
        )
    ):  # no digit, no slash
        low = token.lower()
        if len(token) >= 8 and not low.strip("abcdef"):
            return WILDCARD  # ffffffff
        if "true" not in low and "false" not in low:
            return token
        return WILDCARD if low in _BOOLEANS else _SPLIT_BOOL.sub(WILDCARD, token)
    # str methods before any regex (a regex call costs as much as a dozen of them)
    if token[0].isalnum() and token[-1].isalnum():
        core, head, tail = token, "", ""
    else:
        core = token.lstrip(_OPEN)
        head = token[: len(token) - len(core)]
        stripped = core.rstrip(_CLOSE)
        tail = core[len(stripped) :]
        core = stripped
    if (
        core.isascii()
        and (core.isalnum() or core.replace("_", "").isalnum())
        and not (tail and ("." in tail or ":" in tail) and not core.strip(_HEXDIGITS))  # `ffff3000.`
    ):  # one ASCII word with a digit (`cn512`, `eth0,`): _FAST and _mask_slow's verdict, minus their detours
        rest = core.rstrip(_WORD_NON_DIGITS)  # up to its last digit
        prefix = rest[:-1]  # a version word is letters, one digit after a letter, letters
        if (
            prefix[-1:].isalpha()
            and not prefix.strip(_WORD_NON_DIGITS)
            and not (len(core) >= 8 and not core.strip(_HEXISH))
        ):
            return token  # Slf4jLogger, eth0,
        return head + WILDCARD + tail  # 12KB, blk_42, cn512, deadbee5
    if "=" not in token and "#" not in token:  # neither can be part of a _FAST match
        fast = _FAST.fullmatch(token)
        if fast is not None:
            return fast.group(1) + WILDCARD + fast.group(2)
    return _mask_slow(token, head, core, tail)


def _mask_slow(token: str, head: str, core: str, tail: str) -> str:
    """A token with a digit or a slash that _FAST did not take, split into opening brackets, core and
    closing punctuation: whole-token variables, inner paths, then segment by segment."""
    if not core:
        return token
    if _is_whole(core):
        return head + WILDCARD + tail
    if "/" in core:
        core = _INNER.sub(WILDCARD, core)
    if _SPLIT.search(core) is None:
        return head + _mask_segment(core, whole_checked=True) + tail
    parts = _SPLIT.split(core)
    for i in range(0, len(parts), 2):
        parts[i] = _mask_segment(parts[i])
    masked = "".join(parts)
    if masked.startswith(WILDCARD) and masked.endswith(WILDCARD) and _ONLY_WILD.match(masked):
        masked = WILDCARD  # `<*>:<*>`, `<*>-<*>`: one variable
    return head + masked + tail


def _mask_segment(part: str, *, whole_checked: bool = False) -> str:
    if not part or part == WILDCARD:
        return part
    if part.isdecimal():
        return WILDCARD
    if part.isalpha() or _HAS_DIGIT(part) is None:
        return WILDCARD if part.lower() in _BOOLEANS else part
    if "/" in part or "\\" in part or (not whole_checked and _is_whole(part)):
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
    return part if _WORD_WITH_VERSION.match(part) else WILDCARD


def _is_whole(core: str) -> bool:
    """The cheap tests first; the regex only for shapes that can still match."""
    if core.isdigit() or not core.strip(_NUMERIC):
        return True  # integers, IPs, times, dotted dates
    if not core.strip(_HEXISH) and (len(core) >= 8 or core[:2] in ("0x", "0X")):
        return True
    if ("=" in core or "#" in core) and "://" not in core:
        return False  # only a URL can hold them
    if core[0] in "0123456789+-./\\" or "/" in core or ":" in core or "\\" in core:
        return _WHOLE.match(core) is not None
    return False


def _is_variable(part: str) -> bool:
    if part.isdecimal():
        return True
    if part.isalpha() or _HAS_DIGIT(part) is None:
        return False
    return not _WORD_WITH_VERSION.match(part)  # Slf4jLogger, SOCKS5, eth0, IPv4 stay words
