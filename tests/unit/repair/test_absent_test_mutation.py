"""Logic bugs whose failing test is not in the repository: the assertion from the pytest output
becomes a synthesized regression test, each mutant carries it, and the validator proves the right
one. Also the submodule-typo import and the empty-JSON-file templates on tiny real repos.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from repair_helpers import apply, crash, issue_for, run_py, run_pytest

from hephaestus.records import Frame
from hephaestus.repair import RepairEngine
from hephaestus.repair.logparse import Failure, parse_pytest
from hephaestus.repair.mutation import _evidence
from hephaestus.repair.synth import synthesize
from hephaestus.validate import Validator

PREVIEW = {
    "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
    "feeds/__init__.py": "",
    "feeds/preview.py": '''
        ELLIPSIS = "~"


        def preview(text: str, limit: int = 40) -> str:
            """`text` cut to at most `limit` characters, the last one being ELLIPSIS."""
            if len(text) <= limit:
                return text
            return text[:limit] + ELLIPSIS
        ''',
    "tests/test_feeds.py": '''
        from feeds.preview import preview


        def test_short():
            assert preview("hello", 40) == "hello"
        ''',
}  # fmt: skip
HIDDEN = (
    'from feeds.preview import preview\n\n\ndef test_cut():\n    assert preview("abcdefgh", 5) == "abcd~"\n'
)


def _hidden_output(repo: Path, tmp_path: Path, name: str, text: str) -> str:
    """Run a test that the repo does not contain (on a copy) and return pytest's output."""
    copy = tmp_path / "with-hidden"
    shutil.copytree(repo, copy)
    (copy / "tests" / name).write_text(text, encoding="utf-8")
    return run_pytest(copy, f"tests/{name}").stdout


def test_absent_test_becomes_regression_test_and_right_mutant_validates(make_repo, tmp_path: Path) -> None:
    repo = make_repo(PREVIEW)
    output = _hidden_output(repo, tmp_path, "test_hidden.py", HIDDEN)
    failure = parse_pytest(output)
    assert failure is not None
    assert failure.error_type == "AssertionError"
    result = RepairEngine().propose(issue_for("AssertionError", "", []), repo, failing_output=output)
    assert result.candidates
    assert all(c.kind == "mutation" for c in result.candidates)
    test_path = "tests/test_hephaestus_regression_cut.py"
    assert {c.test_path for c in result.candidates} == {test_path}
    best, other = result.candidates[0], result.candidates[1]
    assert "text[:limit - 1] + ELLIPSIS" in best.patch  # longer by one character: bound -1 first
    assert "text[:limit + 1]" in other.patch
    fixed = apply(repo, best.patch, tmp_path / "fixed")
    assert (fixed / test_path).read_text().endswith('    assert preview("abcdefgh", 5) == "abcd~"\n')
    assert "from feeds.preview import preview" in (fixed / test_path).read_text()
    validator = Validator(timeout_s=60)
    assert validator.validate(repo, best.patch, test_path=best.test_path).passed
    assert not validator.validate(repo, other.patch, test_path=other.test_path).passed


def _failure(source_line: str, assertion: str = "") -> Failure:
    frame = Frame(file="tests/test_hidden.py", line=5, function="test_x", source_line=source_line)
    return Failure("AssertionError", assertion, (frame,), ("tests/test_hidden.py::test_x",), assertion)


def test_synthesize_resolves_names_or_abstains(make_repo) -> None:
    repo = make_repo({
        "src/span/__init__.py": "",
        "src/span/days.py": "from datetime import date\n\n\ndef days(a, b):\n    return (b - a).days\n",
        "src/span/other.py": "def twice(x):\n    return 2 * x\n",
        "src/span/again.py": "def twice(x):\n    return x + x\n",
        "tests/test_days.py": "from datetime import date\n\nfrom span.days import days\n",
    })  # fmt: skip
    files = (
        "src/span/__init__.py",
        "src/span/again.py",
        "src/span/days.py",
        "src/span/other.py",
        "tests/test_days.py",
    )
    synth = synthesize(
        _failure("assert days(date(2026, 1, 1), date(2026, 1, 3)) == len([1, 2])"), repo=repo, files=files
    )
    assert synth is not None
    assert synth.targets == (("src/span/days.py", "days"),)
    assert synth.edit.path == "tests/test_hephaestus_regression_x.py"
    assert "from datetime import date\n\nfrom span.days import days\n" in synth.edit.new
    assert synthesize(_failure("assert days(unknown_name) == 1"), repo=repo, files=files) is None
    assert synthesize(_failure("assert twice(2) == 4"), repo=repo, files=files) is None  # ambiguous
    assert synthesize(_failure("x = 1"), repo=repo, files=files) is None
    assert synthesize(_failure("assert len([x for x in (1,)]) == 1"), repo=repo, files=files) is None


def test_assertion_evidence_modes() -> None:
    assert _evidence(_failure("", "assert 4 == 5\n+  where 4 = f()")) == ("off-by-one", 1)
    assert _evidence(_failure("", "assert 'abcde~' == 'abcd~'")) == ("off-by-one", -1)
    assert _evidence(_failure("", "AssertionError: assert not True")) == ("boolean", 0)
    assert _evidence(_failure("", "assert True == False")) == ("boolean", 0)
    assert _evidence(_failure("", "assert 100.0 == 60.0")) == ("value", 0)
    assert _evidence(_failure("", "assert f(x) == [")) == ("value", 0)
    assert _evidence(_failure("", "assert x")) == ("value", 0)


def test_boolean_assertion_ranks_and_or_first(make_repo, tmp_path: Path) -> None:
    repo = make_repo({
        "acl/__init__.py": "", "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["."]\n',
        "acl/policy.py": "def can_edit(user, doc):\n    return doc['owner'] == user['id'] or not doc.get('archived')\n",  # noqa: E501
        "tests/test_acl.py": "from acl.policy import can_edit\n\n\ndef test_own():\n    assert can_edit({'id': 1}, {'owner': 1})\n",  # noqa: E501
    })  # fmt: skip
    hidden = "from acl.policy import can_edit\n\n\ndef test_other():\n    assert not can_edit({'id': 1}, {'owner': 2})\n"  # noqa: E501
    output = _hidden_output(repo, tmp_path, "test_hidden.py", hidden)
    result = RepairEngine().propose(issue_for("AssertionError", "", []), repo, failing_output=output)
    assert "== user['id'] and not doc.get" in result.candidates[0].patch
    fixed = apply(repo, result.candidates[0].patch, tmp_path / "fixed")
    assert run_pytest(fixed).returncode == 0


def test_import_of_misspelt_submodule(make_repo, tmp_path: Path) -> None:
    repo = make_repo({
        "pager/__init__.py": "", "pager/sinks/webhooks.py": "def render(a):\n    return f'hook {a}'\n",
        "pager/sinks/__init__.py": "def get_sink():\n    from pager.sinks import webhook as sink\n    return sink\n",  # noqa: E501
    })  # fmt: skip
    issue = crash(repo, "from pager.sinks import get_sink; get_sink()")
    result = RepairEngine().propose(issue, repo)
    assert result.candidates[0].template == "import-error.name-typo"
    fixed = apply(repo, result.candidates[0].patch, tmp_path / "fixed")
    assert "from pager.sinks import webhooks as sink" in (fixed / "pager/sinks/__init__.py").read_text()
    assert (
        run_py(fixed, "from pager.sinks import get_sink; assert get_sink().render(1) == 'hook 1'").returncode
        == 0
    )


CACHE = '''
import json
import os


def load_cache(path):
    """Cached tokens. A missing or empty file is an empty cache."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
'''


def test_json_load_of_empty_file_with_documented_missing_value(make_repo, tmp_path: Path) -> None:
    repo = make_repo({"cache/__init__.py": "", "cache/store.py": CACHE, "empty.json": ""})
    issue = crash(repo, "from cache.store import load_cache; load_cache('empty.json')")
    result = RepairEngine().propose(issue, repo)
    assert result.candidates[0].template == "json.empty-file-default"
    fixed = apply(repo, result.candidates[0].patch, tmp_path / "fixed")
    (fixed / "full.json").write_text('{"a": 1}')
    check = (
        "from cache.store import load_cache as f; assert f('empty.json') == {} and f('full.json') == {'a': 1}"
    )
    assert run_py(fixed, check).returncode == 0


def test_json_load_of_empty_file_without_evidence_abstains(make_repo) -> None:
    repo = make_repo({
        "cache/__init__.py": "", "empty.json": "",
        "cache/store.py": CACHE.replace("A missing or empty file is an empty cache.", "Read the cache."),
    })  # fmt: skip
    issue = crash(repo, "from cache.store import load_cache; load_cache('empty.json')")
    assert not RepairEngine().propose(issue, repo).candidates
