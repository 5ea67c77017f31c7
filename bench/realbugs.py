"""Real-bug repair benchmark: runs ``hephaestus analyze`` on BugsInPy bugs and scores it.

Each bug (``project id`` lines of ``bench/realbugs.txt``, or ``--only project:id,...``) is
checked out from the project's git snapshot (``<mirror>/<owner>+<name>/repo``, named after
``project.info``'s ``github_url``): ``git archive <buggy commit>`` into a temp dir, then each of the
bug's ``test_file`` paths overwritten from the fixed commit (as BugsInPy's checkout does), so the
failing test exists. ``run_test.sh`` is converted to pytest node ids (``python -m unittest -q
test.test_utils.TestUtil.test_x`` -> ``test/test_utils.py::TestUtil::test_x``) and run with
``<python> -m pytest -q -p no:cacheprovider <ids>``: it must fail on the buggy checkout and pass
on the fixed one. The buggy run's output is the log given to

    <this python> -m hephaestus analyze LOG --repo <buggy copy> --json
        --test-cmd "<python> -m pytest -q -p no:cacheprovider <the bug's test files>"

with ``HEPHAESTUS_DATA_DIR`` (and ``--data-dir`` when the CLI has it) pointing to a temp dir.
``<python>`` is this interpreter for stdlib-only projects (``youtube-dl``) and otherwise a venv cached
per pip list under ``--venv-cache`` with pytest and the project's pip list (``PROJECTS`` below; a
bug listed in ``BUG_DEPS`` gets its own list). The venvs of the projects in ``NEEDS_COMPAT`` get a
``.pth`` that restores stdlib names removed after Python 3.9 (``collections.Mapping`` etc.,
``inspect.getargspec``), which their old code still uses; nothing of the project is changed.

Outcomes (the first four make ``total``; the rest are reported but not counted):

  correct         the validated patch (``git apply`` on a fresh buggy copy) makes the failing
                  tests pass, breaks no test of the bug's test files that passed before, and every
                  ``.py`` file touched by it or by the developer's patch has the same AST as in the
                  fixed commit.
  plausible       the tests pass as above but the AST differs (``--verbose`` prints both diffs).
  wrong           validated, but the patch does not apply, the failing tests still fail, or a
                  test that passed on the buggy copy now fails.
  none            no validated solution (the engine abstained, found no issue, crashed or timed
                  out; ``detail`` says which).
  unreproducible  the failing tests do not fail on the buggy checkout or do not pass on the fixed one.
  setup-failed    the project's venv could not be made or has no pip list here.
  missing         the project's snapshot (or a commit of the bug) is not in ``--mirror``.
  reproduced      with ``--reproduce-only``: the bug reproduces (analyze is not run).

``repo-modified`` is a flag, not an outcome: analyze changed its ``--repo`` (severe; counted).
``fl_hit``: one of the first 5 ``localization`` entries (of the first issue that has any) names a
file and line the developer fixed (buggy-side lines of removed lines; for pure insertions, the
lines around the insertion point). An entry is a statement: ``line`` to ``end_line`` when it spans
several lines (a call with a multi-line regex literal), and a fixed line anywhere in it counts.
``fl_top5_line`` counts only an entry's first line (the stricter figure, printed beside it).

    python bench/realbugs.py [--bugsinpy DIR] [--mirror DIR] [--bugs FILE] [--only youtube-dl:11,...]
                             [--timeout S] [--json] [--keep DIR] [--analyze-args "..."] [--verbose]
                             [--reproduce-only] [--venv-cache DIR] [--test-timeout S]

Per bug a line ``project:id outcome seconds fl_hit`` (seconds = analyze wall time), then
``RESULT correct=C plausible=P wrong=W none=N total=T fl_top5=F median_s=S p95_s=S2`` followed by
the uncounted tallies. With ``--json`` stdout is one JSON document and the per-bug lines and the
RESULT line go to stderr. Exit status 0 whatever the score (2 for a held-out or unknown bug).
Held out for independent evaluation, refused: BugsInPy's thefuck, tqdm, httpie, cookiecutter, and
QuixBugs.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BUGS_FILE = HERE / "realbugs.txt"
BUGSINPY = Path("/work/.mirror/soarsmu+BugsInPy/repo")
MIRROR = Path("/work/.mirror")
VENV_CACHE = Path.home() / ".cache" / "hephaestus-realbugs"
HELD_OUT = frozenset({"thefuck", "tqdm", "httpie", "cookiecutter", "quixbugs"})
# project -> pip packages installed (with pytest) into its cached venv; None = stdlib only, run with
# this interpreter. A project absent here is `setup-failed`.
PROJECTS: dict[str, list[str] | None] = {
    "youtube-dl": None,
    "PySnooper": ["python-toolbox", "future", "decorator", "six"],
    "black": [
        "click",
        "attrs",
        "appdirs",
        "toml",
        "aiohttp",
        "regex",
        "pathspec",
        "mypy_extensions",
        "typing_extensions",
        "typed-ast",
    ],
    "tornado": ["pytest<8"],
    "sanic": ["httptools", "aiofiles", "websockets>=7,<9", "multidict>=4,<5", "httpx==0.11.1"],
    "fastapi": ["starlette==0.13.2", "pydantic<2", "requests", "python-multipart", "email-validator"],
    "scrapy": [
        "Twisted==22.10.0",
        "lxml",
        "parsel<1.7",
        "w3lib<2",
        "queuelib",
        "cssselect<1.2",
        "pyOpenSSL",
        "service_identity",
        "zope.interface",
        "PyDispatcher",
        "protego",
        "Pillow<10",
        "mock",
        "testfixtures",
        "six",
    ],
    "luigi": [
        "pytest<8",
        "tornado<6",
        "python-daemon",
        "python-dateutil",
        "mock",
        "pyparsing",
        "nose",
        "cached-property",
        "psutil",
    ],
}
# Bugs whose pip list differs from their project's (their dependencies moved on between bugs):
# project -> [(bug ids, pip list)], the first entry holding the bug wins. Each list gets its own venv.
BUG_DEPS: dict[str, list[tuple[range | frozenset[int], list[str]]]] = {
    "sanic": [
        (range(2, 4), ["httptools", "aiofiles", "websockets>=7,<9", "multidict>=4,<5", "httpx==0.9.3"]),
    ],
    "fastapi": [
        (range(4, 8), ["starlette==0.12.9", "pydantic<2", "requests", "python-multipart", "email-validator"]),
        (
            range(8, 17),
            ["starlette==0.12.7", "pydantic<1", "requests", "python-multipart", "email-validator"],
        ),
    ],
}
# Projects whose venv gets COMPAT_SHIM (``_realbugs_compat.py`` and a ``.pth`` importing it, in the
# venv's site-packages): their old code uses stdlib names removed after Python 3.9.
NEEDS_COMPAT = frozenset({"PySnooper", "tornado", "luigi", "scrapy"})
COMPAT_SHIM = '''"""bench/realbugs.py: stdlib names removed after Python 3.9, restored for old code."""
import collections
import collections.abc

for _name in collections.abc.__all__:  # collections.Mapping etc. (removed in 3.10)
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import inspect

if not hasattr(inspect, "getargspec"):  # removed in 3.11
    ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

    def getargspec(func):
        spec = inspect.getfullargspec(func)
        return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    inspect.getargspec = getargspec
    inspect.ArgSpec = ArgSpec
'''
COUNTED = ("correct", "plausible", "wrong", "none")
UNCOUNTED = ("unreproducible", "setup-failed", "missing", "reproduced")
IGNORED = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
FL_TOP = 5


class HeldOutError(ValueError):
    """A bug of a project kept for independent evaluation was requested."""


# ---------------------------------------------------------------- pure helpers


def check_not_held_out(project: str) -> None:
    if project.lower() in HELD_OUT:
        raise HeldOutError(f"{project} is held out for independent evaluation; refusing to run it")


def parse_bug_list(text: str) -> list[tuple[str, int]]:
    """``project id`` (or ``project:id``) per line; ``#`` starts a comment. Held-out projects raise."""
    bugs: list[tuple[str, int]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace(":", " ").split()
        if len(parts) != 2 or not parts[1].isdigit():
            raise ValueError(f"bad bug line {raw!r} (want 'project id')")
        check_not_held_out(parts[0])
        bugs.append((parts[0], int(parts[1])))
    return bugs


def parse_only(spec: str) -> list[tuple[str, int]]:
    return parse_bug_list("\n".join(s for s in spec.split(",") if s.strip()))


def parse_info(text: str) -> dict[str, str]:
    """``key="value"`` lines of bug.info / project.info (BugsInPy writes ``key ="value"`` too)."""
    info: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r'\s*([A-Za-z_]+)\s*=\s*"?([^"]*)"?\s*$', line)
        if m:
            info[m.group(1)] = m.group(2).strip()
    return info


def bug_test_files(info: dict[str, str]) -> list[str]:
    return [p.strip() for p in info.get("test_file", "").split(";") if p.strip()]


def snapshot_name(github_url: str) -> str:
    """``https://github.com/ytdl-org/youtube-dl(.git)`` -> ``ytdl-org+youtube-dl``."""
    path = re.sub(r"^https?://github\.com/", "", github_url.strip()).rstrip("/")
    path = path.removesuffix(".git")
    owner, name = path.split("/")[:2]
    return f"{owner}+{name}"


def unittest_to_nodeid(dotted: str, is_file: Callable[[str], bool] | None = None) -> str:
    """``test.test_utils.TestUtil.test_x`` -> ``test/test_utils.py::TestUtil::test_x``.

    The module is the longest dotted prefix that is a file (``is_file(relpath)``); without
    ``is_file`` it is everything before the first capitalized component (a class name)."""
    parts = dotted.split(".")
    split = None
    if is_file is not None:
        for k in range(len(parts), 0, -1):
            if is_file("/".join(parts[:k]) + ".py"):
                split = k
                break
    if split is None:
        split = next((k for k, p in enumerate(parts) if p[:1].isupper()), len(parts))
        split = max(split, 1)
    return "::".join(["/".join(parts[:split]) + ".py", *parts[split:]])


def run_test_to_nodeids(script: str, is_file: Callable[[str], bool] | None = None) -> list[str]:
    """Node ids of the tests named by a BugsInPy ``run_test.sh`` (unittest, pytest, py.test, tox)."""
    ids: list[str] = []
    for raw in script.replace("\r", "").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if "unittest" in words:
            args = words[words.index("unittest") + 1 :]
            ids += [unittest_to_nodeid(a, is_file) for a in args if not a.startswith("-")]
        elif words and (words[0] in {"pytest", "py.test", "tox"} or "pytest" in words):
            start = words.index("pytest") + 1 if "pytest" in words else 1
            ids += [a for a in words[start:] if not a.startswith("-") and (".py" in a or "::" in a)]
    return list(dict.fromkeys(ids))


def _path_of(header: str) -> str | None:
    p = header.split("\t", 1)[0].strip()
    if p == "/dev/null":
        return None
    return p[2:] if p[:2] in {"a/", "b/"} else p


HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _file_hunks(patch: str) -> Iterable[tuple[str | None, str | None, int, list[str]]]:
    """(old path, new path, first buggy-side line, hunk body lines) of a unified diff; hunk bodies
    are consumed by their counts, so a removed line that reads ``-- x`` is not a file header."""
    lines = patch.replace("\r\n", "\n").split("\n")
    old_path: str | None = None
    new_path: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("--- "):
            old_path = _path_of(line[4:])
        elif line.startswith("+++ "):
            new_path = _path_of(line[4:])
        elif m := HUNK.match(line):
            old_left = int(m.group(2) or "1")
            new_left = int(m.group(4) or "1")
            body: list[str] = []
            while i < len(lines) and (old_left > 0 or new_left > 0):
                b = lines[i]
                i += 1
                if b.startswith("\\"):
                    continue
                body.append(b)
                if b.startswith("-"):
                    old_left -= 1
                elif b.startswith("+"):
                    new_left -= 1
                else:
                    old_left -= 1
                    new_left -= 1
            yield old_path, new_path, int(m.group(1)), body


def diff_files(patch: str) -> list[str]:
    """Paths touched by a unified diff (both sides, deduplicated, in order)."""
    files: list[str] = []
    for old_path, new_path, _, _ in _file_hunks(patch):
        for p in (old_path, new_path):
            if p and p not in files:
                files.append(p)
    return files


def changed_lines(patch: str) -> dict[str, set[int]]:
    """Buggy-side lines the developer changed, per file: removed lines; for a run of added lines
    with no removed line (a pure insertion), the buggy-side lines just before and after it."""
    out: dict[str, set[int]] = {}
    for old_path, new_path, start, body in _file_hunks(patch):
        path = old_path or new_path
        if path is None:
            continue
        lines = out.setdefault(path, set())
        old = start
        removed = added = False
        for b in [*body, " "]:  # a trailing context line closes the last run
            if b.startswith("-"):
                lines.add(old)
                old += 1
                removed = True
            elif b.startswith("+"):
                added = True
            else:
                if added and not removed:
                    lines.update(n for n in (old - 1, old) if n >= 1)
                removed = added = False
                old += 1
    return {p: s for p, s in out.items() if s}


def same_ast(a: str | None, b: str | None) -> bool:
    """Same module AST (comments, blank lines, quoting ignored); text equality when unparsable."""
    if a is None or b is None:
        return a is b
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except (SyntaxError, ValueError):
        return a.strip() == b.strip()


def normalize_path(path: str, repo: Path | None = None) -> str:
    p = path.replace("\\", "/")
    if repo is not None and os.path.isabs(p):
        for root in {str(repo), os.path.realpath(repo)}:
            if p.startswith(root.rstrip("/") + "/"):
                p = p[len(root.rstrip("/")) + 1 :]
                break
    while p.startswith("./"):
        p = p[2:]
    return p


def localization(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The ranked localization of the first issue that has one (missing = empty)."""
    for issue in doc.get("issues") or []:
        loc = issue.get("localization") if isinstance(issue, dict) else None
        if isinstance(loc, list) and loc:
            return [e for e in loc if isinstance(e, dict)]
    return []


def fl_hit(
    loc: list[dict[str, Any]],
    fixed: dict[str, set[int]],
    repo: Path | None = None,
    top: int = FL_TOP,
    *,
    spans: bool = True,
) -> bool:
    for entry in loc[:top]:
        path, line = entry.get("path"), entry.get("line")
        if not isinstance(path, str) or not isinstance(line, int):
            continue
        last = entry.get("end_line") if spans else None
        covered = range(line, (last if isinstance(last, int) and last > line else line) + 1)
        p = normalize_path(path, repo)
        for fpath, lines in fixed.items():
            if (p == fpath or p.endswith("/" + fpath)) and any(n in lines for n in covered):
                return True
    return False


def validated_solution(doc: dict[str, Any]) -> dict[str, Any] | None:
    for issue in doc.get("issues") or []:
        sol = issue.get("solution") if isinstance(issue, dict) else None
        if isinstance(sol, dict) and sol.get("status") == "validated":
            return sol
    return None


def pytest_outcomes(output: str) -> dict[str, str]:
    """``nodeid -> PASSED|FAILED|ERROR|...`` from the short summary of ``pytest -rA``."""
    out: dict[str, str] = {}
    for line in output.splitlines():
        m = re.match(r"(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+::\S+)", line)
        if m:
            out.setdefault(m.group(2), m.group(1))
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    if not values:
        return 0.0
    s, n = sorted(values), len(values)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [r for r in rows if r["outcome"] in COUNTED]
    secs = [r["seconds"] for r in scored]
    s: dict[str, Any] = {o: sum(r["outcome"] == o for r in rows) for o in COUNTED + UNCOUNTED}
    s["total"] = len(scored)
    s["fl_top5"] = round(sum(bool(r["fl_hit"]) for r in scored) / len(scored), 3) if scored else 0.0
    line_hits = sum(bool(r.get("fl_hit_line", r["fl_hit"])) for r in scored)
    s["fl_top5_line"] = round(line_hits / len(scored), 3) if scored else 0.0
    s["median_s"] = round(median(secs), 2)
    s["p95_s"] = round(percentile(secs, 0.95), 2)
    s["repo_modified"] = sum(bool(r.get("repo_modified")) for r in rows)
    s["analyze_errors"] = sum(bool(r.get("analyze_error")) for r in scored)
    s["no_issue"] = sum(r.get("issues") == 0 for r in scored)
    return s


def result_line(s: dict[str, Any]) -> str:
    return (
        f"RESULT correct={s['correct']} plausible={s['plausible']} wrong={s['wrong']} none={s['none']} "
        f"total={s['total']} fl_top5={s['fl_top5']:.3f} fl_top5_line={s['fl_top5_line']:.3f} "
        f"median_s={s['median_s']:.2f} p95_s={s['p95_s']:.2f} "
        f"repo_modified={s['repo_modified']} analyze_errors={s['analyze_errors']} no_issue={s['no_issue']} "
        f"unreproducible={s['unreproducible']} setup_failed={s['setup-failed']} missing={s['missing']}"
        + (f" reproduced={s['reproduced']}" if s["reproduced"] else "")
    )


def bug_line(r: dict[str, Any]) -> str:
    hit = "-" if r["outcome"] not in COUNTED else str(int(bool(r["fl_hit"])))
    line = f"{r['bug']} {r['outcome']} {r['seconds']:.1f} {hit}"
    return line + (f"  # {r['detail']}" if r.get("detail") else "")


# ---------------------------------------------------------------- checkout, envs, runs


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1", PYTHONHASHSEED="0")
    for k in ("PYTEST_ADDOPTS", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(k, None)
    env.update(extra or {})
    return env


def git(git_dir: Path, *args: str, text: bool = True) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=text, check=False)


def run_bounded(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str, bool]:
    """(exit code, stdout, stderr, timed out); on timeout the whole process group is killed, so a
    test run's or the engine's sandbox children do not outlive it."""
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err, False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return -1, out or "", err or "", True


def show(git_dir: Path, rev_path: str) -> str | None:
    proc = git(git_dir, "show", rev_path)
    return proc.stdout if proc.returncode == 0 else None


def snapshot_git_dir(mirror: Path, name: str) -> Path | None:
    repo = mirror / name / "repo"
    for cand in (repo / ".git", repo):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def archive(git_dir: Path, commit: str, dst: Path) -> str | None:
    """Extract ``commit`` into ``dst``; returns an error text or None."""
    dst.mkdir(parents=True, exist_ok=True)
    arch = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", commit], capture_output=True, check=False
    )
    if arch.returncode != 0:
        return arch.stderr.decode(errors="replace").strip()[:200] or "git archive failed"
    untar = subprocess.run(["tar", "-x", "-C", str(dst)], input=arch.stdout, capture_output=True, check=False)
    if untar.returncode != 0:
        return untar.stderr.decode(errors="replace").strip()[:200]
    return None


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update((os.readlink(path).encode() if path.is_symlink() else path.read_bytes()) + b"\0")
    return h.hexdigest()


_VENVS: dict[tuple[str, str], tuple[str | None, str]] = {}


def pip_list(project: str, bug_id: int) -> list[str] | None:
    """The bug's pip list: its BUG_DEPS entry, else its project's (None = stdlib only)."""
    for ids, deps in BUG_DEPS.get(project, []):
        if bug_id in ids:
            return deps
    return PROJECTS[project]


def interpreter(project: str, bug_id: int, cache: Path, log: Callable[[str], None]) -> tuple[str | None, str]:
    """(python, error): this interpreter for stdlib-only projects, else a cached venv per pip list."""
    if project not in PROJECTS:
        return None, f"no pip list for project {project} in bench/realbugs.py"
    deps = pip_list(project, bug_id)
    if deps is None:
        return sys.executable, ""
    key = (project, "\0".join(deps))
    if key in _VENVS:
        return _VENVS[key]
    wanted = " ".join(["pytest", *deps])
    shim = COMPAT_SHIM if project in NEEDS_COMPAT else ""
    tag = hashlib.sha256(f"{sys.version}|{wanted}{'|' + shim if shim else ''}".encode()).hexdigest()[:10]
    venv = cache / f"{project}-py{sys.version_info[0]}{sys.version_info[1]}-{tag}"
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not stamp.is_file():
        log(f"... creating venv {venv} ({wanted})")
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "pytest", *deps],
        ]
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, check=False, env=_env())
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
                _VENVS[key] = (None, f"env: {' '.join(step[:4])}...: {' | '.join(tail)[:300]}")
                return _VENVS[key]
        if shim:
            site = subprocess.run(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            (Path(site) / "_realbugs_compat.py").write_text(shim)
            (Path(site) / "_realbugs_compat.pth").write_text("import _realbugs_compat\n")
        stamp.write_text(wanted + "\n")
    _VENVS[key] = (str(python), "")
    return _VENVS[key]


@dataclass
class Run:
    code: int
    output: str
    timed_out: bool = False
    outcomes: dict[str, str] = field(default_factory=dict)


def run_pytest(python: str, cwd: Path, ids: Iterable[str], timeout: float, report_all: bool = False) -> Run:
    cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(["-rA"] if report_all else []), *ids]
    code, out, err, timed_out = run_bounded(cmd, cwd, _env({"PYTHONPATH": str(cwd)}), timeout)
    output = out + (err if err.strip() else "")
    if timed_out:
        return Run(-1, output + f"\n[realbugs] timeout after {timeout:.0f}s\n", timed_out=True)
    return Run(code, output, outcomes=pytest_outcomes(output) if report_all else {})


def reproduces(run: Run) -> bool:
    """The failing tests fail: a test failed (exit 1), the run hung, or the test module does not
    import (exit 2, or 4 when the named node ids are not collected because of it): the test
    needs a name that only the fix adds, as BugsInPy counts it."""
    if run.timed_out or run.code in (1, 2):
        return True
    return run.code == 4 and "ERROR collecting" in run.output


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="surrogateescape")
    except (FileNotFoundError, IsADirectoryError):
        return None


# ---------------------------------------------------------------- one bug


@dataclass
class Options:
    bugsinpy: Path
    mirror: Path
    venv_cache: Path
    timeout: float
    test_timeout: float
    keep: Path | None
    analyze_args: list[str]
    verbose: bool
    reproduce_only: bool
    log: Callable[[str], None]


def _analyze_has_data_dir() -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "hephaestus", "analyze", "--help"], capture_output=True, text=True, check=False
    )
    return "--data-dir" in proc.stdout


def evaluate(project: str, bug_id: int, opt: Options, has_data_dir: bool) -> dict[str, Any]:
    check_not_held_out(project)
    row: dict[str, Any] = {
        "bug": f"{project}:{bug_id}",
        "outcome": "missing",
        "seconds": 0.0,
        "fl_hit": False,
        "fl_hit_line": False,
        "detail": "",
        "repo_modified": False,
        "analyze_error": False,
        "issues": None,
    }
    bdir = f"HEAD:projects/{project}/bugs/{bug_id}"
    info_text = show(opt.bugsinpy, f"{bdir}/bug.info")
    proj_text = show(opt.bugsinpy, f"HEAD:projects/{project}/project.info")
    script = show(opt.bugsinpy, f"{bdir}/run_test.sh")
    dev_patch = show(opt.bugsinpy, f"{bdir}/bug_patch.txt") or ""
    if info_text is None or proj_text is None or script is None:
        row["detail"] = "bug not in BugsInPy"
        return row
    info, pinfo = parse_info(info_text), parse_info(proj_text)
    buggy, fixed = info.get("buggy_commit_id", ""), info.get("fixed_commit_id", "")
    tfiles = bug_test_files(info)
    snap = snapshot_name(pinfo.get("github_url", ""))
    git_dir = snapshot_git_dir(opt.mirror, snap)
    if git_dir is None:
        row["detail"] = f"no snapshot {opt.mirror / snap}"
        return row
    python, err = interpreter(project, bug_id, opt.venv_cache, opt.log)
    if python is None:
        row["outcome"], row["detail"] = "setup-failed", err
        return row
    dev_lines = changed_lines(dev_patch)
    row["dev_files"] = sorted(dev_lines)

    tmp_ctx = tempfile.TemporaryDirectory(prefix=f"heph-realbugs-{project}-{bug_id}-")
    with tmp_ctx as tmp_s:
        tmp = Path(tmp_s)

        def checkout(rev: str, dst: Path) -> str | None:
            err = archive(git_dir, rev, dst)
            if err:
                return f"{rev[:10]}: {err}"
            for tf in tfiles:
                content = git(git_dir, "show", f"{fixed}:{tf}", text=False)
                if content.returncode == 0:
                    (dst / tf).parent.mkdir(parents=True, exist_ok=True)
                    (dst / tf).write_bytes(content.stdout)
            return None

        buggy_dir, fixed_dir = tmp / "buggy", tmp / "fixed"
        for rev, dst in ((buggy, buggy_dir), (fixed, fixed_dir)):
            err = checkout(rev, dst)
            if err:
                row["detail"] = f"checkout {err}"
                return row
        ids = run_test_to_nodeids(script, lambda rel: (buggy_dir / rel).is_file())
        row["tests"] = ids
        if not ids:
            row["outcome"], row["detail"] = "unreproducible", "no test id in run_test.sh"
            return row
        before_run = run_pytest(python, buggy_dir, ids, opt.test_timeout)
        log_path = tmp / "failing-test.log"
        log_path.write_text(before_run.output)
        if not reproduces(before_run):
            row["outcome"] = "unreproducible"
            row["detail"] = f"failing tests do not fail on the buggy checkout (pytest exit {before_run.code})"
            return _keep(row, opt, tmp)
        fixed_run = run_pytest(python, fixed_dir, ids, opt.test_timeout)
        if fixed_run.code != 0:
            tail = _summary_tail(fixed_run.output)
            row["outcome"] = "unreproducible"
            row["detail"] = f"failing tests do not pass on the fixed checkout (exit {fixed_run.code}: {tail})"
            (tmp / "fixed-run.log").write_text(fixed_run.output)
            return _keep(row, opt, tmp)
        row["buggy_failure"] = _summary_tail(before_run.output)
        if opt.reproduce_only:
            row["outcome"], row["detail"] = "reproduced", row["buggy_failure"]
            return _keep(row, opt, tmp)

        # -- analyze the buggy copy
        work = tmp / "repo"
        shutil.copytree(buggy_dir, work, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED))
        digest = tree_digest(work)
        data_dir = tmp / "data"
        data_dir.mkdir()
        test_cmd = shlex.join([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tfiles])
        cmd = [sys.executable, "-m", "hephaestus", "analyze", str(log_path), "--repo", str(work), "--json"]
        cmd += [
            "--test-cmd",
            test_cmd,
            *(["--data-dir", str(data_dir)] if has_data_dir else []),
            *opt.analyze_args,
        ]
        row["outcome"] = "none"
        t0 = time.monotonic()
        code, stdout, stderr, timed_out = run_bounded(
            cmd, tmp, _env({"HEPHAESTUS_DATA_DIR": str(data_dir)}), opt.timeout
        )
        row["seconds"] = round(time.monotonic() - t0, 2)
        (tmp / "analyze.json").write_text(stdout)
        (tmp / "analyze.stderr").write_text(stderr)
        if timed_out:
            row["analyze_error"] = True
            row["detail"] = f"analyze timed out after {opt.timeout:.0f}s"
            row["repo_modified"] = tree_digest(work) != digest
            return _keep(row, opt, tmp)
        if tree_digest(work) != digest:
            row["repo_modified"] = True
        if code != 0:
            last = (stderr or stdout).strip().splitlines()[-1:] or [""]
            row["analyze_error"] = True
            row["detail"] = f"analyze exit {code}: {last[0][:200]}"
            return _keep(row, opt, tmp)
        try:
            doc = json.loads(stdout)
        except ValueError as exc:
            row["analyze_error"] = True
            row["detail"] = f"analyze stdout is not one JSON document: {exc}"
            return _keep(row, opt, tmp)
        if not isinstance(doc, dict):
            doc = {}
        issues = doc.get("issues") if isinstance(doc.get("issues"), list) else []
        row["issues"] = len(issues)
        loc = localization(doc)
        row["localization_top"] = loc[:FL_TOP]
        row["fl_hit"] = fl_hit(loc, dev_lines, work)
        row["fl_hit_line"] = fl_hit(loc, dev_lines, work, spans=False)
        sol = validated_solution(doc)
        if sol is None:
            row["detail"] = _why_none(issues)
            return _keep(row, opt, tmp)

        # -- score the validated patch on a fresh buggy copy
        patch = str(sol.get("patch") or "")
        row["patch"] = patch
        fresh = tmp / "patched"
        shutil.copytree(buggy_dir, fresh, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED))
        (tmp / "proposed.patch").write_text(patch)
        applied = subprocess.run(
            ["git", "apply", "--whitespace=nowarn", str(tmp / "proposed.patch")],
            cwd=fresh,
            capture_output=True,
            text=True,
            check=False,
        )
        row["outcome"] = "wrong"
        if not patch.strip() or applied.returncode != 0:
            row["detail"] = "patch does not apply: " + " ".join(applied.stderr.split())[:200]
            return _keep(row, opt, tmp)
        after = run_pytest(python, fresh, ids, opt.test_timeout)
        if after.code != 0:
            row["detail"] = f"failing tests still fail: {_summary_tail(after.output)}"
            return _keep(row, opt, tmp)
        base = run_pytest(python, buggy_dir, tfiles, opt.test_timeout, report_all=True)
        full = run_pytest(python, fresh, tfiles, opt.test_timeout, report_all=True)
        broken = sorted(
            t for t, o in base.outcomes.items() if o == "PASSED" and full.outcomes.get(t) != "PASSED"
        )
        if broken or full.timed_out:
            row["detail"] = "regression: " + (", ".join(broken[:5]) if broken else "test files timed out")
            return _keep(row, opt, tmp)
        touched = sorted({p for p in diff_files(patch) + diff_files(dev_patch) if p.endswith(".py")})
        differ = [p for p in touched if not same_ast(read_text(fresh / p), read_text(fixed_dir / p))]
        row["outcome"] = "plausible" if differ else "correct"
        if differ:
            row["detail"] = "AST differs from the fixed commit in " + ", ".join(differ)
            if opt.verbose:
                bug = row["bug"]
                opt.log(f"--- {bug}: developer patch\n{dev_patch}\n--- {bug}: proposed patch\n{patch}")
        return _keep(row, opt, tmp)


def _summary_tail(output: str) -> str:
    lines = [ln.strip() for ln in output.strip().splitlines() if ln.strip()]
    return lines[-1][:160] if lines else "no output"


def _why_none(issues: list[Any]) -> str:
    if not issues:
        return "analyze reported no issue"
    sols = [i["solution"] for i in issues if isinstance(i, dict) and isinstance(i.get("solution"), dict)]
    statuses = sorted({str(s.get("status")) for s in sols})
    reasons = [str(s.get("reason") or s.get("detail") or "") for s in sols]
    diagnoses = [str(i.get("diagnosis") or "") for i in issues if isinstance(i, dict)]
    reason = next((r for r in reasons + diagnoses if r), "")
    text = f"{len(issues)} issue(s), solution status: {', '.join(statuses) or 'no solution'}"
    return text + (f" ({reason[-160:]})" if reason else "")


def _keep(row: dict[str, Any], opt: Options, tmp: Path) -> dict[str, Any]:
    if opt.keep is not None:
        dst = opt.keep / row["bug"].replace(":", "-")
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir(parents=True, exist_ok=True)
        for name in ("failing-test.log", "fixed-run.log", "analyze.json", "analyze.stderr", "proposed.patch"):
            if (tmp / name).is_file():
                shutil.copy(tmp / name, dst / name)
        (dst / "row.json").write_text(json.dumps(row, indent=2, default=str))
    return row


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score hephaestus analyze against real bugs (BugsInPy).")
    ap.add_argument("--bugsinpy", type=Path, default=BUGSINPY, help="BugsInPy git dir")
    ap.add_argument("--mirror", type=Path, default=MIRROR, help="dir of <owner>+<name>/repo snapshots")
    ap.add_argument("--bugs", type=Path, default=BUGS_FILE, help="bug list, 'project id' per line")
    ap.add_argument("--only", default=None, help="comma-separated project:id, instead of --bugs")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per analyze run")
    ap.add_argument("--test-timeout", type=float, default=300.0, help="seconds allowed per pytest run")
    ap.add_argument("--venv-cache", type=Path, default=VENV_CACHE)
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout (lines on stderr)")
    ap.add_argument("--keep", type=Path, default=None, help="keep each bug's log and analyze output here")
    ap.add_argument("--analyze-args", default="", help="extra arguments for hephaestus analyze")
    ap.add_argument("-v", "--verbose", action="store_true", help="print both diffs of plausible patches")
    ap.add_argument(
        "--reproduce-only",
        action="store_true",
        help="only check that each bug reproduces (outcome 'reproduced'); do not run analyze",
    )
    args = ap.parse_args(argv)
    try:
        bugs = parse_only(args.only) if args.only else parse_bug_list(args.bugs.read_text())
    except (HeldOutError, ValueError, OSError) as exc:
        print(f"realbugs: {exc}", file=sys.stderr)
        return 2
    out = sys.stderr if args.json else sys.stdout

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    opt = Options(
        bugsinpy=args.bugsinpy,
        mirror=args.mirror,
        venv_cache=args.venv_cache.expanduser(),
        timeout=args.timeout,
        test_timeout=args.test_timeout,
        keep=args.keep,
        analyze_args=shlex.split(args.analyze_args),
        verbose=args.verbose,
        reproduce_only=args.reproduce_only,
        log=log,
    )
    has_data_dir = _analyze_has_data_dir()
    rows = []
    for project, bug_id in bugs:
        row = evaluate(project, bug_id, opt, has_data_dir)
        rows.append(row)
        print(bug_line(row), file=out, flush=True)
    summary = summarize(rows)
    if args.json:
        print(json.dumps({"bugs": rows, "summary": summary}, indent=2, default=str))
    print(result_line(summary), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
