"""`hephaestus models plan`: the roles graph as planned stages, with the model each role runs on.

Fed the roles YAML (packaged default or --roles) and the environment; prints text or JSON.
"""

from __future__ import annotations

import json

import click

from hephaestus.solve.config import load_roles, resolve_endpoints
from hephaestus.solve.plan import build_plan

__all__ = ["models_group"]


@click.group("models")
def models_group() -> None:
    """Model roles used to generate fixes (built-in engine when no provider is configured)."""


@models_group.command("plan")
@click.option(
    "--roles", "roles_path", type=click.Path(dir_okay=False), help="Roles YAML (default: packaged)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan_command(roles_path: str | None, as_json: bool) -> None:
    """Validate the roles graph and print its stages; roles in one stage run concurrently."""
    config = load_roles(roles_path)
    plan = build_plan(config)
    data = plan.describe(config, resolve_endpoints(config))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{len(plan.stages)} stage(s), at most {plan.max_concurrency} role(s) at a time")
    for i, stage in enumerate(data["stages"]):
        click.echo(f"stage {i + 1}:")
        for name in stage:
            role = data["roles"][name]
            chain = " -> ".join(
                c["model_type"] + ("" if c["endpoint"] else " (unset)") for c in role["chain"]
            )
            needs = f"  needs: {', '.join(role['needs'])}" if role["needs"] else ""
            click.echo(
                f"  {name:<22} {role['produces']:<8} runs on {role['runs_on']:<28}"
                f" [{chain} -> builtin]{needs}"
            )
