"""Roles YAML loading, graph validation and stage planning (and `hephaestus models plan`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from hephaestus.cli.models import models_group
from hephaestus.errors import ConfigError
from hephaestus.solve.config import RolesConfig, load_roles, resolve_endpoints
from hephaestus.solve.plan import build_plan


def _config(**changes: Any) -> RolesConfig:
    data = load_roles().model_dump(mode="json")
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split(".")
        for p in parents:
            node = node[p]
        node[last] = value
    return RolesConfig.model_validate(data)


def test_default_roles_plan_into_parallel_stages() -> None:
    config = load_roles()
    assert set(config.roles) == {
        "syntax-analyzer",
        "logic-analyzer",
        "syntax-fixer",
        "logic-fixer",
        "unit-test-gen",
        "integration-test-gen",
        "doc-writer",
    }
    plan = build_plan(config)
    assert [s.roles for s in plan.stages] == [
        ("syntax-analyzer", "logic-analyzer"),
        ("syntax-fixer", "logic-fixer"),
        ("unit-test-gen", "doc-writer"),
        ("integration-test-gen",),
    ]
    assert plan.needs["logic-fixer"] == ("syntax-analyzer", "logic-analyzer")
    assert "unit-test-gen" in plan.after["integration-test-gen"]  # the sequential rule


def test_roles_outside_a_parallel_group_run_alone() -> None:
    plan = build_plan(_config(**{"rules.parallel": []}))
    assert all(len(s.roles) == 1 for s in plan.stages)
    assert plan.order.index("syntax-analyzer") < plan.order.index("syntax-fixer")


def test_cycle_is_a_config_error() -> None:
    deps = dict(load_roles().rules.dependencies)
    deps["syntax-analyzer"] = ("doc-writer",)
    with pytest.raises(ConfigError, match=r"cycle: .*syntax-analyzer"):
        build_plan(_config(**{"rules.dependencies": deps}))


def test_unknown_role_in_rules_is_named() -> None:
    with pytest.raises(ConfigError, match=r"rules.parallel\[0\]: unknown role 'ghost'"):
        build_plan(_config(**{"rules.parallel": [["ghost", "logic-fixer"]]}))
    with pytest.raises(ConfigError, match=r"rules\.dependencies\.doc-writer: unknown role 'nobody'"):
        build_plan(_config(**{"rules.dependencies": {"doc-writer": ["nobody"]}}))


def test_consumed_artefact_without_producer_is_unsatisfiable() -> None:
    deps = dict(load_roles().rules.dependencies)
    deps["doc-writer"] = ("logic-analyzer",)  # produces analysis, doc-writer consumes patch
    with pytest.raises(ConfigError, match="'doc-writer' consumes 'patch' but none of its dependencies"):
        build_plan(_config(**{"rules.dependencies": deps}))


def test_dependency_on_disabled_role_is_unsatisfiable() -> None:
    with pytest.raises(ConfigError, match="depends on disabled role"):
        build_plan(_config(**{"roles.logic-analyzer.enabled": False}))


def test_parallel_group_contradicting_dependencies() -> None:
    with pytest.raises(ConfigError, match="must run after"):
        build_plan(_config(**{"rules.parallel": [["logic-analyzer", "logic-fixer"]]}))


def test_unknown_model_type_and_provider(tmp_path: Path) -> None:
    data = load_roles().model_dump(mode="json")
    data["roles"]["doc-writer"]["model"] = "gpt-9"
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="unknown model type 'gpt-9'"):
        load_roles(path)
    data = load_roles().model_dump(mode="json")
    data["model_types"]["gpt-4"]["provider"] = "nowhere"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="unknown provider 'nowhere'"):
        load_roles(path)


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("roles: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_roles(path)
    path.write_text("- a list")
    with pytest.raises(ConfigError, match="mapping"):
        load_roles(path)
    path.write_text("roles: {a: {produces: poem, model: gpt-4}}")
    with pytest.raises(ConfigError, match=r"roles\.a\.produces"):
        load_roles(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_roles(tmp_path / "missing.yaml")


def test_endpoints_follow_the_standard_variables() -> None:
    config = load_roles()
    assert all(e is None for e in resolve_endpoints(config, {}).values())
    env = {
        "OPENAI_API_KEY": "k1",
        "OPENAI_BASE_URL": "http://127.0.0.1:1/v1",
        "ANTHROPIC_API_KEY": "k2",
        "HEPHAESTUS_LOCAL_BASE_URL": "http://127.0.0.1:2/v1",
        "HEPHAESTUS_MODEL_CLAUDE_3": "claude-x",
    }
    ends = resolve_endpoints(config, env)
    assert ends["gpt-4"] is not None
    assert ends["gpt-4"].base_url == "http://127.0.0.1:1/v1"
    assert ends["claude-3"] is not None
    assert ends["claude-3"].label == "anthropic:claude-x"
    local = ends["codellama"]
    assert local is not None
    assert local.api_key == "hephaestus-keyless"
    assert local.kind == "openai"


def test_models_plan_command(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "HEPHAESTUS_LOCAL_BASE_URL",
        "HEPHAESTUS_LOCAL_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    runner = CliRunner()
    out = runner.invoke(models_group, ["plan", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["stages"][0] == ["syntax-analyzer", "logic-analyzer"]
    assert {r["runs_on"] for r in data["roles"].values()} == {"builtin"}
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    text = runner.invoke(models_group, ["plan"])
    assert text.exit_code == 0
    assert "stage 1:" in text.output
    assert "runs on openai:gpt-4o" in text.output
