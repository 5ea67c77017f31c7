"""Idempotent topic layout on Kafka: create missing topics, grow partitions, set configs.

Fed by TopicSpecs (bus.topics.default_topics, `hephaestus topics apply`, KafkaBus.ensure_topics);
feeds the brokers' metadata and returns the list of changes (the diff) for display.
Note: compacted topics (cleanup.policy contains `compact`) reject records without a key.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, NoReturn

from confluent_kafka import KafkaError, KafkaException

# Public API; confluent-kafka's stubs only lack explicit re-exports for these names.
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewPartitions,
    NewTopic,
    ResourceType,
)

from hephaestus.bus.topics import TopicSpec
from hephaestus.errors import ConfigError, RetryableError

__all__ = ["TopicChange", "apply_topics"]

MIN_INSYNC = "min.insync.replicas"
Action = Literal["create", "add_partitions", "alter_config", "unchanged", "warning"]


@dataclass(frozen=True)
class TopicChange:
    """One line of the diff; `applied` is False on a dry run, for warnings and for `unchanged`."""

    topic: str
    action: Action
    detail: str
    applied: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _raise_from(exc: KafkaException, what: str) -> NoReturn:
    err = exc.args[0] if exc.args and isinstance(exc.args[0], KafkaError) else None
    text = err.str() if err is not None else str(exc)
    if err is not None and err.code() in (
        KafkaError._AUTHENTICATION,
        KafkaError.SASL_AUTHENTICATION_FAILED,
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    ):
        raise ConfigError(f"Kafka refused {what}: {text}") from exc
    if err is not None and not err.retriable() and err.code() != KafkaError._TRANSPORT:
        raise ConfigError(f"Kafka rejected {what}: {text}") from exc
    raise RetryableError(f"Kafka {what} failed: {text}") from exc


def _wait(futures: dict[Any, Any], what: str, timeout: float) -> None:
    for key, fut in futures.items():
        try:
            fut.result(timeout=timeout)
        except KafkaException as exc:
            if (
                exc.args
                and isinstance(exc.args[0], KafkaError)
                and exc.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS
            ):
                continue  # a concurrent creator won the race: same outcome
            _raise_from(exc, f"{what} {key}")


def apply_topics(
    admin_conf: dict[str, Any],
    specs: list[TopicSpec],
    *,
    dry_run: bool,
    create_only: bool = False,
    timeout: float = 30.0,
) -> list[TopicChange]:
    """Bring the cluster to `specs`; returns every difference found (and warnings), in spec order.

    Only the config keys named in a spec are compared and set; others are left alone.
    Replication is capped to the broker count; partition counts never shrink.
    `create_only` skips existing topics (what KafkaBus.ensure_topics needs).
    """
    admin = AdminClient(dict(admin_conf))
    try:
        meta = admin.list_topics(timeout=timeout)
    except KafkaException as exc:
        _raise_from(exc, "metadata request")
    brokers = max(1, len(meta.brokers))
    changes: list[TopicChange] = []
    creates: list[NewTopic] = []
    grow: list[NewPartitions] = []
    existing: list[TopicSpec] = []
    for spec in specs:
        rf = min(spec.replication_factor, brokers)
        spec = _fit_min_insync(spec, rf)  # noqa: PLW2901 - the spec as it applies to this cluster
        if rf < spec.replication_factor:
            detail = f"replication {spec.replication_factor} capped to {rf} ({brokers} broker(s))"
            changes.append(TopicChange(spec.name, "warning", detail, False))
        current = meta.topics.get(spec.name)
        if current is None or current.error is not None:
            creates.append(NewTopic(spec.name, spec.partitions, rf, config=dict(spec.config)))
            cfg = ", ".join(f"{k}={v}" for k, v in sorted(spec.config.items()))
            detail = f"partitions={spec.partitions} replication={rf}" + (f" {cfg}" if cfg else "")
            changes.append(TopicChange(spec.name, "create", detail, not dry_run))
            continue
        if create_only:
            continue
        have = len(current.partitions)
        if spec.partitions > have:
            grow.append(NewPartitions(spec.name, spec.partitions))
            changes.append(
                TopicChange(spec.name, "add_partitions", f"{have} -> {spec.partitions}", not dry_run)
            )
        elif spec.partitions < have:
            detail = f"has {have} partitions, spec wants {spec.partitions}: partitions never shrink"
            changes.append(TopicChange(spec.name, "warning", detail, False))
        replicas = len(current.partitions[0].replicas) if current.partitions else rf
        if replicas != rf:
            detail = f"replication is {replicas}, spec wants {rf}: reassign partitions by hand"
            changes.append(TopicChange(spec.name, "warning", detail, False))
        existing.append(spec)
    changes += _diff_configs(admin, existing, dry_run=dry_run, timeout=timeout)
    if not dry_run:
        if creates:
            _wait(admin.create_topics(creates, request_timeout=timeout), "create topic", timeout)
        if grow:
            _wait(admin.create_partitions(grow, request_timeout=timeout), "add partitions to", timeout)
        want = {t.topic: t.num_partitions for t in creates} | {g.topic: g.new_total_count for g in grow}
        _await_metadata(admin, want, timeout)
    if not create_only:
        touched = {c.topic for c in changes if c.action != "warning"}
        changes += [TopicChange(s.name, "unchanged", "", False) for s in specs if s.name not in touched]
    order = {s.name: i for i, s in enumerate(specs)}
    return sorted(changes, key=lambda c: order.get(c.topic, len(order)))


def _fit_min_insync(spec: TopicSpec, rf: int) -> TopicSpec:
    """min.insync.replicas at most rf - 1 (at least 1): acks=all writes survive one lost replica,
    and a single broker (rf 1) can take writes at all."""
    wanted = spec.config.get(MIN_INSYNC)
    if wanted is None:
        return spec
    fitted = str(min(int(wanted), max(1, rf - 1)))
    return spec if fitted == wanted else replace(spec, config={**spec.config, MIN_INSYNC: fitted})


def _await_metadata(admin: AdminClient, want: dict[str, int], timeout: float) -> None:
    """Return once metadata shows every topic with its partition count, so a re-run sees it."""
    deadline = time.monotonic() + timeout
    while want and time.monotonic() < deadline:
        topics = admin.list_topics(timeout=timeout).topics
        if all(name in topics and len(topics[name].partitions) >= n for name, n in want.items()):
            return
        time.sleep(0.1)
    if want:
        raise RetryableError(f"topic changes not visible in metadata after {timeout:.0f}s")


def _diff_configs(
    admin: AdminClient, specs: list[TopicSpec], *, dry_run: bool, timeout: float
) -> list[TopicChange]:
    wanted = [s for s in specs if s.config]
    if not wanted:
        return []
    resources = [ConfigResource(ResourceType.TOPIC, s.name) for s in wanted]
    described = admin.describe_configs(resources, request_timeout=timeout)
    changes: list[TopicChange] = []
    alters: list[ConfigResource] = []
    for spec, res in zip(wanted, resources, strict=True):
        try:
            current: dict[str, ConfigEntry] = described[res].result(timeout=timeout)
        except KafkaException as exc:
            _raise_from(exc, f"describe configs of {spec.name}")
        diff = {}
        for key, value in sorted(spec.config.items()):
            entry = current.get(key)
            have = None if entry is None else entry.value
            if have != value:
                diff[key] = (have, value)
        if not diff:
            continue
        detail = "; ".join(f"{k}: {old} -> {new}" for k, (old, new) in diff.items())
        changes.append(TopicChange(spec.name, "alter_config", detail, not dry_run))
        entries = [
            ConfigEntry(k, new, incremental_operation=AlterConfigOpType.SET) for k, (_, new) in diff.items()
        ]
        alters.append(ConfigResource(ResourceType.TOPIC, spec.name, incremental_configs=entries))
    if alters and not dry_run:
        _wait(admin.incremental_alter_configs(alters, request_timeout=timeout), "alter configs of", timeout)
    return changes
