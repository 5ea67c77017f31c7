"""Noise suppression: generic rules, `include`/`suppress` in rules YAML, learned templates, noisy_template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hephaestus.errors import ConfigError
from hephaestus.process.detect import DEFAULT_RULES, GENERIC_RULES, Detector, Signals, parse_rules
from hephaestus.process.noise_rules import NoiseFeedback, learn_noise_templates, template_pattern
from hephaestus.process.processor import Processor
from hephaestus.process.signals import NOISY_TEMPLATE, RATE_SPIKE, TemplateSignals
from hephaestus.records import RawLog
from hephaestus.settings import ProcessSettings


def _fatal(message: str, template: str = "") -> Signals:
    return Signals(level="FATAL", message=message, template=template or message)


@pytest.mark.parametrize(
    ("message", "template", "suppressed_by"),
    [
        ("instruction address: 0x00004ed8", "instruction address: <*>", "state-dump"),
        ("floating point instr. enabled.....1", "floating point instr. enabled.....<*>", "state-dump-values"),
        ("r24=0x0ffea4c8 r25=0x00000003", "r24=<*> r25=<*>", "state-dump-values"),
        ("Machine State Register: 0x0002f900", "x", "state-value"),
        ("Node status: no alerts are active. Fan is low", "x", "all-clear"),
        ("No errors found", "x", "all-clear"),
        ("disk read error corrected", "x", "benign-outcome"),
        ("connection lost, retrying", "x", "benign-outcome"),
        ("job: LOGIN chdir(/home/u/x) failed: No such file or directory", "x", "caller-errno"),
        ("Error loading /a/b: invalid program image, Permission denied", "x", "caller-errno"),
    ],
)
def test_generic_suppressions(message: str, template: str, suppressed_by: str) -> None:
    assert Detector(rules=DEFAULT_RULES).detect(_fatal(message, template)) == "error-level"
    assert Detector(rules=GENERIC_RULES).detect(_fatal(message, template)) is None
    rule = next(r for r in GENERIC_RULES if r.name == suppressed_by)
    assert rule.matches(_fatal(message, template))


@pytest.mark.parametrize(
    "message",
    [
        "data TLB error interrupt",
        "Lustre mount FAILED : bglio11 : point /p/gb1",
        "Error reading message prefix on socket, Connection reset by peer",
        "error code: 5",  # a failure word in the label: not a plain value
        "exit status: 1",
        "no space left on device",
        "cannot open /etc/app.conf: Input/output error",
    ],
)
def test_generic_rules_keep_real_failures(message: str) -> None:
    assert Detector(rules=GENERIC_RULES).detect(_fatal(message)) == "error-level"


def test_template_pattern_wildcards_and_vagueness() -> None:
    rx = template_pattern("ciod: Error loading <*>: invalid image, <*>")
    assert rx is not None
    assert rx.search("ciod: Error loading /a b/c: invalid image, No such file")
    assert not rx.search("ciod: Error loading /a: invalid image")
    assert not rx.search("x ciod: Error loading /a: invalid image, y")  # anchored at both ends
    assert template_pattern("<*> <*> <*> <*>") is None
    assert template_pattern("a=<*> b=<*>") is None


def test_include_and_suppress_in_rules_yaml() -> None:
    rules = parse_rules(
        {
            "include": ["generic"],
            "suppress": ["idoproxy hit ASSERT condition: <*>"],
            "rules": [{"name": "error-level", "levels": ["ERROR", "FATAL"]}],
        }
    )
    names = [r.name for r in rules]
    assert names[-2:] == ["suppress", "error-level"]
    assert "caller-errno" in names
    d = Detector(rules=rules)
    assert d.detect(_fatal("idoproxy hit ASSERT condition: expr=0 line=1043")) is None
    assert d.detect(_fatal("idoproxy lost ASSERT condition")) == "error-level"
    only = parse_rules({"suppress": ["some noisy template <*>"]})
    assert [r.name for r in only] == ["suppress"]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"include": ["bgl"]}, "built-in rule sets"),
        ({"suppress": "x"}, "list of template strings"),
        ({"suppress": ["<*> <*>"]}, "too few literal"),
        ({"rules": [], "bogus": 1}, "unknown top-level keys"),
    ],
)
def test_bad_include_or_suppress(data: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_rules(data)


def test_learning_never_suppresses_a_template_marked_real() -> None:
    marks = [
        ("job failed: <*>", "job failed: disk full", False),
        ("job failed: <*>", "job failed: node down", True),  # the same template was also a real alert
        ("health check slow <*> ms", "health check slow 5 ms", False),
        ("<*> <*>", "a b", False),  # too vague to learn
    ]
    assert learn_noise_templates(marks) == ["health check slow <*> ms"]


def test_online_feedback_unlearns_on_a_real_verdict() -> None:
    fb = NoiseFeedback()
    assert fb.pattern() is None
    assert fb.mark("node <*> is not responding", "node 7 is not responding", real=False)
    assert not fb.mark("node <*> is not responding", "node 8 is not responding", real=False)
    rx = fb.pattern()
    assert rx is not None
    assert rx.search("node 9 is not responding")
    assert fb.mark("x", "node 3 is not responding", real=True)  # clashes: the template is dropped
    assert fb.templates() == []
    assert fb.pattern() is None
    assert not fb.mark("node <*> is not responding", "node 4 is not responding", real=False)


def test_noisy_template_after_sustained_rate_or_burst() -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    sig = TemplateSignals(window_s=60, noisy_rate=5, noisy_burst=50, spike_min=1000)
    seen: list[frozenset[str]] = []
    for minute in range(5):
        for k in range(6):
            seen.append(
                sig.observe(
                    template_id="a",
                    change="none",
                    size=9,
                    timestamp=t0 + timedelta(minutes=minute, seconds=k),
                )
            )
    assert all(NOISY_TEMPLATE not in s for s in seen[:18])  # fewer than 3 windows of history
    assert NOISY_TEMPLATE in seen[-1]
    burst = [
        sig.observe(template_id="b", change="none", size=9, timestamp=t0 + timedelta(seconds=k % 60))
        for k in range(50)
    ]
    assert NOISY_TEMPLATE not in burst[48]
    assert NOISY_TEMPLATE in burst[49]
    assert all(RATE_SPIKE not in s for s in seen)
    with pytest.raises(ValueError, match="noisy_rate"):
        TemplateSignals(noisy_rate=0)


def test_rules_file_with_include_through_the_processor(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "include: [generic]\nsuppress: ['job <*> hit ASSERT condition: <*>']\n"
        "rules:\n  - name: error-level\n    levels: [ERROR, FATAL]\n",
        encoding="utf-8",
    )
    proc = Processor(settings=ProcessSettings(rules_file=str(path)))
    now = datetime(2024, 1, 1, tzinfo=UTC)

    def rule(message: str) -> str | None:
        (out,) = proc.process(RawLog(timestamp=now, source="t", host="h", message=message))
        return out.rule

    assert rule("2024-01-01 00:00:00 FATAL machine state register: 0x00002000") is None
    assert rule("2024-01-01 00:00:01 ERROR job 7 hit ASSERT condition: x == 0") is None
    assert rule("2024-01-01 00:00:02 FATAL data TLB error interrupt") == "error-level"
