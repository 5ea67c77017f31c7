"""Marking issues as noise or real: the service use case (safety rules, status, reopen) and the
`hephaestus issues noise|real` commands (output, JSON, exit code 2 for a refused verdict)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hephaestus.cli import main
from hephaestus.cli.issues import issues_group
from hephaestus.errors import InputError
from hephaestus.service import analyze_logs, mark_noise
from hephaestus.settings import Settings, load_settings

LINES = [
    "2026-01-01 10:00:0{n} ERROR fan controller reading unavailable on rack {n}",
    "2026-01-01 10:00:0{n} ERROR fan controller reading unavailable on rack {n} and rack {n}",
    "2026-01-01 10:00:0{n} ERROR payment gateway rejected order {n}",
    "2026-01-01 10:00:0{n} ERROR io {n} down",
]
KEYS = {"fan": "rack N", "both": "rack N and rack N", "payment": "order N", "io": "io N down"}


def _world(tmp_path: Path) -> tuple[Settings, dict[str, str]]:
    log = tmp_path / "app.log"
    log.write_text("".join(t.format(n=n) + "\n" for n in (1, 2) for t in LINES), encoding="utf-8")
    settings = load_settings(data_dir=str(tmp_path / "data"))
    report = analyze_logs([log], settings=settings, repo=None, fix=False)
    titles = {re.sub(r"\d+", "N", r.issue.title): r.issue.id for r in report.issues}
    ids = {k: next(i for t, i in titles.items() if t.endswith(v)) for k, v in KEYS.items()}
    assert len(set(ids.values())) == 4, titles
    return settings, ids


def test_noise_ignores_the_issue_and_real_undoes_it(tmp_path: Path) -> None:
    settings, ids = _world(tmp_path)
    got = mark_noise(ids["fan"], "noise", settings=settings)
    assert got == {
        "issue": ids["fan"],
        "verdict": "noise",
        "template": "fan controller reading unavailable on rack <*>",
        "status": "ignored",
        "reopened": [],
    }
    back = mark_noise(ids["fan"], "real", settings=settings)
    assert (back["status"], back["reopened"]) == ("open", [])


def test_too_generic_templates_and_templates_matching_a_real_message_are_refused(tmp_path: Path) -> None:
    settings, ids = _world(tmp_path)
    with pytest.raises(InputError, match=r"'io <\*> down' is too generic"):
        mark_noise(ids["io"], "noise", settings=settings)
    mark_noise(ids["both"], "real", settings=settings)  # "... on rack 1 and rack 1" is a real error
    with pytest.raises(InputError, match=rf"also matches {ids['both']}'s message '.*rack 1 and rack 1'"):
        mark_noise(ids["fan"], "noise", settings=settings)  # "... on rack <*>" would silence it
    with pytest.raises(InputError, match="no issue"):
        mark_noise("HEP-nothere", "noise", settings=settings)
    ignored = CliRunner().invoke(
        issues_group, ["--status", "ignored", "--json"], env={"HEPHAESTUS_DATA_DIR": settings.data_dir}
    )
    assert json.loads(ignored.output) == {"issues": []}


def test_a_real_verdict_drops_a_clashing_suppression_and_reopens_its_issue(tmp_path: Path) -> None:
    settings, ids = _world(tmp_path)
    assert mark_noise(ids["fan"], "noise", settings=settings)["status"] == "ignored"
    assert mark_noise(ids["payment"], "real", settings=settings)["reopened"] == []
    got = mark_noise(ids["both"], "real", settings=settings)
    assert (got["status"], got["reopened"]) == ("open", [ids["fan"]])
    ignored = CliRunner().invoke(
        issues_group, ["--status", "ignored", "--json"], env={"HEPHAESTUS_DATA_DIR": settings.data_dir}
    )
    assert json.loads(ignored.output) == {"issues": []}


def test_cli_noise_and_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings, ids = _world(tmp_path)
    env = ["--config", str(_config(tmp_path, settings))]
    main(["issues", "noise", ids["fan"], *env])
    template = "fan controller reading unavailable on rack <*>"
    assert capsys.readouterr().out == f"{ids['fan']}: marked as noise, ignored (template '{template}')\n"
    main(["issues", *env, "--json"])
    listed = {i["id"] for i in json.loads(capsys.readouterr().out)["issues"]}
    assert listed == {ids["payment"], ids["io"], ids["both"]}  # the ignored issue left the default list
    main(["issues", "real", ids["fan"], *env, "--json"])
    assert json.loads(capsys.readouterr().out)["status"] == "open"
    with pytest.raises(SystemExit) as exc:
        main(["issues", "noise", ids["io"], *env])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "too generic to suppress" in err
    assert "Traceback" not in err


def _config(tmp_path: Path, settings: Settings) -> Path:
    path = tmp_path / "hephaestus.yaml"
    path.write_text(f"data_dir: {settings.data_dir}\n", encoding="utf-8")
    return path
