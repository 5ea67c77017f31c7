"""End to end through the CLI: a failing pytest run as the log -> reproduced, localized, searched, validated.

The repo is written here (a logic bug, not a crash, with no template for it); the log is the real
output of its failing test. Checks the report, the stored evidence (`issues show`) and that the
user's tree is untouched.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.proc import child_env

PRICING = '''
def shipping(total, *, express=False):
    """Free shipping from 50.0 on; express always costs 9.0."""
    if express:
        return 9.0
    if total > 50.0:
        return 0.0
    return 4.5
'''

TESTS = """
from store.pricing import shipping


def test_free_from_fifty():
    assert shipping(50.0) == 0.0


def test_small_order_pays():
    assert shipping(10.0) == 4.5


def test_express():
    assert shipping(80.0, express=True) == 9.0
"""


def _cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hephaestus", *args],
        capture_output=True, text=True, env=child_env(tmp_path, HEPHAESTUS_DATA_DIR=str(tmp_path / "data")),
        timeout=600, cwd=tmp_path, check=False,
    )  # fmt: skip


def test_a_failing_test_log_gets_a_validated_fix_with_its_evidence(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for rel, text in {
        "store/__init__.py": "",
        "store/pricing.py": PRICING,
        "tests/test_pricing.py": TESTS,
        "pyproject.toml": "[tool.pytest.ini_options]\npythonpath = ['.']\n",
    }.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=repo, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    log = tmp_path / "pytest.log"
    log.write_text(run.stdout, encoding="utf-8")
    before = (repo / "store/pricing.py").read_text(encoding="utf-8")

    done = _cli("analyze", str(log), "--repo", str(repo), "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert len(doc["issues"]) == 1
    issue = doc["issues"][0]
    assert issue["title"] == "AssertionError: assert 4.5 == 0.0"
    assert issue["evidence"]["reproduced"] is True
    assert issue["evidence"]["failing_tests"] == ["tests/test_pricing.py::test_free_from_fifty"]
    top = [(spot["path"], spot["line"]) for spot in issue["localization"][:5]]
    assert ("store/pricing.py", 5) in top  # `if total > 50.0:`
    solution = issue["solution"]
    assert solution["status"] == "validated"
    assert "-    if total > 50.0:\n+    if total >= 50.0:" in solution["patch"]
    assert solution["validation"]["reproduced_before"] is True
    assert solution["validation"]["fixed_after"] is True
    assert (repo / "store/pricing.py").read_text(encoding="utf-8") == before

    shown = _cli("issues", "show", issue["id"], "--json", tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    stored = json.loads(shown.stdout)
    assert stored["localization"] == issue["localization"]
    assert stored["evidence"]["failing_tests"] == ["tests/test_pricing.py::test_free_from_fifty"]
