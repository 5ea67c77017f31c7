"""The `hephaestus` command line: a thin click adapter over hephaestus.service.

Each sub-command lives in its own module and is registered here. Errors the user can fix
exit 2 with one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from hephaestus import __version__
from hephaestus.cli.analyze import analyze_command
from hephaestus.cli.config import config_group
from hephaestus.cli.issues import feedback_command, issues_group
from hephaestus.cli.kafka import kafka_group, topics_group
from hephaestus.cli.mcp import mcp_command
from hephaestus.cli.models import models_group
from hephaestus.cli.parse import parse_command
from hephaestus.cli.run import run_command, service_commands
from hephaestus.cli.serve import serve_command
from hephaestus.errors import ConfigError, InputError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="hephaestus")
def cli() -> None:
    """Hephaestus turns production logs into validated code fixes.

    \b
    Quick start:
      hephaestus analyze app.log --repo .      find issues and propose validated fixes
      hephaestus parse app.log                 structure lines, mine templates
      hephaestus config show                   the effective configuration
    """


cli.add_command(analyze_command)
cli.add_command(config_group)
cli.add_command(run_command)
cli.add_command(issues_group)
cli.add_command(feedback_command)
cli.add_command(kafka_group)
cli.add_command(topics_group)
cli.add_command(models_group)
cli.add_command(parse_command)
cli.add_command(mcp_command)
cli.add_command(serve_command)
for _service in service_commands:
    cli.add_command(_service)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: maps user errors to exit code 2 with one line on stderr."""
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
