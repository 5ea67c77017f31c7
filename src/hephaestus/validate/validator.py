"""Decides whether one candidate patch is a fix: apply, compile, test, compare with a baseline.

Fed by the solve loop (or any caller) with a repo path and a unified diff; returns a
records.Validation. Every step runs in a throwaway Sandbox; the user's tree is only read.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import count
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from hephaestus.errors import ConfigError
from hephaestus.records import Validation
from hephaestus.validate.outcomes import TestRun, is_pytest, parse_junit, pytest_argv, summarize
from hephaestus.validate.sandbox import Sandbox

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hephaestus.settings import RepairSettings

__all__ = ["Validator"]

_TAIL = 4000
_COMPILE = (
    "import sys\n"
    "bad = 0\n"
    "for f in sys.argv[1:]:\n"
    "    try:\n"
    "        compile(open(f, 'rb').read(), f, 'exec')\n"
    "    except (SyntaxError, ValueError) as e:\n"
    '        bad = 1; print(f\'{f}:{getattr(e, "lineno", "?")}: {type(e).__name__}: {e}\')\n'
    "sys.exit(bad)\n"
)
_ids = count()
# Baselines are shared by every Validator in the process (keyed by content hash and every
# option that changes the run), so one analyze run pays for one baseline per repo state.
_BASELINES: OrderedDict[tuple[object, ...], TestRun] = OrderedDict()
_BASELINE_LOCK = threading.Lock()
_BASELINE_SLOTS = 32


@dataclass(frozen=True)
class _Applied:
    ok: bool
    files: tuple[str, ...]
    message: str


def _numstat_paths(raw: str) -> tuple[str, ...]:
    """Paths from `git apply --numstat -z` (a rename yields its old and its new path)."""
    tokens = raw.split("\0")
    paths: list[str] = []
    i = 0
    while i < len(tokens):
        fields = tokens[i].split("\t")
        if len(fields) == 3 and fields[2]:
            paths.append(fields[2])
        elif len(fields) == 3 and i + 2 < len(tokens):  # rename: old and new follow
            paths += [tokens[i + 1], tokens[i + 2]]
            i += 2
        i += 1
    return tuple(dict.fromkeys(paths))


def _strip_order(patch: str) -> tuple[int, int]:
    """-p levels to try: 1 first for git-style a/ b/ paths, else 0 (plain `diff -u` output)."""
    for line in patch.splitlines():
        if line.startswith(("--- a/", "+++ b/", "diff --git a/")):
            return (1, 0)
    return (0, 1)


def _is_repo_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts


class Validator:
    """Validates candidate patches against a repository's own test command.

    The test command runs with the `python` of the process running Hephaestus first on PATH
    (so `python -m pytest` uses this interpreter and its installed packages). The baseline run
    on the unpatched tree is cached process-wide per (repo path, content hash, options).
    """

    def __init__(
        self,
        *,
        test_cmd: str = "python -m pytest -q",
        timeout_s: float = 120.0,
        memory_mb: int = 2048,
        isolate_network: bool = True,
        require_isolation: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if not test_cmd.strip():
            raise ConfigError("the test command is empty")
        if shutil.which("git") is None:
            raise ConfigError("validation needs git on PATH (it applies patches with `git apply`)")
        self.test_cmd = test_cmd
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.isolate_network = isolate_network
        self.require_isolation = require_isolation
        self._env = dict(env or {})
        self._pytest = is_pytest(test_cmd)

    @classmethod
    def from_settings(cls, settings: RepairSettings, *, test_cmd: str | None = None) -> Validator:
        """From `repair.*`; `test_cmd` overrides `repair.test_cmd` (a CLI flag or a tool argument)."""
        return cls(
            test_cmd=test_cmd or settings.test_cmd,
            timeout_s=settings.timeout_s,
            memory_mb=settings.memory_mb,
            require_isolation=not settings.allow_unisolated,
        )

    def _sandbox(self, repo: Path) -> Sandbox:
        return Sandbox(
            repo,
            timeout_s=self.timeout_s,
            memory_mb=self.memory_mb,
            isolate_network=self.isolate_network,
            require_isolation=self.require_isolation,
            env=self._env,
        )

    def _run_tests(self, box: Sandbox, paths: tuple[str, ...] = ()) -> TestRun:
        if not (self._pytest or paths):
            return summarize(box.run(self.test_cmd), pytest=False, tests=None)
        junit = box.scratch / f"junit-{next(_ids)}.xml"
        result = box.run(pytest_argv(self.test_cmd, junit=junit, paths=paths))
        return summarize(result, pytest=True, tests=parse_junit(junit))

    def _baseline_in(self, box: Sandbox) -> tuple[TestRun, bool]:
        """(baseline, ran_here): ran_here means `box` is now dirty and must not be patched."""
        key: tuple[object, ...] = (str(box.source), box.content_hash, self.test_cmd, self.timeout_s)
        key += (self.memory_mb, self.isolate_network, tuple(sorted(self._env.items())))
        with _BASELINE_LOCK:
            cached = _BASELINES.get(key)
            if cached is not None:
                _BASELINES.move_to_end(key)
                return cached, False
        run = self._run_tests(box)
        with _BASELINE_LOCK:
            _BASELINES[key] = run
            while len(_BASELINES) > _BASELINE_SLOTS:
                _BASELINES.popitem(last=False)
        return run, True

    def baseline(self, repo: Path) -> TestRun:
        """The test command's outcome on the unpatched repository (cached)."""
        with self._sandbox(repo) as box:
            return self._baseline_in(box)[0]

    def _apply(self, box: Sandbox, patch: str) -> _Applied:
        patch_file = box.scratch / f"candidate-{next(_ids)}.diff"
        text = patch if patch.endswith("\n") else patch + "\n"
        patch_file.write_bytes(text.encode("utf-8", errors="replace"))  # a lone surrogate cannot crash us
        first_error = ""
        for strip in _strip_order(patch):
            base = ["git", "apply", "--whitespace=nowarn", f"-p{strip}"]
            done = box.run([*base, str(patch_file)], timeout_s=60)
            if done.ok:
                stat = box.run([*base, "--numstat", "-z", str(patch_file)], timeout_s=60)
                return _Applied(True, _numstat_paths(stat.output), "")
            first_error = first_error or done.output.strip() or f"git apply exited {done.returncode}"
        return _Applied(False, (), first_error)

    def _compile_error(self, box: Sandbox, files: tuple[str, ...]) -> str | None:
        sources = [f for f in files if f.endswith(".py") and (box.path / f).is_file()]
        if not sources:
            return None
        done = box.run(["python", "-c", _COMPILE, *sources], timeout_s=min(self.timeout_s, 120.0))
        return None if done.ok else (done.output.strip() or f"compile check exited {done.returncode}")

    def _reproduce(self, repo: Path, patch: str, test_path: str) -> TestRun | None:
        """Run only `test_path` on the unpatched code plus the patch's version of that file."""
        with self._sandbox(repo) as box:
            applied = self._apply(box, patch)
            if not applied.ok or not (box.path / test_path).is_file():
                return None
            for rel in applied.files:
                if rel == test_path:
                    continue
                original, copy = box.source / rel, box.path / rel
                copy.unlink(missing_ok=True)
                if original.is_symlink() or original.is_file():
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(original, copy, follow_symlinks=False)
            return self._run_tests(box, (test_path,))

    def _fixed_after(self, box: Sandbox, after: TestRun, test_path: str) -> bool:
        mine = {k: v for k, v in (after.tests or {}).items() if k.split("::")[0] == test_path}
        if mine:
            return all(v == "passed" for v in mine.values())
        return self._run_tests(box, (test_path,)).status == "passed"

    def validate(self, repo: Path, patch: str, *, test_path: str | None = None) -> Validation:
        """Apply `patch` to a copy of `repo`, run the tests, and compare with the baseline.

        With `test_path` (a test file the patch adds or changes) that file alone must fail on
        the unpatched code and pass on the patched code.
        """
        start = time.monotonic()
        test_path = test_path.removeprefix("./") if test_path else None
        with self._sandbox(repo) as first:
            baseline, dirty = self._baseline_in(first)
            with self._sandbox(repo) if dirty else nullcontext(first) as box:
                return self._check(repo, box, patch, test_path, baseline, start)

    def _check(
        self, repo: Path, box: Sandbox, patch: str, test_path: str | None, baseline: TestRun, start: float
    ) -> Validation:
        def verdict(**kw: object) -> Validation:
            return Validation.model_validate(
                {"tests_before": baseline.status, "duration_s": round(time.monotonic() - start, 3), **kw}
            )

        applied = self._apply(box, patch)
        if not applied.ok:
            return verdict(
                applied=False, passed=False, tests_after="skipped", output_tail=applied.message[-_TAIL:],
                reason=f"the patch does not apply: {applied.message.splitlines()[0]}",
            )  # fmt: skip
        error = self._compile_error(box, applied.files)
        if error is not None:
            return verdict(
                applied=True, passed=False, tests_after="error", output_tail=error[-_TAIL:],
                reason=f"the patched code does not compile: {error.splitlines()[-1]}",
            )  # fmt: skip
        checkable = test_path is not None and _is_repo_relative(test_path)
        with ThreadPoolExecutor(max_workers=1) as pool:  # the reproduction runs alongside the suite
            pending = (
                pool.submit(self._reproduce, repo, patch, test_path) if test_path and checkable else None
            )
            after = self._run_tests(box)
            before = pending.result() if pending is not None else None
        regressions = self._regressions(baseline, after)
        reproduced = fixed = None
        if test_path is not None:
            reproduced = before is not None and before.status == "failed"
            fixed = (
                checkable and (box.path / test_path).is_file() and self._fixed_after(box, after, test_path)
            )
        suite_ok = after.status == "passed" or (
            baseline.status == "failed"
            and after.status == "failed"
            and baseline.tests is not None
            and after.tests is not None
            and after.failing() <= baseline.failing()
        )
        # When the suite already failed, "no new failures" proves nothing: without a reproduction
        # test the patch must make at least one failing test pass.
        evidence = (
            test_path is not None
            or baseline.status == "passed"
            or after.status == "passed"
            or (
                baseline.tests is not None
                and after.tests is not None
                and after.failing() < baseline.failing()
            )
        )
        passed = (
            suite_ok and evidence and not regressions and (test_path is None or bool(reproduced and fixed))
        )
        return verdict(
            applied=True, passed=passed, tests_after=after.status, reproduced_before=reproduced,
            fixed_after=fixed, regressions=regressions, output_tail=after.output[-_TAIL:],
            reason=self._reason(baseline, after, regressions, test_path, reproduced, fixed, passed),
        )  # fmt: skip

    def _regressions(self, baseline: TestRun, after: TestRun) -> tuple[str, ...]:
        if baseline.tests is None or after.tests is None:
            broke = baseline.status == "passed" and after.status != "passed"
            return (self.test_cmd,) if broke else ()
        out: list[str] = []
        for name in sorted(baseline.passing()):
            now = after.tests.get(name)
            if now is None:
                out.append(f"{name} (removed)")
            elif now != "passed":
                out.append(name if now in ("failed", "error") else f"{name} (now {now})")
        return tuple(out)

    def _reason(
        self,
        baseline: TestRun,
        after: TestRun,
        regressions: tuple[str, ...],
        test_path: str | None,
        reproduced: bool | None,
        fixed: bool | None,
        passed: bool,
    ) -> str:
        parts: list[str] = []
        if test_path is not None:
            before_text = "failed before" if reproduced else "did not fail before"
            after_text = "passes after" if fixed else "does not pass after"
            parts.append(f"the regression test {test_path} {before_text} and {after_text}")
        kept = baseline.passing() & after.passing()
        if baseline.tests is not None and after.tests is not None and baseline.passing():
            parts.append(f"{len(kept)}/{len(baseline.passing())} existing tests still pass")
        elif after.status == "passed":
            parts.append("the test command passes")
        new_failures = sorted(after.failing() - baseline.failing())
        if new_failures:
            parts.append(f"new failures: {', '.join(new_failures[:5])}")
        elif after.status != "passed" and not (baseline.status == "failed" and after.status == "failed"):
            parts.append(f"the test command {_status_text(after.status)} after the patch")
        if baseline.status != "passed":
            parts.append(f"it already {_status_text(baseline.status)} before the patch")
            if test_path is None and after.status != "passed" and not after.failing() < baseline.failing():
                parts.append("the patch makes none of the failing tests pass")
        if regressions:
            parts.append(f"regressions: {', '.join(regressions[:5])}")
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}." if text else ""


def _status_text(status: str) -> str:
    return {"failed": "failed", "error": "errored", "timeout": "timed out", "skipped": "was skipped"}.get(
        status, status
    )
