"""`hephaestus run`: the long-running pipeline; stops cleanly (flush, commit) on SIGINT/SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING

import click

from hephaestus.errors import ConfigError
from hephaestus.runner import ALL_STAGES, RunStats, run_pipeline
from hephaestus.settings import load_settings

if TYPE_CHECKING:
    from hephaestus.metrics import MetricsServer, ServiceMetrics

__all__ = ["run_command", "service_commands"]


_metrics_port = click.option(
    "--metrics-port",
    default=None,
    type=click.IntRange(0, 65535),
    help="Serve /metrics, /healthz and /readyz on this port (0 = off) [default: metrics_port setting, 0].",
)
_metrics_host = click.option(
    "--metrics-host",
    default=None,
    help="Address for --metrics-port [default: metrics_host setting, 127.0.0.1].",
)

_stdin = click.option(
    "--stdin",
    "read_stdin",
    is_flag=True,
    help="Also collect the log written to standard input (ends at EOF).",
)

_kafka_config = click.option(
    "--kafka-config",
    "kafka_config",
    multiple=True,
    metavar="KEY=VALUE",
    help="Extra librdkafka property for every Kafka client (repeatable), e.g. session.timeout.ms=6000.",
)


@click.command("run")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
@click.option("--repo", help="Repository to fix (overrides `repo` in the config).")
@click.option(
    "--stages",
    default=",".join(sorted(ALL_STAGES)),
    show_default=True,
    help="Comma-separated subset of collect,process,analyze,solve to run in this process.",
)
@click.option(
    "--status-every", default=10.0, show_default=True, help="Seconds between status lines on stderr."
)
@_metrics_port
@_metrics_host
@_kafka_config
@_stdin
def run_command(
    config_path: str | None,
    repo: str | None,
    stages: str,
    status_every: float,
    metrics_port: int | None = None,
    metrics_host: str | None = None,
    kafka_config: tuple[str, ...] = (),
    read_stdin: bool = False,
) -> None:
    """Follow the configured log files and keep issues and fixes up to date until stopped.

    State (issues, read positions, bus offsets) lives in the data dir, so a restart resumes
    where it stopped without losing or re-counting lines. Ctrl-C or SIGTERM stops cleanly.

    \b
    Minimal config (hephaestus.yaml):
      collect:
        files: [/var/log/shop/app.log]
      repo: /srv/shop
    """
    _run(
        config_path, repo, stages, status_every, metrics_port, metrics_host, kafka_config,
        service="run", read_stdin=read_stdin,
    )  # fmt: skip


def _parse_kafka_config(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--kafka-config expects KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _serve_metrics(service: str, host: str, port: int) -> tuple[ServiceMetrics, MetricsServer]:
    from hephaestus.metrics import MetricsServer, ServiceMetrics  # noqa: PLC0415 - only when asked

    metrics = ServiceMetrics(service)
    try:
        server = MetricsServer(metrics, host=host, port=port).start()
    except OSError as exc:
        raise ConfigError(f"cannot serve metrics on {host}:{port}: {exc.strerror or exc}") from exc
    click.echo(f"hephaestus {service}: metrics on {server.url}/metrics", err=True)
    return metrics, server


def _run(
    config_path: str | None,
    repo: str | None,
    stages: str,
    status_every: float,
    metrics_port: int | None,
    metrics_host: str | None,
    kafka_config: tuple[str, ...],
    *,
    service: str,
    read_stdin: bool = False,
) -> None:
    settings = load_settings(config_path, repo=repo, metrics_port=metrics_port, metrics_host=metrics_host)
    metrics_port, metrics_host = settings.metrics_port, settings.metrics_host
    extra = _parse_kafka_config(kafka_config)
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    last = [time.monotonic()]

    def status(stats: RunStats) -> None:
        now = time.monotonic()
        if now - last[0] >= status_every:
            last[0] = now
            click.echo(
                f"hephaestus run: moved={stats.moved} solved={stats.solved} retries={stats.retries}", err=True
            )

    collecting = "collect" in {s.strip() for s in stages.split(",")}
    listed = [s.kind if s.kind != "syslog" else f"syslog/{s.protocol}" for s in settings.collect.sources]
    listed = listed if collecting else []
    click.echo(
        f"hephaestus run: data dir {settings.data_dir}; following {len(settings.collect.files)} file(s)"
        + (f"; sources: {', '.join(listed)}" if listed else "")
        + ("; reading stdin" if read_stdin else ""),
        err=True,
    )
    metrics, server = _serve_metrics(service, metrics_host, metrics_port) if metrics_port else (None, None)
    try:
        stats = run_pipeline(
            settings,
            stop=stop,
            stages=frozenset(s.strip() for s in stages.split(",") if s.strip()),
            on_iteration=status,
            metrics=metrics,
            kafka_config=extra,
            stdin=sys.stdin.buffer if read_stdin else None,
        )
    finally:
        if server is not None:
            server.stop()
    click.echo(
        f"hephaestus run: stopped after moving {stats.moved} records, {stats.solved} issue(s) solved",
        err=True,
    )
    sys.stdout.flush()


def _service(name: str, stages: str, summary: str) -> click.Command:
    @click.command(
        name, help=f"{summary}\n\nThe same as `hephaestus run --stages {stages}`; run several for scale-out."
    )
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
    @_metrics_port
    @_metrics_host
    @_kafka_config
    def command(
        config_path: str | None,
        metrics_port: int | None,
        metrics_host: str | None,
        kafka_config: tuple[str, ...],
        read_stdin: bool = False,
    ) -> None:
        _run(
            config_path, None, stages, 10.0, metrics_port, metrics_host, kafka_config,
            service=name, read_stdin=read_stdin,
        )  # fmt: skip

    return _stdin(command) if "collect" in stages else command


service_commands = [
    _service("collector", "collect", "Run the configured log sources and produce raw logs."),
    _service("processor", "process", "Parse raw logs into structured logs and error events."),
    _service("analyzer", "analyze", "Group error events into issues in the store."),
]
