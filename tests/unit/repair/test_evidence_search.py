"""Evidence pipeline end to end on small real repos: reproduce in the sandbox, localize, search, validate."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from repair_helpers import issue_for

from hephaestus.repair import Evidence, Prober, RepairEngine, investigate
from hephaestus.repair.investigate import SourceCache
from hephaestus.repair.search import SearchReport, search
from hephaestus.validate import Validator, solve_offline

PRICING = '''
def bulk_discount(quantity):
    """10 % off from 10 items on."""
    if quantity > 10:
        return 0.1
    return 0.0


def label(kind):
    return kind.upper()


def total(prices):
    return sum(prices)
'''

PRICING_TESTS = """
from shop.pricing import bulk_discount, label, total


def test_ten_items_get_the_discount():
    assert bulk_discount(10) == 0.1


def test_no_discount_below_ten():
    assert bulk_discount(3) == 0.0


def test_label():
    assert label("book") == "BOOK"


def test_total():
    assert total([1, 2]) == 3
"""

NORMALIZE = """
def normalize(name, fallback=None):
    name = name.strip()
    return name.lower()


def initial(name):
    first = name[0] if name else None
    return str(first)


def odd_countdown(n):
    out = []
    while n != 0:
        out.append(n)
        n -= 2
    return out
"""

NORMALIZE_TESTS = """
from shop.names import initial, normalize, odd_countdown


def test_plain():
    assert normalize(" Ada ") == "ada"


def test_missing_name_is_kept_missing():
    assert normalize(None) is None


def test_no_initial_without_a_name():
    assert initial("") is None


def test_initial():
    assert initial("ada") == "a"


def test_countdown_from_odd():
    assert odd_countdown(3) == [3, 1]
"""


RATES = """
_TABLE = {}


def table():
    if not _TABLE:
        _TABLE["vat"] = 0.2
    return _TABLE


def gross(net):
    return net * (1 + table()["vat"])


def net_of(gross_value):
    return gross_value * (1 - table()["vat"])
"""

RATES_TESTS = """
from shop.rates import gross, net_of


def test_gross():
    assert round(gross(100), 6) == 120


def test_net():
    assert round(net_of(120), 6) == 100
"""


def _pytest_output(repo: Path, test: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=repo, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    return done.stdout


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small repo for the module (the sandbox copies it; nothing here writes to it)."""
    repo = tmp_path_factory.mktemp("evidence") / "repo"
    files = {
        "shop/__init__.py": "",
        "shop/pricing.py": PRICING,
        "shop/names.py": NORMALIZE,
        "tests/test_pricing.py": PRICING_TESTS,
        "tests/test_names.py": NORMALIZE_TESTS,
        "shop/rates.py": RATES,
        "tests/test_rates.py": RATES_TESTS,
        "pyproject.toml": "[tool.pytest.ini_options]\npythonpath = ['.']\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return repo


@pytest.fixture(scope="module")
def prober() -> Prober:
    return Prober(timeout_s=90, test_timeout_s=3)


@pytest.fixture(scope="module")
def boundary(shop: Path, prober: Prober) -> tuple[str, Evidence]:
    output = _pytest_output(shop, "tests/test_pricing.py")
    evidence = investigate(output, shop, prober=prober)
    assert evidence is not None
    return output, evidence


def test_boundary_bug_is_reproduced_localized_and_fixed(
    shop: Path, prober: Prober, boundary: tuple[str, Evidence]
) -> None:
    _, evidence = boundary
    assert evidence.reproduced
    assert evidence.failing_tests == ("tests/test_pricing.py::test_ten_items_get_the_discount",)
    assert set(evidence.passing_tests) >= {
        "tests/test_pricing.py::test_label",
        "tests/test_pricing.py::test_total",
    }
    top = [(s.path, s.line) for s in evidence.suspects[:5]]
    assert ("shop/pricing.py", 3) in top  # `if quantity > 10:`
    assert all(not p.startswith("tests/") for p, _ in top)
    before = (shop / "shop/pricing.py").read_text(encoding="utf-8")
    report = SearchReport()
    found = search(evidence, prober=prober, sources=SourceCache(shop), budget_s=30, report=report)
    assert report.screened >= 1
    assert report.plausible == len(found) >= 1
    assert "-    if quantity > 10:\n+    if quantity >= 10:" in found[0].patch
    assert found[0].kind == "mutation"
    assert found[0].template == "search.compare"
    assert (shop / "shop/pricing.py").read_text(encoding="utf-8") == before  # the search wrote nothing here


def test_none_value_seen_at_the_failure_gives_a_guard(shop: Path, prober: Prober) -> None:
    output = _pytest_output(shop, "tests/test_names.py::test_missing_name_is_kept_missing")
    evidence = investigate(output, shop, prober=prober)
    assert evidence is not None
    assert evidence.reproduced
    frame = evidence.values[-1]
    assert (frame.path, frame.function) == ("shop/names.py", "normalize")
    assert frame.locals["name"] == ("NoneType", "None")
    assert evidence.raised_at("shop/names.py", 2) == "AttributeError"
    found = search(evidence, prober=prober, sources=SourceCache(shop), budget_s=30)
    assert any("+    if name is None:\n+        return None\n" in c.patch for c in found)


def test_values_at_localized_lines_guard_a_wrong_result(shop: Path, prober: Prober) -> None:
    """No crash in repo code: the value comes from a second run tracing the top localized lines."""
    output = _pytest_output(shop, "tests/test_names.py::test_no_initial_without_a_name")
    evidence = investigate(output, shop, prober=prober)
    assert evidence is not None
    assert evidence.reproduced
    assert evidence.line_values[("shop/names.py", 8)]["first"] == ("NoneType", "None")
    assert evidence.as_json()["line_values"]
    found = search(evidence, prober=prober, sources=SourceCache(shop), budget_s=30)
    assert any(
        "+    if first is None:\n+        return None\n     return str(first)" in c.patch for c in found
    )


def test_a_hang_is_a_failure_to_search(shop: Path, prober: Prober) -> None:
    output = "FAILED tests/test_names.py::test_countdown_from_odd - Failed: Timeout >2.0s\n"
    evidence = investigate(output, shop, prober=prober)
    assert evidence is not None
    assert evidence.reproduced
    assert "ProbeTimeout" in evidence.error
    assert ("shop/names.py", 13) in [(s.path, s.line) for s in evidence.suspects[:5]]  # the loop condition
    found = search(evidence, prober=prober, sources=SourceCache(shop), budget_s=30)
    assert any("+    while n > 0:" in c.patch for c in found)


def test_solve_offline_validates_against_the_failing_test(
    shop: Path, prober: Prober, boundary: tuple[str, Evidence]
) -> None:
    output, evidence = boundary
    engine = RepairEngine(prober=prober, search_budget_s=30)
    issue = issue_for("AssertionError", "test_ten_items_get_the_discount failed", [], stack_trace=output)
    solution, _ = solve_offline(
        issue,
        shop,
        engine=engine,
        validator=Validator(timeout_s=90),
        failing_output=output,
        evidence=evidence,
    )
    assert solution is not None
    assert solution.status == "validated"
    assert solution.validation is not None
    assert solution.validation.reproduced_before
    assert solution.validation.fixed_after
    assert "failed before and passes after" in solution.validation.reason


def test_not_reproduced_when_the_named_test_passes(shop: Path, prober: Prober) -> None:
    output = "FAILED tests/test_pricing.py::test_label - AssertionError\n"
    evidence = investigate(output, shop, prober=prober)
    assert evidence is not None
    assert not evidence.reproduced
    assert "did not fail" in evidence.reproduction
    assert search(evidence, prober=prober, sources=SourceCache(shop)) == []


def test_no_evidence_without_a_failing_test_in_the_repo(shop: Path) -> None:
    assert investigate("Traceback (most recent call last):\nValueError: x\n", shop, prober=Prober()) is None
    assert investigate("FAILED ../outside.py::test_x - E\n", shop, prober=Prober()) is None


def test_one_time_work_of_the_process_is_not_charged_to_the_failing_test(shop: Path, prober: Prober) -> None:
    """The failing test runs first, so a lazy cache fills in it; its spectrum comes from a second
    run after the passing test that shares most code with it, where the cache is already full."""
    evidence = investigate(_pytest_output(shop, "tests/test_rates.py"), shop, prober=prober)
    assert evidence is not None
    assert evidence.reproduced
    ranked = [(s.path, s.line) for s in evidence.suspects]
    assert ("shop/rates.py", 6) not in ranked  # `_TABLE["vat"] = 0.2` ran once, in the warm-up
    assert ranked[0] == ("shop/rates.py", 15)  # net_of's return: only the failing test runs it


def test_the_spectrum_time_box_keeps_the_failing_tests_and_stops_before_passing_ones(shop: Path) -> None:
    full = Prober(timeout_s=90, test_timeout_s=3).spectrum(shop, ["tests/test_pricing.py"], [])
    boxed = Prober(timeout_s=90, test_timeout_s=3, spectrum_budget_s=0.001).spectrum(
        shop, ["tests/test_pricing.py"], ["tests/test_pricing.py::test_ten_items_get_the_discount"]
    )
    assert full is not None
    assert boxed is not None
    assert len(full.passed) == 3
    assert full.failed == ("tests/test_pricing.py::test_ten_items_get_the_discount",)
    assert boxed.failed == full.failed  # the named failing test runs first, whatever the box
    assert boxed.passed == ()  # the box had passed when it finished: no passing test started
