"""Small edits of a regular expression's source text, one at a time, for the repair search.

Fed by repair/rewrites.py with the source of a string literal given to `re.*` (quotes and
prefix included); feeds it (new literal source, description) pairs. Pure text work; the caller
keeps only edits that still evaluate to a compiling pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["pattern_edits"]

_NEGATED_CLASS = re.compile(r"\[\^((?:\\.|[^\]\\])+)\]")
_ATOM = re.compile(r"\\.|.", re.S)
_PUNCT = frozenset("&;:/#=\"'<>,@!%-_")  # literal characters, never regex syntax
_ADDED_CHARS = 6
_GROUP_SYNTAX = re.compile(r"\(\?(?:P<\w+>|P=\w+\)|<[=!]|[:=!#]|[aiLmsux-]+[:)])")


def _escaped(text: str, index: int) -> bool:
    """Whether text[index] follows an odd run of backslashes."""
    run = len(text[:index]) - len(text[:index].rstrip("\\"))
    return run % 2 == 1


def _outside_classes(literal: str) -> Iterator[tuple[int, str]]:
    """(index, char) of the unescaped characters that are not inside a `[...]` class."""
    inside = False
    for index, char in enumerate(literal):
        if _escaped(literal, index):
            continue
        if inside:
            inside = char != "]" or literal[index - 1] in "[^"
        elif char == "[":
            inside = True
        else:
            yield index, char


def _class_edits(literal: str) -> Iterator[tuple[str, str]]:
    """Drop one character from a negated class, or add one the pattern uses elsewhere."""
    plain = _GROUP_SYNTAX.sub("(", literal)
    used = [c for _, c in _outside_classes(plain) if c in _PUNCT]
    for match in _NEGATED_CLASS.finditer(literal):
        atoms = _ATOM.findall(match.group(1))
        where = f"`{match.group(0)}` at {match.start()}"
        offset = match.start(1)
        if len(atoms) >= 2:
            for atom in atoms:
                yield literal[:offset] + literal[offset + len(atom) :], f"drop `{atom}` from {where}"
                offset += len(atom)
        missing = [c for c in dict.fromkeys(used) if c not in match.group(1)][:_ADDED_CHARS]
        for char in missing:
            add = "\\" + char if char in "-]^\\" else char
            start = match.start(1)
            yield literal[:start] + add + literal[start:], f"add `{char}` to {where}"


def _quantifier_edits(literal: str) -> Iterator[tuple[str, str]]:
    """`+` <-> `*`, and a greedy `*`/`+` made lazy."""
    for index, char in _outside_classes(literal):
        if char not in "+*" or index == 0 or literal[index - 1] in "+*?{(":
            continue
        other = "*" if char == "+" else "+"
        yield literal[:index] + other + literal[index + 1 :], f"quantifier `{char}` -> `{other}` at {index}"
        if literal[index + 1 : index + 2] != "?":
            yield (
                literal[: index + 1] + "?" + literal[index + 1 :],
                f"quantifier `{char}` -> `{char}?` at {index}",
            )


def _alternative_edits(literal: str) -> Iterator[tuple[str, str]]:
    """A group of alternatives that may also match nothing: `(a|b)` -> `(a|b|)`."""
    stack: list[tuple[int, bool]] = []
    for index, char in _outside_classes(literal):
        if char == "(":
            stack.append((index, False))
        elif char == "|" and stack:
            stack[-1] = (stack[-1][0], True)
        elif char == ")" and stack:
            start, alternatives = stack.pop()
            if alternatives and literal[index - 1] != "|":
                new = literal[:index] + "|" + literal[index:]
                yield new, f"empty alternative in the group at {start}"


_QUOTED = re.compile(r"""(?is)^([a-z]*)('''|\"\"\"|'|")(.*)\2$""")


def pattern_edits(literal: str) -> Iterator[tuple[str, str]]:
    """(new literal source, description) for each single edit of a one-piece string literal's
    body (prefix and quotes kept), most targeted first."""
    quoted = _QUOTED.match(literal)
    if quoted is None or quoted.group(2) in quoted.group(3):
        return  # implicitly concatenated pieces or an unusual literal: left alone
    head, quote, body = quoted.group(1) + quoted.group(2), quoted.group(2), quoted.group(3)
    for edits in (_class_edits, _quantifier_edits, _alternative_edits):
        for new, desc in edits(body):
            yield head + new + quote, desc
