"""Template signals (new, rare, rate spike) and rules that use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hephaestus.errors import ConfigError
from hephaestus.process.detect import parse_rules
from hephaestus.process.processor import Processor
from hephaestus.process.signals import NEW_TEMPLATE, RARE_TEMPLATE, RATE_SPIKE, TemplateSignals
from hephaestus.records import RawLog

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_new_and_rare_only_after_warmup() -> None:
    sig = TemplateSignals(warmup=2, rare_count=1)
    assert sig.observe(template_id="a", change="new", size=1, timestamp=T0) == frozenset()
    assert sig.observe(template_id="a", change="none", size=2, timestamp=T0) == frozenset()
    assert sig.observe(template_id="b", change="new", size=1, timestamp=T0) == {NEW_TEMPLATE, RARE_TEMPLATE}
    assert sig.observe(template_id="b", change="none", size=2, timestamp=T0) == frozenset()


def test_rate_spike_against_the_templates_own_baseline() -> None:
    sig = TemplateSignals(warmup=0, window_s=60, spike_factor=5, spike_min=10)
    for minute in range(5):  # a steady 2 per minute
        for _ in range(2):
            assert RATE_SPIKE not in sig.observe(
                template_id="t", change="none", size=50, timestamp=T0 + timedelta(minutes=minute)
            )
    burst = [
        RATE_SPIKE
        in sig.observe(template_id="t", change="none", size=50, timestamp=T0 + timedelta(minutes=6))
        for _ in range(12)
    ]
    assert burst[:9] == [False] * 9  # below spike_min
    assert all(burst[9:])
    # a template with no history never spikes on its first window
    assert not any(
        RATE_SPIKE in sig.observe(template_id="fresh", change="none", size=1, timestamp=T0) for _ in range(30)
    )


def test_bad_signal_settings() -> None:
    with pytest.raises(ValueError, match="window_s"):
        TemplateSignals(window_s=0)


def test_rules_with_signals_through_the_processor() -> None:
    rules = parse_rules(
        {"rules": [{"name": "error-spike", "signals": ["rate_spike"], "levels": ["ERROR", "WARNING"]}]}
    )
    proc = Processor(rules=rules)
    assert proc.detector.uses_signals
    fired = []
    for minute in range(4):
        for i in range(2 if minute < 3 else 12):
            ts = (T0 + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")
            raw = RawLog(timestamp=T0, source="/x/app.log", host="h", message=f"{ts},0 WARNING db: retry {i}")
            fired.append(proc.process(raw)[0].rule)
    assert fired[:6] == [None] * 6
    assert fired[-1] == "error-spike"
    assert fired.count("error-spike") == 3  # the 10th, 11th and 12th of the burst


def test_unknown_signal_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown signals"):
        parse_rules([{"name": "x", "signals": ["sunspots"]}])
