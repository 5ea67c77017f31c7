"""The Kafka CLI: `topics apply` through click's CliRunner, `kafka local` as a real subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from hephaestus.bus.broker import LocalKafka
from hephaestus.cli.kafka import topics_group

pytestmark = pytest.mark.kafka


def test_topics_apply_json_then_idempotent(kafka_broker: LocalKafka, kafka_topic_prefix: str) -> None:
    runner = CliRunner()
    env = {"HEPHAESTUS_KAFKA__TOPIC_PREFIX": kafka_topic_prefix}
    args = ["apply", "--bootstrap-servers", kafka_broker.bootstrap_servers, "--json"]

    dry = runner.invoke(topics_group, [*args, "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["dry_run"] is True

    first = runner.invoke(topics_group, args, env=env)
    assert first.exit_code == 0, first.output
    actions = [c["action"] for c in json.loads(first.output)["changes"] if c["action"] != "warning"]
    assert actions == ["create"] * 4

    second = runner.invoke(topics_group, args[:-1], env=env)  # human-readable form
    assert second.exit_code == 0, second.output
    assert second.output.count(": unchanged") == 4
    assert f"! {kafka_topic_prefix}hephaestus.raw.logs: warning  replication 3 capped to 1" in second.output


@pytest.mark.slow
def test_kafka_local_tls_prints_address_and_ca_serves_and_stops_on_sigterm(kafka_broker: LocalKafka) -> None:
    code = "from hephaestus.cli.kafka import kafka_group; kafka_group(['local', '--tls'])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()  # blocks until the broker is ready
        assert line.startswith("bootstrap.servers=127.0.0.1:"), line
        bootstrap = line.split("=", 1)[1]
        assert bootstrap != kafka_broker.bootstrap_servers
        security = dict(part.split("=", 1) for part in proc.stdout.readline().split())
        assert security["security.protocol"] == "SSL", security
        tls = {
            "bootstrap.servers": bootstrap,
            "security.protocol": "SSL",
            "ssl.ca.location": security["ssl.ca.location"],
        }
        meta = AdminClient(tls).list_topics(timeout=10)  # a client trusting the printed CA gets in
        assert len(meta.brokers) == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert "stopped" in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    time.sleep(0.5)
    with pytest.raises(KafkaException):  # the broker really is gone
        AdminClient({**tls, "log_level": 0}).list_topics(timeout=2)
