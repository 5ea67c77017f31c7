"""`hephaestus mcp`: serve the Hephaestus tools to an assistant over stdio or bearer-guarded HTTP.

Fed settings (--config), an optional default repo and the roles YAML; runs hephaestus.mcp.serve.
"""

from __future__ import annotations

import os

import click

from hephaestus.errors import ConfigError
from hephaestus.settings import load_settings

__all__ = ["mcp_command"]


@click.command("mcp")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
@click.option("--transport", type=click.Choice(["stdio", "http"]), default="stdio", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP bind address.")
@click.option("--port", type=int, default=8765, show_default=True, help="HTTP port.")
@click.option("--repo", type=click.Path(file_okay=False), help="Default repository for fixes.")
@click.option(
    "--roles", "roles_path", type=click.Path(dir_okay=False), help="Roles YAML (default: packaged)."
)
@click.option("--test-cmd", default=None, help="Test command for validation.")
def mcp_command(
    config_path: str | None,
    transport: str,
    host: str,
    port: int,
    repo: str | None,
    roles_path: str | None,
    test_cmd: str | None,
) -> None:
    """Run the MCP server (tools: list_issues, get_issue, search_logs, propose_fix, validate_fix,
    record_feedback; resources: hephaestus://issues). HTTP needs HEPHAESTUS_MCP_TOKEN."""
    from pathlib import Path  # noqa: PLC0415

    from hephaestus.mcp import ServerDeps, build_server, serve  # noqa: PLC0415
    from hephaestus.solve import Composer, load_roles  # noqa: PLC0415

    settings = load_settings(config_path)
    token = os.environ.get("HEPHAESTUS_MCP_TOKEN")
    if transport == "http" and not token:
        raise ConfigError("--transport http needs a bearer token in HEPHAESTUS_MCP_TOKEN")
    deps = ServerDeps(
        settings=settings,
        composer=Composer(config=load_roles(roles_path)),
        repo=Path(repo) if repo else None,
        test_cmd=test_cmd,
    )
    serve(
        build_server(deps), transport=transport, host=host, port=port, token=token,
        max_body=settings.api.max_body_kb * 1024,
    )  # fmt: skip
