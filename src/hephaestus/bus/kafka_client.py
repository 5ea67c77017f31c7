"""Connection settings shared by every Kafka client of Hephaestus: librdkafka properties from
KafkaSettings (bootstrap, TLS, SASL; holds secrets, never logged) and the error watcher that turns
authentication and certificate failures into ConfigError. Fed by settings; feeds kafka_producer/kafka.
"""

from __future__ import annotations

from typing import Any

from confluent_kafka import KafkaError

from hephaestus.errors import ConfigError
from hephaestus.settings import KafkaSettings

__all__ = ["ErrorWatch", "client_config", "is_auth", "producer_safe"]

_AUTH_CODES = {
    KafkaError._AUTHENTICATION,
    KafkaError.SASL_AUTHENTICATION_FAILED,
    KafkaError.TOPIC_AUTHORIZATION_FAILED,
    KafkaError.GROUP_AUTHORIZATION_FAILED,
    KafkaError.CLUSTER_AUTHORIZATION_FAILED,
}


_CONSUMER_ONLY = ("session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "group.", "auto.",
                  "fetch.", "isolation.level", "partition.assignment.strategy", "enable.auto.")  # fmt: skip


def producer_safe(extra: dict[str, Any]) -> dict[str, Any]:
    """Extra properties minus consumer-only ones (librdkafka warns about them on a producer)."""
    return {k: v for k, v in extra.items() if not k.startswith(_CONSUMER_ONLY)}


def client_config(settings: KafkaSettings) -> dict[str, Any]:
    """librdkafka connection + security settings; holds the password, so never log the result."""
    conf: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "security.protocol": settings.security_protocol,
        "broker.address.family": "v4" if "127.0.0.1" in settings.bootstrap_servers else "any",
    }
    if settings.security_protocol.startswith("SASL"):
        if not settings.sasl_username or settings.sasl_password is None:
            raise ConfigError(
                f"kafka.security_protocol={settings.security_protocol} needs sasl_username/password"
            )
        conf |= {
            "sasl.mechanism": settings.sasl_mechanism,
            "sasl.username": settings.sasl_username,
            "sasl.password": settings.sasl_password.get_secret_value(),
        }
    if settings.security_protocol.endswith("SSL"):
        for key, value in (
            ("ssl.ca.location", settings.ssl_ca_location),
            ("ssl.certificate.location", settings.ssl_certificate_location),
            ("ssl.key.location", settings.ssl_key_location),
        ):
            if value:
                conf[key] = value
        if settings.ssl_key_password is not None:
            conf["ssl.key.password"] = settings.ssl_key_password.get_secret_value()
    return conf


class ErrorWatch:
    """error_cb target: remembers an auth or TLS certificate failure so the next call raises ConfigError."""

    def __init__(self, settings: KafkaSettings) -> None:
        self.user, self.auth_error, self.tls_error = settings.sasl_username, "", False

    def __call__(self, err: KafkaError) -> None:
        tls = err.code() == KafkaError._SSL and "certificate" in err.str()  # not a transient TLS drop
        if err.code() in _AUTH_CODES or tls:
            self.auth_error, self.tls_error = err.str(), tls

    def check(self) -> None:
        if self.auth_error and self.tls_error:
            raise ConfigError(
                "Kafka TLS handshake failed: is kafka.ssl_ca_location the CA that signed the broker "
                f"certificate? ({self.auth_error})"
            )
        if self.auth_error:
            raise ConfigError(f"Kafka authentication failed for user {self.user!r}: {self.auth_error}")


def is_auth(err: KafkaError) -> bool:
    return err.code() in _AUTH_CODES
