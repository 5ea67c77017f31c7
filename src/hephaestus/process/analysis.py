"""The part of processing every face shares: one record's text in, fields + template + detection out.

Fed whole records by the Processor (which adds the wire records) and by `hephaestus parse` (which
writes rows); imports no pydantic, so a command that only parses starts fast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import NamedTuple

from hephaestus.errors import ConfigError
from hephaestus.process.detect import DEFAULT_RULES, Detector, Rule, Signals, load_rules
from hephaestus.process.formats import ParsedLine, compile_log_format, parse_record
from hephaestus.process.headers import normalize_level
from hephaestus.process.signals import TemplateSignals
from hephaestus.process.stacktrace import ParsedTrace, parse_stack_trace
from hephaestus.process.templates import TemplateMatch, TemplateMiner

__all__ = ["Analysed", "Analyser", "application_from_source", "sanitize"]

_MAX_TEMPLATE_INPUT = 4096  # characters of content given to the miner; the rest is not templated
_BINARY_SHARE = 0.1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NO_FIELDS: Mapping[str, str] = MappingProxyType({})


class Analysed(NamedTuple):
    """What `Processor.analyse` found in one record's text (no wire records built yet)."""

    parsed: ParsedLine
    trace: ParsedTrace | None
    level: str | None
    template: str
    template_id: str
    rule: str | None
    parse_error: str | None
    match: TemplateMatch  # the miner's answer (render it later for the group's final template)


@lru_cache(maxsize=1024)
def application_from_source(source: str) -> str:
    """`/var/log/shop.log` -> `shop`; falls back to the source itself, then `unknown`."""
    stem = PurePosixPath(source.replace("\\", "/").rstrip("/")).stem
    return stem or source or "unknown"


def sanitize(text: str) -> tuple[str, str | None]:
    """Replace lone surrogates and control bytes; returns the clean text and a parse-error reason."""
    reason: str | None = None
    if not text.isascii():  # ASCII text (most logs) cannot hold a lone surrogate
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "replace").decode("utf-8")
            reason = "invalid UTF-8 (replaced)"
    if _CONTROL.search(text) is None and "\ufffd" not in text:
        return text, reason
    text, replaced = _CONTROL.subn("\ufffd", text)
    if reason is None:
        bad = text.count("\ufffd")
        if bad > _BINARY_SHARE * len(text):
            reason = "binary data"
        elif replaced:
            reason = "control characters (replaced)"
        else:
            reason = "replacement characters in input"
    return text, reason


class Analyser:
    """Parses, templates and classifies record texts. Not thread-safe: one per consumer thread."""

    def __init__(
        self,
        *,
        log_format: str | None = None,
        similarity_threshold: float = 0.5,
        rules_file: str | None = None,
        miner: TemplateMiner | None = None,
        rules: list[Rule] | None = None,
    ) -> None:
        self.miner = miner or TemplateMiner(similarity_threshold=similarity_threshold)
        try:
            self.log_format = compile_log_format(log_format) if log_format else None
        except ValueError as exc:
            raise ConfigError(f"invalid process.log_format: {exc}") from exc
        if rules is None:
            rules = load_rules(rules_file) if rules_file else list(DEFAULT_RULES)
        self.detector = Detector(rules=rules)
        self.signals = TemplateSignals()

    def analyse(
        self, message: str, *, level_hint: str | None = None, when: datetime | None = None
    ) -> Analysed:
        """Fields, template and detection of one record's text, without building the wire records:
        the part `process` shares with `hephaestus parse`. Updates the miner and the signals."""
        text, damage = sanitize(message)
        parsed = parse_record(text, log_format=self.log_format)
        trace = parse_stack_trace(text)
        if trace is None and parsed.exception:
            trace = parse_stack_trace(parsed.exception)
        content = parsed.message
        if "\n" in content:
            content = content.split("\n", 1)[0]
        content = content.strip()[:_MAX_TEMPLATE_INPUT]
        match = self.miner.add(content)
        level = parsed.level or (normalize_level(level_hint) if level_hint else None)
        template_signals: frozenset[str] = frozenset()
        if self.detector.uses_signals:
            template_signals = self.signals.observe(
                template_id=match.template_id,
                change=match.change,
                size=match.size,
                timestamp=parsed.timestamp or when or datetime.now(UTC),
            )
        fields: Mapping[str, str] = _NO_FIELDS  # only rules with `fields:` conditions read them
        if self.detector.uses_fields:
            fields = dict(parsed.fields) if parsed.fields else {}
            fields["format"] = parsed.format
            fields["component"] = parsed.component or ""
        exc = trace is not None or bool(parsed.exception)
        signals = Signals(level, content, match.template, exc, parsed.status, fields, template_signals)
        rule = self.detector.detect(signals)
        return Analysed(
            parsed, trace, level, match.template, match.template_id, rule, damage or parsed.parse_error, match
        )
