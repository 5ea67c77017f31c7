"""Rich rendering of analysis reports and issues for the terminal (the --json forms skip this)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from hephaestus.service import AnalysisReport, IssueReport

__all__ = ["render_issue", "render_report"]

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
_STATUS_STYLE = {"validated": "bold green", "plausible": "yellow", "failed": "red", "unvalidated": "yellow"}


def _fix_cell(report: IssueReport) -> Text:
    if report.solution is not None:
        status = report.solution.status
        return Text(status, style=_STATUS_STYLE.get(status, ""))
    return Text("diagnosis" if report.diagnosis else "—", style="dim")


def render_report(console: Console, report: AnalysisReport) -> None:
    stats = report.stats
    console.print(
        f"[bold]Analyzed[/] {stats.get('records', 0)} records from {stats.get('files', 0)} file(s) "
        f"in {stats.get('duration_s', 0):.2f}s: {stats.get('errors', 0)} error events, "
        f"{len(report.issues)} issue(s), {stats.get('solutions_validated', 0)} validated fix(es)."
    )
    if stats.get("dead_letters"):
        console.print(f"[yellow]{stats['dead_letters']} record(s) went to the dead-letter topic.[/]")
    if not report.issues:
        console.print("[green]No errors found.[/]")
        return
    table = Table(show_lines=False, header_style="bold")
    for col in ("issue", "severity", "count", "title", "fix"):
        table.add_column(col, overflow="fold")
    for r in report.issues:
        sev = r.issue.severity
        table.add_row(
            r.issue.id, Text(sev, style=_SEVERITY_STYLE[sev]), str(r.issue.count), r.issue.title, _fix_cell(r)
        )
    console.print(table)
    for r in report.issues:
        if r.solution is not None or r.diagnosis:
            render_issue(console, r)


def render_issue(console: Console, report: IssueReport) -> None:
    issue, solution = report.issue, report.solution
    parts: list[Text | Syntax] = []
    if issue.frames:
        last = issue.frames[-1]
        parts.append(Text(f"at {last.file}:{last.line} in {last.function}", style="dim"))
    if solution is not None:
        parts.append(Text(solution.explanation))
        parts.append(Text(f"provider: {solution.provider}   score: {solution.score:.2f}", style="dim"))
        parts.append(Syntax(solution.patch, "diff", theme="ansi_dark", word_wrap=True))
    elif report.diagnosis:
        parts.append(Text(f"No code patch: {report.diagnosis}"))
    evidence = report.evidence or {}
    if evidence:
        parts.append(Text(f"reproduction: {evidence.get('reproduction')}", style="dim"))
        for spot in evidence.get("localization", [])[:5]:
            span_end = f"-{spot['end_line']}" if spot.get("end_line") else ""
            spot_at = f"{spot['path']}:{spot['line']}{span_end} in {spot.get('function') or '<module>'}"
            parts.append(Text(f"  suspicious {spot_at}  ({spot['score']:.2f})", style="dim"))
    style = _STATUS_STYLE.get(solution.status, "") if solution else "dim"
    console.print(Panel(Group(*parts), title=f"{issue.id} · {issue.title}", border_style=style or "white"))
