"""Three-node cluster: with RF 3 and acks=all, hard-killing a node loses no acknowledged record."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from confluent_kafka.admin import AdminClient

from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka import KafkaBus
from hephaestus.settings import KafkaSettings

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


@pytest.fixture
def kafka_cluster(kafka_broker: LocalKafka) -> Iterator[LocalKafka]:
    # kafka_broker is requested only so toolchain checks (skip/fail) happen the same way
    with LocalKafka(nodes=3) as cluster:
        yield cluster


def test_killing_a_node_loses_nothing(kafka_cluster: LocalKafka, kafka_topic_prefix: str) -> None:
    settings = KafkaSettings(
        bootstrap_servers=kafka_cluster.bootstrap_servers,
        topic_prefix=kafka_topic_prefix,
        group_prefix=kafka_topic_prefix + "g",
    )
    bus = KafkaBus(settings, default_partitions=3)
    bus.ensure_topics(["ha"])
    meta = AdminClient(kafka_cluster.client_config()).list_topics(timeout=10)
    replicas = {len(p.replicas) for p in meta.topics[bus.physical("ha")].partitions.values()}
    assert replicas == {3}  # not capped on three brokers

    producer = bus.producer()
    for i in range(50):
        producer.produce("ha", f"m{i}".encode(), key=f"k{i % 7}".encode())
    producer.flush(15)
    kafka_cluster.kill_node(0)  # SIGKILL: leaders on node 1 must move
    for i in range(50, 100):
        producer.produce("ha", f"m{i}".encode(), key=f"k{i % 7}".encode())
    producer.close(60)
    assert producer.stats["delivered"] == 100

    consumer = bus.consumer("ha", ["ha"])
    try:
        got: set[bytes] = set()
        deadline = time.monotonic() + 60
        while len(got) < 100 and time.monotonic() < deadline:
            got |= {m.value for m in consumer.poll_batch(timeout=0.5)}
    finally:
        consumer.close()
    assert got == {f"m{i}".encode() for i in range(100)}
