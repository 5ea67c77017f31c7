"""`hephaestus kafka local` (a real throwaway KRaft broker) and `hephaestus topics apply` (topic layout).

Fed by flags, the effective settings (kafka section) and deploy/kafka; feeds a running broker and
the cluster's topic metadata. Registered by cli/__init__.py as `kafka_group` and `topics_group`.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from types import FrameType

import click

from hephaestus.bus.broker import LocalKafka
from hephaestus.bus.kafka import client_config
from hephaestus.bus.kafka_admin import apply_topics
from hephaestus.bus.topics import default_topics
from hephaestus.settings import load_settings

__all__ = ["kafka_group", "topics_group"]


@click.group("kafka")
def kafka_group() -> None:
    """Run Apache Kafka locally for development."""


@kafka_group.command("local")
@click.option("--nodes", type=click.Choice(["1", "3"]), default="1", show_default=True, help="Broker count.")
@click.option("--sasl", is_flag=True, help="Require SASL/SCRAM-SHA-512 (credentials written to a 0600 file).")
@click.option("--tls", is_flag=True, help="Serve TLS with a throwaway CA (its PEM path is printed).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), help="Keep data here.")
def local(nodes: str, sasl: bool, tls: bool, workdir: Path | None) -> None:
    """Start a KRaft broker (jars from Maven Central), print its address, stop on Ctrl-C/SIGTERM."""
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    broker = LocalKafka(nodes=1 if nodes == "1" else 3, sasl=sasl, tls=tls, workdir=workdir)
    try:
        broker.start()
        click.echo(f"bootstrap.servers={broker.bootstrap_servers}")
        conf, details = broker.client_config(), []
        if tls:
            details.append(f"ssl.ca.location={broker.ca_location}")
        if sasl:
            creds = broker.workdir / "client.properties"
            creds.touch(mode=0o600)
            creds.write_text("".join(f"{k}={v}\n" for k, v in conf.items()), encoding="utf-8")
            details.append(f"user={broker.sasl_username} credentials={creds}")
        if details:
            click.echo(f"security.protocol={conf['security.protocol']} {' '.join(details)}")
        click.echo(f"started in {broker.start_seconds:.1f}s; Ctrl-C to stop", err=True)
        while not stop.wait(0.5):
            if any(proc.poll() is not None for proc in broker.procs):
                raise click.ClickException(f"a Kafka node exited; logs in {broker.workdir}")
    finally:
        broker.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("stopped", err=True)


@click.group("topics")
def topics_group() -> None:
    """Manage the Kafka topic layout."""


@topics_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Show the difference, change nothing.")
@click.option("--bootstrap-servers", help="Overrides kafka.bootstrap_servers.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def apply(dry_run: bool, bootstrap_servers: str | None, config_path: str | None, as_json: bool) -> None:
    """Create missing topics and update partitions/configs to the designed layout (idempotent)."""
    settings = load_settings(config_path, kafka__bootstrap_servers=bootstrap_servers).kafka
    specs = default_topics(settings.topic_prefix)
    changes = apply_topics(client_config(settings), specs, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "changes": [c.as_dict() for c in changes]}, indent=2))
        return
    marks = {"create": "+", "add_partitions": "~", "alter_config": "~", "unchanged": "=", "warning": "!"}
    for change in changes:
        suffix = "" if change.applied or change.action in {"unchanged", "warning"} else " (dry run)"
        detail = f"  {change.detail}" if change.detail else ""
        click.echo(f"{marks[change.action]} {change.topic}: {change.action}{detail}{suffix}")
