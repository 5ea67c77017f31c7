"""The bundled example: the shop log's ZeroDivisionError gets the documented fix and a regression test."""

from __future__ import annotations

import shutil
from pathlib import Path

from repair_helpers import apply, issue_for, run_pytest

from hephaestus.repair import RepairEngine
from hephaestus.repair.logparse import parse_traceback

ROOT = Path(__file__).resolve().parents[3]


def _shop_issue() -> tuple[object, str]:
    log = (ROOT / "examples/logs/shop.log").read_text(encoding="utf-8")
    block = log.split("nightly report failed run_id=4100\n", 1)[1].split("\n2026-", 1)[0]
    failure = parse_traceback(block)
    assert failure is not None
    return issue_for(failure.error_type, failure.message, list(failure.frames)), block


def test_shop_zero_division_fixed_with_documented_default(tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(ROOT / "examples/shop", repo)
    issue, _ = _shop_issue()
    result = RepairEngine().propose(issue, repo)  # type: ignore[arg-type]
    assert result.diagnosis is None
    assert [loc.path for loc in result.locations][:2] == ["shop/pricing.py", "shop/report.py"]
    assert result.locations[0].line == 20
    assert result.locations[0].depth == 0
    best = result.candidates[0]
    assert best.template == "zero-division.documented-default"
    assert best.test_path == "tests/test_hephaestus_regression_average_order_value_empty_orders.py"
    assert "Returns 0.0 when there are no orders" in best.explanation
    assert "ZeroDivisionError" in best.explanation
    assert "shop/pricing.py:20" in best.explanation
    # the regression test fails on the unpatched code ...
    only_test = "".join(best.patch.partition("diff --git a/tests/")[1:])
    before = apply(repo, only_test, tmp_path / "before")
    assert run_pytest(before, best.test_path).returncode == 1
    # ... and the full patch makes it (and the existing tests) pass
    fixed = apply(repo, best.patch, tmp_path / "after")
    assert "if not orders:\n        return 0.0\n" in (fixed / "shop/pricing.py").read_text()
    assert run_pytest(fixed).returncode == 0
    assert (repo / "shop/pricing.py").read_text() == (ROOT / "examples/shop/shop/pricing.py").read_text()


def test_stack_trace_alone_is_enough(tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(ROOT / "examples/shop", repo)
    _, block = _shop_issue()
    bare = issue_for("ZeroDivisionError", "nightly report failed", [], stack_trace=block)
    result = RepairEngine(template_weights={"zero-division.documented-default": 0.5}).propose(bare, repo)
    assert result.candidates[0].prior == 0.45
