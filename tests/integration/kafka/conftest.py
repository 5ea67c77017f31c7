"""Fixtures for the Kafka tests: ONE real single-node KRaft broker per session, unique topic prefixes.

Missing java/mvn: a visible skip locally, an error under CI=true (the suite must not pass vacuously).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest

from hephaestus.bus.broker import LocalKafka
from hephaestus.settings import KafkaSettings


def _require_toolchain() -> None:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        reason = f"Kafka tests need {' and '.join(missing)} on PATH (JDK 17+, Maven 3.8+)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[LocalKafka]:
    _require_toolchain()
    with LocalKafka(nodes=1) as broker:
        yield broker


@pytest.fixture(scope="session")
def kafka_sasl_broker() -> Iterator[LocalKafka]:
    """SASL_SSL: SCRAM-SHA-512 over TLS, with a throwaway CA made at start (`broker.ca_location`)."""
    _require_toolchain()
    with LocalKafka(nodes=1, sasl=True, tls=True) as broker:
        yield broker


@pytest.fixture
def kafka_topic_prefix() -> str:
    """A fresh namespace per test, used for topics and consumer groups alike."""
    return f"t{uuid.uuid4().hex[:12]}."


@pytest.fixture
def kafka_settings(kafka_broker: LocalKafka, kafka_topic_prefix: str) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=kafka_broker.bootstrap_servers,
        topic_prefix=kafka_topic_prefix,
        group_prefix=kafka_topic_prefix + "g",
    )
