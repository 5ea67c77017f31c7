"""Repair benchmark: runs ``hephaestus analyze`` on every case of the crash-bug corpus and scores it.

For each case in ``bench/repair_corpus/NN_*`` the case's ``repo/`` is copied to a temporary
directory and ``python -m hephaestus analyze <case>/app.log --repo <copy> --json`` is run (same
interpreter as this script). The copy must be left untouched. The validated solution of the
reported issue is then scored on a *fresh* copy:

  correct               expect=fix: the patch applies with ``git apply``, the visible tests and the
                        hidden tests (never shown to the engine) pass. The proposed solution is
                        the issue's `validated` one, else its `plausible` one (tests pass but
                        nothing reproduced the crash); `correct_validated` counts the former.
                        expect=abstain: no validated patch was proposed.
  plausible-but-wrong   validated patch, visible tests pass, hidden tests fail (or, for
                        expect=abstain, any validated patch).
  regression            the patch makes a previously passing visible test fail.
  bad-patch             a validated patch that ``git apply`` rejects.
  no-patch              no validated patch (the engine abstained) on an expect=fix case.
  repo-modified         analyze wrote into --repo.
  error                 analyze crashed, timed out or did not print exactly one JSON document.

Seconds are the wall time of the analyze run (it includes the engine's own validation).

    python bench/repair.py [--corpus DIR] [--cases GLOB] [--json] [--timeout S] [--save DIR]

The last line printed is ``RESULT correct=<n> total=<n> wrong=<n> regressions=<n> p95_s=<x>``
(wrong = plausible-but-wrong). With ``--json`` stdout is a single JSON document and the RESULT
line goes to stderr. The exit status is 0 whatever the score: this measures, it does not gate.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "repair_corpus"
IGNORED = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
OUTCOMES = ("correct", "plausible-but-wrong", "regression", "bad-patch", "no-patch", "repo-modified", "error")


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    env.pop("PYTEST_ADDOPTS", None)
    return env


def case_dirs(corpus: Path, glob: str | None) -> list[Path]:
    cases = sorted(p for p in corpus.iterdir() if (p / "case.json").is_file())
    if glob:
        cases = [p for p in cases if fnmatch.fnmatch(p.name, glob)]
    return cases


def tree_digest(root: Path) -> str:
    """Content hash of a directory tree (caches ignored)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes() if not path.is_symlink() else os.readlink(path).encode())
            h.update(b"\0")
    return h.hexdigest()


def copy_repo(case: Path, dst: Path) -> Path:
    shutil.copytree(case / "repo", dst, ignore=shutil.ignore_patterns(*IGNORED))
    return dst


def pytest_passes(repo: Path, timeout: float = 300) -> bool:
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"],
            cwd=repo,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


PROPOSED = ("validated", "plausible")


def pick_solution(doc: dict[str, Any], error_type: str) -> dict[str, Any] | None:
    """The proposed solution of the reported issue: validated (the failure was reproduced and is gone)
    before plausible (tests pass, nothing reproduced the failure); the issue of the expected type first."""
    validated = [
        i
        for i in doc.get("issues", [])
        if isinstance(i.get("solution"), dict) and i["solution"].get("status") in PROPOSED
    ]
    validated.sort(key=lambda i: PROPOSED.index(i["solution"]["status"]))
    if not validated:
        return None
    for issue in validated:
        if str(issue.get("error_type") or "").split(".")[-1] == error_type:
            return issue["solution"]
    return validated[0]["solution"]


def evaluate(case: Path, timeout: float, save: Path | None = None) -> dict[str, Any]:
    meta = json.loads((case / "case.json").read_text())
    row: dict[str, Any] = {
        "case": case.name,
        "category": meta["category"],
        "expect": meta["expect"],
        "outcome": "error",
        "seconds": 0.0,
        "detail": "",
        "provider": None,
    }
    with tempfile.TemporaryDirectory(prefix="heph-bench-") as tmp_s:
        tmp = Path(tmp_s)
        work = copy_repo(case, tmp / "repo")
        before = tree_digest(work)
        log = str(case / "app.log")
        cmd = [sys.executable, "-m", "hephaestus", "analyze", log, "--repo", str(work), "--json"]
        t0 = time.monotonic()
        try:
            proc = subprocess.run(
                cmd, cwd=tmp, env=_env(), capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            row["seconds"] = round(time.monotonic() - t0, 2)
            row["detail"] = f"timeout after {timeout:.0f}s"
            return row
        row["seconds"] = round(time.monotonic() - t0, 2)
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{case.name}.json").write_text(proc.stdout)
            (save / f"{case.name}.stderr").write_text(proc.stderr)
        if tree_digest(work) != before:
            row["outcome"], row["detail"] = "repo-modified", "analyze modified --repo"
            return row
        if proc.returncode != 0:
            last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
            row["detail"] = f"exit {proc.returncode}: {last[0][:300]}"
            return row
        try:
            doc = json.loads(proc.stdout)
        except ValueError as exc:
            row["detail"] = f"stdout is not one JSON document: {exc}"
            return row
        if not isinstance(doc, dict) or not isinstance(doc.get("issues"), list):
            row["detail"] = "JSON document has no issues list"
            return row
        solution = pick_solution(doc, meta["error_type"])
        row["issues"] = len(doc["issues"])
        if solution is None:
            row["outcome"] = "correct" if meta["expect"] == "abstain" else "no-patch"
            return row
        row["provider"] = solution.get("provider")
        row["status"] = solution.get("status")
        if meta["expect"] == "abstain":
            row["outcome"], row["detail"] = "plausible-but-wrong", "validated patch on an abstain case"
            return row
        patch = solution.get("patch") or ""
        fresh = copy_repo(case, tmp / "fresh")
        (tmp / "proposed.patch").write_text(patch)
        applied = subprocess.run(
            ["git", "apply", str(tmp / "proposed.patch")],
            cwd=fresh,
            capture_output=True,
            text=True,
            check=False,
        )
        if not patch.strip() or applied.returncode != 0:
            row["outcome"], row["detail"] = "bad-patch", " ".join(applied.stderr.split())[:300]
            return row
        if not pytest_passes(fresh):
            row["outcome"] = "regression"
            return row
        shutil.copy(case / "hidden" / "test_hidden.py", fresh / "tests" / "test_hidden.py")
        row["outcome"] = "correct" if pytest_passes(fresh) else "plausible-but-wrong"
    return row


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    per_cat: dict[str, dict[str, int]] = {}
    for r in rows:
        cat = per_cat.setdefault(r["category"], {"total": 0, **dict.fromkeys(OUTCOMES, 0)})
        cat["total"] += 1
        cat[r["outcome"]] += 1
    return {
        "correct": sum(r["outcome"] == "correct" for r in rows),
        "correct_validated": sum(r["outcome"] == "correct" and r.get("status") == "validated" for r in rows),
        "total": len(rows),
        "wrong": sum(r["outcome"] == "plausible-but-wrong" for r in rows),
        "regressions": sum(r["outcome"] == "regression" for r in rows),
        "p95_s": round(p95([r["seconds"] for r in rows]), 2),
        "outcomes": {o: sum(r["outcome"] == o for r in rows) for o in OUTCOMES},
        "per_category": per_cat,
    }


def result_line(s: dict[str, Any]) -> str:
    return (
        f"RESULT correct={s['correct']} total={s['total']} wrong={s['wrong']} "
        f"regressions={s['regressions']} p95_s={s['p95_s']:.2f} correct_validated={s['correct_validated']}"
    )


def print_table(rows: list[dict[str, Any]], s: dict[str, Any]) -> None:
    print(f"{'case':<44} {'category':<18} {'outcome':<20} {'seconds':>8}")
    for r in rows:
        print(
            f"{r['case']:<44} {r['category']:<18} {r['outcome']:<20} {r['seconds']:>8.2f}"
            + (f"  {r['detail'][:120]}" if r["detail"] and r["outcome"] != "correct" else "")
        )
    print()
    head = ("category", "total", "correct", "wrong", "regr", "bad", "nopatch", "error")
    print("{:<18} {:>5} {:>7} {:>5} {:>4} {:>4} {:>7} {:>5}".format(*head))
    for cat, c in sorted(s["per_category"].items()):
        cells = (cat, c["total"], c["correct"], c["plausible-but-wrong"], c["regression"], c["bad-patch"])
        tail = (c["no-patch"], c["error"] + c["repo-modified"])
        print("{:<18} {:>5} {:>7} {:>5} {:>4} {:>4} {:>7} {:>5}".format(*cells, *tail))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score hephaestus analyze against the crash-bug corpus.")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cases", default=None, help="glob over case directory names, e.g. '0[1-6]_*'")
    ap.add_argument("--json", action="store_true", help="print one JSON document (RESULT line on stderr)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per analyze run")
    ap.add_argument("--save", type=Path, default=None, help="keep each analyze output in this directory")
    args = ap.parse_args(argv)
    rows = []
    for case in case_dirs(args.corpus, args.cases):
        row = evaluate(case, args.timeout, args.save)
        rows.append(row)
        if not args.json:
            print(f"... {row['case']}: {row['outcome']} ({row['seconds']:.1f}s)", file=sys.stderr, flush=True)
    summary = summarize(rows)
    if args.json:
        print(json.dumps({"cases": rows, "summary": summary}, indent=2))
        print(result_line(summary), file=sys.stderr)
    else:
        print_table(rows, summary)
        print(result_line(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
