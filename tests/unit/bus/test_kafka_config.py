"""Kafka client settings, names and helpers that need no broker."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from hephaestus.bus.base import Message, Producer
from hephaestus.bus.broker import LocalKafka, ensure_runtime
from hephaestus.bus.kafka import KafkaBus, client_config, send_to_dead_letter
from hephaestus.bus.kafka_admin import MIN_INSYNC, _fit_min_insync
from hephaestus.bus.topics import DEAD_LETTER, ERRORS, STRUCTURED_LOGS, default_topics
from hephaestus.errors import ConfigError, HephaestusError, PermanentError
from hephaestus.settings import KafkaSettings


def test_sasl_ssl_settings_map_to_librdkafka() -> None:
    settings = KafkaSettings(
        bootstrap_servers="k1:9093,k2:9093",
        security_protocol="SASL_SSL",
        sasl_username="app",
        sasl_password=SecretStr("s3cret"),
        ssl_ca_location="/etc/ca.pem",
        ssl_key_password=SecretStr("keypw"),
    )
    conf = client_config(settings)
    assert conf["security.protocol"] == "SASL_SSL"
    assert conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert (conf["sasl.username"], conf["sasl.password"]) == ("app", "s3cret")
    assert conf["ssl.ca.location"] == "/etc/ca.pem"
    assert conf["ssl.key.password"] == "keypw"
    assert "ssl.certificate.location" not in conf
    assert "s3cret" not in repr(settings)  # SecretStr keeps it out of logs


def test_plaintext_has_no_security_keys() -> None:
    conf = client_config(KafkaSettings())
    assert conf["security.protocol"] == "PLAINTEXT"
    assert not [k for k in conf if k.startswith(("sasl.", "ssl."))]


def test_sasl_without_password_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="needs sasl_username/password"):
        client_config(KafkaSettings(security_protocol="SASL_PLAINTEXT", sasl_username="app"))


def test_topic_prefix_is_added_and_stripped() -> None:
    bus = KafkaBus(KafkaSettings(topic_prefix="staging."))
    assert bus.physical(ERRORS) == "staging.hephaestus.errors"
    assert bus.logical("staging.hephaestus.errors") == ERRORS
    assert bus.logical("other.topic") == "other.topic"
    assert bus.compacted == {ERRORS, STRUCTURED_LOGS}


def test_keyless_record_on_compacted_topic_is_refused_before_sending() -> None:
    producer = KafkaBus(KafkaSettings(bootstrap_servers="127.0.0.1:1")).producer()
    with pytest.raises(PermanentError, match="records need a key"):
        producer.produce(ERRORS, b"value")
    assert producer.stats["produced"] == 0


class _Recorder(Producer):
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes | None, dict[str, str]]] = []

    def produce(
        self, topic: str, value: bytes, *, key: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.sent.append((topic, value, key, headers or {}))

    def flush(self, timeout: float = 30.0) -> None:
        return None


def test_dead_letter_keeps_payload_and_records_origin_and_reason() -> None:
    recorder = _Recorder()
    msg = Message("hephaestus.raw.logs", 2, 41, b"k", b"payload", {"trace": "t1"})
    send_to_dead_letter(recorder, msg, "x" * 5000)
    [(topic, value, key, headers)] = recorder.sent
    assert (topic, value, key) == (DEAD_LETTER, b"payload", b"k")
    assert headers["trace"] == "t1"
    assert headers["dlq.topic"] == "hephaestus.raw.logs"
    assert (headers["dlq.partition"], headers["dlq.offset"]) == ("2", "41")
    assert len(headers["dlq.reason"]) == 1000  # bounded


def test_local_kafka_rejects_bad_node_count_and_is_not_started() -> None:
    with pytest.raises(ConfigError):
        LocalKafka(nodes=2)  # type: ignore[arg-type]
    with pytest.raises(HephaestusError, match="not started"):
        _ = LocalKafka().bootstrap_servers


def test_missing_maven_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("HEPHAESTUS_KAFKA_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="`mvn` not found"):
        ensure_runtime()


@pytest.mark.parametrize(("rf", "want"), [(3, "2"), (2, "1"), (1, "1")])
def test_min_insync_replicas_fits_the_replication_factor(rf: int, want: str) -> None:
    for spec in default_topics():
        assert spec.config[MIN_INSYNC] == "2"
        fitted = _fit_min_insync(spec, rf)
        assert fitted.config[MIN_INSYNC] == want
        assert {k: v for k, v in fitted.config.items() if k != MIN_INSYNC} == {
            k: v for k, v in spec.config.items() if k != MIN_INSYNC
        }


def test_a_bulk_producer_leaves_the_spool_to_the_prompt_one(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    line = '{"topic": "t", "value": "dg==", "key": null, "headers": {}}\n'
    (spool / "1-ab.jsonl").write_text(line)
    bus = KafkaBus(KafkaSettings(bootstrap_servers="127.0.0.1:1"), spool_dir=spool)
    bulk = bus.producer(bulk=True)
    assert bulk.stats["replayed"] == 0  # else both producers of a stage would re-send it
    assert (spool / "1-ab.jsonl").read_text() == line
