"""`hephaestus issues` and `hephaestus feedback`: browse stored issues, accept or reject fixes, mark
an issue as noise (`issues noise ID`: its template is suppressed by detection) or back as real."""

from __future__ import annotations

import json

import click
from rich.console import Console

from hephaestus.cli.render import render_issue
from hephaestus.service import issue_report, mark_noise, open_store, record_feedback
from hephaestus.settings import load_settings

__all__ = ["feedback_command", "issues_group"]

_config = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML config file.")


@click.group("issues", invoke_without_command=True)
@_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--status", type=click.Choice(["open", "resolved", "ignored"]), help="Only issues with this status."
)
@click.pass_context
def issues_group(ctx: click.Context, config_path: str | None, as_json: bool, status: str | None) -> None:
    """List the issues in the store (newest first), except those marked as noise (`--status ignored`);
    `issues show ID` for one with its fix, `issues noise ID` to silence one."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(load_settings(config_path))
    try:
        reports = [issue_report(store, i) for i in store.issues(status=status, hide_ignored=True)]
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"issues": [r.as_json() for r in reports]}, indent=2))
        return
    console = Console()
    if not reports:
        console.print("No issues in the store. Try: hephaestus analyze LOG --repo DIR")
    for r in reports:
        fix = r.solution.status if r.solution else "-"
        console.print(f"{r.issue.id}  {r.issue.severity:<8} x{r.issue.count:<5} {fix:<11} {r.issue.title}")


@issues_group.command("show")
@click.argument("issue_id")
@_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_issue(issue_id: str, config_path: str | None, as_json: bool) -> None:
    """One issue with its stack, fix and diagnosis."""
    store = open_store(load_settings(config_path))
    try:
        issue = store.issue(issue_id)
        report = issue_report(store, issue)
        related = store.related_logs(issue.trace_ids)
    finally:
        store.close()
    if as_json:
        data = report.as_json()
        data["frames"] = [f.model_dump() for f in issue.frames]
        data["related_logs"] = related
        click.echo(json.dumps(data, indent=2))
        return
    render_issue(Console(), report)


@click.command("feedback")
@click.argument("issue_id")
@click.argument("verdict", type=click.Choice(["accept", "reject"]))
@_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def feedback_command(issue_id: str, verdict: str, config_path: str | None, as_json: bool) -> None:
    """Accept or reject the proposed fix of ISSUE_ID; later rankings learn from it."""
    result = record_feedback(
        issue_id, "accept" if verdict == "accept" else "reject", settings=load_settings(config_path)
    )
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(
            f"{issue_id}: fix {verdict}ed"
            + (f" (template {result['template']})" if result["template"] else "")
        )


def _verdict(verdict: str, issue_id: str, config_path: str | None, as_json: bool) -> None:
    result = mark_noise(
        issue_id, "noise" if verdict == "noise" else "real", settings=load_settings(config_path)
    )
    if as_json:
        click.echo(json.dumps(result))
        return
    done = "marked as noise, ignored" if verdict == "noise" else f"marked real, {result['status']}"
    click.echo(f"{result['issue']}: {done} (template {result['template']!r})")
    if result["reopened"]:
        click.echo(f"no longer suppressed, reopened: {', '.join(result['reopened'])}")


@issues_group.command("noise")
@click.argument("issue_id")
@_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def noise_issue(issue_id: str, config_path: str | None, as_json: bool) -> None:
    """Mark ISSUE_ID as noise: lines of its template stop being errors (in `analyze`, and within
    seconds in a running processor) and the issue is ignored. Undo: `issues real ISSUE_ID`."""
    _verdict("noise", issue_id, config_path, as_json)


@issues_group.command("real")
@click.argument("issue_id")
@_config
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def real_issue(issue_id: str, config_path: str | None, as_json: bool) -> None:
    """Mark ISSUE_ID as a real error (undoes `issues noise`): it reopens, and no noise template that
    matches its message is kept or accepted later."""
    _verdict("real", issue_id, config_path, as_json)
