"""One frozen settings object, from defaults < YAML file < HEPHAESTUS_* env vars < flags.

Nested sections use `__` in env names (HEPHAESTUS_KAFKA__BOOTSTRAP_SERVERS). `load_settings`
is the only constructor the faces use; `masked_dump` is what `config show` prints.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from hephaestus.errors import ConfigError

__all__ = [
    "ApiSettings",
    "BusSettings",
    "CollectSettings",
    "KafkaSettings",
    "ModelsSettings",
    "ProcessSettings",
    "RepairSettings",
    "Settings",
    "SourceSettings",
    "StoreSettings",
    "load_settings",
    "masked_dump",
]


def _default_data_dir() -> str:
    """Per-user state (store, bus), outside any repository: $XDG_DATA_HOME/hephaestus."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "hephaestus")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StoreSettings(_Section):
    url: str = Field(default="", description="SQLAlchemy URL; empty = sqlite in data_dir")


class BusSettings(_Section):
    kind: Literal["local", "kafka"] = "local"
    path: str = Field(default="", description="local bus SQLite file; empty = data_dir/bus.sqlite")
    partitions: int = Field(default=4, ge=1, le=256)
    batch_size: int = Field(default=1000, ge=1, le=100_000, description="records per stage step")
    poll_timeout_s: float = Field(default=0.05, gt=0, le=10, description="longest wait for a batch")


class KafkaSettings(_Section):
    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_ca_location: str | None = None
    ssl_certificate_location: str | None = None
    ssl_key_location: str | None = None
    ssl_key_password: SecretStr | None = None
    group_prefix: str = "hephaestus"
    compression: Literal["none", "gzip", "snappy", "lz4", "zstd"] = "lz4"
    linger_ms: int = Field(
        default=5, ge=0, le=10_000, description="batching wait for records someone waits on (raw, errors)"
    )
    bulk_linger_ms: int = Field(
        default=100, ge=0, le=10_000, description="batching wait for bulk records (structured logs)"
    )
    spool_dir: str = Field(default="", description="undelivered records; empty = data_dir/kafka-spool")
    session_timeout_ms: int = Field(default=45000, ge=1000)
    extra_config: dict[str, str] = Field(default_factory=dict, description="raw librdkafka properties")


class SourceSettings(_Section):
    """One log source besides files (`collect.sources`); docs/collect.md has an example of each."""

    kind: Literal["stdin", "http", "syslog"]
    protocol: Literal["udp", "tcp"] = Field(default="udp", description="syslog only")
    host: str = Field(default="127.0.0.1", description="listen address (http, syslog)")
    port: int | None = Field(
        default=None, ge=0, le=65535, description="listen port; None = 8090 (http), 5514 (syslog)"
    )
    tls_cert: str | None = Field(
        default=None, description="syslog tcp only: PEM file with the key and certificate chain (RFC 5425)"
    )


class CollectSettings(_Section):
    files: tuple[str, ...] = ()
    sources: tuple[SourceSettings, ...] = Field(
        default=(), description="stdin, HTTP ingest and syslog listeners run by the collector"
    )
    buffer_records: int = Field(
        default=10_000, ge=1, description="records a push source holds until the bus has them (then 429)"
    )
    ingest_max_body_kb: int = Field(
        default=8192, ge=1, description="largest /ingest body after gzip decompression (413 beyond)"
    )
    ingest_ack_timeout_s: float = Field(
        default=30.0, gt=0, description="/ingest answers 503 when the bus has not taken a body by then"
    )
    application: str = ""
    poll_interval_s: float = Field(default=0.5, gt=0)
    max_record_lines: int = Field(default=500, ge=1)
    max_line_kb: int = Field(
        default=64, ge=1, description="longer lines keep this much plus a truncation marker"
    )
    max_decompressed_mb: int = Field(default=1024, ge=1, description="a gzip file is read up to this size")


class ProcessSettings(_Section):
    log_format: str | None = Field(default=None, description="LogPAI-style header pattern; None = detect")
    rules_file: str | None = None
    similarity_threshold: float = Field(default=0.5, gt=0, le=1)
    redact_secrets: bool = Field(default=True, description="replace secrets in log records at ingest")


class RepairSettings(_Section):
    test_cmd: str = "python -m pytest -q"
    timeout_s: float = Field(default=120.0, gt=0)
    memory_mb: int = Field(default=2048, ge=64)
    enabled: bool = True
    search: bool = Field(default=True, description="reproduce failing tests, localize, search fixes")
    search_budget_s: float = Field(default=60.0, gt=0, description="time box of the test-driven search")
    spectrum_budget_s: float | None = Field(
        default=30.0,
        gt=0,
        description="time box of the passing tests in the localization run (the failing tests always"
        " run; null: only timeout_s bounds it)",
    )
    max_candidates: int = Field(default=300, ge=1, description="operator edits screened per issue")
    max_validations: int = Field(default=6, ge=1, description="candidates given full validation per issue")
    allow_unisolated: bool = Field(
        default=False,
        description="run tests unconfined when no isolating sandbox (bubblewrap) works;"
        " off = such fixes stay unvalidated",
    )


class ApiSettings(_Section):
    allowed_repos: tuple[str, ...] = Field(
        default=(),
        description="roots under which API/MCP callers may name a repo to run tests in; none = no repo",
    )
    max_body_kb: int = Field(default=1024, ge=1, description="larger HTTP request bodies get 413")


class ModelsSettings(_Section):
    roles_file: str | None = Field(
        default=None, description="roles/composition YAML; None = built-in default"
    )
    repair_rounds: int = Field(
        default=1,
        ge=0,
        le=5,
        description="times a model fix that fails validation is sent back with its failure; 0 = off",
    )


class Settings(BaseSettings):
    """Effective configuration. Frozen: build a new one with `load_settings` to change it."""

    model_config = SettingsConfigDict(
        env_prefix="HEPHAESTUS_", env_nested_delimiter="__", frozen=True, extra="forbid"
    )

    data_dir: str = Field(default_factory=_default_data_dir)
    metrics_port: int = Field(default=0, ge=0, le=65535, description="Prometheus /metrics port; 0 = off")
    metrics_host: str = "127.0.0.1"
    repo: str | None = None
    store: StoreSettings = StoreSettings()
    bus: BusSettings = BusSettings()
    kafka: KafkaSettings = KafkaSettings()
    collect: CollectSettings = CollectSettings()
    process: ProcessSettings = ProcessSettings()
    repair: RepairSettings = RepairSettings()
    models: ModelsSettings = ModelsSettings()
    api: ApiSettings = ApiSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # flags (init) > environment > YAML (passed in as _yaml via init is merged below)
        return (init_settings, env_settings, file_secret_settings)

    @property
    def store_url(self) -> str:
        return self.store.url or f"sqlite:///{Path(self.data_dir) / 'hephaestus.sqlite'}"

    @property
    def bus_path(self) -> str:
        return self.bus.path or str(Path(self.data_dir) / "bus.sqlite")


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping at the top level")
    return data


class _EnvOnly(Settings):
    """Reads only the environment, so YAML values can sit below it."""


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults < YAML `config` < HEPHAESTUS_* env < `overrides` (flags; None values ignored)."""
    yaml_data = _read_yaml(Path(config)) if config else {}
    flags = {k: v for k, v in overrides.items() if v is not None}
    try:
        env_view = _EnvOnly().model_dump(exclude_unset=True)
        merged = _deep_merge(_deep_merge(yaml_data, env_view), _unflatten(flags))
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from exc


def _unflatten(flags: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flags.items():
        parts = key.split("__")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def masked_dump(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data, with every secret shown as '**********'."""
    data: dict[str, Any] = settings.model_dump(mode="json")
    for section_name, section in settings:
        if isinstance(section, BaseModel):
            for key, value in section:
                if isinstance(value, SecretStr):
                    data[section_name][key] = "**********"
    return data
