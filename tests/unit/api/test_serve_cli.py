"""`hephaestus serve`: the real command in a subprocess serving 127.0.0.1, token from the flag
or the environment; the bind-address policy without binding anything."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from hephaestus.cli import serve as serve_module
from hephaestus.cli.serve import serve_command
from tests.support.proc import child_env
from tests.unit.api.conftest import World, free_port

SERVE = "from hephaestus.cli.serve import serve_command; serve_command()"


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    return proc, url, f"{port}"


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return out, err


def test_serve_with_token_flag(world: World, tmp_path: Path) -> None:
    env = child_env(tmp_path, HEPHAESTUS_DATA_DIR=world.settings.data_dir)
    proc, url, port = _start(["--token", "flag-token"], env)
    try:
        assert httpx.get(f"{url}/api/issues").status_code == 401
        r = httpx.get(f"{url}/api/issues", headers={"Authorization": "Bearer flag-token"})
        assert world.zero_id in {i["id"] for i in r.json()["issues"]}
        # bound to loopback: answers only to loopback Host names
        assert httpx.get(f"{url}/healthz", headers={"Host": "attacker.example"}).status_code == 400
    finally:
        out, err = _stop(proc)
    assert f"Hephaestus dashboard: http://127.0.0.1:{port}/  (bearer token required)" in out
    assert f"API reference: http://127.0.0.1:{port}/docs" in out
    assert "warning" not in err


def test_serve_token_from_environment_and_config(world: World, tmp_path: Path) -> None:
    config = tmp_path / "hephaestus.yaml"
    config.write_text(f"data_dir: {world.settings.data_dir}\n", encoding="utf-8")
    env = child_env(tmp_path, HEPHAESTUS_API_TOKEN="env-token")
    proc, url, _ = _start(["--config", str(config)], env)
    try:
        assert (
            httpx.get(f"{url}/api/issues", headers={"Authorization": "Bearer flag-token"}).status_code == 401
        )
        r = httpx.get(f"{url}/api/issues", headers={"Authorization": "Bearer env-token"})
        assert len(r.json()["issues"]) == 3
    finally:
        _stop(proc)


def test_serve_rejects_bad_config(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code != 0
    assert "cannot read config file" in str(result.exception)


@pytest.fixture
def no_bind(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record uvicorn.run's arguments instead of binding: the address policy, no network."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_non_loopback_without_token_warns(no_bind: list[dict[str, Any]], world: World) -> None:
    env = {"HEPHAESTUS_DATA_DIR": world.settings.data_dir, "HEPHAESTUS_API_TOKEN": ""}
    result = CliRunner().invoke(serve_command, ["--host", "0.0.0.0", "--port", "9999"], env=env)
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0 without a token" in result.output
    assert "Hephaestus dashboard: http://0.0.0.0:9999/" in result.output
    assert no_bind[0]["host"] == "0.0.0.0"
    assert no_bind[0]["port"] == 9999


def test_ipv6_and_named_hosts(no_bind: list[dict[str, Any]], world: World) -> None:
    env = {"HEPHAESTUS_DATA_DIR": world.settings.data_dir, "HEPHAESTUS_API_TOKEN": "tok"}
    result = CliRunner().invoke(serve_command, ["--host", "::1"], env=env)
    assert "http://[::1]:8080/  (bearer token required)" in result.output
    assert "warning" not in result.output
    result = CliRunner().invoke(serve_command, ["--host", "dashboard.internal"], env=env)
    assert "http://dashboard.internal:8080/" in result.output
    assert serve_module._is_loopback("localhost")
    assert not serve_module._is_loopback("dashboard.internal")
