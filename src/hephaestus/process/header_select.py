"""One regex telling which of several anchored header detectors matches a line first.

Fed the detectors' sources (in order) by headers.py; feeds it a selector per line class, so a line
costs one selector match and one match of the detector found instead of one match per detector tried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["build_selector", "marker_index"]

_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _uncaptured(source: str) -> str:
    return _GROUP_NAME.sub("(?:", source)


def build_selector(sources: Sequence[str], *, head: str) -> re.Pattern[str] | None:
    """The detectors `sources` (regexes without unnamed capturing groups, anchored at the start) as
    alternatives in order, each ending in an empty marker group: `marker_index(m)` of a match is the
    index of the first detector that matches. Detectors that start with the regex `head` followed by a
    blank (`\\s` or a space) share one match of `head`; that finds the same first detector as long as a
    blank can follow at most one end of a `head` match (true of an ISO timestamp: no blank inside, and
    none of the characters that can extend one is a blank). None for fewer than two detectors."""
    if len(sources) < 2:
        return None
    head = _uncaptured(head)
    alts: list[str] = []
    shared: list[str] = []
    for k, source in enumerate(sources):
        rx = _uncaptured(source).removeprefix("^")
        rest = rx[len(head) :]
        if rx.startswith(head) and rest.startswith(("\\s", " ")):
            shared.append(f"{rest}(?P<_{k}>)")
            continue
        if shared:
            alts.append(head + "(?:" + "|".join(shared) + ")")
            shared = []
        alts.append(f"(?:{rx})(?P<_{k}>)")
    if shared:
        alts.append(head + "(?:" + "|".join(shared) + ")")
    select = re.compile("|".join(alts))
    if select.groups != len(sources):  # an unnamed group in a detector would shift the markers
        raise ValueError(f"header selector has {select.groups} groups for {len(sources)} detectors")
    return select


def marker_index(match: re.Match[str]) -> int:
    """The index of the detector whose alternative matched (only its marker group took part)."""
    return int((match.lastgroup or "_0")[1:])
