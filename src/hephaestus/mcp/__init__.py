"""The MCP face of Hephaestus: issue, log and fix tools plus issue resources for assistants.

Fed settings, a Composer and a repo by `hephaestus mcp`; feeds MCP clients over stdio or
bearer-guarded Streamable HTTP.
"""

from __future__ import annotations

from hephaestus.mcp.http import BearerAuth, http_app, serve
from hephaestus.mcp.server import ServerDeps, build_server

__all__ = ["BearerAuth", "ServerDeps", "build_server", "http_app", "serve"]
