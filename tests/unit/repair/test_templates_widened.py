"""The widened templates (loose docstring evidence, index bounds, call sites, operands, branches) on
tiny real repos: the crash is really produced, the best patch applies and fixes it; without
evidence the engine abstains.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from repair_helpers import apply, crash, run_py

from hephaestus.repair import RepairEngine
from hephaestus.repair.evidence import documented_values

CASES: list[tuple[str, dict[str, str], str, str, str]] = [
    # id, files, crashing call, expected template, check after the fix
    ("zero-loose-clause", {"app/stats.py": '''
        def mean_latency(samples: list[float]) -> float:
            """Mean in ms; an idle endpoint with no samples reports 0.0."""
            return sum(samples) / len(samples)
        '''}, "from app.stats import mean_latency; mean_latency([])", "zero-division.documented-default",
     "from app.stats import mean_latency as m; assert m([]) == 0.0 and m([2, 4]) == 3"),
    ("zero-local-lead", {"app/speed.py": '''
        def speed(distance: float, t0: float, t1: float) -> float | None:
            """Distance per second; None while no time has elapsed."""
            elapsed = t1 - t0
            return distance / elapsed
        '''}, "from app.speed import speed; speed(3, 1, 1)", "zero-division.documented-default",
     "from app.speed import speed; assert speed(3, 1, 1) is None and speed(4, 0, 2) == 2"),
    ("range-comprehension", {"app/deltas.py": '''
        def deltas(xs: list[int]) -> list[int]:
            """Differences of neighbours."""
            return [xs[i + 1] - xs[i] for i in range(len(xs))]
        '''}, "from app.deltas import deltas; deltas([1, 3])", "index-error.range-off-by-one",
     "from app.deltas import deltas; assert deltas([1, 3, 6]) == [2, 3] and deltas([]) == []"),
    ("range-window", {"app/win.py": '''
        def sums(xs: list[int], n: int) -> list[int]:
            """Sums of every n consecutive values: len(xs) - n + 1 of them."""
            out = []
            for i in range(len(xs) - n + 2):
                out.append(sum(xs[i + k] for k in range(n)))
            return out
        '''}, "from app.win import sums; sums([1, 2, 3], 2)", "index-error.range-off-by-one",
     "from app.win import sums; assert sums([1, 2, 3], 2) == [3, 5]"),
    ("one-based", {"app/book.py": '''
        def chapter(chapters: list[str], number: int) -> str:
            """Chapter `number`, counted from 1."""
            if number < 1 or number > len(chapters):
                raise ValueError(number)
            return chapters[number]
        '''}, "from app.book import chapter; chapter(['a', 'b'], 2)", "index-error.one-based",
     "from app.book import chapter as c; assert c(['a', 'b'], 1) == 'a' and c(['a', 'b'], 2) == 'b'"),
    ("optional-field", {"app/rows.py": '''
        def parse(line: str) -> tuple[str, str]:
            """sku;note where the note is optional ("" when missing)."""
            parts = line.split(";")
            sku = parts[0]
            note = parts[1]
            return sku, note
        '''}, "from app.rows import parse; parse('A1')", "index-error.optional-field",
     "from app.rows import parse; assert parse('A1') == ('A1', '') and parse('A;x') == ('A', 'x')"),
    ("pop-empty", {"app/q.py": '''
        class Stack:
            def __init__(self) -> None:
                self.items: list[int] = []

            def take(self) -> int | None:
                """Newest item, or None when the stack is empty."""
                return self.items.pop()
        '''}, "from app.q import Stack; Stack().take()", "index-error.empty-documented-default",
     "from app.q import Stack; s = Stack(); assert s.take() is None; s.items.append(4); assert s.take()"),
    ("key-unknown-constant", {"app/codes.py": '''
        NAMES = {"a": "Alpha"}
        FALLBACK_NAME = "?"


        def name(code: str) -> str:
            """Display name; unknown codes show as FALLBACK_NAME."""
            return NAMES[code]
        '''}, "from app.codes import name; name('z')", "key-error.get-default",
     "from app.codes import name; assert name('z') == '?' and name('a') == 'Alpha'"),
    ("len-inline-map", {"app/m.py": '''
        def count(xs: list[int]) -> int:
            return len(map(str, xs))
        '''}, "from app.m import count; count([1])", "type-error.generator-len",
     "from app.m import count; assert count([1, 2]) == 2"),
    ("keyword-only-free", {"app/fmt.py": '''
        def money(amount: float, symbol: str = "$") -> str:
            return f"{symbol}{amount:.2f}"


        def euros(amount: float) -> str:
            return money(amount, currency="EUR ")
        '''}, "from app.fmt import euros; euros(2)", "type-error.keyword-typo",
     "from app.fmt import euros; assert euros(2) == 'EUR 2.00'"),
    ("missing-argument", {"app/paths.py": '''
        def join(root: str, name: str) -> str:
            return root + "/" + name


        class Store:
            def __init__(self, root: str) -> None:
                self.root = root

            def data(self, name: str) -> str:
                return join(self.root, name + ".dat")

            def index(self) -> str:
                return join("index")
        '''}, "from app.paths import Store; Store('/r').index()", "type-error.missing-argument",
     "from app.paths import Store; assert Store('/r').index() == '/r/index'"),
    ("none-operand", {"app/bill.py": '''
        def due(lines: list[dict]) -> float:
            """Sum of amount + fee; the fee is optional (null when there is none)."""
            return sum(line["amount"] + line.get("fee") for line in lines)
        '''}, "from app.bill import due; due([{'amount': 1.5}])", "type-error.none-operand",
     "from app.bill import due; assert due([{'amount': 1.5}, {'amount': 1.0, 'fee': 0.5}]) == 3.0"),
    ("str-number-compare", {"app/q.py": '''
        def limit(args: dict[str, str]) -> int:
            """The limit argument, at most 50."""
            n = args.get("limit", 10)
            return n if n < 50 else 50
        '''}, "from app.q import limit; limit({'limit': '7'})", "type-error.str-number-compare",
     "from app.q import limit; assert limit({'limit': '7'}) == 7 and limit({}) == 10"),
    ("none-sort-key", {"app/s.py": '''
        def by_rank(items: list[dict]) -> list[str]:
            """Names by rank. Items without a rank (rank is None) come first."""
            return [i["name"] for i in sorted(items, key=lambda i: i["rank"])]
        '''}, "from app.s import by_rank; by_rank([{'name': 'a', 'rank': 2}, {'name': 'b', 'rank': None}])",
     "type-error.none-sort-key",
     "from app.s import by_rank; assert by_rank([{'name': 'a', 'rank': 2}, {'name': 'b', 'rank': None},"
     " {'name': 'c', 'rank': 1}]) == ['b', 'c', 'a']"),
    ("none-call-result", {"app/u.py": '''
        NOBODY = "-"


        def find_owner(repo: dict) -> dict | None:
            return repo.get("owner")


        def owner_name(repo: dict) -> str:
            """Owner login; NOBODY for repositories without an owner."""
            return find_owner(repo)["login"]
        '''}, "from app.u import owner_name; owner_name({})", "none-guard.documented-default",
     "from app.u import owner_name as o; assert o({}) == '-' and o({'owner': {'login': 'x'}}) == 'x'"),
    ("branch-default", {"app/last.py": '''
        def last_error(lines: list[str]) -> str | None:
            """The last ERROR line; None when there is no error."""
            for line in lines:
                if line.startswith("ERROR"):
                    found = line
            return found
        '''}, "from app.last import last_error; last_error(['ok'])", "unbound-local.branch-default",
     "from app.last import last_error as f; assert f(['ok']) is None and f(['ERROR x']) == 'ERROR x'"),
    ("branch-try-constant", {"app/cfg.py": '''
        FALLBACK_WORKERS = 4


        def workers(raw: str) -> int:
            """Worker count; malformed values fall back to FALLBACK_WORKERS."""
            try:
                n = int(raw)
            except ValueError:
                pass
            return n
        '''}, "from app.cfg import workers; workers('x')", "unbound-local.branch-default",
     "from app.cfg import workers; assert workers('x') == 4 and workers('2') == 2"),
    ("int-get-constant", {"app/env.py": '''
        DEFAULT_RETRIES = 3


        def retries(env: dict[str, str]) -> int:
            """RETRIES; DEFAULT_RETRIES when unset or empty."""
            return int(env.get("RETRIES", DEFAULT_RETRIES))
        '''}, "from app.env import retries; retries({'RETRIES': ''})", "value-error.blank-default",
     "from app.env import retries as r; assert r({'RETRIES': ''}) == r({}) == 3 and r({'RETRIES': '5'}) > 4"),
    ("key-default-constant", {"app/tz.py": '''
        DEFAULT_ZONE = "UTC"


        def zone(user: dict) -> str:
            return user["zone"]
        '''}, "from app.tz import zone; zone({})", "key-error.get-default",
     "from app.tz import zone; assert zone({}) == 'UTC' and zone({'zone': 'CET'}) == 'CET'"),
    ("key-sibling-get", {"app/opts.py": '''
        def verbose(opts: dict) -> bool:
            return opts.get("verbose", False)


        def quiet(opts: dict) -> bool:
            return opts["quiet"]
        '''}, "from app.opts import quiet; quiet({})", "key-error.get-default",
     "from app.opts import quiet; assert quiet({}) is False and quiet({'quiet': True})"),
    ("key-module-accessor", {"app/hdr.py": '''
        DEFAULT_AGENT = "-"


        def lookup(headers: dict[str, str], name: str, default: str) -> str:
            return next((v for k, v in headers.items() if k.lower() == name.lower()), default)


        def agent(headers: dict[str, str]) -> str:
            return headers["agent"]
        '''}, "from app.hdr import agent; agent({'Agent': 'x'})", "key-error.module-accessor",
     "from app.hdr import agent; assert agent({'Agent': 'x'}) == 'x' and agent({}) == '-'"),
    ("numeric-str-total", {"app/tot.py": '''
        def total(cells: list[str]) -> int:
            n = 0
            for cell in cells:
                n += cell
            return n
        '''}, "from app.tot import total; total(['1'])", "type-error.numeric-str",
     "from app.tot import total; assert total(['1', '2']) == 3"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "call", "template", "check"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_widened_template_fixes_real_crash(
    make_repo, tmp_path: Path, files: dict[str, str], call: str, template: str, check: str
) -> None:
    repo = make_repo(files)
    issue = crash(repo, call)
    result = RepairEngine().propose(issue, repo)
    assert result.candidates, result.diagnosis
    best = result.candidates[0]
    assert best.template == template
    assert "Root cause:" in best.explanation
    fixed = apply(repo, best.patch, tmp_path / "fixed")
    proc = run_py(fixed, check)
    assert proc.returncode == 0, proc.stderr + best.patch


ABSTAIN: list[tuple[str, dict[str, str], str]] = [
    ("zero-undocumented", {"app/a.py": '''
        def ratio(a: int, b: int) -> float:
            """a over b."""
            return a / b
        '''}, "from app.a import ratio; ratio(1, 0)"),
    ("branch-undocumented", {"app/b.py": '''
        def label(code: int) -> str:
            """Label of a code."""
            if code == 1:
                text = "one"
            return text
        '''}, "from app.b import label; label(2)"),
    ("compare-unannotated", {"app/c.py": '''
        def cap(args):
            n = args.get("n", 1)
            return min(n, 10)
        '''}, "from app.c import cap; cap({'n': '3'})"),
    ("sort-key-undocumented", {"app/d.py": '''
        def order(items: list[dict]) -> list[dict]:
            """Items by rank."""
            return sorted(items, key=lambda i: i["rank"])
        '''}, "from app.d import order; order([{'rank': None}, {'rank': 'a'}])"),
    ("field-not-optional", {"app/e.py": '''
        def second(line: str) -> str:
            """The second column."""
            cols = line.split(",")
            value = cols[1]
            return value
        '''}, "from app.e import second; second('x')"),
    ("missing-arg-ambiguous", {"app/f.py": '''
        def pair(a: str, b: str) -> str:
            return a + b


        def one(x: str) -> str:
            return pair(x)
        '''}, "from app.f import one; one('x')"),
]  # fmt: skip


@pytest.mark.parametrize(("files", "call"), [c[1:] for c in ABSTAIN], ids=[c[0] for c in ABSTAIN])
def test_widened_templates_abstain_without_evidence(make_repo, files: dict[str, str], call: str) -> None:
    repo = make_repo(files)
    result = RepairEngine().propose(crash(repo, call), repo)
    assert result.candidates == ()
    assert result.diagnosis is not None
    assert "abstaining" in result.diagnosis


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ("Rate; None for a variant nobody has seen yet.", [("None", "a variant nobody has seen yet")]),
        ("A job with no items is done: 100.0.", [("100.0", "A job with no items is done: 100.0")]),
        ("Port; DEFAULT_PORT when unset.", [("DEFAULT_PORT", "unset")]),
        ("Limits 1..10; nothing below 1 or above 10.", []),
        ("Index of a 0 width column: 0.", [("0", "Index of a 0 width column: 0")]),
    ],
)
def test_loose_documented_values(doc: str, expected: list[tuple[str, str]]) -> None:
    found = documented_values(doc, loose=True, constants={"DEFAULT_PORT"})
    assert [(d.code, d.condition) for d in found] == expected
    assert documented_values(doc) == []
