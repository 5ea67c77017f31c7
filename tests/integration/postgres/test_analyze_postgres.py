"""End to end on PostgreSQL: the real CLI (`hephaestus analyze`) with HEPHAESTUS_STORE__URL pointing
at the throwaway server finds the same issues as on the default SQLite store, and the store
holds them, with the validated fix, afterwards."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hephaestus.store import Store
from tests.support.proc import child_env

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_LOG = ROOT / "examples" / "logs" / "shop.log"
EXAMPLE_REPO = ROOT / "examples" / "shop"
_ISSUE_FIELDS = ("id", "fingerprint", "title", "error_type", "count", "severity", "first_seen", "last_seen")


def _analyze(tmp_path: Path, *args: str, **env: str) -> dict:
    tmp_path.mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "hephaestus", "analyze", str(EXAMPLE_LOG), "--json", *args],
        capture_output=True,
        text=True,
        env=child_env(tmp_path, HEPHAESTUS_DATA_DIR=str(tmp_path / "data"), **env),
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _issues(doc: dict) -> list[dict]:
    return sorted(({k: i[k] for k in _ISSUE_FIELDS} for i in doc["issues"]), key=lambda i: i["id"])


def test_analyze_on_postgres_finds_the_same_issues_as_on_sqlite(tmp_path, fresh_postgres_url):
    repo = tmp_path / "shop"
    shutil.copytree(EXAMPLE_REPO, repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    on_sqlite = _analyze(tmp_path / "lite", "--no-fix")
    assert (tmp_path / "lite" / "data" / "hephaestus.sqlite").exists()

    on_pg = _analyze(tmp_path / "pg", "--repo", str(repo), HEPHAESTUS_STORE__URL=fresh_postgres_url)
    assert not (tmp_path / "pg" / "data" / "hephaestus.sqlite").exists(), "wrote to SQLite, not PostgreSQL"
    assert _issues(on_pg) == _issues(on_sqlite)
    assert {i["error_type"] for i in on_pg["issues"]} >= {"ZeroDivisionError"}
    zde = next(i for i in on_pg["issues"] if i["error_type"] == "ZeroDivisionError")
    assert zde["count"] == 3
    assert zde["solution"]["status"] == "validated"

    store = Store(fresh_postgres_url)
    try:
        assert sorted(i.id for i in store.issues()) == [i["id"] for i in _issues(on_sqlite)]
        assert store.event_count() == on_sqlite["stats"]["events_counted"]
        stored = store.solution(zde["id"])
        assert stored is not None
        assert stored.status == "validated"
        assert stored.patch == zde["solution"]["patch"]
    finally:
        store.close()

    # analysing the same log again into the same store re-delivers every event: nothing recounted
    again = _analyze(tmp_path / "pg", "--no-fix", HEPHAESTUS_STORE__URL=fresh_postgres_url)
    assert again["stats"]["events_counted"] == 0
    assert _issues(again) == _issues(on_sqlite)
