"""bench/parse_cli.py: rows map back to input lines, and child processes are timed."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parse_cli", BENCH / "parse_cli.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parse_cli"] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def test_templates_by_line_spreads_a_records_template_over_its_lines() -> None:
    rows = [
        {"first_line": 1, "last_line": 1, "template": "a <*>"},
        {"first_line": 2, "last_line": 4, "template": "trace"},
        {"first_line": 6, "last_line": 6, "template": None},
        {"first_line": 7, "last_line": 7, "template": "beyond"},
    ]
    out = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    templates, records = _module().templates_by_line(out, 6)
    assert templates == ["a <*>", "trace", "trace", "trace", "", ""]
    assert records == 3


def test_templates_by_line_without_line_numbers_counts_rows() -> None:
    out = b'{"template": "x"}\n{"template": "y"}\n{"template": "z"}\n'
    assert _module().templates_by_line(out, 2) == (["x", "y"], 2)


def test_time_process_reports_the_childs_output_and_cpu() -> None:
    timed = _module().time_process([sys.executable, "-c", "print(sum(range(10**6)))"])
    assert timed.stdout.strip() == str(sum(range(10**6))).encode()
    assert timed.wall >= timed.cpu * 0.5 >= 0
