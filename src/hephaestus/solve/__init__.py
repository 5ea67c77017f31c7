"""Solution generation with models: roles from YAML, a planned composition of model calls with
fallbacks to the built-in engine, prompt safety and robust output parsing.

Fed Issues and a repo by hephaestus.service and the MCP server; feeds validate.solve_offline
Candidates through Composer.propose (the EngineLike API).
"""

from __future__ import annotations

from hephaestus.redact import redact
from hephaestus.solve.composer import Artefact, Composer, Composition, RoleOutcome
from hephaestus.solve.config import RolesConfig, load_roles, resolve_endpoints
from hephaestus.solve.plan import Plan, Stage, build_plan
from hephaestus.solve.providers import (
    AnthropicProvider,
    CallableProvider,
    ModelRequest,
    ModelResponse,
    OpenAIProvider,
    Provider,
)
from hephaestus.solve.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    Metrics,
    ResilientCaller,
    ResponseCache,
)

__all__ = [
    "AnthropicProvider",
    "Artefact",
    "CallableProvider",
    "CircuitBreaker",
    "CircuitOpenError",
    "Composer",
    "Composition",
    "Metrics",
    "ModelRequest",
    "ModelResponse",
    "OpenAIProvider",
    "Plan",
    "Provider",
    "ResilientCaller",
    "ResponseCache",
    "RoleOutcome",
    "RolesConfig",
    "Stage",
    "build_plan",
    "load_roles",
    "redact",
    "resolve_endpoints",
]
