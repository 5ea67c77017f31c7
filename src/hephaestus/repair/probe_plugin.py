"""A pytest plugin run inside the validation sandbox: test spectra, failure values, patch screening.

Copied into the sandbox's scratch dir as ``hx_probe.py`` and loaded with ``-p hx_probe
--hx-probe=CONFIG`` by repair/probe.py; stdlib and pytest only (it runs in the project's own
interpreter). It writes JSON that probe.py reads back; it never imports hephaestus.

Modes (CONFIG is a JSON object):
- ``spectrum``: runs the selected tests normally while tracing which lines of files under
  ``root`` each test executes; for failing tests it records the values of the locals of the
  traceback's frames in those files (type and a bounded repr). The named failing tests run first.
  In a passing test a function's calls past the 200th run untraced (hot code costs most and
  its lines are seen by then); failing tests are traced in full.
  one JSON line per test: ``{"test", "outcome", "lines": {path: [line, ...]}, "recent", "frames"}``.
  A failing test also gets ``segments``: its run cut at each call from test or outside code into
  repo code (``{"entry": [path, line] or null, "ext": caller file outside the repo, "callee",
  "lines"}``),
  so the call that failed can be told from the earlier calls of the same test that passed.
- ``values``: runs the selected tests tracing only the chosen ``lines``, and records the locals
  each line saw the last time it ran. Output: ``{"values": {"path:line": {name: {type, repr}}}}``.
- ``screen``: collects the selected tests once, then for each candidate (a span of one file,
  its replacement text and the function it changes) forks a child that swaps the function's code (or
  re-executes the module), runs the failing tests and, when they pass, the guard tests (those
  that passed unpatched in the spectrum run). A child past its time limit is killed (no line).
  One JSON line per candidate: ``{"id", "fixed", "broke", "status"}``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import types
from collections import deque
from typing import Any

import pytest

_VALUE_CHARS = 160
_MAX_LOCALS = 24
_MAX_OTHERS = 400
_RECENT = 300
_SEGMENTS = 400  # per failing test; later calls share the last segment
_GUARD_LIMITS = 3  # a candidate's guard tests get this many times its failing tests' time limit
_HOT_CALLS = 200  # in a passing test, a function's later calls run untraced (their lines are mostly seen)


def is_test_file(rel: str) -> bool:
    """Test modules and conftest files (mirrors hephaestus.repair.locate.is_test_path)."""
    parts = rel.split("/")
    name = parts[-1]
    in_test_dir = any(part in {"tests", "test", "testing"} for part in parts[:-1])
    return in_test_dir or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--hx-probe", action="store", default=None, help="hephaestus probe config (JSON file)")


def pytest_configure(config: Any) -> None:
    path = config.getoption("--hx-probe")
    if not path:
        return
    with open(path, encoding="utf-8") as handle:
        cfg = json.load(handle)
    modes = {"spectrum": _Spectrum, "values": _Values, "screen": _Screen}
    plugin = modes.get(cfg.get("mode", ""), _Screen)(cfg)
    config.pluginmanager.register(plugin, "hx-probe-mode")


def _in_root(filename: str, root: str) -> str | None:
    """Repo-relative path of `filename` when it lies under `root` (else None)."""
    if not filename.startswith(root):
        return None
    rel = filename[len(root) :].lstrip("/")
    return rel if rel.endswith(".py") else None


def describe(value: object) -> dict[str, str]:
    """Type name and a bounded repr of a runtime value (never raises)."""
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<unrepresentable: {type(exc).__name__}>"
    if len(text) > _VALUE_CHARS:
        text = text[: _VALUE_CHARS - 3] + "..."
    return {"type": type(value).__name__, "repr": text}


def frame_values(tb: types.TracebackType | None, root: str) -> list[dict[str, Any]]:
    """Innermost-last frames of a traceback lying under `root`, with their locals described."""
    out: list[dict[str, Any]] = []
    while tb is not None:
        frame = tb.tb_frame
        rel = _in_root(frame.f_code.co_filename, root)
        if rel is not None:
            names = list(frame.f_locals.items())[:_MAX_LOCALS]
            out.append(
                {
                    "path": rel,
                    "line": tb.tb_lineno,
                    "function": frame.f_code.co_name,
                    "locals": {k: describe(v) for k, v in names if not k.startswith("@")},
                }
            )
        tb = tb.tb_next
    return out


class _Spectrum:
    """Per-test executed lines of files under the root, outcomes and failure values."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.root = str(cfg["root"]).rstrip("/") + "/"
        self.out = str(cfg["out"])
        self.test_timeout_s = float(cfg.get("test_timeout_s", 30))
        self.failing = list(cfg.get("failing", []))
        self.warm = list(cfg.get("warm", []))
        budget = cfg.get("budget_s")  # the passing tests' time box (the failing ones always run)
        self.deadline = None if budget is None else time.monotonic() + float(budget)
        self.tests: dict[str, dict[str, Any]] = {}
        self.frames: dict[str, list[dict[str, Any]]] = {}
        self._lines: dict[str, set[int]] = {}
        self._keep: dict[str, str | None] = {}
        self._recent: deque[tuple[str, int]] = deque(maxlen=_RECENT)
        self._segmenting = False
        self._calls: dict[types.CodeType, int] = {}
        self._segments: list[dict[str, Any]] = []
        self._entry: tuple[str | None, int, int] | None = None

    def _local(self, frame: types.FrameType, event: str, arg: object) -> Any:
        if event == "line":
            rel = self._keep.get(frame.f_code.co_filename)
            if rel is not None:
                self._lines.setdefault(rel, set()).add(frame.f_lineno)
                self._recent.append((rel, frame.f_lineno))
                if self._segmenting and self._segments and not is_test_file(rel):
                    self._segments[-1]["lines"].setdefault(rel, set()).add(frame.f_lineno)
        return self._local

    def _rel(self, filename: str) -> str | None:
        rel = self._keep.get(filename, "")
        if rel == "":
            rel = self._keep[filename] = _in_root(filename, self.root)
        return rel

    def _enter(self, frame: types.FrameType) -> None:
        """A call into repo code from test code or from outside the repo starts a segment (one
        per caller line and frame: `assert f(x) == g(y)` is one segment)."""
        caller = frame.f_back
        if caller is None:
            return
        where = self._rel(caller.f_code.co_filename)
        if where is not None and not is_test_file(where):
            return  # repo code calling repo code: the same segment
        key = (where, caller.f_lineno, id(caller))
        if key == self._entry and self._segments:
            return
        self._entry = key
        if len(self._segments) >= _SEGMENTS:
            return
        ext = caller.f_code.co_filename if where is None else None
        entry = None if where is None else [where, caller.f_lineno]
        self._segments.append({"entry": entry, "ext": ext, "callee": frame.f_code.co_name, "lines": {}})

    def _global(self, frame: types.FrameType, event: str, arg: object) -> Any:
        rel = self._rel(frame.f_code.co_filename)
        if rel is None:
            return None
        if not self._segmenting:
            calls = self._calls[frame.f_code] = self._calls.get(frame.f_code, 0) + 1
            if calls > _HOT_CALLS:
                return None
        elif not is_test_file(rel):
            self._enter(frame)
            if self._segments:
                self._segments[-1]["lines"].setdefault(rel, set()).add(frame.f_lineno)
        self._lines.setdefault(rel, set()).add(frame.f_lineno)
        return self._local

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Any:
        self._lines = {}
        self._recent.clear()
        self._segmenting = item.nodeid in self.failing
        self._segments, self._entry = [], None
        self._calls = {}
        self.tests[item.nodeid] = {"outcome": "passed", "lines": {}}
        previous = signal.signal(signal.SIGALRM, _hang)  # a hang is a failure to search, not a stop
        signal.alarm(max(1, int(self.test_timeout_s)))
        sys.settrace(self._global)
        try:
            yield
        finally:
            sys.settrace(None)
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            entry = self.tests[item.nodeid]
            entry["lines"] = {k: sorted(v) for k, v in self._lines.items()}
            if entry["outcome"] == "failed":  # the last distinct lines run, most recent last
                entry["recent"] = list(dict.fromkeys(reversed(self._recent)))[::-1]
                entry["segments"] = [
                    {**seg, "lines": {k: sorted(v) for k, v in seg["lines"].items()}}
                    for seg in self._segments
                ]
            self._flush(item.nodeid)
            if self.deadline is not None and time.monotonic() > self.deadline and nextitem is not None:
                nxt = nextitem.nodeid
                if nxt not in self.failing and nxt not in self.warm:  # sorted first: all have run
                    item.session.shouldstop = "spectrum time box"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: Any, call: Any) -> Any:
        outcome = yield
        report = outcome.get_result()
        entry = self.tests.setdefault(item.nodeid, {"outcome": "passed", "lines": {}})
        if report.failed:
            entry["outcome"] = "failed"
            if call.excinfo is not None and item.nodeid not in self.frames:
                tracer = sys.gettrace()
                sys.settrace(None)  # the reprs taken here are ours, not the test's: never traced
                try:
                    self.frames[item.nodeid] = frame_values(call.excinfo.tb, self.root)
                finally:
                    sys.settrace(tracer)
                entry["error"] = f"{call.excinfo.typename}: {str(call.excinfo.value)[:300]}"
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"

    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list[Any]) -> None:
        """The named failing tests first, so a run cut short by its time limit still has them
        (after the `warm` tests, which run first to do the process's one-time work)."""
        warm, first = set(self.warm), set(self.failing)
        items.sort(key=lambda item: 0 if item.nodeid in warm else 1 if item.nodeid in first else 2)

    def _flush(self, nodeid: str) -> None:
        """One JSON line per finished test (a run that is killed keeps what it had)."""
        row = {"test": nodeid, **self.tests.get(nodeid, {}), "frames": self.frames.get(nodeid, [])}
        with open(self.out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")


class ProbeTimeout(Exception):
    """Raised in a test that ran past the probe's per-test time limit."""


def _hang(signum: int, frame: object) -> None:
    raise ProbeTimeout("the test ran past the per-test time limit (hang or endless loop)")


class _Values:
    """The locals at chosen lines, as last seen while the selected (failing) tests ran."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.root = str(cfg["root"]).rstrip("/") + "/"
        self.out = str(cfg["out"])
        self.wanted: dict[str, set[int]] = {}
        for path, line in cfg.get("lines", []):
            self.wanted.setdefault(self.root + path, set()).add(int(line))
        self.seen: dict[str, dict[str, dict[str, str]]] = {}

    def _local(self, frame: types.FrameType, event: str, arg: object) -> Any:
        if event == "line" and frame.f_lineno in self.wanted.get(frame.f_code.co_filename, ()):
            rel = frame.f_code.co_filename[len(self.root) :]
            names = list(frame.f_locals.items())[:_MAX_LOCALS]
            self.seen[f"{rel}:{frame.f_lineno}"] = {k: describe(v) for k, v in names}
        return self._local

    def _global(self, frame: types.FrameType, event: str, arg: object) -> Any:
        return self._local if frame.f_code.co_filename in self.wanted else None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: Any) -> Any:
        sys.settrace(self._global)
        try:
            yield
        finally:
            sys.settrace(None)

    def pytest_sessionfinish(self, session: Any) -> None:
        with open(self.out, "w", encoding="utf-8") as handle:
            json.dump({"values": self.seen}, handle)


def _live_function(module: types.ModuleType, qualname: str) -> types.FunctionType | None:
    """The function object defined in `module` at `qualname` (through classes), unwrapped."""
    obj: Any = module
    for part in qualname.split("."):
        obj = obj.__dict__.get(part) if hasattr(obj, "__dict__") else None
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            obj = obj.fget
        if obj is None:
            return None
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    return obj if isinstance(obj, types.FunctionType) else None


def find_code(code: types.CodeType, qualname: str) -> types.CodeType | None:
    """The code object named `qualname` nested anywhere in `code`'s constants."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_qualname == qualname:
                return const
            found = find_code(const, qualname)
            if found is not None:
                return found
    return None


def _compile_function(source: str, filename: str, name: str, span: list[int] | None) -> types.CodeType | None:
    """The code of function `name` from `source`: only its lines (`span`, keeping line numbers)
    when given, which is much faster than compiling a large module; else the whole file."""
    if span is None:
        return None
    first, last = span
    lines = source.splitlines(keepends=True)[first - 1 : last]
    if not lines or first < 2:
        return None
    indented = lines[0][:1] in (" ", "\t")
    snippet = ("\n" * (first - 2) + "if 1:\n" if indented else "\n" * (first - 1)) + "".join(lines)
    for const in compile(snippet, filename, "exec").co_consts:
        if isinstance(const, types.CodeType) and const.co_name == name:
            return const
    return None


def swap_function(
    module: types.ModuleType, source: str, filename: str, qualname: str, span: list[int] | None = None
) -> bool:
    """Give the live function `qualname` of `module` the code compiled from `source`."""
    outer = qualname.split(".<locals>.", 1)[0]
    live = _live_function(module, outer)
    if live is None:
        return False
    try:
        new = _compile_function(source, filename, outer.rsplit(".", 1)[-1], span)
    except SyntaxError:
        new = None
    if new is None or len(new.co_freevars) != len(live.__code__.co_freevars):
        new = find_code(compile(source, filename, "exec"), outer)
    if new is None or len(new.co_freevars) != len(live.__code__.co_freevars):
        return False
    live.__code__ = new
    return True


def reexec_module(module: types.ModuleType, source: str, filename: str) -> None:
    """Run the new source in the module's namespace and re-point other modules' references."""
    old = {k: v for k, v in module.__dict__.items() if getattr(v, "__module__", None) == module.__name__}
    exec(compile(source, filename, "exec"), module.__dict__)  # noqa: S102 - the sandboxed candidate
    fresh = {id(v): module.__dict__.get(k) for k, v in old.items()}
    for other in list(sys.modules.values()):
        space = getattr(other, "__dict__", None)
        if other is module or not isinstance(space, dict):
            continue
        for key, value in list(space.items()):
            if id(value) in fresh and fresh[id(value)] is not None:
                space[key] = fresh[id(value)]


class _Screen:
    """Runs each candidate's failing and guard tests in a forked child of one collected session."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.root = str(cfg["root"]).rstrip("/") + "/"

    def _apply(self, cand: dict[str, Any]) -> None:
        path = os.path.join(self.root, cand["path"])
        real = os.path.realpath(path)
        module = next((m for m in list(sys.modules.values()) if _file_of(m) == real), None)
        original = self.originals[cand["path"]]
        source = original[: cand["start"]] + cand["text"] + original[cand["end"] :]
        with open(path, "w", encoding="utf-8") as handle:  # modules imported later read it
            handle.write(source)
        if module is None:
            return
        qualname = cand.get("qualname")
        if not (qualname and swap_function(module, source, path, qualname, cand.get("span"))):
            reexec_module(module, source, path)

    def _run(self, items: list[Any]) -> list[str]:
        from _pytest.runner import runtestprotocol  # noqa: PLC0415 - pytest's own runner

        failed: list[str] = []
        for i, item in enumerate(items):
            nextitem = items[i + 1] if i + 1 < len(items) else None
            reports = runtestprotocol(item, nextitem=nextitem, log=False)
            if any(r.failed for r in reports):
                failed.append(item.nodeid)
        return failed

    def _child(self, cand: dict[str, Any], failing: list[Any], others: list[Any], out: str) -> None:
        limit = max(1, int(self.cfg.get("timeout_s", 10)))
        signal.alarm(limit)  # the failing tests: a hang is caught quickly
        for item in [*failing, *others][:1]:
            item.config.option.tbstyle = "no"  # a failure's verdict is enough; its report is costly
        began = time.monotonic()
        result: dict[str, Any] = {"id": cand["id"], "status": "ok"}
        try:
            self._apply(cand)
            still = self._run(failing)
            result["fixed"] = len(failing) - len(still)
            if not still:
                signal.alarm(_GUARD_LIMITS * limit)  # the guards are many more tests
            result["broke"] = [] if still else self._run(others)
        except BaseException as exc:
            result = {"id": result["id"], "status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
        result["seconds"] = round(time.monotonic() - began, 4)
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(result) + "\n")
        os._exit(0)

    def _fork(self, cand: dict[str, Any], failing: list[Any], others: list[Any]) -> None:
        out = str(self.cfg["out"])
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            self._child(cand, failing, others, out)
        os.waitpid(pid, 0)
        with open(os.path.join(self.root, cand["path"]), "w", encoding="utf-8") as handle:
            handle.write(self.originals[cand["path"]])

    def pytest_runtestloop(self, session: Any) -> bool:
        wanted = set(self.cfg.get("failing", []))
        guard_ids = set(self.cfg.get("guards", []))  # tests that passed unpatched (spectrum run)
        failing = [i for i in session.items if i.nodeid in wanted]
        guards = [i for i in session.items if i.nodeid in guard_ids and i.nodeid not in wanted][:_MAX_OTHERS]
        deadline = time.monotonic() + float(self.cfg.get("budget_s", 60))
        cands: list[dict[str, Any]] = self.cfg.get("candidates", [])
        self.originals: dict[str, str] = {}
        for cand in cands:
            if cand["path"] not in self.originals:
                with open(os.path.join(self.root, cand["path"]), encoding="utf-8") as handle:
                    self.originals[cand["path"]] = handle.read()
        for cand in cands:
            if time.monotonic() > deadline:
                break
            self._fork(cand, failing, guards)
        return True


def _file_of(module: object) -> str | None:
    name = getattr(module, "__file__", None)
    return os.path.realpath(name) if isinstance(name, str) else None
