"""SASL/SCRAM-SHA-512 over TLS (SASL_SSL) against a real broker: own session broker, user created at
format time, certificates from a throwaway CA made at start. Secrets never reach errors or logs."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from hephaestus.bus.base import Message
from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.certs import make_ca_and_server_cert
from hephaestus.bus.kafka import KafkaBus
from hephaestus.errors import ConfigError, RetryableError
from hephaestus.settings import KafkaSettings

pytestmark = pytest.mark.kafka


def _settings(broker: LocalKafka, prefix: str, password: str, *, ca: str | None = "broker") -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers,
        topic_prefix=prefix,
        group_prefix=prefix + "g",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username=broker.sasl_username,
        sasl_password=SecretStr(password),
        ssl_ca_location=broker.ca_location if ca == "broker" else ca,
    )


def _logged_bus(settings: KafkaSettings) -> KafkaBus:
    """librdkafka's own log (security + broker debug) routed into Python logging, for caplog."""
    rdkafka = logging.getLogger("test.rdkafka")
    return KafkaBus(settings, extra_config={"logger": rdkafka, "debug": "security,broker"})


def _assert_consumer_refused(bus: KafkaBus, group: str, *, match: str, secret: str) -> None:
    """Polling raises ConfigError(`match`) within 10 s, and the error does not hold `secret`."""
    consumer = bus.consumer(group, ["secure"])
    try:
        deadline = time.monotonic() + 10
        with pytest.raises(ConfigError, match=match) as info:  # noqa: PT012
            while time.monotonic() < deadline:
                consumer.poll_batch(timeout=0.5)
        assert secret not in str(info.value)
    finally:
        consumer.close()


def test_broker_listener_is_sasl_ssl(kafka_sasl_broker: LocalKafka) -> None:
    conf = kafka_sasl_broker.client_config()
    assert conf["security.protocol"] == "SASL_SSL"
    ca = Path(conf["ssl.ca.location"])
    assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY" not in ca.read_text()  # the CA key is never written anywhere
    server_cfg = kafka_sasl_broker.configs[0].read_text()
    assert "ssl.keystore.type=PEM" in server_cfg
    assert f"listeners=SASL_SSL://{kafka_sasl_broker.bootstrap_servers}," in server_cfg


def test_scram_user_can_produce_and_consume(
    kafka_sasl_broker: LocalKafka, kafka_topic_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    password = kafka_sasl_broker.sasl_password
    assert password
    caplog.set_level(logging.DEBUG)
    bus = _logged_bus(_settings(kafka_sasl_broker, kafka_topic_prefix, password))
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
    assert any("SCRAM" in r.getMessage() for r in caplog.records)  # the debug log really was captured
    assert password not in caplog.text


def test_wrong_password_is_a_config_error_without_the_secret(
    kafka_sasl_broker: LocalKafka, kafka_topic_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "not-the-password-42"
    caplog.set_level(logging.DEBUG)
    bus = _logged_bus(_settings(kafka_sasl_broker, kafka_topic_prefix, wrong))
    producer = bus.producer()
    producer.produce("secure", b"x", key=b"k")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="authentication failed for user 'hephaestus'") as info:
        producer.flush(timeout=15)
    assert time.monotonic() - started < 10  # reported as soon as the broker refuses, not at timeout
    assert wrong not in str(info.value)
    with pytest.raises(ConfigError, match="1 undelivered messages dropped"):
        producer.close(timeout=1)

    _assert_consumer_refused(bus, "sasl", match="authentication failed", secret=wrong)
    assert "Authentication failed" in caplog.text  # librdkafka's log was captured ...
    assert wrong not in caplog.text  # ... and holds no password
    assert str(kafka_sasl_broker.sasl_password) not in caplog.text


@pytest.mark.parametrize("ca", ["none", "other"])
def test_client_that_does_not_trust_the_broker_ca_fails_clearly(
    kafka_sasl_broker: LocalKafka, kafka_topic_prefix: str, tmp_path: Path, ca: str
) -> None:
    """No CA (system trust store) or a different throwaway CA: certificate verification fails fast."""
    password = kafka_sasl_broker.sasl_password
    assert password
    ca_location = None if ca == "none" else str(make_ca_and_server_cert(tmp_path).ca)
    bus = KafkaBus(_settings(kafka_sasl_broker, kafka_topic_prefix, password, ca=ca_location))
    producer = bus.producer()
    producer.produce("secure", b"x", key=b"k")
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"TLS handshake failed: is kafka\.ssl_ca_location") as info:
        producer.flush(timeout=15)
    assert time.monotonic() - started < 10
    assert "certificate verify failed" in str(info.value)
    assert password not in str(info.value)
    with pytest.raises(ConfigError, match="TLS handshake failed"):
        producer.close(timeout=1)

    _assert_consumer_refused(bus, "tls", match="TLS handshake failed", secret=password)


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT"])
def test_client_without_tls_cannot_bypass_it(kafka_sasl_broker: LocalKafka, protocol: str) -> None:
    password = kafka_sasl_broker.sasl_password
    assert password
    plain = KafkaSettings(
        bootstrap_servers=kafka_sasl_broker.bootstrap_servers,
        security_protocol=protocol,  # type: ignore[arg-type]
        sasl_username=kafka_sasl_broker.sasl_username,
        sasl_password=SecretStr(password),
    )
    producer = KafkaBus(plain, producer_config={"message.timeout.ms": 1500}).producer()
    producer.produce("secure", b"x", key=b"k")
    with pytest.raises((RetryableError, ConfigError)) as info:
        producer.flush(timeout=5)
    assert password not in str(info.value)
    with pytest.raises(RetryableError, match="no spool_dir"):
        producer.close(timeout=1)
