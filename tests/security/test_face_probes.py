"""The faces (HTTP API, MCP) must not run a caller's code (issue #12, probe 1).

A local user posting `{"paths": [log], "repo": "<his dir with a conftest.py>"}` to a token-less
server made it run his conftest as the server's user; bodies and limits were unbounded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from mcp import Client

from hephaestus.api import create_app
from hephaestus.errors import AccessDenied
from hephaestus.mcp import ServerDeps, build_server
from hephaestus.settings import Settings, load_settings
from hephaestus.solve import Composer, load_roles
from tests.support.shop import SHOP_LOG, copy_shop

TOKEN = "t0ken-for-the-probe"


def _hostile_shop(tmp_path: Path) -> tuple[Path, Path]:
    """A shop copy whose conftest leaves a marker where the server's user can write."""
    repo = copy_shop(tmp_path / "his-dir")
    marker = tmp_path / "conftest-ran"
    (repo / "conftest.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    return repo, marker


def _client(settings: Settings, token: str | None) -> TestClient:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return TestClient(create_app(settings, token=token), headers=headers)


def test_tokenless_server_runs_no_callers_tests(tmp_path: Path) -> None:
    repo, marker = _hostile_shop(tmp_path)
    settings = load_settings(data_dir=str(tmp_path / "data"), api__allowed_repos=[str(tmp_path)])
    with _client(settings, None) as client:
        r = client.post("/api/analyze", json={"paths": [str(SHOP_LOG)], "repo": str(repo)})
    assert r.status_code == 403
    assert "token" in r.json()["error"]
    assert not marker.exists()


def test_repo_outside_allowed_roots_is_refused(tmp_path: Path) -> None:
    repo, marker = _hostile_shop(tmp_path)
    allowed = tmp_path / "projects"
    allowed.mkdir()
    (allowed / "escape").symlink_to(repo)  # a link inside a root still resolves outside it
    settings = load_settings(data_dir=str(tmp_path / "data"), api__allowed_repos=[str(allowed)])
    with _client(settings, TOKEN) as client:
        for candidate in (repo, allowed / "escape", allowed / ".." / "his-dir"):
            r = client.post("/api/analyze", json={"paths": [str(SHOP_LOG)], "repo": str(candidate)})
            assert r.status_code == 403, candidate
            assert "api.allowed_repos" in r.json()["error"]
        issues_only = client.post(
            "/api/analyze", json={"paths": [str(SHOP_LOG)], "repo": str(repo), "fix": False}
        )
    assert issues_only.status_code == 200  # no tests run: nothing to refuse
    assert not marker.exists()


def test_request_bodies_are_capped(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path / "data"), api__max_body_kb=64)
    big = json.dumps({"paths": [str(SHOP_LOG)], "pad": "x" * 200_000})
    with _client(settings, TOKEN) as client:
        declared = client.post("/api/analyze", content=big, headers={"content-type": "application/json"})
        streamed = client.post(
            "/api/analyze",
            content=iter([big[:50_000].encode(), big[50_000:].encode()]),
            headers={"content-type": "application/json"},
        )
        small = client.post("/api/analyze", json={"paths": [str(SHOP_LOG)], "fix": False})
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert small.status_code == 200


def _deps(tmp_path: Path, allowed: list[str]) -> ServerDeps:
    settings = load_settings(data_dir=str(tmp_path / "data"), api__allowed_repos=allowed)
    return ServerDeps(settings=settings, composer=Composer(config=load_roles(None)))


def test_mcp_repo_argument_must_be_under_allowed_roots(tmp_path: Path) -> None:
    repo, _ = _hostile_shop(tmp_path)
    with pytest.raises(AccessDenied):
        _deps(tmp_path, []).repo_dir(str(repo))
    assert _deps(tmp_path, [str(tmp_path)]).repo_dir(str(repo)) == repo.resolve()
    own = _deps(tmp_path, [])
    own.repo = repo
    assert own.repo_dir(None) == repo.resolve()  # the operator's own --repo needs no listing


def test_mcp_validate_fix_refuses_an_unlisted_repo(tmp_path: Path) -> None:
    repo, marker = _hostile_shop(tmp_path)
    server = build_server(_deps(tmp_path, []))

    async def main() -> list[Any]:
        async with Client(server) as client:
            return [
                await client.call_tool(
                    "validate_fix", {"issue_id": "HEP-x", "repo": str(repo), "patch": "x"}
                ),
                await client.call_tool("list_issues", {"limit": 10**9}),
                await client.call_tool("search_logs", {"query": "a", "limit": 0}),
            ]

    validate, listing, search = anyio.run(main)
    assert validate.is_error
    assert "api.allowed_repos" in str(validate.content)
    assert listing.is_error
    assert search.is_error
    assert "limit must be between 1 and 1000" in str(search.content)
    assert not marker.exists()
