"""`hephaestus parse` through click's CliRunner: jsonl per record, table output, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hephaestus.cli import parse as parse_cli
from hephaestus.cli.parse import parse_command
from hephaestus.errors import ConfigError, InputError
from hephaestus.process.multiline import MultilineAssembler

LOG = """2024-01-01 10:00:00,123 INFO shop.api: request 1 served in 12 ms
2024-01-01 10:00:01,123 INFO shop.api: request 2 served in 15 ms
2024-01-01 10:00:02,123 ERROR shop.orders: payment failed
Traceback (most recent call last):
  File "/app/shop/orders.py", line 42, in total
    return a / b
ZeroDivisionError: division by zero
2024-01-01 10:00:03,123 WARNING shop.api: slow
"""


def _log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "app.log"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _rows(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_jsonl_one_object_per_record_in_order(tmp_path: Path) -> None:
    path = tmp_path / "shop.log"
    path.write_text(LOG, encoding="utf-8")
    result = CliRunner().invoke(parse_command, [str(path)])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [(r["first_line"], r["last_line"]) for r in rows] == [(1, 1), (2, 2), (3, 7), (8, 8)]
    assert rows[0]["template"] == rows[1]["template"] == "request <*> served in <*> ms"
    assert rows[0]["template_id"] == rows[1]["template_id"]
    assert [r["level"] for r in rows] == ["INFO", "INFO", "ERROR", "WARNING"]
    assert [r["is_error"] for r in rows] == [False, False, True, False]
    assert rows[2]["error_type"] == "ZeroDivisionError"
    assert isinstance(rows[2]["fingerprint"], str)


def test_log_format_option_keeps_one_record_per_matching_line(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "081109 203615 148 INFO dfs.DataNode: PacketResponder 1 terminating",
        "081109 203807 222 WARN dfs.DataNode:     indented content 2",
    )
    fmt = "<Date> <Time> <Pid> <Level> <Component>: <Content>"
    rows = _rows(CliRunner().invoke(parse_command, [str(path), "--log-format", fmt]).output)
    assert [(r["first_line"], r["last_line"], r["level"]) for r in rows] == [
        (1, 1, "INFO"),
        (2, 2, "WARNING"),
    ]
    assert rows[0]["format"] == "logpai"


def test_table_output(tmp_path: Path) -> None:
    path = tmp_path / "shop.log"
    path.write_text(LOG, encoding="utf-8")
    result = CliRunner().invoke(parse_command, [str(path), "--output", "table"])
    assert result.exit_code == 0
    assert "payment failed" in result.output
    assert "3-7" in result.output


def test_binary_file_gives_records_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "junk.log"
    path.write_bytes(b'\xff\xfe\x00garbage\x01\n{"msg": "cut\nok line\n')
    result = CliRunner().invoke(parse_command, [str(path)])
    assert result.exit_code == 0
    rows = _rows(result.output)
    assert len(rows) == 3
    assert rows[0]["parse_error"] == "invalid UTF-8 (replaced)"
    assert rows[1]["parse_error"].startswith("invalid JSON")


def test_missing_file_and_bad_format_raise_user_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(parse_command, [str(tmp_path / "nope.log")])
    assert isinstance(result.exception, InputError)
    path = tmp_path / "a.log"
    path.write_text("x\n", encoding="utf-8")
    bad = CliRunner().invoke(parse_command, [str(path), "--log-format", "<Level>"])
    assert isinstance(bad.exception, ConfigError)


@pytest.mark.parametrize("system", ["HDFS", "Android", "Mac"])
def test_loghub_file_gives_one_object_per_line(system: str) -> None:
    path = (
        Path(__file__).resolve().parents[4]
        / "shared"
        / "datasets"
        / "loghub-2k"
        / system
        / f"{system}_2k.log"
    )
    if not path.exists():
        pytest.skip("Loghub-2k data not available")
    rows = _rows(CliRunner().invoke(parse_command, [str(path)]).output)
    assert len(rows) == 2000
    assert all(r["first_line"] == r["last_line"] == i + 1 for i, r in enumerate(rows))


def test_rows_carry_their_groups_final_template_unless_window_is_zero(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "2024-01-01 10:00:00,000 INFO app: session 1 opened for alice from host-a",
        "2024-01-01 10:00:01,000 INFO app: session 2 opened for bob from host-b",
    )
    final = _rows(CliRunner().invoke(parse_command, [str(path)]).output)
    assert final[0]["template"] == final[1]["template"]
    assert final[0]["template_id"] == final[1]["template_id"]
    assert "<*>" in str(final[0]["template"])
    online = _rows(CliRunner().invoke(parse_command, [str(path), "--window", "0"]).output)
    assert "alice" in str(online[0]["template"])
    assert online[1]["template"] == final[1]["template"]


def test_iter_records_reads_blocks_without_splitting_lines_or_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"2024-01-01 10:00:0{i},000 INFO app: héllo wörld ✓ {i}" for i in range(6)]
    path = tmp_path / "app.log"
    path.write_bytes(("\n".join(lines) + "\n" + "no newline at the end \xff").encode("utf-8"))
    monkeypatch.setattr(parse_cli, "_READ_BLOCK", 7)  # blocks end inside lines and characters
    records = list(parse_cli.iter_records(path, assembler=MultilineAssembler(strict=True)))
    assert [r.text for r in records] == [*lines, "no newline at the end \xff"]
    assert [r.first_line for r in records] == list(range(1, 8))
