"""`hephaestus parse FILE`: structure a log file record by record and mine its templates.

Fed a log file path; feeds stdout (JSON lines or a rich table). A thin adapter over
process.multiline.MultilineAssembler and process.processor.Processor; no state is kept.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from hephaestus.analyze.fingerprint import fingerprint
from hephaestus.errors import ConfigError, InputError
from hephaestus.process.headers import compile_log_format
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.process.processor import Analysed, Processor, application_from_source
from hephaestus.settings import load_settings

__all__ = ["iter_records", "parse_command"]

_TABLE_TEMPLATE_WIDTH = 80
_BATCH = 512  # JSON lines per stdout write


def iter_records(path: Path, *, assembler: MultilineAssembler) -> Iterator[Assembled]:
    """Physical lines of `path` (bytes decoded leniently: bad bytes become lone surrogates) as records."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            yield from assembler.feed(raw.decode("utf-8", "surrogateescape"), line_no=number)
    yield from assembler.flush()


def _encode(row: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(row)
    except orjson.JSONEncodeError:  # a lone surrogate left in a field: the stdlib escapes it
        return json.dumps(row).encode("ascii")


def _row(
    record: Assembled, result: Analysed | None, error: str | None, *, application: str
) -> dict[str, Any]:
    row: dict[str, Any] = {"first_line": record.first_line, "last_line": record.last_line}
    if result is None:
        row.update(template=None, template_id=None, level=None, is_error=False, rule=None, error=error)
        return row
    parsed, trace = result.parsed, result.trace
    row.update(
        template=result.template,
        template_id=result.template_id,
        level=result.level,
        is_error=result.rule is not None,
        rule=result.rule,
        timestamp=parsed.timestamp.isoformat() if parsed.timestamp else None,
        component=parsed.component,
        message=parsed.message,
        error_type=trace.error_type if trace else None,
        format=parsed.format,
        parse_error=result.parse_error,
    )
    if result.rule is not None:
        row["fingerprint"] = fingerprint(
            error_type=trace.error_type if trace else None,
            frames=trace.frames if trace else (),
            template=result.template,
            application=application,
        )
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
    assembler = MultilineAssembler(max_lines=max_lines, starts_record=starts, strict=fmt is not None)
    application = application_from_source(str(file))
    analyse = processor.analyse
    rows: list[dict[str, Any]] = []
    out: list[bytes] = []
    write = sys.stdout.buffer.write
    for record in iter_records(file, assembler=assembler):
        text = record.text
        if not text or text.isspace():
            row = _row(record, None, "empty log message: nothing to parse", application=application)
        else:
            row = _row(record, analyse(text), None, application=application)
        if output == "jsonl":
            out.append(_encode(row))
            if len(out) >= _BATCH:  # one write per batch, not per line
                write(b"\n".join(out) + b"\n")
                out.clear()
        else:
            rows.append(row)
    if out:
        write(b"\n".join(out) + b"\n")
    if output == "table":
        _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console  # noqa: PLC0415 - rich only for the table
    from rich.table import Table  # noqa: PLC0415

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
