"""Secret redaction: applied to every log record at ingest and every prompt part before a model.

Fed log messages by the Processor (process.redact_secrets) and prompt parts by the prompt
builder; feeds back the same text with passwords (also `passwd X` pairs), credentialed URLs,
bearer/JWT tokens, cloud keys, API tokens and private keys replaced by `[REDACTED:<kind>]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Redaction", "redact", "redact_text"]

# Order matters: whole private keys first, then structured tokens, then generic key=value.
# Each pattern comes with the lower-cased substrings one of which it needs to match at all: text
# without any of them (most log lines) costs one search, and a line holding only `key` (as in
# "cache keys") runs the two patterns that need it instead of all fourteen.
_PATTERNS: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S
        ),
        "[REDACTED:private-key]",
        ("-----begin ",),
    ),
    (
        "url-credentials",
        re.compile(r"\b([a-z][a-z0-9+.-]*://)[^\s/:@]+:[^\s/@]+@", re.I),
        r"\1[REDACTED]@",
        ("://",),
    ),
    (
        "jwt",
        re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
        "[REDACTED:jwt]",
        ("eyj",),
    ),
    (
        "bearer",
        re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"),
        r"\1 [REDACTED:token]",
        ("bearer",),
    ),
    (
        "aws-access-key",
        re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b"),
        "[REDACTED:aws-key]",
        ("akia", "asia", "aida", "aroa"),
    ),
    (
        "aws-secret",
        re.compile(r"(?i)(aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9/+=]{30,}"),
        r"\1[REDACTED:aws-secret]",
        ("aws",),
    ),
    ("gcp-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "[REDACTED:gcp-key]", ("aiza",)),
    ("gcp-oauth", re.compile(r"\bya29\.[0-9A-Za-z_-]{20,}"), "[REDACTED:gcp-token]", ("ya29.",)),
    (
        "azure-key",
        re.compile(r"(?i)\b(AccountKey|SharedAccessKey|sig)=([A-Za-z0-9+/%]{20,}=*)"),
        r"\1=[REDACTED:azure-key]",
        ("key", "sig="),
    ),
    (
        "openai-key",
        re.compile(r"\bsk-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{16,}"),
        "[REDACTED:api-token]",
        ("sk-",),
    ),
    (
        "github-token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        "[REDACTED:github]",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "[REDACTED:slack]", ("xox",)),
    (
        "assignment",
        re.compile(
            r"(?i)\b((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|"
            r"auth[_-]?token|credentials?)[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&\"']+)"
        ),
        r"\1[REDACTED]",
        ("pass", "pwd", "secret", "token", "key", "credential"),
    ),
    (  # `passwd Hunter3Plain`: no separator, so only a value mixing letters and digits counts
        "password-pair",
        re.compile(r"(?i)\b((?:pass(?:word|wd)?|pwd)\s+)(?=[^\s\[]*[0-9])(?=[^\s\[]*[A-Za-z])([^\s\[]{6,})"),
        r"\1[REDACTED]",
        ("pass", "pwd"),
    ),
)


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words`, factored by common prefix (`a(?:ws|kia)`): the regex engine
    tries the branches one by one at each position, so fewer branches per first character is faster."""
    heads: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in heads.items():
        if "" in tails:  # a word that is a prefix of another: the shorter one is enough to match
            branches.append(re.escape(head))
        elif len(tails) == 1:
            branches.append(re.escape(head + tails[0]))
        else:
            branches.append(f"{re.escape(head)}(?:{_alternation(tails)})")
    return "|".join(branches)


# every hint of every pattern in one search (cheaper than a substring test per hint)
_ANY_HINT = re.compile(_alternation(sorted({h for *_, hs in _PATTERNS for h in hs} - {"://"})))


def _may_hold_secrets(low: str) -> bool:
    return _ANY_HINT.search(low) is not None or ("://" in low and "@" in low)


@dataclass(frozen=True)
class Redaction:
    """The cleaned text and how many secrets of each kind were removed."""

    text: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def redact(text: str) -> Redaction:
    """Replace every secret pattern in `text`; already-redacted markers are left alone."""
    counts: dict[str, int] = {}
    low = text.lower()
    if not _may_hold_secrets(low):
        return Redaction(text=text, counts=counts)
    return Redaction(text=_replace(text, low, counts), counts=counts)


def redact_text(text: str) -> str:
    """`redact(text).text`, without building a Redaction (per log record at ingest, where most lines
    hold no hint of a secret and only the text is kept)."""
    low = text.lower()
    if _ANY_HINT.search(low) is None and ("://" not in low or "@" not in low):
        return text
    return _replace(text, low, {})


def _replace(text: str, low: str, counts: dict[str, int]) -> str:
    """Run each pattern whose hint is in `low` (`text` lower-cased), counting replacements by kind."""
    for kind, pattern, replacement, hints in _PATTERNS:
        if not any(hint in low for hint in hints):
            continue  # cannot match: it needs one of these substrings
        changed = 0

        def swap(match: re.Match[str], replacement: str = replacement) -> str:
            nonlocal changed
            if "[REDACTED" in match.group(0) and match.group(0).rstrip().endswith("]"):
                return match.group(0)  # already a marker
            changed += 1
            return match.expand(replacement)

        text = pattern.sub(swap, text)
        if changed:
            counts[kind] = changed
            low = text.lower()  # a replacement may bring a later pattern's hint
    return text
