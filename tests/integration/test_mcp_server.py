"""The MCP server through the SDK's in-process client, over stdio (a real subprocess) and over
HTTP with bearer auth."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
import uvicorn
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from hephaestus.mcp import ServerDeps, build_server, http_app
from hephaestus.settings import Settings, load_settings
from hephaestus.solve import Composer
from tests.support.shop import FIX, copy_shop, shop_issue


@pytest.fixture
def world(tmp_path: Path) -> tuple[Settings, Path, str]:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    return settings, copy_shop(tmp_path / "shop"), shop_issue(settings).id


def _deps(settings: Settings, repo: Path) -> ServerDeps:
    return ServerDeps(
        settings=settings,
        composer=Composer(env={}),
        repo=repo,
        test_cmd="python -m pytest -q -p no:cacheprovider",
    )


def _json(result: types.CallToolResult) -> Any:
    assert not result.is_error, result.content
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return json.loads(block.text)


def test_tools_and_resources_in_process(world: tuple[Settings, Path, str]) -> None:
    settings, repo, issue_id = world
    server = build_server(_deps(settings, repo))

    async def main() -> None:
        async with Client(server) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == {
                "list_issues",
                "get_issue",
                "search_logs",
                "propose_fix",
                "validate_fix",
                "record_feedback",
                "mark_noise",
            }
            issues = _json(await client.call_tool("list_issues", {}))["issues"]
            assert issue_id in {i["id"] for i in issues}
            issue = _json(await client.call_tool("get_issue", {"issue_id": issue_id}))
            assert issue["error_type"] == "ZeroDivisionError"
            assert "untrusted-data" in issue["context"]
            assert "return round(total / len(orders), 2)" in issue["context"]
            found = _json(await client.call_tool("search_logs", {"query": "division by zero"}))
            assert issue_id in {i["id"] for i in found["issues"]}
            proposed = _json(await client.call_tool("propose_fix", {"issue_id": issue_id}))
            assert proposed["candidates"][0]["provider"] == "builtin"
            validated = _json(await client.call_tool("validate_fix", {"issue_id": issue_id}))
            assert validated["solution"]["status"] == "validated"
            only = _json(
                await client.call_tool(
                    "validate_fix", {"issue_id": issue_id, "patch": proposed["candidates"][0]["patch"]}
                )
            )
            assert only["validation"]["passed"] is True
            fb = _json(await client.call_tool("record_feedback", {"issue_id": issue_id, "verdict": "accept"}))
            assert fb["verdict"] == "accept"
            listing = await client.read_resource("hephaestus://issues")
            block = listing.contents[0]
            assert isinstance(block, types.TextResourceContents)
            assert issue_id in block.text
            one = await client.read_resource(f"hephaestus://issues/{issue_id}")
            block = one.contents[0]
            assert isinstance(block, types.TextResourceContents)
            assert json.loads(block.text)["solution"]["status"] == "validated"
            bad = await client.call_tool("get_issue", {"issue_id": "HEP-nope"})
            assert bad.is_error

    anyio.run(main)


def test_mark_noise_tool(world: tuple[Settings, Path, str]) -> None:
    settings, repo, issue_id = world
    server = build_server(_deps(settings, repo))

    async def main() -> None:
        async with Client(server) as client:
            got = _json(await client.call_tool("mark_noise", {"issue_id": issue_id}))
            assert (got["issue"], got["verdict"], got["status"]) == (issue_id, "noise", "ignored")
            listed = {i["id"] for i in _json(await client.call_tool("list_issues", {}))["issues"]}
            assert issue_id not in listed
            ignored = _json(await client.call_tool("list_issues", {"status": "ignored"}))["issues"]
            assert [i["id"] for i in ignored] == [issue_id]
            back = _json(await client.call_tool("mark_noise", {"issue_id": issue_id, "verdict": "real"}))
            assert back["status"] == "open"
            bad = await client.call_tool("mark_noise", {"issue_id": "HEP-nope"})
            assert bad.is_error

    anyio.run(main)


def test_mcp_sampling_is_a_provider(world: tuple[Settings, Path, str]) -> None:
    settings, repo, issue_id = world
    server = build_server(_deps(settings, repo))
    seen: list[str] = []

    async def sample(_ctx: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
        content = params.messages[0].content
        assert isinstance(content, types.TextContent)
        seen.append((params.system_prompt or "") + content.text)
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text=FIX), model="assistant-model"
        )

    async def main() -> None:
        async with Client(server, sampling_callback=sample) as client:
            out = _json(await client.call_tool("propose_fix", {"issue_id": issue_id, "use_sampling": True}))
            assert out["candidates"][0]["provider"] == "mcp-sampling:assistant-model"
            assert "+    if not orders:" in out["candidates"][0]["patch"]

    anyio.run(main)
    assert len(seen) == 1
    assert "untrusted" in seen[0]
    assert "average_order_value" in seen[0]


def test_stdio_subprocess(world: tuple[Settings, Path, str]) -> None:
    settings, repo, issue_id = world
    env = {**os.environ, "HEPHAESTUS_DATA_DIR": settings.data_dir}
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "HEPHAESTUS_LOCAL_BASE_URL"):
        env.pop(var, None)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from hephaestus.cli.mcp import mcp_command; mcp_command()", "--repo", str(repo)],
        env=env,
    )

    async def main() -> None:
        async with Client(params) as client:
            issues = _json(await client.call_tool("list_issues", {"limit": 5}))["issues"]
            assert issue_id in {i["id"] for i in issues}
            proposed = _json(await client.call_tool("propose_fix", {"issue_id": issue_id}))
            assert "+    if not orders:" in proposed["candidates"][0]["patch"]

    anyio.run(main)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def http_server(world: tuple[Settings, Path, str]) -> Iterator[str]:
    settings, repo, _ = world
    port = _free_port()
    app = http_app(build_server(_deps(settings, repo)), token="s3cret-token")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(timeout=10)


def test_http_requires_bearer_token(http_server: str, world: tuple[Settings, Path, str]) -> None:
    _, _, issue_id = world
    denied = httpx.post(http_server, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert denied.status_code == 401
    wrong = httpx.post(http_server, json={}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401

    async def main() -> None:
        async with (
            httpx.AsyncClient(headers={"Authorization": "Bearer s3cret-token"}) as http,
            Client(streamable_http_client(http_server, http_client=http)) as client,  # type: ignore[arg-type]
        ):
            issues = _json(await client.call_tool("list_issues", {}))["issues"]
            assert issue_id in {i["id"] for i in issues}

    anyio.run(main)
