"""Evidence first: reproduce the failing tests in the sandbox, localize the fault, keep the values.

Fed by the service with a failing pytest report (the log), the repo and a Prober; feeds the
built-in search, the model prompts and the report with one Evidence record (redacted values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hephaestus.redact import redact
from hephaestus.repair.localize import Suspect, rank_suspects
from hephaestus.repair.locate import is_test_path
from hephaestus.repair.probe import FrameValues, Prober, failing_test_ids
from hephaestus.repair.pysource import PySource
from hephaestus.validate.isolation import SandboxUnavailable

__all__ = ["Evidence", "SourceCache", "investigate"]

_VALUE_LINES = 10  # localized lines whose values are recorded in a second run of the failing tests


class SourceCache:
    """Parsed repo files by path (None when unreadable or not valid Python)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._cache: dict[str, PySource | None] = {}

    def get(self, path: str) -> PySource | None:
        if path not in self._cache:
            try:
                self._cache[path] = PySource(path, (self.repo / path).read_text(encoding="utf-8"))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                self._cache[path] = None
        return self._cache[path]

    def function_of(self, path: str, line: int) -> str | None:
        src = self.get(path)
        return src.function_at(line) if src is not None else None

    def statement_of(self, path: str, line: int) -> tuple[int, int] | None:
        src = self.get(path)
        return src.statement_lines(line) if src is not None else None


@dataclass(frozen=True)
class Evidence:
    """What the sandbox showed about a failure before any fix was tried."""

    failing_tests: tuple[str, ...]  # node ids named by the log that failed again in the sandbox
    test_files: tuple[str, ...]
    reproduced: bool
    reproduction: str  # how the failure was reproduced: "failing test" or why not
    suspects: tuple[Suspect, ...]
    values: tuple[FrameValues, ...]  # the failing tests' frames in repo code, innermost last
    error: str = ""
    passing_tests: tuple[str, ...] = ()  # tests of the same files that passed: the search's guards
    line_values: dict[tuple[str, int], dict[str, tuple[str, str]]] = field(default_factory=dict)

    def raised_at(self, path: str, line: int, end_line: int | None = None) -> str | None:
        """The exception type when `path:line` (to `end_line`) holds the innermost repo frame of a
        failing test."""
        last = self.values[-1] if self.values else None
        if last is not None and last.path == path and line <= last.line <= max(line, end_line or line):
            kind = self.error.split(":", 1)[0].rsplit(".", 1)[-1].strip()
            return kind or None
        return None

    def values_at(self, path: str, function: str | None, line: int = 0) -> dict[str, tuple[str, str]]:
        """Observed locals at `path:line` when the failing tests ran it, else those of the innermost
        failing frame in `function` of `path` (empty if neither)."""
        if (path, line) in self.line_values:
            return self.line_values[(path, line)]
        name = (function or "").rsplit(".", 1)[-1]
        for frame in reversed(self.values):
            if frame.path == path and frame.function == name:
                return frame.locals
        return {}

    def as_json(self) -> dict[str, object]:
        return {
            "reproduced": self.reproduced,
            "reproduction": self.reproduction,
            "failing_tests": list(self.failing_tests),
            "error": self.error,
            "localization": [s.as_json() for s in self.suspects[:10]],
            "line_values": [
                {"path": p, "line": n, "locals": {k: {"type": t, "repr": r} for k, (t, r) in names.items()}}
                for (p, n), names in sorted(self.line_values.items())
            ],
            "values": [
                {"path": f.path, "line": f.line, "function": f.function,
                 "locals": {k: {"type": t, "repr": r} for k, (t, r) in f.locals.items()}}
                for f in self.values
            ],
        }  # fmt: skip

    def summary(self) -> str:
        """Plain-text evidence for a prompt or an explanation."""
        lines = [
            f"Reproduction: {self.reproduction}; failing tests: {', '.join(self.failing_tests) or 'none'}."
        ]
        if self.error:
            lines.append(f"Failure: {self.error}")
        for s in self.suspects[:5]:
            lines.append(f"Suspicious: {s.where} in {s.function or '<module>'} (score {s.score:.2f})")
        for f in self.values[-2:]:
            shown = ", ".join(f"{k}={r} ({t})" for k, (t, r) in list(f.locals.items())[:8])
            lines.append(f"Values at {f.path}:{f.line} in {f.function}: {shown}")
        return "\n".join(lines)


def _safe_test_file(repo: Path, path: str) -> bool:
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and (repo / path).is_file()


def _redacted(frame: FrameValues) -> FrameValues:
    clean = {k: (t, redact(r).text) for k, (t, r) in frame.locals.items()}
    return FrameValues(path=frame.path, line=frame.line, function=frame.function, locals=clean)


def investigate(
    failing_output: str, repo: Path, *, prober: Prober, sources: SourceCache | None = None, limit: int = 40
) -> Evidence | None:
    """Evidence for the failing tests named in `failing_output`, or None when it names none."""
    named = failing_test_ids(failing_output)
    files = tuple(dict.fromkeys(t.split("::", 1)[0] for t in named))
    files = tuple(f for f in files if _safe_test_file(repo, f))
    if not named or not files:
        return None
    try:
        spectrum = prober.spectrum(repo, files, named)
    except SandboxUnavailable as exc:  # tests are never run unconfined unless the user opted in
        return Evidence(named, files, False, f"not run: {exc}", (), ())
    if spectrum is None:
        return Evidence(named, files, False, "the tests could not be run in the sandbox", (), ())
    failing = tuple(t for t in named if spectrum.outcomes.get(t) == "failed")
    if not failing:
        why = "the named tests did not fail in the sandbox" if spectrum.outcomes else "no test ran"
        return Evidence(named, files, False, why, (), ())
    cache = sources or SourceCache(repo)
    suspects = rank_suspects(
        spectrum,
        failing=failing,
        is_test=is_test_path,
        function_of=cache.function_of,
        statement_of=cache.statement_of,
        limit=limit,
    )
    values: list[FrameValues] = []
    for test in failing:
        values.extend(_redacted(f) for f in spectrum.frames.get(test, ()) if not is_test_path(f.path))
    error = redact(spectrum.errors.get(failing[0], "")).text
    top = [(s.path, s.line) for s in suspects[:_VALUE_LINES]]
    seen = prober.values(repo, failing, top)
    line_values = {k: {n: (t, redact(r).text) for n, (t, r) in v.items()} for k, v in seen.items()}
    return Evidence(
        failing_tests=failing, test_files=files, reproduced=True, reproduction="failing test",
        suspects=tuple(suspects), values=tuple(values), error=error, passing_tests=spectrum.passed,
        line_values=line_values,
    )  # fmt: skip
