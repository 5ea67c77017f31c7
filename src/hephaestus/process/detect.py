"""Error detection rules: each rule is a conjunction of conditions; the first rule that fires names the hit.

Fed one `Signals` per record by the Processor (level, message, template, exception, HTTP status,
fields); feeds `Processed.is_error`/`rule`. Rules come from defaults or a YAML file (`load_rules`), which
may `include: [generic]` noise suppressions and `suppress:` templates marked as noise (noise_rules.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from hephaestus.errors import ConfigError
from hephaestus.process.noise_rules import GENERIC_SUPPRESS_SPECS, any_of, template_pattern
from hephaestus.process.signals import SIGNAL_NAMES

__all__ = [
    "DEFAULT_RULES",
    "ERROR_LEVELS",
    "GENERIC_RULES",
    "Detector",
    "Rule",
    "Signals",
    "load_rules",
    "parse_rules",
    "suppress_rule",
]

ERROR_LEVELS = frozenset({"ERROR", "CRITICAL", "FATAL", "SEVERE", "PANIC", "EMERG", "ALERT"})
_RULE_KEYS = frozenset(
    {"name", "levels", "message", "template", "exception", "http_status_min", "fields", "signals"}
    | {"enabled", "not"}
)
_FILE_KEYS = frozenset({"rules", "include", "suppress"})
_NO_FIELDS: Mapping[str, str] = MappingProxyType({})


class Signals(NamedTuple):
    """What detection looks at for one record (a NamedTuple: built per record, ~4x cheaper than a
    frozen dataclass)."""

    level: str | None
    message: str
    template: str
    has_exception: bool = False
    status: int | None = None
    fields: Mapping[str, str] = _NO_FIELDS
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
    """Returns the name of the first firing rule unless a suppressing rule matches. Suppressions are
    checked only once a rule fired (same result as checking them first, and most records fire nothing)."""

    def __init__(self, *, rules: Sequence[Rule] = DEFAULT_RULES) -> None:
        self.rules = tuple(rules)
        self._rule_suppress = tuple(r for r in self.rules if r.negate)
        self._suppress = self._rule_suppress
        self._fire = tuple(r for r in self.rules if not r.negate)
        self.uses_signals = any(r.signals for r in self.rules)
        self.uses_fields = any(r.fields for r in self.rules)  # else Signals.fields need not be built
        self.noise_templates: tuple[str, ...] = ()

    def set_noise_templates(self, templates: Sequence[str]) -> bool:
        """Suppress messages of `templates` (issues marked as noise) on top of the rules' own
        suppressions, replacing the previous set; too generic templates are skipped. True when the
        set changed. One tuple assignment: safe to call between `detect` calls of another thread."""
        new = tuple(templates)
        if new == self.noise_templates:
            return False
        rule = suppress_rule(new, name="noise-verdict")
        self._suppress = self._rule_suppress + ((rule,) if rule is not None else ())
        self.noise_templates = new
        return True

    def detect(self, signals: Signals) -> str | None:
        """Name of the rule that flags `signals` as an error, or None."""
        for rule in self._fire:
            if rule.matches(signals):
                break
        else:
            return None
        for sup in self._suppress:
            if sup.matches(signals):
                return None
        return rule.name


def _regex(value: Any, where: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression {value!r}: {exc}") from exc


def suppress_rule(templates: Sequence[str], *, name: str = "suppress") -> Rule | None:
    """One suppressing rule matching the messages of any of `templates` (`<*>` = any text); None when
    no template is specific enough (see `noise_rules.template_pattern`)."""
    combined = any_of(p.pattern for p in map(template_pattern, templates) if p is not None)
    return Rule(name=name, message=combined, negate=True) if combined is not None else None


def parse_rules(data: Any, *, source: str = "rules") -> list[Rule]:
    """Build rules from parsed YAML: `{include: [generic], suppress: [template, ...], rules: [{name,
    levels, message, template, exception, http_status_min, fields: {key: regex}, signals: [rate_spike],
    not: bool, enabled: bool}]}` or a bare list of rules."""
    prefix: list[Rule] = []
    if isinstance(data, dict):
        unknown = set(data) - _FILE_KEYS
        if unknown:
            raise ConfigError(f"{source}: unknown top-level keys {sorted(unknown)}")
        prefix = _include(data.get("include") or [], source) + _suppress(data.get("suppress") or [], source)
        items = data.get("rules", [] if prefix else None)
    else:
        items = data
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected a list of rules under 'rules'")
    return prefix + _parse_items(items, source)


def _include(names: Any, source: str) -> list[Rule]:
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or any(n != "generic" for n in names):
        raise ConfigError(f"{source}: include takes a list of built-in rule sets; known: ['generic']")
    return [r for r in GENERIC_RULES if r.negate] if names else []


def _suppress(templates: Any, source: str) -> list[Rule]:
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        raise ConfigError(f"{source}: suppress must be a list of template strings")
    vague = [t for t in templates if template_pattern(t) is None]
    if vague:
        raise ConfigError(f"{source}: suppress templates with too few literal characters: {vague}")
    rule = suppress_rule(templates)
    return [rule] if rule is not None else []


def _parse_items(items: list[Any], source: str) -> list[Rule]:
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


# Generic noise suppressions (noise_rules.py) followed by the defaults; `include: [generic]` in a rules
# file prepends the suppressions to that file's own rules.
GENERIC_RULES: tuple[Rule, ...] = (
    *_parse_items(list(GENERIC_SUPPRESS_SPECS), "generic rules"),
    *DEFAULT_RULES,
)


def load_rules(path: str | Path) -> list[Rule]:
    """Read a YAML rules file; ConfigError for a missing file, bad YAML or a bad rule."""
    import yaml  # noqa: PLC0415 - PyYAML only when a rules file is read

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read rules file {p}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"rules file {p} is not valid YAML: {exc}") from exc
    return parse_rules(data, source=str(p))
