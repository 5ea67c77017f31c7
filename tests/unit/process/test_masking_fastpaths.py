"""The masker's shortcuts decide exactly what its general path decides (they only skip work).

* one ASCII word holding a digit (`cn512`, `(eth0,`) is decided with str methods, not by `_FAST` and
  `_mask_slow`;
* a token holding `=` or `#` skips `_FAST` and (outside URLs) `_WHOLE`: neither regex can match it;
* segments made only of decimal digits or only of letters skip the digit regex.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hephaestus.process import masking
from hephaestus.process.masking import WILDCARD, Masker

_OPEN = "([{\"'"
_CLOSE = ")]}\"',.;:!?"
_WORD = "abcdefxyzABCDEFXYZ_0123456789"


def _general(token: str) -> str:
    """What `_mask_token` decides for a token with a digit without its word shortcut."""
    fast = masking._FAST.fullmatch(token)
    if fast is not None:
        return fast.group(1) + WILDCARD + fast.group(2)
    core = token.lstrip(_OPEN)
    head = token[: len(token) - len(core)]
    stripped = core.rstrip(_CLOSE)
    return masking._mask_slow(token, head, stripped, core[len(stripped) :])


@pytest.mark.parametrize(
    ("token", "masked"),
    [
        ("", ""),
        ("cn512", "<*>"),
        ("(30546354_3351293864)", "(<*>)"),
        ("deadbee5", "<*>"),
        ("x86_64", "<*>"),
        ("_1", "<*>"),
        ("a_1", "<*>"),
        ("1a", "<*>"),
        ("'a1b2'", "'<*>'"),
        ("[eth0]", "[eth0]"),
        ("IPv4.", "IPv4."),
        ("ffff3000.", "<*>"),  # the hex branch of _FAST takes the trailing dot
        ("abcde1f:", "<*>"),
        ("abcdef12:!", "<*>!"),
        ("1514038440000##6993##548365", "<*>"),
        ("setTodayTotalDetailSteps=1514038440000##7018", "setTodayTotalDetailSteps=<*>##<*>"),
        ("user=42,", "user=<*>,"),
        ("k#v=3", "k#v=<*>"),
        ("http://h/a#b=1", "<*>"),
    ],
)
def test_shortcut_examples(token: str, masked: str) -> None:
    assert Masker.mask_token(token) == masked


@settings(max_examples=400, deadline=None)
@given(
    st.text(_OPEN, max_size=2),
    st.text(_WORD, min_size=1, max_size=12).filter(lambda w: any(c.isdigit() for c in w)),
    st.text(_CLOSE, max_size=2),
)
@example("", "ffff3000", ".")
@example("", "abcde1f", ":")
@example("(", "abcdef1a", ")")  # a version word's shape, but a hash's length and letters
def test_word_shortcut_matches_general_path(head: str, word: str, tail: str) -> None:
    token = head + word + tail
    expected = WILDCARD if token.isdigit() else _general(token)
    assert masking._mask_token(token) == expected


@settings(max_examples=400, deadline=None)
@given(st.text("ab9_.:-/=#()[]x~@", min_size=1, max_size=16).filter(lambda t: "=" in t or "#" in t))
def test_equals_and_hash_never_match_the_whole_token_regexes(token: str) -> None:
    assert masking._FAST.fullmatch(token) is None
    if "://" not in token:
        assert masking._WHOLE.match(token) is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text("0123456789", min_size=1, max_size=8), st.text("abcXYZtrueTRUEfalse", min_size=1)))
def test_segment_shortcuts(part: str) -> None:
    if part.isdecimal():
        assert masking._mask_segment(part) == WILDCARD
        assert masking._is_variable(part)
    else:
        assert masking._mask_segment(part) == (WILDCARD if part.lower() in ("true", "false") else part)
        assert not masking._is_variable(part)
