"""Pure helpers of the real-bug benchmark (bench/realbugs.py): run_test.sh -> pytest node ids,
developer-fixed lines from a diff, AST comparison, localization hits, held-out refusal, summary."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "realbugs.py"


def _load():
    spec = importlib.util.spec_from_file_location("realbugs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["realbugs"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


rb = _load()

DEV_PATCH = """\
diff --git a/youtube_dl/utils.py b/youtube_dl/utils.py
index b14603d8a..328f037a8 100644
--- a/youtube_dl/utils.py
+++ b/youtube_dl/utils.py
@@ -3519,8 +3519,8 @@ def str_or_none(v, default=None):

 def str_to_int(int_str):
     \"\"\" A more relaxed version of int_or_none \"\"\"
-    if int_str is None:
-        return None
+    if not isinstance(int_str, compat_str):
+        return int_str
     int_str = re.sub(r'[,\\.\\+]', '', int_str)
     return int(int_str)

"""

INSERT_PATCH = """\
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -10,4 +10,6 @@ def f(x):
     a = 1
     b = 2
+    if x is None:
+        return None
     return x + a + b

@@ -40,3 +42,3 @@ def g():
     one
--- removed line that looks like a header
+    two
     three
--- a/pkg/other.py
+++ b/pkg/other.py
@@ -1,2 +1,3 @@
+import re
 import os
 import sys
"""


# -- run_test.sh -> node ids


def test_unittest_id_without_file_lookup_splits_at_the_class():
    assert rb.unittest_to_nodeid("test.test_utils.TestUtil.test_x") == "test/test_utils.py::TestUtil::test_x"
    assert rb.unittest_to_nodeid("tests.test_black.BlackTestCase") == "tests/test_black.py::BlackTestCase"


def test_unittest_id_uses_the_longest_module_that_is_a_file():
    files = {"tornado/test/auth_test.py"}
    nodeid = rb.unittest_to_nodeid("tornado.test.auth_test.AuthTest.test_facebook_login", files.__contains__)
    assert nodeid == "tornado/test/auth_test.py::AuthTest::test_facebook_login"
    # a lower-case class name is found through the file, not the capital-letter guess
    files = {"test/test_mod.py"}
    assert rb.unittest_to_nodeid("test.test_mod.lower_case.test_y", files.__contains__) == (
        "test/test_mod.py::lower_case::test_y"
    )


def test_run_test_script_unittest_lines_with_several_ids():
    script = (
        "python -m unittest -q test.test_utils.TestUtil.test_js_to_json_edgecases "
        "test.test_utils.TestUtil.test_js_to_json_realworld\r\n"
    )
    assert rb.run_test_to_nodeids(script) == [
        "test/test_utils.py::TestUtil::test_js_to_json_edgecases",
        "test/test_utils.py::TestUtil::test_js_to_json_realworld",
    ]


def test_run_test_script_pytest_lines_are_kept_and_deduplicated():
    script = (
        "pytest -q -s tests/test_pysnooper.py::test_custom_repr_single\n"
        "py.test spacy/tests/test_errors.py::test_add_codes\n"
        "pytest tests/keras/layers/recurrent_test.py::test_implementation_mode[LSTM]\n"
        "pytest tests/test_pysnooper.py::test_custom_repr_single \n"
        "\n"
        "python -m unittest -q tests.test_black.BlackTestCase.test_comments6\n"
    )
    assert rb.run_test_to_nodeids(script) == [
        "tests/test_pysnooper.py::test_custom_repr_single",
        "spacy/tests/test_errors.py::test_add_codes",
        "tests/keras/layers/recurrent_test.py::test_implementation_mode[LSTM]",
        "tests/test_black.py::BlackTestCase::test_comments6",
    ]


# -- developer-fixed lines


def test_changed_lines_are_the_buggy_side_lines_of_removed_lines():
    assert rb.changed_lines(DEV_PATCH) == {"youtube_dl/utils.py": {3522, 3523}}
    assert rb.diff_files(DEV_PATCH) == ["youtube_dl/utils.py"]


def test_pure_insertion_marks_the_lines_around_it_and_hunk_counts_beat_header_lookalikes():
    lines = rb.changed_lines(INSERT_PATCH)
    # insertion after line 11 (b = 2), before line 12 (return ...)
    # second hunk: "-- removed..." is a removed line (41), not a file header
    # insertion at the top of other.py: only the line after it (1)
    assert lines == {"pkg/mod.py": {11, 12, 41}, "pkg/other.py": {1}}
    assert rb.diff_files(INSERT_PATCH) == ["pkg/mod.py", "pkg/other.py"]


def test_new_and_deleted_files():
    patch = (
        "--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n"
        "--- a/pkg/gone.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x = 1\n-y = 2\n"
    )
    assert rb.diff_files(patch) == ["pkg/new.py", "pkg/gone.py"]
    assert rb.changed_lines(patch) == {"pkg/gone.py": {1, 2}}


# -- AST comparison


def test_same_ast_ignores_comments_blank_lines_and_quotes():
    a = "def f(x):\n    # guard\n    return 'a' if x else None\n"
    b = 'def f(x):\n\n    return "a" if x else None  # same\n'
    assert rb.same_ast(a, b)
    assert not rb.same_ast(a, "def f(x):\n    return 'a' if not x else None\n")
    assert not rb.same_ast(a, None)
    assert rb.same_ast(None, None)


def test_same_ast_falls_back_to_text_for_unparsable_code():
    py2 = "print 'hello'\n"
    assert rb.same_ast(py2, py2 + "\n")
    assert not rb.same_ast(py2, "print 'bye'\n")


# -- localization hit


def test_fl_hit_within_the_top_five_only():
    fixed = {"youtube_dl/utils.py": {3522, 3523}}
    hit = [{"path": "youtube_dl/utils.py", "line": 3523, "function": "str_to_int", "score": 0.9}]
    miss = [{"path": "youtube_dl/utils.py", "line": 3524, "score": 1.0}]
    assert rb.fl_hit(hit, fixed)
    assert not rb.fl_hit(miss, fixed)
    assert not rb.fl_hit(miss * 5 + hit, fixed)
    assert rb.fl_hit(miss * 4 + hit, fixed)
    assert not rb.fl_hit([{"path": "youtube_dl/other.py", "line": 3523}], fixed)


def test_fl_hit_counts_any_line_of_a_multi_line_statement_unless_strict():
    fixed = {"youtube_dl/utils.py": {1973}}
    entry = {"path": "youtube_dl/utils.py", "line": 1968, "end_line": 1975}
    assert rb.fl_hit([entry], fixed)
    assert not rb.fl_hit([entry], fixed, spans=False)
    assert not rb.fl_hit([{**entry, "end_line": 1972}], fixed)


def test_fl_hit_accepts_absolute_paths_inside_the_repo(tmp_path):
    fixed = {"pkg/mod.py": {7}}
    entry = {"path": str(tmp_path / "pkg" / "mod.py"), "line": 7}
    assert rb.fl_hit([entry], fixed, tmp_path)
    assert rb.fl_hit([{"path": "./pkg/mod.py", "line": 7}], fixed)


def test_localization_of_the_first_issue_that_has_one():
    doc = {
        "issues": [
            {"id": "a", "solution": None},
            {"id": "b", "localization": []},
            {"id": "c", "localization": [{"path": "x.py", "line": 1}, "junk"]},
            {"id": "d", "localization": [{"path": "y.py", "line": 2}]},
        ]
    }
    assert rb.localization(doc) == [{"path": "x.py", "line": 1}]
    assert rb.localization({"issues": []}) == []
    assert rb.localization({}) == []


def test_validated_solution_is_the_first_validated_one():
    doc = {
        "issues": [
            {"solution": {"status": "failed", "patch": "p0"}},
            {"solution": None},
            {"solution": {"status": "validated", "patch": "p1"}},
            {"solution": {"status": "validated", "patch": "p2"}},
        ]
    }
    assert rb.validated_solution(doc) == {"status": "validated", "patch": "p1"}
    assert rb.validated_solution({"issues": [{"solution": {"status": "failed"}}]}) is None


# -- held out, bug lists, metadata


@pytest.mark.parametrize("project", ["thefuck", "tqdm", "httpie", "cookiecutter", "QuixBugs", "TQDM"])
def test_held_out_projects_are_refused(project):
    with pytest.raises(rb.HeldOutError):
        rb.check_not_held_out(project)
    with pytest.raises(rb.HeldOutError):
        rb.parse_only(f"youtube-dl:1,{project}:2")
    with pytest.raises(rb.HeldOutError):
        rb.parse_bug_list(f"youtube-dl 1\n{project} 3  # held out\n")


def test_main_refuses_held_out_bugs_before_running_anything(capsys):
    assert rb.main(["--only", "httpie:1"]) == 2
    assert "held out" in capsys.readouterr().err


def test_bug_list_file_parses_and_holds_no_held_out_project():
    bugs = rb.parse_bug_list(rb.BUGS_FILE.read_text())
    assert ("youtube-dl", 11) in bugs
    assert len(bugs) == len(set(bugs)) >= 43
    assert not {p.lower() for p, _ in bugs} & rb.HELD_OUT
    assert {p for p, _ in bugs} <= set(rb.PROJECTS)


def test_bug_list_parsing():
    text = "# comment\nyoutube-dl 11\n\nPySnooper:2  # trailing\n"
    assert rb.parse_bug_list(text) == [("youtube-dl", 11), ("PySnooper", 2)]
    with pytest.raises(ValueError, match="bad bug line"):
        rb.parse_bug_list("youtube-dl eleven\n")


def test_bug_info_parsing_and_snapshot_name():
    info = rb.parse_info(
        'python_version="3.7.4"\nbuggy_commit_id="b568561e"\nfixed_commit_id ="348c6bf1"\n'
        'test_file="test/test_a.py;test/test_b.py"\n'
    )
    assert info["fixed_commit_id"] == "348c6bf1"
    assert rb.bug_test_files(info) == ["test/test_a.py", "test/test_b.py"]
    assert rb.snapshot_name("https://github.com/ytdl-org/youtube-dl") == "ytdl-org+youtube-dl"
    assert rb.snapshot_name("https://github.com/psf/black.git/") == "psf+black"


# -- pytest output, summary


def test_pytest_outcomes_from_the_short_summary():
    out = (
        "..F\n=== short test summary info ===\n"
        "PASSED test/test_utils.py::TestUtil::test_a\n"
        "FAILED test/test_utils.py::TestUtil::test_b - AssertionError: x\n"
        "ERROR test/test_utils.py::test_c[1-2] - ValueError\n"
        "1 failed, 1 passed, 1 error in 0.1s\n"
    )
    assert rb.pytest_outcomes(out) == {
        "test/test_utils.py::TestUtil::test_a": "PASSED",
        "test/test_utils.py::TestUtil::test_b": "FAILED",
        "test/test_utils.py::test_c[1-2]": "ERROR",
    }


def test_summary_counts_only_scored_bugs():
    def row(outcome, seconds=0.0, hit=False, **kw):
        return {"bug": "p:1", "outcome": outcome, "seconds": seconds, "fl_hit": hit, **kw}

    rows = [
        row("correct", 10.0, True),
        row("plausible", 20.0, True),
        row("wrong", 30.0),
        row("none", 40.0, issues=0),
        row("unreproducible"),
        row("setup-failed"),
        row("missing"),
    ]
    s = rb.summarize(rows)
    assert (s["correct"], s["plausible"], s["wrong"], s["none"], s["total"]) == (1, 1, 1, 1, 4)
    assert s["fl_top5"] == 0.5
    assert s["median_s"] == 25.0
    assert s["p95_s"] == 40.0
    assert (s["unreproducible"], s["setup-failed"], s["missing"], s["no_issue"]) == (1, 1, 1, 1)
    line = rb.result_line(s)
    assert line.startswith(
        "RESULT correct=1 plausible=1 wrong=1 none=1 total=4 fl_top5=0.500 fl_top5_line=0.500 median_s=25.00 "
        "p95_s=40.00"
    )
    assert rb.bug_line(rows[0]) == "p:1 correct 10.0 1"
    assert rb.bug_line(rows[4]) == "p:1 unreproducible 0.0 -"
    empty = rb.summarize([])
    assert (empty["total"], empty["fl_top5"], empty["median_s"]) == (0, 0.0, 0.0)


def test_run_bounded_kills_the_whole_process_group_on_timeout(tmp_path):
    marker = tmp_path / "survived"
    script = f"(sleep 2; touch {marker}) & sleep 30"
    code, _, _, timed_out = rb.run_bounded(["sh", "-c", script], tmp_path, {"PATH": "/usr/bin:/bin"}, 0.5)
    assert timed_out
    assert code == -1
    time.sleep(2.5)
    assert not marker.exists()  # the background grandchild was killed too


def test_reproduction_counts_failures_hangs_and_collection_errors():
    assert rb.reproduces(rb.Run(1, "1 failed in 0.1s"))
    assert rb.reproduces(rb.Run(-1, "[realbugs] timeout", timed_out=True))
    collect = "ERROR collecting test/test_utils.py\nImportError: cannot import name 'urlencode_postdata'"
    assert rb.reproduces(rb.Run(4, collect))
    assert not rb.reproduces(rb.Run(0, "1 passed in 0.1s"))
    assert not rb.reproduces(rb.Run(5, "no tests ran in 0.01s"))
    assert not rb.reproduces(rb.Run(4, "ERROR: file or directory not found: test/test_x.py"))


def test_bug_deps_override_the_project_pip_list_for_their_bugs_only(monkeypatch):
    monkeypatch.setitem(rb.PROJECTS, "proj", ["a==2"])
    monkeypatch.setitem(rb.BUG_DEPS, "proj", [(range(5, 8), ["a==1"]), (frozenset({7, 9}), ["a==0"])])
    assert rb.pip_list("proj", 4) == ["a==2"]
    assert rb.pip_list("proj", 7) == ["a==1"]  # the first entry holding the bug wins
    assert rb.pip_list("proj", 9) == ["a==0"]
    assert rb.pip_list("youtube-dl", 1) is None
    for project, entries in rb.BUG_DEPS.items():
        assert project in rb.PROJECTS
        assert all(isinstance(deps, list) for _, deps in entries)


def test_compat_shim_restores_removed_stdlib_names_without_replacing_present_ones():
    import subprocess

    check = (
        "import collections, collections.abc, inspect\n"
        "assert collections.Mapping is collections.abc.Mapping\n"
        "assert collections.OrderedDict.__module__ == 'collections'\n"
        "def f(a, b=1, *c, **d): pass\n"
        "spec = inspect.getargspec(f)\n"
        "assert spec == inspect.ArgSpec(['a', 'b'], 'c', 'd', (1,)), spec\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", rb.COMPAT_SHIM + "\n" + check], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert set(rb.PROJECTS) >= rb.NEEDS_COMPAT
