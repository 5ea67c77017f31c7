"""Token-level rules of the template miner: which tokens can be enumeration values, how two
differing tokens generalise (`user=<*>`, `[<*>]`), and which wildcard token fits which value.

Fed pairs of masked tokens by templates.TemplateMiner; feeds it booleans and merged tokens. Pure.
"""

from __future__ import annotations

import re

from hephaestus.process.masking import WILDCARD

__all__ = [
    "MIN_ENUM_COUNT",
    "MIN_SIGNATURE",
    "SPAN_WORDS",
    "fits",
    "introduced",
    "is_unit",
    "is_word",
    "merge_tokens",
    "same_value_slot",
]

_SEGMENTS = re.compile(r"([:=,/@#()\[\]{}|;\"'<>])")
_ONLY_WILD = re.compile(r"^(?:<\*>|[-:,./@#_|+])+$")
_FIT_CACHE: dict[str, list[str]] = {}
# Words after which a token names something (a user, a host): never an enumeration of event kinds.
_VALUE_INTRODUCERS = frozenset(
    {"user", "users", "for", "host", "hostname", "account", "name", "named", "login"}
)
_UNITS = frozenset({"B", "KB", "MB", "GB", "TB", "PB", "kB", "KiB", "MiB", "GiB", "TiB", "bytes"})
SPAN_WORDS = _UNITS | {"sec", "secs", "ms", "s", "us", "ns", "min"}
MIN_SIGNATURE = 2  # constant words a signature needs before templates are unified by it
MIN_ENUM_COUNT = 2  # an enumeration value seen at least this often (or few values for the group)
_CALENDAR = frozenset(
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec", "am", "pm", "utc", "gmt"}
)


def is_word(token: str) -> bool:
    """Not a bare variable and no calendar name: a candidate enumeration value."""
    return (
        token.count(WILDCARD) <= (0 if token == WILDCARD else 1)
        and token.strip(",.:;()[]").lower() not in _CALENDAR
    )


def same_value_slot(a: str, b: str) -> bool:
    """`(<*>)` vs `()` or `(host)`: the same slot holding different values, not different words."""
    if WILDCARD not in a and WILDCARD not in b:
        return False
    if "=" in a and "=" in b and a.split("=", 1)[0] == b.split("=", 1)[0]:
        return True  # key=<value>: the key is the word, the value the variable
    return (
        a.replace(WILDCARD, "") == b.replace(WILDCARD, "")
        or (WILDCARD in a and fits(a, b))
        or (WILDCARD in b and fits(b, a))
    )


def is_unit(tokens: list[str], i: int, new: str) -> bool:
    """A size unit right after a variable (`5.2 KB`, `212 B`) varies with it: part of the variable."""
    return i > 0 and WILDCARD in tokens[i - 1] and new.strip(",.;:()[]") in _UNITS


def introduced(tokens: list[str], i: int) -> bool:
    """True when token i names a value: `user bob`, `for bob`, `user=bob`."""
    key = tokens[i].partition("=")[0] if "=" in tokens[i] else ""
    previous = tokens[i - 1].lower() if i else ""
    return key.lower().strip("([{") in _VALUE_INTRODUCERS or previous in _VALUE_INTRODUCERS


def fits(pattern: str, token: str) -> bool:
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


def merge_tokens(a: str, b: str) -> str:
    """Generalise two different tokens segment by segment when their punctuation skeleton agrees."""
    pa, pb = _SEGMENTS.split(a), _SEGMENTS.split(b)
    if len(pa) != len(pb) or pa[1::2] != pb[1::2]:
        return WILDCARD
    out = [x if x == y else WILDCARD for x, y in zip(pa, pb, strict=True)]
    merged = "".join(out)
    return WILDCARD if _ONLY_WILD.match(merged) else merged
