"""Noise suppression for detection: built-in generic suppressions and suppressions learned from feedback.

Generic specs (no site or dataset vocabulary) feed `detect.GENERIC_RULES` and `include: [generic]` in a
rules YAML; `NoiseFeedback` turns verdicts on flagged records into `suppress:` template entries;
`NoiseRefresh` keeps a live detector's suppressions in step with the store's verdicts (`issues noise`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "GENERIC_SUPPRESS_SPECS",
    "MIN_LITERAL_CHARS",
    "NoiseFeedback",
    "NoiseRefresh",
    "any_of",
    "learn_noise_templates",
    "template_pattern",
]

_FAILURE_WORD = (
    r"(?i:error|fail|fault|exception|abort|panic|timeout|timed out|denied|refused|lost|crash|exit|code)"
)

# Each spec is one rule mapping as in a rules YAML (`not: true` = suppress). Everything here is phrased in
# terms any log may use; none of it names a system, component or product.
GENERIC_SUPPRESS_SPECS: tuple[dict[str, Any], ...] = (
    # A register/flag/state dump line ("name.......0", "r24=0x.. r25=0x..", "xyz register: 0x..") reports
    # state for the record before it, whatever its severity field says.
    {
        "name": "state-dump",
        "not": True,
        "template": r"(^[\w ]*(register|address)[\w ]*:\s*<\*>$|registers:$)",
    },
    {
        "name": "state-dump-values",
        "not": True,
        "message": r"(\.{3,}\s*(0x)?[0-9a-fA-F]+\s*$|^(\w+[=:]\s*(0x)?[0-9a-fA-F]+\s*)+$)",
    },
    # "label: 0x00002000" with no failure word in the label: a value, not an event.
    {
        "name": "state-value",
        "not": True,
        "message": rf"^(?!.*{_FAILURE_WORD})[A-Za-z][\w .()/-]*:\s*(0x)?[0-9a-fA-F]+\s*$",
    },
    # A status report saying nothing is wrong ("no alerts are active", "no errors found").
    {
        "name": "all-clear",
        "not": True,
        "message": r"(?i)\bno (errors?|alerts?|faults?|failures?|problems?)\s+"
        r"((are|is|were|was|have been|has been)\s+)?(active|found|detected|reported|present)\b",
    },
    # The failure was handled: corrected, recovered from, or being retried.
    {
        "name": "benign-outcome",
        "not": True,
        "message": r"(?i)\b(corrected|recovered|retrying|will retry|will be retried)\b",
    },
    # The requester's fault, the errno analogue of HTTP 4xx: the request named a missing, forbidden or
    # non-executable object (strerror texts of ENOENT, EACCES, EPERM, ENOEXEC, ENOTDIR, EISDIR, EEXIST).
    {
        "name": "caller-errno",
        "not": True,
        "message": r"(No such file or directory|Permission denied|Operation not permitted|Exec format error"
        r"|Not a directory|Is a directory|File exists)\s*$",
    },
)

# A learned suppression needs this many literal (non-wildcard, non-space) characters: a template like
# "<*> <*> <*>" would silence everything.
MIN_LITERAL_CHARS = 8
_WILDCARD = "<*>"


def template_pattern(template: str) -> re.Pattern[str] | None:
    """Regex matching a whole message of `template` (`<*>` = any text), or None when too unspecific."""
    parts = template.strip().split(_WILDCARD)
    if sum(len("".join(p.split())) for p in parts) < MIN_LITERAL_CHARS:
        return None
    body = ".*?".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)
    return re.compile(rf"^{body}$", re.DOTALL)


def any_of(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching where any of `patterns` matches (None for none): how suppressions combine."""
    alts = [f"(?:{p})" for p in patterns]
    return re.compile("|".join(alts), re.DOTALL) if alts else None


def learn_noise_templates(marks: Iterable[tuple[str, str, bool]]) -> list[str]:
    """Templates to suppress from `(template, message, is_real)` verdicts on flagged records.

    A template is learned when it was marked noise, is specific enough, and matches no message marked
    real (a template the miner shares between real alerts and noise is never suppressed)."""
    fb = NoiseFeedback()
    for template, message, real in marks:
        fb.mark(template, message, real=real)
    return fb.templates()


@dataclass
class NoiseFeedback:
    """Verdicts on flagged records, folded online; `pattern()` is the current suppression regex."""

    _noise: dict[str, re.Pattern[str]] = field(default_factory=dict)
    _real: list[str] = field(default_factory=list)
    _combined: re.Pattern[str] | None = None
    _dirty: bool = False

    def mark(self, template: str, message: str, *, real: bool) -> bool:
        """Record a verdict; True when the suppression set changed."""
        if real:
            self._real.append(message)
            clash = [t for t, rx in self._noise.items() if rx.search(message)]
            for t in clash:
                del self._noise[t]
            self._dirty = self._dirty or bool(clash)
            return bool(clash)
        if template in self._noise:
            return False
        rx = template_pattern(template)
        if rx is None or any(rx.search(m) for m in self._real):
            return False
        self._noise[template] = rx
        self._dirty = True
        return True

    def templates(self) -> list[str]:
        """Templates currently suppressed, in the order they were learned."""
        return list(self._noise)

    def pattern(self) -> re.Pattern[str] | None:
        """One regex matching any suppressed template's messages (None when nothing is suppressed)."""
        if self._dirty:
            self._combined = any_of(rx.pattern for rx in self._noise.values())
            self._dirty = False
        return self._combined


class NoiseRefresh:
    """Reloads noise templates (`load`, e.g. Store.noise_templates) into a live detector (`apply`, e.g.
    Detector.set_noise_templates) at most every `every_s` seconds, so a running processor picks up a
    verdict without restart. A failed load is retried on the next `poll`."""

    def __init__(
        self,
        apply: Callable[[Sequence[str]], bool],
        load: Callable[[], Sequence[str]],
        *,
        every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._apply, self._load, self._clock = apply, load, clock
        self.every_s = every_s
        self._due = float("-inf")

    def poll(self) -> bool:
        """Reload when due; True when the detector's suppressions changed."""
        now = self._clock()
        if now < self._due:
            return False
        templates = self._load()
        self._due = now + self.every_s
        return self._apply(templates)
