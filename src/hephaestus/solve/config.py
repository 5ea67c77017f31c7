"""The roles configuration: providers, model types, roles and composition rules, from YAML.

Fed the packaged default (hephaestus/defaults/roles.yaml) or a user file plus the environment
(API keys, base URLs, model-name overrides); feeds the planner and the composer. Every schema
error becomes hephaestus.errors.ConfigError.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hephaestus.errors import ConfigError

__all__ = [
    "ArtefactKind",
    "Defaults",
    "Endpoint",
    "ModelType",
    "ProviderConfig",
    "RoleConfig",
    "RolesConfig",
    "Rules",
    "load_roles",
    "resolve_endpoints",
]

ArtefactKind = Literal["analysis", "patch", "tests", "docs"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Defaults(_Strict):
    max_concurrency: int = Field(default=4, ge=1, le=64)
    timeout_s: float = Field(default=60.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0)
    breaker_failures: int = Field(default=3, ge=1)
    breaker_reset_s: float = Field(default=30.0, ge=0)
    cache_entries: int = Field(default=256, ge=0)
    stream: bool = False
    max_tokens: int = Field(default=2048, ge=16)


class ProviderConfig(_Strict):
    kind: Literal["openai", "anthropic", "mcp-sampling"]
    api_key_env: str | None = None
    base_url_env: str | None = None
    base_url: str | None = None
    keyless: bool = False
    send_temperature: bool = False


class ModelType(_Strict):
    provider: str
    model: str


class RoleConfig(_Strict):
    produces: ArtefactKind
    consumes: tuple[ArtefactKind, ...] = ()
    model: str
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    fallback: tuple[str, ...] = ()
    prompt: str | None = Field(default=None, description="template id; default <produces>@v1")
    enabled: bool = True
    prior: float = Field(default=0.7, ge=0.0, le=1.0)


class Rules(_Strict):
    sequential: tuple[tuple[str, ...], ...] = ()
    parallel: tuple[tuple[str, ...], ...] = ()
    dependencies: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class RolesConfig(_Strict):
    version: Literal[1] = 1
    defaults: Defaults = Defaults()
    providers: dict[str, ProviderConfig] = Field(default_factory=dict)
    model_types: dict[str, ModelType] = Field(default_factory=dict)
    roles: dict[str, RoleConfig]
    rules: Rules = Rules()

    def check_references(self) -> None:
        """Unknown providers or model types named anywhere -> ConfigError."""
        for name, mtype in self.model_types.items():
            if mtype.provider not in self.providers:
                raise ConfigError(
                    f"model type {name!r} uses unknown provider {mtype.provider!r} "
                    f"(known: {', '.join(sorted(self.providers)) or 'none'})"
                )
        for role_name, role in self.roles.items():
            for mtype_name in (role.model, *role.fallback):
                if mtype_name != "builtin" and mtype_name not in self.model_types:
                    raise ConfigError(
                        f"role {role_name!r} uses unknown model type {mtype_name!r} "
                        f"(known: {', '.join(sorted(self.model_types)) or 'none'}, builtin)"
                    )


def _default_text() -> str:
    return resources.files("hephaestus").joinpath("defaults", "roles.yaml").read_text(encoding="utf-8")


def load_roles(path: str | Path | None = None) -> RolesConfig:
    """Parse and check a roles file (the packaged default when `path` is None)."""
    where = str(path) if path else "hephaestus/defaults/roles.yaml"
    try:
        text = Path(path).read_text(encoding="utf-8") if path else _default_text()
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ConfigError(f"cannot read roles file {where}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"roles file {where} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"roles file {where} must hold a mapping at the top level")
    try:
        config = RolesConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"roles file {where}: {loc}: {first['msg']}") from exc
    config.check_references()
    return config


@dataclass(frozen=True)
class Endpoint:
    """A model type made concrete: provider name and kind, model name, key and URL to use."""

    model_type: str
    provider: str
    kind: str
    model: str
    api_key: str
    base_url: str | None
    send_temperature: bool = False

    @property
    def label(self) -> str:
        return f"{self.provider}:{self.model}"


def _override_name(model_type: str) -> str:
    return "HEPHAESTUS_MODEL_" + "".join(c if c.isalnum() else "_" for c in model_type).upper()


def resolve_endpoints(
    config: RolesConfig, env: Mapping[str, str] | None = None
) -> dict[str, Endpoint | None]:
    """Each model type's Endpoint, or None when its provider has no credentials/URL in `env`.

    A provider is usable when its API key variable is set, or, for `keyless` providers (local
    OpenAI-compatible servers), when its base URL is known; keyless ones get a placeholder key.
    """
    source: Mapping[str, str] = os.environ if env is None else env
    out: dict[str, Endpoint | None] = {}
    for name, mtype in config.model_types.items():
        provider = config.providers[mtype.provider]
        key = source.get(provider.api_key_env, "") if provider.api_key_env else ""
        url = (source.get(provider.base_url_env, "") if provider.base_url_env else "") or provider.base_url
        usable = provider.kind != "mcp-sampling" and (bool(key) or (provider.keyless and bool(url)))
        if not usable:
            out[name] = None
            continue
        out[name] = Endpoint(
            model_type=name,
            provider=mtype.provider,
            kind=provider.kind,
            model=source.get(_override_name(name)) or mtype.model,
            api_key=key or "hephaestus-keyless",
            base_url=url or None,
            send_temperature=provider.send_temperature,
        )
    return out


def role_prompt_id(role: RoleConfig) -> str:
    return role.prompt or f"{role.produces}@v1"


def as_plain(config: RolesConfig) -> dict[str, Any]:
    return config.model_dump(mode="json")
