"""Noise verdicts on a live detector: `Detector.set_noise_templates` suppresses (only) the marked
templates' messages, and `NoiseRefresh` reloads them when due, retrying a failed load."""

from __future__ import annotations

import pytest

from hephaestus.errors import RetryableError
from hephaestus.process.detect import DEFAULT_RULES, GENERIC_RULES, Detector, Signals
from hephaestus.process.noise_rules import NoiseRefresh

FAN = "fan controller reading unavailable on rack <*>"


def _error(message: str) -> Signals:
    return Signals(level="ERROR", message=message, template=message)


def test_set_noise_templates_suppresses_marked_messages_only() -> None:
    detector = Detector(rules=DEFAULT_RULES)
    assert detector.detect(_error("fan controller reading unavailable on rack 7")) == "error-level"
    assert detector.set_noise_templates([FAN, "<*> down"]) is True  # the vague one is skipped
    assert detector.set_noise_templates([FAN, "<*> down"]) is False
    assert detector.detect(_error("fan controller reading unavailable on rack 7")) is None
    assert detector.detect(_error("fan controller reading unavailable on rack 7 and 8")) is None
    assert detector.detect(_error("disk sda down")) == "error-level"
    assert detector.detect(_error("fan controller reading is fine")) == "error-level"
    assert detector.set_noise_templates([]) is True
    assert detector.detect(_error("fan controller reading unavailable on rack 7")) == "error-level"


def test_noise_templates_add_to_the_rules_own_suppressions() -> None:
    detector = Detector(rules=GENERIC_RULES)
    detector.set_noise_templates([FAN])
    assert detector.detect(_error("link error corrected")) is None  # generic benign-outcome still on
    assert detector.detect(_error("fan controller reading unavailable on rack 1")) is None
    detector.set_noise_templates([])
    assert detector.detect(_error("link error corrected")) is None
    assert detector.detect(_error("fan controller reading unavailable on rack 1")) == "error-level"


def test_refresh_reloads_when_due_and_retries_a_failed_load() -> None:
    now = [100.0]
    store: list[object] = [[FAN]]
    loads: list[float] = []

    def load() -> list[str]:
        loads.append(now[0])
        value = store[0]
        if isinstance(value, Exception):
            raise value
        assert isinstance(value, list)
        return value

    detector = Detector()
    refresh = NoiseRefresh(detector.set_noise_templates, load, every_s=5.0, clock=lambda: now[0])
    assert refresh.poll() is True
    assert detector.noise_templates == (FAN,)
    store[0] = []
    now[0] = 104.9
    assert refresh.poll() is False  # not due: no query
    assert loads == [100.0]
    store[0] = RetryableError("store write failed: locked")
    now[0] = 105.0
    with pytest.raises(RetryableError):
        refresh.poll()
    store[0] = []
    now[0] = 105.1
    assert refresh.poll() is True  # retried at once after the failure
    assert detector.noise_templates == ()
    assert loads == [100.0, 105.0, 105.1]
