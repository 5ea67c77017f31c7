"""Mechanical checker for the repair corpus.

For every case (``NN_category_slug/`` with a ``case.json``) it verifies:

  structure   case.json fields, repo/ with pyproject.toml + tests/, trigger.py, app.log; expect=fix cases
              have hidden/test_hidden.py and fix.patch, expect=abstain cases have no fix.patch
  visible     the repo's own tests pass on the buggy code
  trigger     trigger.py really reproduces the expected exception (or, for logic bugs, a failing test)
              and its output is byte-identical to the committed app.log (no stale logs); the log does
              not leak the checkout path
  hidden      hidden/test_hidden.py fails on the buggy code
  fix         fix.patch applies with ``git apply`` at repo/ root, and visible + hidden tests then pass

    python bench/repair_corpus/check_corpus.py [--cases GLOB] [--no-log-compare] [-j N] [-v]

Exit status 0 when every selected case passes.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

CORPUS = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = {
    "NameError", "AttributeError", "KeyError", "IndexError", "ZeroDivisionError", "TypeError",
    "UnboundLocalError", "ImportError", "ValueError", "JSONDecodeError", "Logic", "Abstain",
}
ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
ENV.pop("PYTEST_ADDOPTS", None)
ENV.pop("CI", None)  # pytest prints longer assertion explanations under CI: logs must not depend on it



_ENV_LINES = ("platform ", "plugins: ", "cachedir: ")


def _comparable(log: str) -> str:
    """The log minus pytest header lines that name the local interpreter and package versions
    (pytest/pluggy/plugins differ between machines; the failure itself must not)."""
    return "\n".join(line for line in log.splitlines() if not line.startswith(_ENV_LINES))

def case_dirs(glob: str | None = None, corpus: str = CORPUS) -> list[str]:
    names = sorted(n for n in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, n, "case.json")))
    if glob:
        names = [n for n in names if fnmatch.fnmatch(n, glob)]
    return [os.path.join(corpus, n) for n in names]


def _pytest(repo: str) -> tuple[int, str, float]:
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"], cwd=repo,
                          env=ENV, capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout[-3000:] + proc.stderr[-2000:], time.monotonic() - t0


def _copy_repo(case: str, tmp: str, name: str) -> str:
    dst = os.path.join(tmp, name)
    shutil.copytree(os.path.join(case, "repo"), dst, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return dst


def _add_hidden(case: str, repo: str) -> None:
    shutil.copy(os.path.join(case, "hidden", "test_hidden.py"), os.path.join(repo, "tests", "test_hidden.py"))


def check_case(case: str, compare_log: bool = True) -> list[str]:
    """Problems found in one case (empty list = the case is sound)."""
    problems: list[str] = []
    name = os.path.basename(case)
    try:
        meta = json.load(open(os.path.join(case, "case.json")))
    except (OSError, ValueError) as exc:
        return [f"case.json unreadable: {exc}"]
    for key in ("id", "category", "expect", "error_type", "description"):
        if not meta.get(key):
            problems.append(f"case.json lacks {key}")
    if meta.get("id") != name:
        problems.append(f"case.json id {meta.get('id')!r} != directory name")
    if meta.get("category") not in CATEGORIES:
        problems.append(f"unknown category {meta.get('category')!r}")
    expect = meta.get("expect")
    if expect not in ("fix", "abstain"):
        problems.append(f"bad expect {expect!r}")
    required = ["repo/pyproject.toml", "repo/tests", "trigger.py", "app.log"]
    if expect == "fix":
        required += ["hidden/test_hidden.py", "fix.patch"]
    for rel in required:
        if not os.path.exists(os.path.join(case, rel)):
            problems.append(f"missing {rel}")
    if expect == "abstain" and os.path.exists(os.path.join(case, "fix.patch")):
        problems.append("abstain case has a fix.patch")
    for root, dirs, _files in os.walk(os.path.join(case, "repo")):
        if "__pycache__" in dirs or ".pytest_cache" in dirs:
            problems.append(f"stray cache directory under {os.path.relpath(root, case)}")
    if problems:
        return problems

    with tempfile.TemporaryDirectory(prefix="heph-check-") as tmp:
        # visible tests on the buggy code
        repo = _copy_repo(case, tmp, "buggy")
        rc, out, secs = _pytest(repo)
        if rc != 0:
            problems.append(f"visible tests fail on buggy code:\n{out}")
        m = re.search(r"in (\d+\.\d+)s", out)
        if m and float(m.group(1)) > 3:
            # advisory only: a loaded machine can slow any run down
            print(f"note: {name}: visible tests took {m.group(1)}s inside pytest", file=sys.stderr)

        # trigger reproduces the failure, deterministically
        proc = subprocess.run([sys.executable, "trigger.py", "--out", "-"], cwd=case, env=ENV,
                              capture_output=True, text=True, timeout=120)
        log = proc.stdout
        if proc.returncode != 0:
            problems.append(f"trigger.py exited {proc.returncode}: {proc.stderr[-1500:]}")
        elif meta["category"] == "Logic":
            if "FAILED tests/test_hidden.py" not in log:
                problems.append("logic-bug trigger output has no failing test")
        elif f"{meta['error_type']}:" not in log and f'"error.type": "{meta["error_type"]}"' not in log:
            problems.append(f"trigger output does not show {meta['error_type']}")
        if "repair_corpus" in log or os.path.dirname(CORPUS) in log or tempfile.gettempdir() + "/" in log:
            problems.append("log leaks a checkout/temp path")
        if compare_log and proc.returncode == 0:
            with open(os.path.join(case, "app.log"), encoding="utf-8") as fh:
                if _comparable(fh.read()) != _comparable(log):
                    problems.append("committed app.log is stale (run make_logs.py)")

        if expect != "fix":
            return problems

        # hidden tests fail on the buggy code
        _add_hidden(case, repo)
        rc, out, _ = _pytest(repo)
        if rc == 0:
            problems.append("hidden tests pass on the buggy code")

        # reference fix applies and makes everything pass
        fixed = _copy_repo(case, tmp, "fixed")
        proc = subprocess.run(["git", "apply", os.path.join(case, "fix.patch")], cwd=fixed,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            problems.append(f"fix.patch does not apply: {proc.stderr}")
            return problems
        rc, out, _ = _pytest(fixed)
        if rc != 0:
            problems.append(f"visible tests fail after fix.patch:\n{out}")
        _add_hidden(case, fixed)
        rc, out, _ = _pytest(fixed)
        if rc != 0:
            problems.append(f"hidden tests fail after fix.patch:\n{out}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=None, help="glob over case directory names")
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--no-log-compare", action="store_true", help="don't require app.log to be up to date")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args(argv)
    cases = case_dirs(args.cases, args.corpus)
    t0 = time.monotonic()
    bad = 0
    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=args.j) as pool:
        results = pool.map(lambda c: (c, check_case(c, not args.no_log_compare)), cases)
        for case, problems in results:
            meta = json.load(open(os.path.join(case, "case.json")))
            counts[meta["category"]] = counts.get(meta["category"], 0) + 1
            if problems:
                bad += 1
                print(f"FAIL {os.path.basename(case)}")
                for p in problems:
                    print("   - " + p.replace("\n", "\n     "))
            elif args.v:
                print(f"ok   {os.path.basename(case)}")
    summary = " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"checked {len(cases)} cases in {time.monotonic() - t0:.0f}s: {len(cases) - bad} ok, {bad} failing")
    print(f"categories: {summary}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
