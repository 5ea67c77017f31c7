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
    from collections.abc import Mapping, Sequence

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
_STATIC_CHECK = Path(__file__).with_name("static_check.py")
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

    def validate(
        self,
        repo: Path,
        patch: str,
        *,
        test_path: str | None = None,
        expect_fixed: Sequence[str] = (),
        check: Sequence[str] = (),
    ) -> Validation:
        """Apply `patch` to a copy of `repo`, run the tests, and compare with the baseline.

        With `test_path` (a test file the patch adds or changes) that file alone must fail on
        the unpatched code and pass on the patched code. With `expect_fixed` (pytest node ids of
        the failing tests that reproduce the issue) each must fail unpatched and pass patched.
        With `check` (static_check.py arguments: the synthesized reproduction of a crash known
        only from a log) the check must find the cause unpatched and not find it patched.
        Without either, a patch is never `passed` unless it makes a failing test pass: keeping a
        green suite green proves nothing about the failure.
        """
        start = time.monotonic()
        test_path = test_path.removeprefix("./") if test_path else None
        with self._sandbox(repo) as first:
            baseline, dirty = self._baseline_in(first)
            before = self._static(first, tuple(check)) if check else None
            with self._sandbox(repo) if dirty else nullcontext(first) as box:
                return self._check(
                    repo, box, patch, test_path, baseline, start, tuple(expect_fixed), (tuple(check), before)
                )

    def _static(self, box: Sandbox, check: tuple[str, ...]) -> int | None:
        """Exit status of static_check.py with `check` in `box` (1 cause present, 0 gone, else unknown)."""
        script = box.scratch / "static_check.py"
        if not script.exists():
            script.write_text(_STATIC_CHECK.read_text(encoding="utf-8"), encoding="utf-8")
        done = box.run(["python", str(script), *check], timeout_s=min(self.timeout_s, 60.0))
        return done.returncode

    def _named_outcomes(
        self, repo: Path, box: Sandbox | None, ids: tuple[str, ...], known: TestRun
    ) -> dict[str, str]:
        """Outcomes of the tests `ids`: from `known` when it ran them all, else run just them
        (in `box`, or in a fresh unpatched copy of `repo` when `box` is None)."""
        tests = known.tests or {}
        if all(t in tests for t in ids):
            return {t: tests[t] for t in ids}
        with nullcontext(box) if box is not None else self._sandbox(repo) as where:
            run = self._run_tests(where, ids)
        return {t: (run.tests or {}).get(t, "error") for t in ids}

    def _check(
        self,
        repo: Path,
        box: Sandbox,
        patch: str,
        test_path: str | None,
        baseline: TestRun,
        start: float,
        expect_fixed: tuple[str, ...] = (),
        static: tuple[tuple[str, ...], int | None] = ((), None),
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
        check, check_before = static
        if check:
            check_after = self._static(box, check)
            reproduced = (reproduced is not False) and check_before == 1
            fixed = (fixed is not False) and check_after == 0
        if expect_fixed:
            was = self._named_outcomes(repo, None, expect_fixed, baseline)
            now = self._named_outcomes(repo, box, expect_fixed, after)
            reproduced = (reproduced is not False) and all(v in ("failed", "error") for v in was.values())
            fixed = (fixed is not False) and all(v == "passed" for v in now.values())
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
            or bool(expect_fixed)
            or bool(check)
            or (baseline.status != "passed" and after.status == "passed")
            or (
                baseline.tests is not None
                and after.tests is not None
                and after.failing() < baseline.failing()
            )
        )
        reproduction_ok = (test_path is None and not expect_fixed and not check) or bool(reproduced and fixed)
        passed = suite_ok and evidence and not regressions and reproduction_ok
        unreproduced = test_path is None and not expect_fixed and (not check or check_before != 1)
        plausible = not passed and suite_ok and not regressions and unreproduced
        return verdict(
            applied=True, passed=passed, tests_after=after.status, reproduced_before=reproduced,
            fixed_after=fixed, regressions=regressions, plausible=plausible,
            output_tail=after.output[-_TAIL:],
            reason=self._reason(
                baseline, after, regressions, test_path, reproduced, fixed, passed, expect_fixed, check
            ),
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
        expect_fixed: tuple[str, ...] = (),
        check: tuple[str, ...] = (),
    ) -> str:
        parts: list[str] = []
        if check and test_path is None and not expect_fixed:
            before_text = "found the cause before" if reproduced else "could not find the cause before"
            after_text = "not after" if fixed else "still after"
            parts.append(f"synthesized reproduction ({_check_text(check)}) {before_text}, {after_text}")
        elif test_path is not None or expect_fixed:
            before_text = "failed before" if reproduced else "did not fail before"
            after_text = "passes after" if fixed else "does not pass after"
            what = f"the regression test {test_path}" if test_path else _tests_text(expect_fixed)
            parts.append(f"{what} {before_text} and {after_text}")
        kept = baseline.passing() & after.passing()
        if baseline.tests is not None and after.tests is not None and baseline.passing():
            ran = baseline.passing() & set(after.tests)
            if ran:
                parts.append(f"{len(kept)}/{len(ran)} existing tests still pass")
            missing = len(baseline.passing()) - len(ran)
            if missing:
                parts.append(
                    f"{missing} test{'s' if missing > 1 else ''} that passed before did not run after"
                )
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
        elif test_path is None and not expect_fixed and not check:
            parts.append("no test reproduces the failure, so the suite passing proves nothing about the fix")
        if regressions:
            parts.append(f"regressions: {', '.join(regressions[:5])}")
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}." if text else ""


def _check_text(check: tuple[str, ...]) -> str:
    kind, *args = check
    if kind == "import":
        return f"importing {args[0]}"
    what = {
        "undefined-name": "undefined name", "local-shadow": "local shadowing", "attribute": "attribute read",
        "keyword": "keyword argument",
    }.get(kind, kind)  # fmt: skip
    func = "module level" if args[1] == "-" else args[1]
    return f"static: {what} {args[2]!r} in {func} of {args[0]}"


def _tests_text(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return f"the failing test{'s' if len(ids) > 1 else ''} {shown}"


def _status_text(status: str) -> str:
    return {"failed": "failed", "error": "errored", "timeout": "timed out", "skipped": "was skipped"}.get(
        status, status
    )
