"""The redaction fast path (one hint search, no Redaction object) redacts exactly what `redact` does."""

from __future__ import annotations

import re

import pytest

from hephaestus import redact as redaction
from hephaestus.redact import redact, redact_text

# one line per pattern, in that pattern's shape, inside ordinary log text
SHAPES = {
    "private-key": "boot -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- done",
    "url-credentials": "2024-05-01 ERROR cannot connect postgres://app:Sup3rS3cret@db.internal/shop",
    "jwt": "auth rejected eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVm",
    "bearer": "upstream 401 for Authorization: BEARER tok3nV4lue.abcdefXYZ",
    "aws-access-key": "upload refused for ASIAIOSFODNN7EXAMPLE in eu-west-1",
    "aws-secret": "env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY set",
    "gcp-api-key": "maps call with AIzaSyA1234567890abcdefghijklmnopqrstuv failed",
    "gcp-oauth": "token ya29.a0AfH6SMBabcdefghijklmnopqrstu expired",
    "azure-key": "conn AccountName=x;AccountKey=ZmFrZWtleWZha2VrZXlmYWtla2V5ZmFrZQ==",
    "openai-key": "model call with sk-proj-abcdefghijklmnopqrstuvwxyz123456 refused",
    "github-token": "clone failed with gho_abcdefghijklmnopqrstuvwxyz0123456789",
    "slack-token": "post failed xoxp-1234567890-abcdefghij",
    "assignment": "login client_secret: 'hunter two' rejected",
    "password-pair": "user admin PASSWD Hunter3Plain rejected",
}


@pytest.mark.parametrize("kind", list(SHAPES))
def test_each_pattern_shape_is_redacted_by_the_fast_path(kind: str) -> None:
    line = SHAPES[kind]
    full = redact(line)
    assert kind in full.counts, full
    assert redact_text(line) == full.text != line
    assert "[REDACTED" in redact_text(line)


@pytest.mark.parametrize(
    "line",
    [
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block blk_-1608999687919862906",
        "cache keys evicted: 12",
        "all tests passed",
        "GET https://example.com/a@b 200",
        "[REDACTED:jwt] already",
        "",
    ],
)
def test_lines_without_secrets_agree_with_redact(line: str) -> None:
    assert redact_text(line) == redact(line).text


def test_the_factored_hint_search_finds_every_hint() -> None:
    hints = sorted({h for *_, hs in redaction._PATTERNS for h in hs} - {"://"})
    plain = re.compile("|".join(re.escape(h) for h in hints))
    samples = [*hints, *(f"x {h} y" for h in hints), *(h[:-1] for h in hints), "nothing here", "aw", "gh_"]
    for text in samples:
        assert (redaction._ANY_HINT.search(text) is None) == (plain.search(text) is None), text
