"""End to end: the real CLI in a subprocess on the bundled example (log -> issue -> validated fix)."""

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.proc import child_env

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_LOG = ROOT / "examples" / "logs" / "shop.log"
EXAMPLE_REPO = ROOT / "examples" / "shop"


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(tmp_path, HEPHAESTUS_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run(
        [sys.executable, "-m", "hephaestus", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "shop"
    shutil.copytree(EXAMPLE_REPO, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return dest


def test_analyze_json_finds_the_issue_and_a_validated_fix_that_git_applies(tmp_path, repo):
    before = _tree_digest(repo)
    result = _run("analyze", str(EXAMPLE_LOG), "--repo", str(repo), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)  # exactly one JSON document
    assert _tree_digest(repo) == before, "analyze modified the repository"
    by_type = {i["error_type"]: i for i in doc["issues"]}
    zde = by_type["ZeroDivisionError"]
    assert zde["count"] == 3
    assert zde["severity"] == "high"
    assert zde["first_seen"] < zde["last_seen"]
    assert set(zde) >= {
        "id",
        "fingerprint",
        "title",
        "error_type",
        "count",
        "severity",
        "first_seen",
        "last_seen",
    }
    solution = zde["solution"]
    assert solution["status"] == "validated"
    assert solution["provider"] == "builtin"
    assert 0 < solution["score"] <= 1
    assert "average_order_value" in solution["explanation"]
    assert doc["stats"]["solutions_validated"] >= 1
    # the patch applies at the repo root and makes the empty-orders case work
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "-"], input=solution["patch"], text=True, cwd=repo, check=True)
    check = subprocess.run(
        [sys.executable, "-c", "from shop.pricing import average_order_value as a; print(a([]))"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "0.0"
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout


def test_issues_persist_for_the_issues_and_feedback_commands(tmp_path, repo):
    assert _run("analyze", str(EXAMPLE_LOG), "--repo", str(repo), "--json", tmp_path=tmp_path).returncode == 0
    listed = json.loads(_run("issues", "--json", tmp_path=tmp_path).stdout)["issues"]
    zde = next(i for i in listed if i["error_type"] == "ZeroDivisionError")
    assert zde["solution"]["status"] == "validated"
    shown = json.loads(_run("issues", "show", zde["id"], "--json", tmp_path=tmp_path).stdout)
    assert shown["frames"][-1]["function"] == "average_order_value"
    fb = _run("feedback", zde["id"], "accept", "--json", tmp_path=tmp_path)
    assert fb.returncode == 0, fb.stderr
    assert json.loads(fb.stdout)["template"]
    resolved = json.loads(_run("issues", "--json", "--status", "resolved", tmp_path=tmp_path).stdout)
    assert [i["id"] for i in resolved["issues"]] == [zde["id"]]


def test_rich_report_without_json(tmp_path, repo):
    result = _run("analyze", str(EXAMPLE_LOG), "--repo", str(repo), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "validated" in result.stdout
    assert "ZeroDivisionError" in result.stdout
    assert "+    if not orders:" in result.stdout or "if not orders" in result.stdout


def test_no_fix_and_gzip_input(tmp_path):
    packed = tmp_path / "shop.log.gz"
    packed.write_bytes(gzip.compress(EXAMPLE_LOG.read_bytes()))
    result = _run("analyze", str(packed), "--no-fix", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {i["error_type"] for i in doc["issues"]} >= {"ZeroDivisionError"}
    assert all(i["solution"] is None for i in doc["issues"])


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda t: [str(t / "missing.log")], "log file not found"),
        (lambda t: [str(EXAMPLE_LOG), "--repo", str(t / "no-such-repo")], "repository not found"),
        (lambda t: [str(EXAMPLE_LOG), "--repo", str(EXAMPLE_LOG)], "must be a directory"),
        (lambda t: [str(t)], "directory, not a file"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, make_args, message):
    result = _run("analyze", *make_args(tmp_path), "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_binary_and_empty_logs_are_not_a_crash(tmp_path):
    binary, empty = tmp_path / "core.bin", tmp_path / "empty.log"
    binary.write_bytes(bytes(range(256)) * 200 + b"\xff\xfe\x00garbage\n" * 50)
    empty.write_bytes(b"")
    for path in (binary, empty):
        result = _run("analyze", str(path), "--json", tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        doc = json.loads(result.stdout)
        assert isinstance(doc["issues"], list)
    assert json.loads(_run("analyze", str(empty), "--json", tmp_path=tmp_path).stdout)["issues"] == []
