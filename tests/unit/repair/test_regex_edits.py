"""One-edit mutations of regex literals: character classes, quantifiers, empty alternatives."""

from __future__ import annotations

import ast
import re

import pytest

from hephaestus.repair.regex_edits import pattern_edits


def _edits(literal: str) -> dict[str, str]:
    return {desc: new for new, desc in pattern_edits(literal)}


def test_a_negated_class_loses_or_gains_one_character_the_pattern_uses() -> None:
    made = _edits("r'&([^;/]+;)'")
    assert made["drop `;` from `[^;/]` at 2"] == "r'&([^/]+;)'"
    assert made["drop `/` from `[^;/]` at 2"] == "r'&([^;]+;)'"
    assert made["add `&` to `[^;/]` at 2"] == "r'&([^&;/]+;)'"
    assert not any(d.startswith("add `:`") or d.startswith("add `?`") for d in _edits("r'(?:x)[^;]'"))


def test_quantifiers_and_alternatives() -> None:
    made = _edits("r'a+(x|y)'")
    assert made["quantifier `+` -> `*` at 1"] == "r'a*(x|y)'"
    assert made["quantifier `+` -> `+?` at 1"] == "r'a+?(x|y)'"
    assert made["empty alternative in the group at 2"] == "r'a+(x|y|)'"
    assert _edits(r"r'a\+b'") == {}  # an escaped `+` is a literal


@pytest.mark.parametrize("literal", ["r'''(?x)[^\"']+ (a|b)*'''", "'[^/?#]+/(?P<id>[0-9]+)'", "r'x'"])
def test_every_edit_keeps_the_literal_a_string_and_changes_it(literal: str) -> None:
    for new, _ in pattern_edits(literal):
        value = ast.literal_eval(new)
        assert isinstance(value, str)
        assert new != literal
        re.compile(value)


def test_implicitly_concatenated_literals_are_left_alone() -> None:
    assert _edits("'[^a]+' '[^b]+'") == {}
