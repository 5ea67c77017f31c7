"""Bearer auth, Host check, security headers, the static dashboard and untrusted data (XSS)
on the real app over real HTTP."""

from __future__ import annotations

import re

import pytest

from hephaestus.api import CONTENT_SECURITY_POLICY, LOOPBACK_HOSTS, STATIC_DIR
from tests.unit.api.conftest import XSS, Serve, World

TOKEN = "t0ken-for-tests"


@pytest.mark.parametrize("path", ["/api/issues", "/api/issues/HEP-1", "/api/nope", "/api", "/api/analyze"])
def test_every_api_path_needs_the_token(serve: Serve, path: str) -> None:
    client = serve(token=TOKEN).client
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
    ):
        r = client.get(path, headers=headers)
        assert r.status_code == 401, (path, headers)
        assert r.json() == {"error": "unauthorized"}
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    r = client.post("/api/analyze", json={"paths": ["/etc/passwd"]})
    assert r.status_code == 401


def test_right_token_opens_the_api(serve: Serve, world: World) -> None:
    client = serve(token=TOKEN).client
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/issues", headers=auth).status_code == 200
    assert client.get("/api/issues", headers={"Authorization": f"bearer  {TOKEN}"}).status_code == 200
    r = client.post(f"/api/issues/{world.zero_id}/feedback", json={"verdict": "accept"}, headers=auth)
    assert r.json()["status"] == "resolved"
    assert client.get("/healthz").json()["auth"] is True


def test_public_paths_hold_no_data(serve: Serve) -> None:
    client = serve(token=TOKEN).client
    for path in ("/healthz", "/", "/docs", "/openapi.json", "/static/app.js", "/static/app.css"):
        assert client.get(path).status_code == 200, path


def test_without_token_no_header_is_needed(serve: Serve) -> None:
    assert serve(token="").client.get("/api/issues").status_code == 200


def test_host_check_defeats_dns_rebinding(serve: Serve) -> None:
    running = serve(allowed_hosts=LOOPBACK_HOSTS)
    client = running.client
    assert client.get("/healthz").status_code == 200
    port = running.url.rsplit(":", 1)[1]
    assert client.get("/healthz", headers={"Host": f"localhost:{port}"}).status_code == 200
    assert client.get("/healthz", headers={"Host": f"[::1]:{port}"}).status_code == 200
    for host in (f"evil.example:{port}", "evil.example", "[::2]:80", ""):
        r = client.get("/api/issues", headers={"Host": host})
        assert r.status_code == 400, host
        assert r.json() == {"error": "invalid Host header"}


def test_security_headers_everywhere(serve: Serve) -> None:
    client = serve().client
    for path in ("/", "/static/app.js", "/api/issues", "/api/missing", "/docs"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert client.get("/api/issues").headers["cache-control"] == "no-store"


def test_xss_payload_is_returned_as_data(serve: Serve, world: World) -> None:
    client = serve().client
    r = client.get("/api/issues")
    assert r.headers["content-type"] == "application/json"
    titles = [i["title"] for i in r.json()["issues"]]
    assert f"ValueError: bad coupon {XSS}" in titles
    detail = client.get(f"/api/issues/{world.xss_id}")
    assert detail.headers["content-type"] == "application/json"
    assert detail.json()["message"] == f"ValueError: bad coupon {XSS}"


def test_dashboard_is_static_offline_and_text_only(serve: Serve) -> None:
    client = serve().client
    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js" defer></script>' in page.text
    assert (
        client.get("/static/app.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    for path in sorted(STATIC_DIR.iterdir()):
        text = path.read_text(encoding="utf-8")
        other_origin = re.search(
            r"https?://(?!www\.w3\.org/2000/svg\")", text
        )  # an SVG namespace loads nothing
        assert not other_origin, f"{path.name} refers to another origin"
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{sink} in {path.name}"
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path.name}"
            assert " style=" not in text
            assert "<style" not in text
            assert not re.search(r"\son[a-z]+=", text), f"inline handler in {path.name}"


def test_api_reference_is_served_offline(serve: Serve) -> None:
    client = serve().client
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/docs.js" in docs.text
    spec = client.get("/openapi.json").json()
    assert {
        "/api/issues",
        "/api/issues/{issue_id}",
        "/api/issues/{issue_id}/feedback",
        "/api/analyze",
        "/healthz",
    } <= set(spec["paths"])
    assert spec["components"]["schemas"]["FeedbackRequest"]["properties"]["verdict"]["enum"] == [
        "accept",
        "reject",
    ]
    assert client.get("/redoc").status_code == 404
