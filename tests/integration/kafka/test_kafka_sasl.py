"""SASL/SCRAM-SHA-512 against a real broker (own session broker, user created at format time)."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr

from hephaestus.bus.base import Message
from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka import KafkaBus
from hephaestus.errors import ConfigError, RetryableError
from hephaestus.settings import KafkaSettings

pytestmark = pytest.mark.kafka


def _settings(broker: LocalKafka, prefix: str, password: str) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers,
        topic_prefix=prefix,
        group_prefix=prefix + "g",
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username=broker.sasl_username,
        sasl_password=SecretStr(password),
    )


def test_scram_user_can_produce_and_consume(kafka_sasl_broker: LocalKafka, kafka_topic_prefix: str) -> None:
    assert kafka_sasl_broker.sasl_password
    bus = KafkaBus(_settings(kafka_sasl_broker, kafka_topic_prefix, kafka_sasl_broker.sasl_password))
    bus.ensure_topics(["secure"])
    producer = bus.producer()
    producer.produce("secure", b"hello", key=b"k")
    producer.close(10)
    consumer = bus.consumer("sasl", ["secure"])
    try:
        got: list[Message] = []
        deadline = time.monotonic() + 20
        while not got and time.monotonic() < deadline:
            got = consumer.poll_batch(timeout=0.5)
    finally:
        consumer.close()
    assert [m.value for m in got] == [b"hello"]


def test_wrong_password_is_a_config_error_without_the_secret(
    kafka_sasl_broker: LocalKafka, kafka_topic_prefix: str
) -> None:
    wrong = "not-the-password-42"
    bus = KafkaBus(_settings(kafka_sasl_broker, kafka_topic_prefix, wrong))
    producer = bus.producer()
    producer.produce("secure", b"x", key=b"k")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="authentication failed for user 'hephaestus'") as info:
        producer.flush(timeout=15)
    assert time.monotonic() - started < 10  # reported as soon as the broker refuses, not at timeout
    assert wrong not in str(info.value)
    with pytest.raises(ConfigError, match="1 undelivered messages dropped"):
        producer.close(timeout=1)

    consumer = bus.consumer("sasl", ["secure"])
    try:
        deadline = time.monotonic() + 10
        with pytest.raises(ConfigError, match="authentication failed") as cinfo:  # noqa: PT012
            while time.monotonic() < deadline:
                consumer.poll_batch(timeout=0.5)
        assert wrong not in str(cinfo.value)
    finally:
        consumer.close()


def test_plaintext_client_cannot_bypass_sasl(kafka_sasl_broker: LocalKafka) -> None:
    plain = KafkaSettings(bootstrap_servers=kafka_sasl_broker.bootstrap_servers)
    producer = KafkaBus(plain, producer_config={"message.timeout.ms": 1500}).producer()
    producer.produce("secure", b"x", key=b"k")
    with pytest.raises((RetryableError, ConfigError)):
        producer.flush(timeout=5)
    with pytest.raises(RetryableError, match="no spool_dir"):
        producer.close(timeout=1)
