"""Detection rules: defaults, YAML loading, suppression and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hephaestus.errors import ConfigError
from hephaestus.process.detect import DEFAULT_RULES, Detector, Signals, load_rules, parse_rules


def _s(**kw: object) -> Signals:
    base: dict[str, object] = {"level": "INFO", "message": "m", "template": "m"}
    base.update(kw)
    return Signals(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("level", ["ERROR", "critical", "FATAL", "SEVERE", "PANIC", "EMERG", "ALERT"])
def test_default_error_levels(level: str) -> None:
    assert Detector().detect(_s(level=level)) == "error-level"


def test_default_exception_and_http() -> None:
    d = Detector(rules=DEFAULT_RULES)
    assert d.detect(_s(has_exception=True)) == "exception"
    assert d.detect(_s(status=503)) == "http-5xx"
    assert d.detect(_s(status=404)) is None
    assert d.detect(_s(level=None)) is None
    assert d.detect(_s(level="WARNING")) is None


def test_yaml_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        """
rules:
  - name: ignore-healthcheck
    not: true
    message: "healthcheck"
  - name: oom
    message: "(?i)out of memory"
  - name: kernel-fatal
    levels: FATAL
    fields: {component: "^KERNEL$"}
  - name: disabled
    enabled: false
    message: "x"
  - name: tpl
    template: "timed out after <\\\\*>"
""",
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert [r.name for r in rules] == ["ignore-healthcheck", "oom", "kernel-fatal", "tpl"]
    d = Detector(rules=rules)
    assert d.detect(_s(message="Out of memory: kill process")) == "oom"
    assert d.detect(_s(message="healthcheck out of memory")) is None
    assert d.detect(_s(level="FATAL", fields={"component": "KERNEL"})) == "kernel-fatal"
    assert d.detect(_s(level="FATAL", fields={"component": "APP"})) is None
    assert d.detect(_s(level="FATAL")) is None
    assert d.detect(_s(template="timed out after <*> s")) == "tpl"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"rules": "x"}, "list of rules"),
        ([{"levels": ["ERROR"]}], "string 'name'"),
        ([{"name": "a", "bogus": 1}], "unknown keys"),
        ([{"name": "a", "message": "("}], "invalid regular expression"),
        ([{"name": "a", "message": 3}], "regular expression string"),
        ([{"name": "a", "http_status_min": "500"}], "integer"),
        ([{"name": "a", "exception": "yes"}], "true or false"),
        ([{"name": "a", "fields": ["x"]}], "mapping"),
        ([{"name": "a"}], "no condition"),
    ],
)
def test_bad_rules_raise_config_error(data: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_rules(data)


def test_missing_or_bad_rules_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rules(bad)
