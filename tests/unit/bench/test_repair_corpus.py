"""Keeps the repair-benchmark corpus from rotting.

A structural pass over every case (cheap), then the full mechanical check (visible tests pass on the
buggy code, trigger reproduces the failure and matches app.log, hidden tests fail, fix.patch applies
and makes everything pass) on a few representative cases. The whole corpus is checked with
``python bench/repair_corpus/check_corpus.py``.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "bench" / "repair_corpus"
SAMPLE = [
    "01_nameerror_invoice_coupon",  # crash bug, default logging format
    "57_logic_business_days_off_by_one",  # logic bug, log = pytest output
    "62_abstain_missing_env_var",  # abstain
]
MINIMUM = {
    "NameError": 6,
    "AttributeError": 7,
    "KeyError": 7,
    "IndexError": 6,
    "ZeroDivisionError": 6,
    "TypeError": 8,
    "UnboundLocalError": 4,
    "ImportError": 4,
    "ValueError": 4,
    "JSONDecodeError": 3,
    "Logic": 5,
    "Abstain": 4,
}


def _checker():
    spec = importlib.util.spec_from_file_location("check_corpus", CORPUS / "check_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "case.json").is_file())


def test_corpus_shape():
    cases = _cases()
    assert len(cases) >= 60
    metas = [json.loads((c / "case.json").read_text()) for c in cases]
    for case, meta in zip(cases, metas, strict=True):
        assert meta["id"] == case.name
        assert meta["expect"] in ("fix", "abstain")
        assert (case / "app.log").stat().st_size > 0
        assert (case / "fix.patch").exists() == (meta["expect"] == "fix")
        assert (case / "hidden" / "test_hidden.py").exists() or meta["expect"] == "abstain"
    counts = Counter(m["category"] for m in metas)
    for category, minimum in MINIMUM.items():
        assert counts[category] >= minimum, category
    assert all(m["expect"] == "abstain" for m in metas if m["category"] == "Abstain")


def test_sample_cases_pass_the_checker():
    checker = _checker()
    with ThreadPoolExecutor(max_workers=len(SAMPLE)) as pool:
        problems = pool.map(lambda n: checker.check_case(str(CORPUS / n)), SAMPLE)
        results = dict(zip(SAMPLE, problems, strict=True))
    bad = {name: problems for name, problems in results.items() if problems}
    assert not bad, bad
