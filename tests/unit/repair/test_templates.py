"""Each template on a tiny real repo: the crash is really produced, the patch applies and fixes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from repair_helpers import apply, crash, run_py

from hephaestus.repair import RepairEngine

CASES: list[tuple[str, dict[str, str], str, str, str]] = [
    # id, files, crashing call, expected template, check after the fix
    ("name-typo", {"app/calc.py": '''
        def total(prices, rate):
            subtotal = sum(prices)
            return sub_total * (1 + rate)
        '''}, "from app.calc import total; total([1, 2], 0.5)", "name-error.typo",
     "from app.calc import total; assert total([1, 2], 0.5) == 4.5"),
    ("name-loop-typo", {"app/stock.py": '''
        def low(items):
            out = []
            for item in items:
                out.append(itme["sku"])
            return out
        '''}, "from app.stock import low; low([{'sku': 1}])", "name-error.typo",
     "from app.stock import low; assert low([{'sku': 1}]) == [1]"),
    ("stdlib-module", {"app/text.py": '''
        """Slugs."""
        from __future__ import annotations


        def slug(s):
            return re.sub(r"\\W+", "-", s)
        '''}, "from app.text import slug; slug('a b')", "name-error.stdlib-import",
     "from app.text import slug; assert slug('a b') == 'a-b'"),
    ("stdlib-name", {"app/when.py": '''
        from datetime import datetime


        def later(now, days):
            return now + timedelta(days=days)
        '''}, "import datetime as d; from app.when import later; later(d.datetime(2020, 1, 1), 1)",
     "name-error.stdlib-import", "import datetime as d; from app.when import later; "
     "assert later(d.datetime(2020, 1, 1), 1).day == 2"),
    ("missing-global", {"app/count.py": '''
        CALLS = 0


        def hit():
            """Count a call."""
            CALLS += 1
            return CALLS
        '''}, "from app.count import hit; hit()", "unbound-local.missing-global",
     "from app.count import hit; hit(); assert hit() == 2"),
    ("attr-typo", {"app/names.py": '''
        def is_admin(name):
            return name.startwith("admin")
        '''}, "from app.names import is_admin; is_admin('admin1')", "attribute-error.typo",
     "from app.names import is_admin; assert is_admin('admin1')"),
    ("attr-class-field", {"app/parcel.py": '''
        from dataclasses import dataclass


        @dataclass
        class Parcel:
            weight_kg: float


        def cost(p):
            return 2 * p.weight
        '''}, "from app.parcel import Parcel, cost; cost(Parcel(3))", "attribute-error.typo",
     "from app.parcel import Parcel, cost; assert cost(Parcel(3)) == 6"),
    ("dict-as-attr", {"app/cfg.py": '''
        def port(cfg):
            return cfg.port + 1
        '''}, "from app.cfg import port; port({'port': 1})", "attribute-error.dict-subscript",
     "from app.cfg import port; assert port({'port': 1}) == 2"),
    ("str-decode", {"app/dec.py": '''
        def text(payload):
            value = payload.decode("utf-8")
            return value.upper()
        '''}, "from app.dec import text; text('ab')", "attribute-error.str-decode",
     "from app.dec import text; assert text('ab') == 'AB' and text(b'ab') == 'AB'"),
    ("none-guard", {"app/users.py": '''
        GUEST = "Guest"


        def find(users, email):
            return users.get(email)


        def greet(users, email):
            """The user's name; unknown addresses are greeted as GUEST."""
            user = find(users, email)
            return user.name
        '''}, "from app.users import greet; greet({}, 'x')", "none-guard.documented-default",
     "from app.users import greet; assert greet({}, 'x') == 'Guest'"),
    ("none-optional-mapping", {"app/policy.py": '''
        def attempts(cfg):
            return cfg.get("retry").get("max", 3)
        '''}, "from app.policy import attempts; attempts({})", "none-guard.optional-mapping",
     "from app.policy import attempts; assert attempts({}) == 3"),
    ("key-counter", {"app/words.py": '''
        def count(words):
            seen = {}
            for w in words:
                seen[w] += 1
            return seen
        '''}, "from app.words import count; count(['a'])", "key-error.counter-default",
     "from app.words import count; assert count(['a', 'a']) == {'a': 2}"),
    ("key-group", {"app/group.py": '''
        def group(rows):
            out = {}
            for r in rows:
                out[r[0]].append(r[1])
            return out
        '''}, "from app.group import group; group([(1, 2)])", "key-error.setdefault-container",
     "from app.group import group; assert group([(1, 2), (1, 3)]) == {1: [2, 3]}"),
    ("key-section", {"app/log.py": '''
        def level(cfg):
            return cfg["logging"].get("level", "INFO")
        '''}, "from app.log import level; level({})", "key-error.optional-section",
     "from app.log import level; assert level({}) == 'INFO'"),
    ("key-default-constant", {"app/fees.py": '''
        RATES = {"DE": 4.5}
        #: flat rate
        DEFAULT_RATE = 12.0


        def fee(country):
            """Zone rate of the country, DEFAULT_RATE elsewhere."""
            return RATES[country]
        '''}, "from app.fees import fee; fee('AT')", "key-error.get-default",
     "from app.fees import fee; assert fee('AT') == 12.0 and fee('DE') == 4.5"),
    ("index-range", {"app/seq.py": '''
        def doubled(xs):
            out = []
            for i in range(len(xs) + 1):
                out.append(xs[i] * 2)
            return out
        '''}, "from app.seq import doubled; doubled([1])", "index-error.range-off-by-one",
     "from app.seq import doubled; assert doubled([1, 2]) == [2, 4]"),
    ("index-empty", {"app/hist.py": '''
        def latest(releases: list[str]) -> str | None:
            """The newest release; returns None when there are no releases."""
            return releases[-1]
        '''}, "from app.hist import latest; latest([])", "index-error.empty-documented-default",
     "from app.hist import latest; assert latest([]) is None and latest(['a']) == 'a'"),
    ("str-concat", {"app/msg.py": '''
        def label(n):
            return "items: " + n
        '''}, "from app.msg import label; label(3)", "type-error.str-concat",
     "from app.msg import label; assert label(3) == 'items: 3'"),
    ("generator-len", {"app/alerts.py": '''
        def count_high(values):
            high = (v for v in values if v > 5)
            return len(high)
        '''}, "from app.alerts import count_high; count_high([9])", "type-error.generator-len",
     "from app.alerts import count_high; assert count_high([9, 1, 7]) == 2"),
    ("keyword-typo", {"app/mail.py": '''
        def render(name, language="en"):
            return f"{language}:{name}"


        def welcome(name):
            return render(name, languag="de")
        '''}, "from app.mail import welcome; welcome('x')", "type-error.keyword-typo",
     "from app.mail import welcome; assert welcome('x') == 'de:x'"),
    ("import-name", {"app/__init__.py": "", "app/util.py": "def average(xs):\n    return sum(xs) / len(xs)\n",
                     "app/main.py": '''
        from app.util import averge


        def run():
            return averge([2, 4])
        '''}, "import app.main", "import-error.name-typo",
     "from app.main import run; assert run() == 3"),
    ("import-module", {"app/__init__.py": "", "app/helpers.py": "X = 1\n", "app/main.py": '''
        from app.helprs import X


        def run():
            return X
        '''}, "import app.main", "import-error.module-typo", "from app.main import run; assert run() == 1"),
    ("int-blank", {"app/qty.py": '''
        def parse_qty(text):
            """Quantity in a CSV cell; a blank cell defaults to 0."""
            return int(text)
        '''}, "from app.qty import parse_qty; parse_qty('')", "value-error.blank-default",
     "from app.qty import parse_qty; assert parse_qty('') == 0 and parse_qty('4') == 4"),
    ("json-empty", {"app/body.py": '''
        import json


        def parse(body):
            """Decoded request body; returns {} when the body is empty."""
            return json.loads(body)
        '''}, "from app.body import parse; parse('')", "json.empty-body-default",
     "from app.body import parse; assert parse('') == {} and parse('[1]') == [1]"),
    ("zero-sibling", {"app/stats.py": '''
        def mean(xs):
            if not xs:
                return 0.0
            return sum(xs) / len(xs)


        def rate(hits, total):
            share = hits * 100
            return share / total
        '''}, "from app.stats import rate; rate(1, 0)", "zero-division.sibling-guard",
     "from app.stats import rate; assert rate(1, 0) == 0.0 and rate(1, 4) == 25"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "call", "template", "check"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_template_fixes_real_crash(
    make_repo, tmp_path: Path, files: dict[str, str], call: str, template: str, check: str
) -> None:
    repo = make_repo(files)
    issue = crash(repo, call)
    result = RepairEngine().propose(issue, repo)
    assert result.candidates, result.diagnosis
    best = result.candidates[0]
    assert best.template == template
    assert best.kind == "template"
    assert 0 < best.prior <= 1
    assert "What failed:" in best.explanation
    assert "Root cause:" in best.explanation
    fixed = apply(repo, best.patch, tmp_path / "fixed")
    proc = run_py(fixed, check)
    assert proc.returncode == 0, proc.stderr + best.patch
    before = {p.relative_to(repo): p.read_text() for p in repo.rglob("*.py")}
    assert all(p.read_text() == before[p.relative_to(repo)] for p in repo.rglob("*.py"))
