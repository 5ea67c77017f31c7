"""Every /api route of the real app over real HTTP: reads match the CLI, feedback changes the
store, analysis runs the service, and bad input is a JSON 400/404, never a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from hephaestus.cli.issues import issues_group
from hephaestus.settings import load_settings
from tests.unit.api.conftest import SHOP_LOG, XSS, Serve, World


def _cli_issues(world: World, tmp_path: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        issues_group, ["--json"], env={"HEPHAESTUS_DATA_DIR": world.settings.data_dir}
    )
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output)["issues"])


def test_healthz(serve: Serve) -> None:
    r = serve().client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": r.json()["version"], "auth": False}


def test_list_issues_is_the_cli_json(serve: Serve, world: World, tmp_path: Path) -> None:
    r = serve().client.get("/api/issues")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    issues = r.json()["issues"]
    cli = _cli_issues(world, tmp_path)
    assert [i["id"] for i in issues] == [i["id"] for i in cli]
    for api_row, cli_row in zip(issues, cli, strict=True):
        assert api_row["status"] == "open"
        if api_row["solution"] is not None:
            assert api_row["solution"]["feedback"] is None
        assert api_row == cli_row
    zero = next(i for i in issues if i["id"] == world.zero_id)
    assert zero["count"] == 3
    assert zero["severity"] == "high"
    assert zero["solution"]["status"] == "validated"
    conn = next(i for i in issues if i["id"] == world.conn_id)
    assert conn["solution"] is None


def test_list_filters_and_limit(serve: Serve, world: World) -> None:
    client = serve().client
    assert len(client.get("/api/issues", params={"status": "open"}).json()["issues"]) == 3
    assert client.get("/api/issues", params={"status": "resolved"}).json() == {"issues": []}
    assert len(client.get("/api/issues", params={"limit": 1}).json()["issues"]) == 1
    for params, field in (
        ({"status": "bogus"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": "x"}, "limit"),
    ):
        r = client.get("/api/issues", params=params)
        assert r.status_code == 400
        assert field in r.json()["error"]


def test_issue_detail(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.get(f"/api/issues/{world.zero_id}")
    assert r.status_code == 200
    data = r.json()
    assert data["id"] == world.zero_id
    assert data["frames"][-1]["function"] == "average_order_value"
    assert data["frames"][-1]["file"].endswith("shop/pricing.py")
    assert "+    if not orders:" in data["solution"]["patch"]
    assert data["validation"]["passed"] is True
    assert data["validation"]["tests_after"] == "passed"
    assert data["stack_trace"].startswith("Traceback")
    assert data["related_logs"] == []
    by_fingerprint = client.get(f"/api/issues/{data['fingerprint']}").json()
    assert by_fingerprint["id"] == world.zero_id

    xss = client.get(f"/api/issues/{world.xss_id}").json()
    assert [log["message"] for log in xss["related_logs"]] == [
        "checkout <b>started</b>",
        f"ValueError: bad coupon {XSS}",
    ]
    assert xss["solution"] is None
    assert xss["validation"] is None


def test_unknown_issue_and_route_are_json_404(serve: Serve) -> None:
    client = serve().client
    r = client.get("/api/issues/HEP-00000000")
    assert r.status_code == 404
    assert r.json() == {"error": "no issue 'HEP-00000000'"}
    r = client.get("/api/nothing-here")
    assert (r.status_code, r.json()) == (404, {"error": "not found"})
    r = client.delete("/api/issues")
    assert (r.status_code, r.json()) == (405, {"error": "method not allowed"})


def test_accept_resolves_the_issue_in_the_store(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.post(f"/api/issues/{world.zero_id}/feedback", json={"verdict": "accept"})
    assert r.status_code == 200
    assert r.json() == {
        "issue": world.zero_id,
        "verdict": "accept",
        "template": "empty-guard",
        "status": "resolved",
    }
    store = world.store()
    try:
        assert store.issue(world.zero_id).status == "resolved"
        solution = store.solution(world.zero_id)
        assert solution is not None
        assert solution.feedback == "accepted"
        assert store.feedback_counts() == {"empty-guard": (1, 1)}
    finally:
        store.close()
    resolved = client.get("/api/issues", params={"status": "resolved"}).json()["issues"]
    assert [i["id"] for i in resolved] == [world.zero_id]
    assert resolved[0]["solution"]["feedback"] == "accepted"


def test_reject_keeps_the_issue_open(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.post(f"/api/issues/{world.zero_id}/feedback", json={"verdict": "reject"})
    assert r.status_code == 200
    assert r.json()["status"] == "open"
    store = world.store()
    try:
        assert store.feedback_counts() == {"empty-guard": (0, 1)}
        solution = store.solution(world.zero_id)
        assert solution is not None
        assert solution.feedback == "rejected"
    finally:
        store.close()


def test_feedback_errors(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.post(f"/api/issues/{world.conn_id}/feedback", json={"verdict": "accept"})
    assert r.status_code == 400
    assert "has no solution" in r.json()["error"]
    assert client.post("/api/issues/HEP-00000000/feedback", json={"verdict": "accept"}).status_code == 404
    r = client.post(f"/api/issues/{world.zero_id}/feedback", json={"verdict": "maybe"})
    assert r.status_code == 400
    assert r.json()["error"].startswith("verdict:")
    r = client.post(
        f"/api/issues/{world.zero_id}/feedback",
        content=b"{oops",
        headers={"content-type": "application/json"},
    )
    assert r.json() == {"error": "request body is not valid JSON"}
    # a cross-site form can only send text/plain: it must not count as a verdict
    r = client.post(
        f"/api/issues/{world.zero_id}/feedback",
        content=b'{"verdict": "accept"}',
        headers={"content-type": "text/plain"},
    )
    assert r.status_code == 400
    store = world.store()
    try:
        assert store.issue(world.zero_id).status == "open"
        assert store.feedback_counts() == {}
    finally:
        store.close()


def test_analyze_runs_the_service_and_fills_the_store(serve: Serve, world: World, tmp_path: Path) -> None:
    client = serve().client
    log = tmp_path / "new.log"
    log.write_text(
        "2026-11-25 01:00:00,000 ERROR [billing] invoice failed\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/billing/run.py", line 3, in main\n'
        "    total()\n"
        "KeyError: 'currency'\n",
        encoding="utf-8",
    )
    r = client.post("/api/analyze", json={"paths": [str(log)], "fix": False})
    assert r.status_code == 200
    report = r.json()
    assert report["stats"]["files"] == 1
    assert [i["error_type"] for i in report["issues"]] == ["KeyError"]
    new_id = report["issues"][0]["id"]
    assert client.get(f"/api/issues/{new_id}").json()["frames"][0]["file"] == "/srv/billing/run.py"
    assert len(client.get("/api/issues").json()["issues"]) == 4


def test_analyze_again_counts_nothing_twice(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.post("/api/analyze", json={"paths": [str(SHOP_LOG)], "repo": None, "fix": True})
    assert r.status_code == 200
    zero = next(i for i in r.json()["issues"] if i["id"] == world.zero_id)
    assert zero["count"] == 3


def test_analyze_rejects_bad_paths(serve: Serve, tmp_path: Path) -> None:
    client = serve().client
    cases = [
        ({"paths": ["relative.log"]}, "must be an absolute path"),
        ({"paths": [str(tmp_path / "missing.log")]}, "not found"),
        ({"paths": [str(tmp_path / "a\x00b.log")]}, "NUL"),
        ({"paths": [str(SHOP_LOG)], "repo": "shop"}, "repo must be an absolute path"),
        ({"paths": [str(SHOP_LOG)], "repo": str(SHOP_LOG)}, "must be a directory"),
        ({"paths": [str(SHOP_LOG)], "repo": str(tmp_path / "nope")}, "repository not found"),
        ({"paths": []}, "paths"),
        ({"paths": [str(SHOP_LOG)], "test_cmd": "rm -rf /"}, "test_cmd"),
        ({}, "paths"),
    ]
    for body, expected in cases:
        r = client.post("/api/analyze", json=body)
        assert r.status_code == 400, body
        assert expected in r.json()["error"], (body, r.json())


def test_store_failure_is_503_without_details(serve: Serve, world: World) -> None:
    client = serve().client
    with sqlite3.connect(Path(world.settings.data_dir) / "hephaestus.sqlite") as db:
        db.execute("DROP TABLE issues")
    r = client.get("/api/issues")
    assert r.status_code == 503
    assert r.json() == {"error": "the store is busy, retry shortly"}
    assert "Traceback" not in r.text


def test_unexpected_error_is_a_bare_500(serve: Serve, monkeypatch: object) -> None:
    running = serve()
    store = running.app.state.store

    def boom(**_kwargs: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    store.issues = boom  # fault injection: the route calls the store it was built with
    r = running.client.get("/api/issues")
    assert r.status_code == 500
    assert r.json() == {"error": "internal server error"}
    assert "secret" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_server_misconfiguration_is_a_500_with_the_reason(serve: Serve, world: World) -> None:
    bad = load_settings(data_dir=world.settings.data_dir, process__log_format="<Date> (<Content>")
    r = serve(settings=bad).client.post("/api/analyze", json={"paths": [str(SHOP_LOG)], "fix": False})
    assert r.status_code == 500
    assert r.json()["error"].startswith("invalid process.log_format")
