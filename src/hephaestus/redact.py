"""Secret redaction: applied to every log record at ingest and every prompt part before a model.

Fed log messages by the Processor (process.redact_secrets) and prompt parts by the prompt
builder; feeds back the same text with passwords (also `passwd X` pairs), credentialed URLs,
bearer/JWT tokens, cloud keys, API tokens and private keys replaced by `[REDACTED:<kind>]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Redaction", "redact"]

# Order matters: whole private keys first, then structured tokens, then generic key=value.
_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S
        ),
        "[REDACTED:private-key]",
    ),
    ("url-credentials", re.compile(r"\b([a-z][a-z0-9+.-]*://)[^\s/:@]+:[^\s/@]+@", re.I), r"\1[REDACTED]@"),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[REDACTED:jwt]"),
    ("bearer", re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [REDACTED:token]"),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b"), "[REDACTED:aws-key]"),
    (
        "aws-secret",
        re.compile(r"(?i)(aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9/+=]{30,}"),
        r"\1[REDACTED:aws-secret]",
    ),
    ("gcp-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "[REDACTED:gcp-key]"),
    ("gcp-oauth", re.compile(r"\bya29\.[0-9A-Za-z_-]{20,}"), "[REDACTED:gcp-token]"),
    (
        "azure-key",
        re.compile(r"(?i)\b(AccountKey|SharedAccessKey|sig)=([A-Za-z0-9+/%]{20,}=*)"),
        r"\1=[REDACTED:azure-key]",
    ),
    ("openai-key", re.compile(r"\bsk-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{16,}"), "[REDACTED:api-token]"),
    (
        "github-token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        "[REDACTED:github]",
    ),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "[REDACTED:slack]"),
    (
        "assignment",
        re.compile(
            r"(?i)\b((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|"
            r"auth[_-]?token|credentials?)[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&\"']+)"
        ),
        r"\1[REDACTED]",
    ),
    (  # `passwd Hunter3Plain`: no separator, so only a value mixing letters and digits counts
        "password-pair",
        re.compile(r"(?i)\b((?:pass(?:word|wd)?|pwd)\s+)(?=[^\s\[]*[0-9])(?=[^\s\[]*[A-Za-z])([^\s\[]{6,})"),
        r"\1[REDACTED]",
    ),
)


# A substring every pattern above needs (lower-cased; "://" also needs an "@"): text without any,
# most log lines, costs a few substring tests instead of fourteen regex substitutions.
_HINTS = (
    "-----begin ", "eyj", "bearer", "akia", "asia", "aida", "aroa", "aws", "aiza", "ya29.", "sig=",
    "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "pass", "pwd", "secret",
    "token", "key", "credential",
)  # fmt: skip


def _may_hold_secrets(text: str) -> bool:
    low = text.lower()
    return any(hint in low for hint in _HINTS) or ("://" in low and "@" in low)


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
    if not _may_hold_secrets(text):
        return Redaction(text=text, counts=counts)
    for kind, pattern, replacement in _PATTERNS:
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
    return Redaction(text=text, counts=counts)
