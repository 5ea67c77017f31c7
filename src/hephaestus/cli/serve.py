"""`hephaestus serve`: the HTTP API and the dashboard, run with uvicorn.

Fed settings (--config), the bind address and an optional bearer token (--token or
HEPHAESTUS_API_TOKEN); builds hephaestus.api.create_app and blocks serving it until interrupted.
"""

from __future__ import annotations

import ipaddress

import click

from hephaestus.api.security import TOKEN_ENV
from hephaestus.settings import load_settings

__all__ = ["serve_command"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Bind address.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port.")
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    default=None,
    help=f"Bearer token every /api request must carry (prefer the {TOKEN_ENV} variable).",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")
def serve_command(host: str, port: int, token: str | None, config_path: str | None) -> None:
    """Serve the issues API and the dashboard (open the printed URL in a browser)."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from hephaestus.api import LOOPBACK_HOSTS, create_app  # noqa: PLC0415

    settings = load_settings(config_path)
    token = (token or "").strip() or None
    loopback = _is_loopback(host)
    # a loopback server answers only to loopback names (DNS rebinding); others sit behind
    # proxies or are reached by many names, so they rely on the token instead
    app = create_app(settings, token=token, allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    if not token and not loopback:
        click.echo(
            f"warning: serving on {host} without a token: anyone who reaches this port can read "
            f"issues and run analyses; set {TOKEN_ENV}",
            err=True,
        )
    click.echo(f"Hephaestus dashboard: {_url(host, port)}" + ("  (bearer token required)" if token else ""))
    click.echo(f"API reference: {_url(host, port)}docs")
    uvicorn.run(app, host=host, port=port, log_level="warning")
