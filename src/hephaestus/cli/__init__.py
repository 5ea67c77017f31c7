"""The `hephaestus` command line: a thin click adapter over hephaestus.service.

Each sub-command lives in its own module and is registered here. Errors the user can fix
exit 2 with one line on stderr, never a traceback.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from typing import Any

import click

from hephaestus import __version__
from hephaestus.errors import ConfigError, InputError

__all__ = ["SUMMARIES", "cli", "main"]

# name -> (module, attribute): a command's module (and its heavy dependencies: model SDKs,
# Kafka, the MCP SDK, FastAPI) is imported only when that command runs.
_COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": ("hephaestus.cli.analyze", "analyze_command"),
    "issues": ("hephaestus.cli.issues", "issues_group"),
    "feedback": ("hephaestus.cli.issues", "feedback_command"),
    "parse": ("hephaestus.cli.parse", "parse_command"),
    "run": ("hephaestus.cli.run", "run_command"),
    "collector": ("hephaestus.cli.run", "service_commands"),
    "processor": ("hephaestus.cli.run", "service_commands"),
    "analyzer": ("hephaestus.cli.run", "service_commands"),
    "serve": ("hephaestus.cli.serve", "serve_command"),
    "mcp": ("hephaestus.cli.mcp", "mcp_command"),
    "models": ("hephaestus.cli.models", "models_group"),
    "kafka": ("hephaestus.cli.kafka", "kafka_group"),
    "topics": ("hephaestus.cli.kafka", "topics_group"),
    "config": ("hephaestus.cli.config", "config_group"),
}


# The first sentence of each command's help, for `hephaestus --help` (a test keeps them in step).
SUMMARIES: dict[str, str] = {
    "analyze": "Find errors in LOGS, group them into issues and, with --repo, propose validated fixes.",
    "analyzer": "Group error events into issues in the store.",
    "collector": "Run the configured log sources and produce raw logs.",
    "config": "Inspect the effective configuration.",
    "feedback": "Accept or reject the proposed fix of ISSUE_ID; later rankings learn from it.",
    "issues": "List the issues in the store (newest first); `issues show ID` for one with its fix.",
    "kafka": "Run Apache Kafka locally for development.",
    "mcp": "Run the MCP server (issues, logs, fixes as tools and resources).",
    "models": "Model roles used to generate fixes (built-in engine when no provider is configured).",
    "parse": "Structure FILE record by record: fields, template, error detection.",
    "processor": "Parse raw logs into structured logs and error events.",
    "run": "Follow the configured log files and keep issues and fixes up to date until stopped.",
    "serve": "Serve the issues API and the dashboard (open the printed URL in a browser).",
    "topics": "Manage the Kafka topic layout.",
}


class LazyGroup(click.Group):
    """A click group that imports each sub-command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from SUMMARIES, so that `--help` imports no command module."""
        rows = [(name, SUMMARIES[name]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, attr = _COMMANDS[cmd_name]
        found = getattr(importlib.import_module(module), attr)
        if isinstance(found, list):  # the per-stage services share one factory module
            found = next(c for c in found if c.name == cmd_name)
        return found if isinstance(found, click.Command) else None


@click.group(
    cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="hephaestus")
def cli() -> None:
    """Hephaestus turns production logs into validated code fixes.

    \b
    Quick start:
      hephaestus analyze app.log --repo .      find issues and propose validated fixes
      hephaestus issues                        what the store knows; `issues show ID`
      hephaestus serve                         HTTP API and dashboard
      hephaestus parse app.log                 structure lines, mine templates
      hephaestus config show                   the effective configuration
    """


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C does: sandboxes kill their process trees and delete their copies."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: maps user errors to exit code 2 with one line on stderr."""
    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)  # commands with their own handler replace it
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> Any:
    try:
        return cli.main(args=argv, prog_name="hephaestus", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 1 else exc.exit_code)
    except (InputError, ConfigError) as exc:
        click.echo(f"hephaestus: error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
