"""`hephaestus config show`: the effective configuration with secrets masked."""

from __future__ import annotations

import json

import click
import yaml

from hephaestus.settings import load_settings, masked_dump

__all__ = ["config_group"]


@click.group("config")
def config_group() -> None:
    """Inspect the effective configuration."""


@config_group.command("show")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of YAML.")
def show(config_path: str | None, as_json: bool) -> None:
    """Print defaults < --config YAML < HEPHAESTUS_* env, with secrets masked."""
    data = masked_dump(load_settings(config_path))
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(yaml.safe_dump(data, sort_keys=False).rstrip())
