"""Pure parts of the evidence pipeline: failing-test ids, Ochiai, source spans, operators, code swap."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

from hephaestus.repair import probe_plugin
from hephaestus.repair.localize import ochiai, rank_suspects
from hephaestus.repair.operators import mutants_at
from hephaestus.repair.probe import FrameValues, Spectrum, failing_test_ids
from hephaestus.repair.pysource import PySource

LONG_HEADER = "_" * 40 + " TestSuite.test_case[a.b-1] " + "_" * 40


@pytest.mark.parametrize(
    ("output", "ids"),
    [
        ("FAILED tests/test_a.py::test_x - AssertionError: no\nFAILED tests/test_a.py::T::test_y\n",
         ("tests/test_a.py::test_x", "tests/test_a.py::T::test_y")),
        (f"{LONG_HEADER}\n\n    def test_case(): ...\n>   assert 1 == 2\nE   assert 1 == 2\n\n"
         "tests/t.py:9: AssertionError\n",
         ("tests/t.py::TestSuite::test_case[a.b-1]",)),
        ("ERROR tests/test_a.py::test_z - ValueError\n", ("tests/test_a.py::test_z",)),
        ("Traceback (most recent call last):\nValueError: x\n", ()),
    ],
)  # fmt: skip
def test_failing_test_ids(output: str, ids: tuple[str, ...]) -> None:
    assert failing_test_ids(output) == ids


def test_ochiai_values() -> None:
    assert ochiai(1, 0, 1) == 1.0
    assert ochiai(1, 3, 1) == pytest.approx(0.5)
    assert ochiai(0, 5, 2) == 0.0
    assert ochiai(2, 2, 2) == pytest.approx(2 / (2 * 2**0.5))


def test_rank_prefers_lines_only_failing_tests_run_and_the_traceback() -> None:
    spectrum = Spectrum(
        outcomes={"t::fail": "failed", "t::ok1": "passed", "t::ok2": "passed"},
        lines={
            "t::fail": {"app.py": frozenset({1, 2, 3, 7}), "tests/t.py": frozenset({1})},
            "t::ok1": {"app.py": frozenset({1, 2})},
            "t::ok2": {"app.py": frozenset({1, 7})},
        },
        frames={
            "t::fail": (FrameValues("tests/t.py", 1, "test_fail", {}), FrameValues("app.py", 7, "f", {}))
        },
    )
    ranked = rank_suspects(
        spectrum, failing=["t::fail"], is_test=lambda p: p.startswith("tests/"), function_of=lambda p, n: "f"
    )
    assert [(s.path, s.line) for s in ranked][:2] == [("app.py", 7), ("app.py", 3)]
    assert all(s.path == "app.py" for s in ranked)
    assert ranked[-1].line == 1
    assert ranked[-1].score == pytest.approx(ochiai(1, 2, 1))


CODE = textwrap.dedent(
    '''
    class Cart:
        def total(self, items, limit):
            """Sum é of the first items."""
            if len(items) > limit and not self.open:
                items = items[: limit]
            return sum(items) + 1


    def first(xs):
        value = xs.get("k")
        return value.strip()
    '''
).lstrip()


def test_pysource_spans_and_functions() -> None:
    src = PySource("cart.py", CODE)
    assert src.function_at(4) == "Cart.total"
    assert src.function_at(10) == "first"
    assert src.function_at(1) is None
    stmt = src.statement_at(4)
    assert stmt is not None
    assert src.segment(stmt.test).startswith("len(items) > limit")
    assert src.function_span("Cart.total") == (2, 6, 3)


def test_operators_at_a_condition() -> None:
    src = PySource("cart.py", CODE)
    edits = {
        src.replace(m.start, m.end, m.text).splitlines()[3].strip(): m.operator for m in mutants_at(src, 4)
    }
    assert edits["if len(items) >= limit and not self.open:"] == "compare"
    assert edits["if len(items) > limit or not self.open:"] == "boolean"
    assert edits["if len(items) > limit and self.open:"] == "negation"
    assert edits["if len(items) > limit:"] == "drop-condition"
    assert edits["if not (len(items) > limit and not self.open):"] == "negation"


def test_operators_on_arithmetic_slices_and_constants() -> None:
    src = PySource("cart.py", CODE)
    lines = {src.replace(m.start, m.end, m.text).splitlines()[4].strip() for m in mutants_at(src, 5)}
    assert {"items = items[: limit + 1]", "items = items[: limit - 1]"} <= lines
    changed = {src.replace(m.start, m.end, m.text).splitlines()[5].strip() for m in mutants_at(src, 6)}
    assert {"return sum(items) - 1", "return sum(items) + 2", "return sum(items) + 0"} <= changed


def test_guards_come_from_observed_values_only() -> None:
    src = PySource("cart.py", CODE)
    assert not [m for m in mutants_at(src, 11) if m.operator.endswith("guard")]
    seen = {"value": ("NoneType", "None"), "xs": ("dict", "{}")}
    guards = [m for m in mutants_at(src, 11, values=seen) if m.operator == "none-guard"]
    assert [m.text for m in guards] == ["    if value is None:\n        return None\n"]
    typed = [m for m in mutants_at(src, 10, values={"xs": ("list", "[]")}) if m.operator == "type-guard"]
    assert typed
    assert typed[0].text == "    if isinstance(xs, list):\n        return xs\n"


def test_statement_deletion_needs_a_sibling() -> None:
    src = PySource("cart.py", CODE)
    deletions = [m for m in mutants_at(src, 10) if m.operator == "delete"]
    assert [src.replace(m.start, m.end, m.text).splitlines()[9] for m in deletions] == ["    pass"]


def test_probe_swaps_a_live_function_code_in_place() -> None:
    module = types.ModuleType("hx_swap_demo")
    source = "def f(x):\n    return x + 1\n\nclass C:\n    def m(self):\n        return 1\n"
    exec(compile(source, "demo.py", "exec"), module.__dict__)
    sys.modules["hx_swap_demo"] = module
    try:
        keep_f, keep_m = module.f, module.C.m
        new = source.replace("x + 1", "x - 1").replace("return 1", "return 2")
        assert probe_plugin.swap_function(module, new, "demo.py", "f", [1, 2])
        assert probe_plugin.swap_function(module, new, "demo.py", "C.m", None)
        assert keep_f(5) == 4
        assert keep_m(module.C()) == 2
        probe_plugin.reexec_module(module, new.replace("x - 1", "x * 3"), "demo.py")
        assert module.f(2) == 6
    finally:
        sys.modules.pop("hx_swap_demo", None)


def test_probe_describes_hostile_values_safely() -> None:
    class Bad:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert probe_plugin.describe(Bad()) == {"type": "Bad", "repr": "<unrepresentable: RuntimeError>"}
    assert len(probe_plugin.describe("x" * 1000)["repr"]) == 160


def test_rank_prefers_the_failing_call_and_discounts_failure_reporting() -> None:
    from hephaestus.repair.probe import Segment

    app = {1, 2, 3, 4, 9}
    spectrum = Spectrum(
        outcomes={"t::fail": "failed", "t::ok": "passed"},
        lines={
            "t::fail": {"app.py": frozenset(app), "tests/helpers.py": frozenset({18, 20})},
            "t::ok": {"app.py": frozenset({7}), "tests/helpers.py": frozenset({18})},
        },
        segments={
            "t::fail": (
                Segment(("tests/t.py", 5), None, "f", {"app.py": frozenset({1, 2, 3})}),  # passed
                Segment(("tests/t.py", 6), None, "f", {"app.py": frozenset({1, 2, 4})}),  # failed
                # the helper's failure branch (line 20; passing tests run only its line 18)
                Segment(("tests/helpers.py", 20), None, "dump", {"app.py": frozenset({9})}),
            )
        },
    )
    ranked = rank_suspects(
        spectrum,
        failing=["t::fail"],
        is_test=lambda p: p.startswith("tests/"),
        function_of=lambda p, n: "helper" if p.startswith("tests/") else "f",
    )
    order = [s.line for s in ranked]
    assert order[0] == 4  # run only by the call that failed
    assert order.index(1) < order.index(3)
    assert order.index(2) < order.index(3)
    assert order[-1] == 9  # run only to report the failure
    scores = {s.line: s.score for s in ranked}
    assert scores[9] < scores[3]


def test_a_traceback_line_counts_as_run_when_the_tracer_was_displaced() -> None:
    """Code under test that installs its own sys.settrace hides lines from the spectrum; the line
    that raised is on the traceback all the same."""
    spectrum = Spectrum(
        outcomes={"t::fail": "failed", "t::ok": "passed"},
        lines={"t::fail": {"app.py": frozenset({1, 2})}, "t::ok": {"app.py": frozenset({1})}},
        frames={"t::fail": (FrameValues("app.py", 9, "write", {}),)},
    )
    ranked = rank_suspects(
        spectrum, failing=["t::fail"], is_test=lambda p: p.startswith("tests/"), function_of=lambda p, n: "f"
    )
    assert (ranked[0].path, ranked[0].line) == ("app.py", 9)


def test_statement_lines_of_simple_and_compound_statements() -> None:
    src = PySource(
        "m.py",
        textwrap.dedent(
            """\
            def f(code):
                if (code and
                        code.strip()):
                    return re.sub(r'''(?x)
                        a|
                        b''', g, code)
                return code
            """
        ),
    )
    assert src.statement_lines(2) == (2, 3)  # an `if` header spanning two lines, not its body
    assert src.statement_lines(3) == (2, 3)
    assert src.statement_lines(5) == (4, 6)  # a line inside a multi-line string literal
    assert src.statement_lines(7) == (7, 7)
    assert src.statement_lines(1) == (1, 1)


def test_lines_of_one_statement_are_one_suspect_at_its_first_line() -> None:
    spectrum = Spectrum(
        outcomes={"t::fail": "failed", "t::ok": "passed"},
        lines={"t::fail": {"app.py": frozenset({1, 4, 5, 9})}, "t::ok": {"app.py": frozenset({1, 9})}},
    )
    spans = {4: (4, 6), 5: (4, 6)}
    ranked = rank_suspects(
        spectrum, failing=["t::fail"], is_test=lambda p: p.startswith("tests/"), function_of=lambda p, n: "f",
        statement_of=lambda p, n: spans.get(n, (n, n)),
    )  # fmt: skip
    assert [(s.line, s.end_line) for s in ranked] == [(4, 6), (1, None), (9, None)]
    assert ranked[0].where == "app.py:4-6"
    assert ranked[0].as_json()["end_line"] == 6
    assert "end_line" not in ranked[1].as_json()


def test_attribute_drop_and_its_siblings_in_the_function() -> None:
    code = textwrap.dedent(
        """\
        import os


        def names(src, other):
            first = f"{src.name} (original)"
            second = f"{src.name} (formatted)"
            return first, second, os.sep, other.strip()
        """
    )
    src = PySource("fmt.py", code)
    mutants = mutants_at(src, 5)
    drops = [m for m in mutants if m.operator == "attribute-drop"]
    single = [m for m in drops if m.text == "src"]
    assert len(single) == 1
    both = [m for m in drops if "all 2 places" in m.description]
    assert len(both) == 1
    fixed = code[: both[0].start] + both[0].text + code[both[0].end :]
    assert "{src} (original)" in fixed
    assert "{src} (formatted)" in fixed
    assert both[0].prior < single[0].prior
    # a module's member and a method being called are never dropped
    at_return = {m.text for m in mutants_at(src, 7) if m.operator == "attribute-drop"}
    assert at_return == set()
