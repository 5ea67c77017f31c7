"""`hephaestus --help` lists commands without importing them; `parse` imports no pydantic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from hephaestus.cli import _COMMANDS, SUMMARIES, cli


def _imported_after(argv: str) -> set[str]:
    code = (
        f"import sys; from hephaestus.cli import main\ntry:\n    main({argv})\nexcept SystemExit:\n    pass\n"
    )
    code += "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPHAESTUS_")}  # no settings to load
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return set(done.stderr.split())


def test_summaries_cover_every_command_and_agree_with_its_help() -> None:
    assert set(SUMMARIES) == set(_COMMANDS)
    ctx = click.Context(cli)
    for name, summary in SUMMARIES.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        assert command.help
        first = " ".join(command.help.split())
        head = summary.split(",")[0].split(";")[0].split("(")[0].rstrip(". ")
        assert first.startswith(head), (name, first, summary)


def test_help_lists_commands_without_importing_their_modules() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "parse" in result.output
    assert "Structure FILE record by record" in result.output
    loaded = _imported_after("['--help']")
    assert not any(m.startswith(("hephaestus.cli.", "pydantic", "fastapi", "sqlalchemy")) for m in loaded)


def test_parse_imports_no_pydantic_sdk_or_web_stack(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("2024-01-01 10:00:00,000 INFO app: started\n", encoding="utf-8")
    loaded = _imported_after(f"['parse', {str(log)!r}]")
    assert "hephaestus.cli.parse" in loaded
    heavy = (
        "pydantic",
        "fastapi",
        "sqlalchemy",
        "confluent_kafka",
        "openai",
        "anthropic",
        "mcp",
        "rich",
        "yaml",
    )
    assert not [m for m in loaded if m.split(".")[0] in heavy]
