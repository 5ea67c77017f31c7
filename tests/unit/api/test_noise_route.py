"""POST /api/issues/{id}/noise over real HTTP: the verdict `hephaestus issues noise|real` records,
the ignored issue leaves the default list, and bad input is a JSON 400/404."""

from __future__ import annotations

from pathlib import Path

from hephaestus.service import analyze_logs
from tests.unit.api.conftest import Serve, World


def test_noise_then_real(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.post(f"/api/issues/{world.conn_id}/noise", json={})
    assert r.status_code == 200
    assert r.json() == {
        "issue": world.conn_id,
        "verdict": "noise",
        "template": "ConnectionRefusedError: [Errno <*>] Connection refused while calling <*>",
        "status": "ignored",
        "reopened": [],
    }
    listed = {i["id"] for i in client.get("/api/issues").json()["issues"]}
    assert listed == {world.zero_id, world.xss_id}
    ignored = client.get("/api/issues", params={"status": "ignored"}).json()["issues"]
    assert [i["id"] for i in ignored] == [world.conn_id]
    store = world.store()
    try:
        assert store.noise_templates() == [r.json()["template"]]
    finally:
        store.close()
    r = client.post(f"/api/issues/{world.conn_id}/noise", json={"verdict": "real"})
    assert r.status_code == 200
    assert r.json()["status"] == "open"
    assert len(client.get("/api/issues").json()["issues"]) == 3


def test_noise_errors(serve: Serve, world: World, tmp_path: Path) -> None:
    client = serve().client
    r = client.post("/api/issues/HEP-nothere/noise", json={})
    assert r.status_code == 404
    assert "no issue" in r.json()["error"]
    r = client.post(f"/api/issues/{world.conn_id}/noise", json={"verdict": "maybe"})
    assert r.status_code == 400
    assert "verdict" in r.json()["error"]
    log = tmp_path / "io.log"
    log.write_text("2026-11-24T03:00:00Z ERROR io 3 down\n", encoding="utf-8")
    (io,) = analyze_logs([log], settings=world.settings, repo=None, fix=False).issues
    r = client.post(f"/api/issues/{io.issue.id}/noise", json={"verdict": "noise"})
    assert r.status_code == 400
    assert "'io <*> down' is too generic to suppress" in r.json()["error"]
    assert client.get(f"/api/issues/{io.issue.id}").json()["status"] == "open"
