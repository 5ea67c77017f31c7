"""Error detection rules: each rule is a conjunction of conditions; the first rule that fires names the hit.

Fed one `Signals` per record by the Processor (level, message, template, exception, HTTP status,
fields); feeds `Processed.is_error`/`rule`. Rules come from defaults or a YAML file (`load_rules`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hephaestus.errors import ConfigError
from hephaestus.process.signals import SIGNAL_NAMES

__all__ = ["DEFAULT_RULES", "ERROR_LEVELS", "Detector", "Rule", "Signals", "load_rules", "parse_rules"]

ERROR_LEVELS = frozenset({"ERROR", "CRITICAL", "FATAL", "SEVERE", "PANIC", "EMERG", "ALERT"})
_RULE_KEYS = frozenset(
    {"name", "levels", "message", "template", "exception", "http_status_min", "fields", "signals"}
    | {"enabled", "not"}
)


@dataclass(frozen=True)
class Signals:
    """What detection looks at for one record."""

    level: str | None
    message: str
    template: str
    has_exception: bool = False
    status: int | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    template_signals: frozenset[str] = frozenset()  # see signals.py: new_template, rare_template, rate_spike


@dataclass(frozen=True)
class Rule:
    """All set conditions must hold. `negate` rules suppress: when one fires, the record is not an error."""

    name: str
    levels: frozenset[str] = frozenset()
    message: re.Pattern[str] | None = None
    template: re.Pattern[str] | None = None
    exception: bool | None = None
    http_status_min: int | None = None
    fields: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    signals: frozenset[str] = frozenset()
    negate: bool = False

    def matches(self, s: Signals) -> bool:
        """True when every condition this rule sets holds for `s`."""
        if self.levels and (s.level is None or s.level.upper() not in self.levels):
            return False
        if self.exception is not None and s.has_exception != self.exception:
            return False
        if self.http_status_min is not None and (s.status is None or s.status < self.http_status_min):
            return False
        if self.message is not None and not self.message.search(s.message):
            return False
        if self.template is not None and not self.template.search(s.template):
            return False
        if self.signals and not self.signals <= s.template_signals:
            return False
        if self.fields:
            for key, rx in self.fields.items():
                value = s.fields.get(key)
                if value is None or not rx.search(value):
                    return False
        return True


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(name="error-level", levels=ERROR_LEVELS),
    Rule(name="exception", exception=True),
    Rule(name="http-5xx", http_status_min=500),
)


class Detector:
    """Evaluates suppressing rules first, then the others in order; returns the firing rule's name."""

    def __init__(self, *, rules: Sequence[Rule] = DEFAULT_RULES) -> None:
        self.rules = tuple(rules)
        self._suppress = tuple(r for r in self.rules if r.negate)
        self._fire = tuple(r for r in self.rules if not r.negate)
        self.uses_signals = any(r.signals for r in self.rules)

    def detect(self, signals: Signals) -> str | None:
        """Name of the rule that flags `signals` as an error, or None."""
        for rule in self._suppress:
            if rule.matches(signals):
                return None
        for rule in self._fire:
            if rule.matches(signals):
                return rule.name
        return None


def _regex(value: Any, where: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression {value!r}: {exc}") from exc


def parse_rules(data: Any, *, source: str = "rules") -> list[Rule]:
    """Build rules from parsed YAML: `{rules: [{name, levels, message, template, exception,
    http_status_min, fields: {key: regex}, signals: [rate_spike], not: bool, enabled: bool}]}` or a list."""
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected a list of rules under 'rules'")
    rules: list[Rule] = []
    for i, item in enumerate(items):
        where = f"{source}: rule #{i + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ConfigError(f"{where} must be a mapping with a string 'name'")
        unknown = set(item) - _RULE_KEYS
        if unknown:
            raise ConfigError(f"{where} ({item['name']}): unknown keys {sorted(unknown)}")
        if item.get("enabled", True) is False:
            continue
        levels = item.get("levels") or []
        if isinstance(levels, str):
            levels = [levels]
        status = item.get("http_status_min")
        if status is not None and not isinstance(status, int):
            raise ConfigError(f"{where}: http_status_min must be an integer")
        exception = item.get("exception")
        if exception is not None and not isinstance(exception, bool):
            raise ConfigError(f"{where}: exception must be true or false")
        fields = item.get("fields") or {}
        if not isinstance(fields, dict):
            raise ConfigError(f"{where}: fields must be a mapping of name to regex")
        signals = item.get("signals") or []
        if isinstance(signals, str):
            signals = [signals]
        unknown_signals = set(signals) - SIGNAL_NAMES
        if unknown_signals:
            raise ConfigError(
                f"{where}: unknown signals {sorted(unknown_signals)}; known: {sorted(SIGNAL_NAMES)}"
            )
        rule = Rule(
            name=item["name"],
            levels=frozenset(str(v).upper() for v in levels),
            message=_regex(item["message"], f"{where} message") if "message" in item else None,
            template=_regex(item["template"], f"{where} template") if "template" in item else None,
            exception=exception,
            http_status_min=status,
            fields={str(k): _regex(v, f"{where} field {k}") for k, v in fields.items()},
            signals=frozenset(signals),
            negate=bool(item.get("not", False)),
        )
        if rule == Rule(name=rule.name, negate=rule.negate):
            raise ConfigError(f"{where} ({rule.name}): sets no condition and would match everything")
        rules.append(rule)
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    """Read a YAML rules file; ConfigError for a missing file, bad YAML or a bad rule."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read rules file {p}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"rules file {p} is not valid YAML: {exc}") from exc
    return parse_rules(data, source=str(p))
