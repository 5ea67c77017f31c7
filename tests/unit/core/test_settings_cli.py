import json

import pytest
from click.testing import CliRunner

from hephaestus.cli import cli, main
from hephaestus.errors import ConfigError
from hephaestus.settings import load_settings, masked_dump


def test_precedence_defaults_yaml_env_flags(tmp_path, monkeypatch):
    config = tmp_path / "c.yaml"
    config.write_text("repair:\n  timeout_s: 10\n  memory_mb: 512\nbus:\n  partitions: 8\n")
    monkeypatch.setenv("HEPHAESTUS_REPAIR__TIMEOUT_S", "20")
    settings = load_settings(config, repair__memory_mb=None, bus__partitions=2)
    assert settings.repair.timeout_s == 20  # env beats YAML
    assert settings.repair.memory_mb == 512  # YAML beats default; a None flag is ignored
    assert settings.bus.partitions == 2  # flag beats everything
    assert settings.repair.test_cmd == "python -m pytest -q"  # default


def test_data_dir_defaults_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("HEPHAESTUS_DATA_DIR", raising=False)
    settings = load_settings()
    assert settings.data_dir == str(tmp_path / "xdg" / "hephaestus")
    assert settings.store_url == f"sqlite:///{tmp_path / 'xdg' / 'hephaestus' / 'hephaestus.sqlite'}"
    assert settings.bus_path.endswith("bus.sqlite")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", "mapping"),
        ("repair: [unclosed\n", "not valid YAML"),
        ("bus:\n  kind: carrier-pigeon\n", "bus.kind"),
        ("nope: 1\n", "nope"),
    ],
)
def test_bad_config_files_are_config_errors(tmp_path, text, message):
    config = tmp_path / "c.yaml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_empty_yaml_is_defaults(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("")
    assert load_settings(config).repair.enabled is True


def test_config_show_masks_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("HEPHAESTUS_KAFKA__SASL_PASSWORD", "hunter2-very-secret")
    result = CliRunner().invoke(cli, ["config", "show", "--json"])
    assert result.exit_code == 0
    assert "hunter2" not in result.output
    assert json.loads(result.output)["kafka"]["sasl_password"] == "**********"
    yaml_out = CliRunner().invoke(cli, ["config", "show"])
    assert "hunter2" not in yaml_out.output
    assert "sasl_password: '**********'" in yaml_out.output
    assert masked_dump(load_settings())["kafka"]["sasl_password"] == "**********"


def test_main_maps_user_errors_to_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["config", "show", "--config", str(tmp_path / "missing.yaml")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("hephaestus: error: cannot read config file")
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2


def test_help_lists_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("analyze", "run", "issues", "feedback", "config"):
        assert command in result.output
