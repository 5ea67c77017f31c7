"""`hephaestus parse FILE`: structure a log file record by record and mine its templates.

Fed a log file path; feeds stdout (JSON lines or a rich table). A thin adapter over
process.multiline.MultilineAssembler and process.processor.Processor; no state is kept.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from hephaestus.errors import ConfigError, InputError, PermanentError
from hephaestus.process.headers import compile_log_format
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.process.processor import Processed, Processor
from hephaestus.records import RawLog
from hephaestus.settings import load_settings

__all__ = ["iter_records", "parse_command"]

_TABLE_TEMPLATE_WIDTH = 80


def iter_records(path: Path, *, assembler: MultilineAssembler) -> Iterator[Assembled]:
    """Physical lines of `path` (bytes decoded leniently: bad bytes become lone surrogates) as records."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            yield from assembler.feed(raw.decode("utf-8", "surrogateescape"), line_no=number)
    yield from assembler.flush()


def _row(record: Assembled, result: Processed | None, error: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {"first_line": record.first_line, "last_line": record.last_line}
    if result is None:
        row.update(template=None, template_id=None, level=None, is_error=False, rule=None, error=error)
        return row
    s = result.structured
    row.update(
        template=result.template,
        template_id=result.template_id,
        level=s.error.level,
        is_error=result.is_error,
        rule=result.rule,
        timestamp=s.original_timestamp.isoformat() if s.original_timestamp else None,
        component=s.source.component,
        message=s.error.message,
        error_type=s.error.type,
        format=s.context.process_info.get("format"),
        parse_error=result.parse_error,
    )
    if result.event is not None:
        row["fingerprint"] = result.event.fingerprint
    return row


@click.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--log-format",
    "log_format",
    default=None,
    help="LogPAI header pattern, e.g. '<Date> <Time> <Level> <Content>'.",
)
@click.option("--output", "output", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option(
    "--max-lines", type=click.IntRange(min=1), default=500, show_default=True, help="Cap per record."
)
def parse_command(file: Path, log_format: str | None, output: str, max_lines: int) -> None:
    """Structure FILE record by record: fields, template, error detection.

    \b
    Examples:
      hephaestus parse app.log
      hephaestus parse HDFS_2k.log --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>'
      hephaestus parse app.log --output table
    """
    if not file.is_file():
        raise InputError(f"log file not found: {file}")
    try:
        fmt = compile_log_format(log_format) if log_format else None
    except ValueError as exc:
        raise ConfigError(f"invalid --log-format: {exc}") from exc
    settings = load_settings().process  # rules_file / threshold from the environment; the flag wins
    if log_format:
        settings = settings.model_copy(update={"log_format": log_format})
    processor = Processor(settings=settings)
    starts = (lambda line: fmt.regex.match(line.strip()) is not None) if fmt else None
    assembler = MultilineAssembler(max_lines=max_lines, starts_record=starts)
    host = socket.gethostname()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for record in iter_records(file, assembler=assembler):
        raw = RawLog(timestamp=now, source=str(file), host=host, message=record.text)
        try:
            (result,) = processor.process(raw, origin=f"{file}:{record.first_line}")
            row = _row(record, result, None)
        except PermanentError as exc:
            row = _row(record, None, str(exc))
        if output == "jsonl":
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            rows.append(row)
    if output == "table":
        _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    table = Table(title="hephaestus parse", show_lines=False)
    for name in ("lines", "level", "error", "rule", "template"):
        table.add_column(name, overflow="fold" if name == "template" else "ellipsis")
    for row in rows:
        lines = (
            f"{row['first_line']}"
            if row["first_line"] == row["last_line"]
            else f"{row['first_line']}-{row['last_line']}"
        )
        template = (row["template"] or row.get("error") or "")[: _TABLE_TEMPLATE_WIDTH * 2]
        table.add_row(
            lines, row["level"] or "", "yes" if row["is_error"] else "", row["rule"] or "", template
        )
    Console(soft_wrap=False).print(table)
