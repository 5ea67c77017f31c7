"""Locating frames, abstaining on environment/third-party errors, pytest parsing, mutations, patches."""

from __future__ import annotations

from pathlib import Path

import pytest
from repair_helpers import apply, crash, issue_for, run_pytest

from hephaestus.records import Frame
from hephaestus.repair import RepairEngine
from hephaestus.repair.locate import locate
from hephaestus.repair.logparse import parse_pytest, parse_traceback
from hephaestus.repair.model import Edit
from hephaestus.repair.patch import render_patch

APP = {"pkg/__init__.py": "", "pkg/core.py": "def f(x):\n    y = x + 1\n    return 10 / y\n",
       "tests/test_core.py": "from pkg.core import f\n\n\ndef test_f():\n    assert f(1) == 5\n"}  # fmt: skip


def test_locate_maps_deploy_paths_and_skips_stdlib_and_third_party(make_repo) -> None:
    repo = make_repo({**APP, "src/lib2/mod.py": "def g():\n    return 1\n"})
    frames = [
        Frame(file="<frozen runpy>", line=1, function="_run"),
        Frame(file="/usr/local/lib/python3.11/site-packages/lib2/mod.py", line=2, source_line="return 1"),
        Frame(file="/usr/local/lib/python3.11/site-packages/requests/api.py", line=5, function="get"),
        Frame(file="/home/deploy/app/current/pkg/core.py", line=1, function="f", source_line="return 10 / y"),
        Frame(file="/usr/local/lib/python3.11/json/__init__.py", line=3, function="loads"),
    ]
    sites = locate(frames, repo)
    assert [(s.location.path, s.location.line, s.location.depth) for s in sites] == [
        ("pkg/core.py", 3, 0),  # drifted from line 1 to 3 by matching the source line
        ("src/lib2/mod.py", 2, 1),
    ]
    assert sites[0].verified
    assert not sites[0].is_test


def test_unverified_frame_gets_no_template(make_repo) -> None:
    repo = make_repo(APP)
    frames = [Frame(file="/app/pkg/core.py", line=3, function="f", source_line="return totally_different()")]
    result = RepairEngine().propose(issue_for("ZeroDivisionError", "division by zero", frames), repo)
    assert result.locations[0].path == "pkg/core.py"
    assert not result.candidates
    assert "no template found evidence" in (result.diagnosis or "")


@pytest.mark.parametrize(
    ("error_type", "message", "source", "expected"),
    [
        ("ConnectionRefusedError", "[Errno 111] Connection refused", None, "refused"),
        ("requests.exceptions.ReadTimeout", "read timed out", None, "timed out"),
        (
            "KeyError",
            "'DATABASE_URL'",
            'url = os.environ["DATABASE_URL"]',
            "missing environment variable DATABASE_URL",
        ),
        ("OSError", "[Errno 28] No space left on device", None, "disk is full"),
        ("PermissionError", "[Errno 13] Permission denied: '/var/log/x'", None, "permission"),
        ("MemoryError", "", None, "out of memory"),
    ],
)
def test_environment_errors_abstain(
    make_repo, error_type: str, message: str, source: str | None, expected: str
) -> None:
    repo = make_repo(APP)
    frames = [Frame(file="/srv/app/pkg/core.py", line=2, function="f", source_line=source or "y = x + 1")]
    result = RepairEngine().propose(issue_for(error_type, message, frames), repo)
    assert result.candidates == ()
    assert expected in (result.diagnosis or "")


def test_not_in_repo_and_third_party_and_no_trace(make_repo) -> None:
    repo = make_repo(APP)
    outside = [Frame(file="/usr/lib/python3.11/site-packages/other/x.py", line=3, function="x")]
    result = RepairEngine().propose(issue_for("ValueError", "bad", outside), repo)
    assert "no frame of the traceback maps" in (result.diagnosis or "")
    inner = [Frame(file="/srv/app/pkg/core.py", line=2, function="f", source_line="y = x + 1"), *outside]
    result = RepairEngine().propose(issue_for("ValueError", "bad", inner), repo)
    assert "third-party" in (result.diagnosis or "")
    assert result.locations[0].path == "pkg/core.py"
    result = RepairEngine().propose(issue_for("ValueError", "bad", []), repo)
    assert "no stack trace" in (result.diagnosis or "")


def test_missing_third_party_module_abstains(make_repo) -> None:
    repo = make_repo({"app/__init__.py": "", "app/net.py": "import requestz_not_installed\n"})
    result = RepairEngine().propose(crash(repo, "import app.net"), repo)
    assert result.candidates == ()
    assert result.diagnosis


def test_no_evidence_no_guess(make_repo) -> None:
    repo = make_repo({"app/m.py": "def avg(xs):\n    return sum(xs) / len(xs)\n"})
    result = RepairEngine().propose(crash(repo, "from app.m import avg; avg([])"), repo)
    assert result.candidates == ()
    assert "abstaining rather than guessing" in (result.diagnosis or "")


def test_parse_chained_traceback_takes_the_last() -> None:
    text = (
        "Traceback (most recent call last):\n  File \"/a.py\", line 1, in f\n    x()\nKeyError: 'a'\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        'Traceback (most recent call last):\n  File "/b.py", line 2, in g\n    y()\n    ^^^\nValueError: boom\n'  # noqa: E501
    )
    failure = parse_traceback(text)
    assert failure is not None
    assert failure.error_type == "ValueError"
    assert failure.message == "boom"
    assert [f.file for f in failure.frames] == ["/b.py"]
    assert failure.frames[0].source_line == "y()"
    assert parse_traceback("no trace here") is None


def test_pytest_crash_output_drives_templates(make_repo, tmp_path: Path) -> None:
    repo = make_repo({
        "pkg/__init__.py": "", "tests/test_avg.py": "from pkg.stats import avg\n\n\ndef test_empty():\n    assert avg([]) == 0\n",  # noqa: E501
        "pkg/stats.py": 'def avg(xs):\n    """Mean; returns 0 for an empty list."""\n    return sum(xs) / len(xs)\n',  # noqa: E501
        "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
    })  # fmt: skip
    for tb in ("long", "short"):
        output = run_pytest(repo, f"--tb={tb}").stdout
        failure = parse_pytest(output)
        assert failure is not None
        assert failure.error_type == "ZeroDivisionError"
        issue = issue_for("AssertionError", "test failed", [])
        result = RepairEngine().propose(issue, repo, failing_output=output)
        assert result.candidates[0].template == "zero-division.documented-default", tb
    fixed = apply(repo, result.candidates[0].patch, tmp_path / "fixed")
    assert run_pytest(fixed).returncode == 0


def test_assertion_failure_yields_mutations(make_repo, tmp_path: Path) -> None:
    repo = make_repo({
        "pkg/__init__.py": "", "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
        "pkg/grade.py": "def passed(score, limit=50):\n    return score > limit and not False\n",
        "tests/test_grade.py": "from pkg.grade import passed\n\n\ndef test_limit():\n    assert passed(50)\n",
    })  # fmt: skip
    output = run_pytest(repo).stdout
    assert parse_pytest(output) is not None
    result = RepairEngine(max_candidates=50).propose(
        issue_for("AssertionError", "", []), repo, failing_output=output
    )
    assert result.candidates
    assert all(c.kind == "mutation" for c in result.candidates)
    winners = []
    for i, cand in enumerate(result.candidates):
        fixed = apply(repo, cand.patch, tmp_path / f"m{i}")
        if run_pytest(fixed).returncode == 0:
            winners.append((fixed / "pkg/grade.py").read_text())
    assert any("score >= limit" in w for w in winners)
    assert parse_pytest("nothing failed") is None


def test_patch_new_file_and_missing_final_newline(make_repo, tmp_path: Path) -> None:
    repo = make_repo({"a.py": "x = 1"})
    (repo / "a.py").write_text("x = 1", encoding="utf-8")
    patch = render_patch(
        [Edit(path="t/new.py", old=None, new="y = 2"), Edit(path="a.py", old="x = 1", new="x = 2")]
    )
    assert "new file mode 100644\n--- /dev/null\n+++ b/t/new.py" in patch
    fixed = apply(repo, patch, tmp_path / "p")
    assert (fixed / "a.py").read_text() == "x = 2"
    assert (fixed / "t/new.py").read_text() == "y = 2"
    assert render_patch([Edit(path="a.py", old="same", new="same")]) == ""
