"""Regenerates every case's app.log by running its trigger.py (really executing the buggy code).

    python bench/repair_corpus/make_logs.py [GLOB ...]     # e.g. '0[1-5]_*'
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CORPUS = os.path.dirname(os.path.abspath(__file__))


def case_dirs(globs: list[str] | None = None) -> list[str]:
    names = sorted(n for n in os.listdir(CORPUS) if os.path.isfile(os.path.join(CORPUS, n, "case.json")))
    if globs:
        names = [n for n in names if any(fnmatch.fnmatch(n, g) for g in globs)]
    return [os.path.join(CORPUS, n) for n in names]


def make(case: str) -> tuple[str, int, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)  # pytest's CI mode changes assertion output; logs must not depend on it
    proc = subprocess.run([sys.executable, "trigger.py"], cwd=case, env=env, capture_output=True, text=True,
                          timeout=120)
    return os.path.basename(case), proc.returncode, proc.stderr


def main() -> int:
    failed = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, rc, err in pool.map(make, case_dirs(sys.argv[1:])):
            print(f"{'ok ' if rc == 0 else 'ERR'} {name}")
            if rc:
                failed += 1
                print(err)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
