"""Generic masking: variables become <*>, words (also words with a version digit) stay."""

from __future__ import annotations

import pytest

from hephaestus.process.masking import Masker, tokenize


@pytest.mark.parametrize(
    ("token", "masked"),
    [
        ("12", "<*>"),
        ("-3.5", "<*>"),
        ("250ms", "<*>"),
        ("(12KB,", "(<*>,"),
        ("0x1F", "<*>"),
        ("deadbeef00", "<*>"),
        ("10.0.0.1:8080", "<*>"),
        ("/10.251.43.21:50010", "<*>"),
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "<*>"),
        ("00:1a:2b:3c:4d:5e", "<*>"),
        ("2024-01-01", "<*>"),
        ("10:00:01", "<*>"),
        ("/var/log/app.log", "<*>"),
        ("https://x.io/a?b=1", "<*>"),
        ("blk_-1608999687919862906", "<*>"),
        ("R02-M1-N0-C:J12-U11", "<*>"),
        ("user=42", "user=<*>"),
        ("Slf4jLogger", "Slf4jLogger"),
        ("SOCKS5", "SOCKS5"),
        ("eth0", "eth0"),
        ("failed", "failed"),
        ("[", "["),
    ],
)
def test_mask_token(token: str, masked: str) -> None:
    assert Masker.mask_token(token) == masked


def test_mask_text_uses_cache_and_extra_rules() -> None:
    m = Masker(max_cache=2, extra=[(r"secret-\w+", "<SECRET>")])
    assert (
        m.mask("user 42 logged in from 10.0.0.1 with secret-abc")
        == "user <*> logged in from <*> with <SECRET>"
    )
    assert m.mask_tokens("a b c d") == ["a", "b", "c", "d"]  # cache bound exceeded: still correct


def test_tokenize_splits_on_any_whitespace() -> None:
    assert tokenize(" a\tb  c\n") == ["a", "b", "c"]
