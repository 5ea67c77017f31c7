"""`hephaestus run`: the long-running pipeline; stops cleanly (flush, commit) on SIGINT/SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType

import click

from hephaestus.runner import ALL_STAGES, RunStats, run_pipeline
from hephaestus.settings import load_settings

__all__ = ["run_command", "service_commands"]


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
def run_command(config_path: str | None, repo: str | None, stages: str, status_every: float) -> None:
    """Follow the configured log files and keep issues and fixes up to date until stopped.

    State (issues, read positions, bus offsets) lives in the data dir, so a restart resumes
    where it stopped without losing or re-counting lines. Ctrl-C or SIGTERM stops cleanly.

    \b
    Minimal config (hephaestus.yaml):
      collect:
        files: [/var/log/shop/app.log]
      repo: /srv/shop
    """
    settings = load_settings(config_path, repo=repo)
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

    click.echo(
        f"hephaestus run: data dir {settings.data_dir}; following {len(settings.collect.files)} file(s)",
        err=True,
    )
    stats = run_pipeline(
        settings,
        stop=stop,
        stages=frozenset(s.strip() for s in stages.split(",") if s.strip()),
        on_iteration=status,
    )
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
    @click.pass_context
    def command(ctx: click.Context, config_path: str | None) -> None:
        ctx.invoke(run_command, config_path=config_path, repo=None, stages=stages, status_every=10.0)

    return command


service_commands = [
    _service("collector", "collect", "Follow the configured files and produce raw logs."),
    _service("processor", "process", "Parse raw logs into structured logs and error events."),
    _service("analyzer", "analyze", "Group error events into issues in the store."),
]
