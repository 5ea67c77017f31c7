"""`apply_topics` against a real broker: create, idempotent re-run, dry run, config/partition diffs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from confluent_kafka.admin import AdminClient

from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka_admin import TopicChange, apply_topics
from hephaestus.bus.topics import ERRORS, RAW_LOGS, default_topics

pytestmark = pytest.mark.kafka


def _actions(changes: list[TopicChange]) -> list[tuple[str, str]]:
    return [(c.topic, c.action) for c in changes]


def test_apply_creates_then_is_idempotent_and_dry_run_changes_nothing(
    kafka_broker: LocalKafka, kafka_topic_prefix: str
) -> None:
    conf: dict[str, Any] = kafka_broker.client_config()
    specs = default_topics(kafka_topic_prefix)
    names = [s.name for s in specs]

    planned = apply_topics(conf, specs, dry_run=True)
    assert [c.action for c in planned if c.action != "warning"] == ["create"] * 4
    assert not any(c.applied for c in planned)
    assert not set(names) & set(_topics(conf))  # dry run created nothing

    first = apply_topics(conf, specs, dry_run=False)
    assert [(c.topic, c.action) for c in first if c.action == "create"] == [(n, "create") for n in names]
    warnings = [c for c in first if c.action == "warning"]
    assert len(warnings) == 4
    assert "capped to 1" in warnings[0].detail  # RF 3 on one broker
    assert set(names) <= set(_topics(conf))

    second = apply_topics(conf, specs, dry_run=False)
    assert [c.action for c in second if c.action != "warning"] == ["unchanged"] * 4

    raw = kafka_topic_prefix + RAW_LOGS
    errors = kafka_topic_prefix + ERRORS
    changed = [replace(s, partitions=16) if s.name == raw else s for s in specs]
    changed = [
        replace(s, config={**s.config, "retention.ms": "1000"}) if s.name == errors else s for s in changed
    ]
    diff = apply_topics(conf, changed, dry_run=True)
    assert (raw, "add_partitions") in _actions(diff)
    [alter] = [c for c in diff if c.action == "alter_config"]
    assert alter.topic == errors
    assert alter.detail == f"retention.ms: {90 * 24 * 3600 * 1000} -> 1000"
    assert apply_topics(conf, changed, dry_run=True) == diff  # the dry run applied nothing

    applied = apply_topics(conf, changed, dry_run=False)
    assert all(c.applied for c in applied if c.action in {"add_partitions", "alter_config"})
    assert _topics(conf)[raw] == 16
    after = apply_topics(conf, changed, dry_run=False)
    assert [c.action for c in after if c.action != "warning"] == ["unchanged"] * 4

    shrink = apply_topics(conf, specs, dry_run=False)  # back to 12 partitions: refused, warned
    assert any(c.topic == raw and "never shrink" in c.detail for c in shrink)


def _topics(conf: dict[str, Any]) -> dict[str, int]:
    meta = AdminClient(conf).list_topics(timeout=10)
    return {name: len(t.partitions) for name, t in meta.topics.items()}
