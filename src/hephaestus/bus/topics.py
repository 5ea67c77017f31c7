"""Topic names and their designed layout (partitions, replication, retention, cleanup).

Used by `hephaestus topics apply` on Kafka and by the embedded bus (partition counts only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEAD_LETTER", "ERRORS", "RAW_LOGS", "STRUCTURED_LOGS", "TopicSpec", "default_topics"]

RAW_LOGS = "hephaestus.raw.logs"
STRUCTURED_LOGS = "hephaestus.structured.logs"
ERRORS = "hephaestus.errors"
DEAD_LETTER = "hephaestus.dead.letter"

_DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    config: dict[str, str] = field(default_factory=dict)


def default_topics(prefix: str = "") -> list[TopicSpec]:
    """The seed's topic design; `prefix` namespaces them (tests use a unique prefix each).

    min.insync.replicas 2 with RF 3: an acks=all write is on two brokers before it is acknowledged
    (kafka_admin lowers it to RF - 1 on smaller clusters, so a single broker still takes writes)."""
    isr = {"min.insync.replicas": "2"}
    return [
        TopicSpec(
            prefix + RAW_LOGS, 12, 3, {"retention.ms": str(7 * _DAY_MS), "cleanup.policy": "delete", **isr}
        ),
        TopicSpec(
            prefix + STRUCTURED_LOGS,
            12,
            3,
            {"retention.ms": str(30 * _DAY_MS), "cleanup.policy": "compact,delete", **isr},
        ),
        TopicSpec(
            prefix + ERRORS, 6, 3, {"retention.ms": str(90 * _DAY_MS), "cleanup.policy": "compact", **isr}
        ),
        TopicSpec(
            prefix + DEAD_LETTER,
            3,
            3,
            {"retention.ms": str(30 * _DAY_MS), "cleanup.policy": "delete", **isr},
        ),
    ]
