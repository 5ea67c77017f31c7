"""`hephaestus parse FILE`: structure a log file record by record and mine its templates.

Fed a log file path; feeds stdout (JSON lines or a rich table). A thin adapter over
process.multiline.MultilineAssembler and Processor.analyse; rows wait in a window for final templates.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import orjson

from hephaestus.analyze.fingerprint import fingerprint
from hephaestus.errors import ConfigError, InputError
from hephaestus.process.analysis import Analysed, Analyser, application_from_source
from hephaestus.process.headers import compile_log_format
from hephaestus.process.multiline import Assembled, MultilineAssembler
from hephaestus.process.templates import TemplateMatch, TemplateMiner

if TYPE_CHECKING:
    from hephaestus.records import Frame

__all__ = ["iter_records", "parse_command"]

_TABLE_TEMPLATE_WIDTH = 80
_BATCH = 512  # JSON lines per stdout write
_READ_BLOCK = 1 << 20


def iter_records(path: Path, *, assembler: MultilineAssembler) -> Iterator[Assembled]:
    """Physical lines of `path` (bytes decoded leniently: bad bytes become lone surrogates) as records."""
    feed, number, tail = assembler.feed, 0, b""
    with path.open("rb") as handle:
        while block := handle.read(_READ_BLOCK):
            block = tail + block
            end = block.rfind(b"\n") + 1  # decode whole lines only: b"\n" never sits inside a character
            tail = block[end:]
            for line in block[:end].decode("utf-8", "surrogateescape").split("\n")[:-1]:
                number += 1
                yield from feed(line, line_no=number)
    if tail:
        yield from feed(tail.decode("utf-8", "surrogateescape"), line_no=number + 1)
    yield from assembler.flush()


def _encode(row: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(row)
    except orjson.JSONEncodeError:  # a lone surrogate left in a field: the stdlib escapes it
        return json.dumps(row, default=_isoformat).encode("ascii")


def _isoformat(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _row(record: Assembled, result: Analysed | None, error: str | None) -> dict[str, Any]:
    """The record's fields; template, template_id and fingerprint are set when it is labelled."""
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
        timestamp=parsed.timestamp,  # a datetime: orjson writes it as isoformat() would
        component=parsed.component,
        message=parsed.message,
        error_type=trace.error_type if trace else None,
        format=parsed.format,
        parse_error=result.parse_error,
    )
    return row


class _Labeller:
    """Holds up to `window` rows and labels them with their group's template as it stands when they
    are written (the final template for a file within the window); 0 = each record's own template."""

    def __init__(self, miner: TemplateMiner, *, window: int, application: str) -> None:
        self._render = miner.render
        self._window = window
        self._application = application
        # (row, the miner's match, the frames of an error row — None when the row is no error); not the
        # whole Analysed: a held row should cost little more than its own fields
        self._pending: list[tuple[dict[str, Any], TemplateMatch | None, tuple[Frame, ...] | None]] = []

    def add(self, row: dict[str, Any], result: Analysed | None) -> list[dict[str, Any]]:
        """Queue one row; returns the rows labelled now (when the window is full)."""
        if result is None:
            self._pending.append((row, None, None))
        else:
            trace = result.trace
            frames = None if result.rule is None else trace.frames if trace else ()
            self._pending.append((row, result.match, frames))
        return self.flush() if len(self._pending) > self._window else []

    def flush(self) -> list[dict[str, Any]]:
        """Label and return every queued row."""
        out: list[dict[str, Any]] = []
        render = self._render
        for row, match, frames in self._pending:
            if match is not None and self._window:
                template = render(match)
                row["template"], row["template_id"] = template.template, template.template_id
            if frames is not None:
                row["fingerprint"] = fingerprint(
                    error_type=row["error_type"],
                    frames=frames,
                    template=row["template"],
                    application=self._application,
                )
            out.append(row)
        self._pending = []
        return out


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
@click.option(
    "--window",
    type=click.IntRange(min=0),
    default=100_000,
    show_default=True,
    help="Records held back so that they carry their group's final template; 0 = each as first mined.",
)
def parse_command(file: Path, log_format: str | None, output: str, max_lines: int, window: int) -> None:
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
    analyser = _analyser(log_format)
    starts = (lambda line: fmt.regex.match(line.strip()) is not None) if fmt else None
    assembler = MultilineAssembler(max_lines=max_lines, starts_record=starts, strict=fmt is not None)
    labeller = _Labeller(analyser.miner, window=window, application=application_from_source(str(file)))
    analyse = analyser.analyse
    rows: list[dict[str, Any]] = []
    write = sys.stdout.buffer.write
    for record in iter_records(file, assembler=assembler):
        text = record.text
        if not text or text.isspace():
            ready = labeller.add(_row(record, None, "empty log message: nothing to parse"), None)
        else:
            result = analyse(text)
            ready = labeller.add(_row(record, result, None), result)
        if ready:
            _emit(ready, output=output, write=write, rows=rows)
    _emit(labeller.flush(), output=output, write=write, rows=rows)
    if output == "table":
        _print_table(rows)


def _analyser(log_format: str | None) -> Analyser:
    """The shared analysis with process settings from HEPHAESTUS_* variables (the flag wins); the
    settings model (pydantic-settings, slow to import) is loaded only when such a variable is set."""
    if not any(name.startswith("HEPHAESTUS_") for name in os.environ):
        return Analyser(log_format=log_format)
    from hephaestus.settings import load_settings  # noqa: PLC0415

    settings = load_settings().process
    return Analyser(
        log_format=log_format or settings.log_format,
        similarity_threshold=settings.similarity_threshold,
        rules_file=settings.rules_file,
    )


def _emit(
    ready: list[dict[str, Any]], *, output: str, write: Callable[[bytes], object], rows: list[dict[str, Any]]
) -> None:
    if output != "jsonl":
        rows.extend(ready)
        return
    for start in range(0, len(ready), _BATCH):  # one write per batch, not per line
        write(b"".join(_encode(row) + b"\n" for row in ready[start : start + _BATCH]))


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
