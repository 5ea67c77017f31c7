"""Runs the failing tests in the sandbox for evidence: reproduction, spectra, values, screening.

Fed by the evidence pipeline (repair/investigate.py) with the repo, the test command and the
failing test ids parsed from the log; loads probe_plugin.py into the project's own pytest in a
Sandbox copy and returns typed records (Spectrum, Screened). Never writes the user's tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hephaestus.validate.outcomes import pytest_argv
from hephaestus.validate.sandbox import Sandbox

__all__ = [
    "FrameValues",
    "Prober",
    "ScreenCandidate",
    "Screened",
    "Segment",
    "Spectrum",
    "failing_test_ids",
]

_PLUGIN = Path(__file__).with_name("probe_plugin.py")
_FAILED_LINE = re.compile(r"^(?:FAILED|ERROR) (?P<id>\S+\.py::\S+?)(?: - .*)?$", re.M)
_SECTION = re.compile(r"^_{3,} (?P<name>\S(?:.*\S)?) _{3,}\s*$", re.M)
_LOCATION = re.compile(r"^(?P<file>[^\s:>][^:\n]*\.py):\d+: ", re.M)


def failing_test_ids(output: str) -> tuple[str, ...]:
    """pytest node ids of the failed tests named in a pytest report (summary lines first, else
    the failure sections' names joined with the file of their first location line)."""
    ids = [m["id"] for m in _FAILED_LINE.finditer(output)]
    if not ids:
        sections = list(_SECTION.finditer(output))
        for i, sec in enumerate(sections):
            name = sec["name"]
            if name.startswith("ERROR") or " " in name:
                continue
            end = sections[i + 1].start() if i + 1 < len(sections) else len(output)
            loc = _LOCATION.search(output, sec.end(), end)
            if loc is not None:
                base, bracket, params = name.partition("[")  # parameter ids may hold dots
                ids.append(f"{loc['file']}::{base.replace('.', '::')}{bracket}{params}")
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class FrameValues:
    """A traceback frame in the repo at the failure, with its locals (type name, bounded repr)."""

    path: str
    line: int
    function: str
    locals: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Segment:
    """Part of a failing test's run: one call into repo code from test code (`entry`, the test
    file line) or from outside the repo (`ext`, the caller's file), and the repo lines it ran."""

    entry: tuple[str, int] | None
    ext: str | None
    callee: str
    lines: dict[str, frozenset[int]]


@dataclass(frozen=True)
class Spectrum:
    """Which repo lines each test executed, each test's outcome, and the failing frames' values."""

    outcomes: dict[str, str]
    lines: dict[str, dict[str, frozenset[int]]]
    frames: dict[str, tuple[FrameValues, ...]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    recent: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    segments: dict[str, tuple[Segment, ...]] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(t for t, o in self.outcomes.items() if o == "failed")

    @property
    def passed(self) -> tuple[str, ...]:
        return tuple(t for t, o in self.outcomes.items() if o == "passed")


@dataclass(frozen=True)
class ScreenCandidate:
    """One candidate for screening: replace text[start:end] of `path`; the function it changes."""

    id: str
    path: str
    start: int
    end: int
    text: str
    qualname: str | None
    span: tuple[int, int] | None = None  # the function's lines after the edit, when it is inside


@dataclass(frozen=True)
class Screened:
    """A screening verdict: how many failing tests it fixed and which passing tests it broke."""

    id: str
    status: str  # "ok" | "error" | "timeout"
    fixed: int
    broke: tuple[str, ...]


def _parse_spectrum(text: str) -> Spectrum | None:
    """The plugin's JSON lines (one per finished test) as a Spectrum; None if there are none."""
    rows = []
    for raw in text.splitlines():
        try:
            rows.append(json.loads(raw))
        except json.JSONDecodeError:
            continue  # a line cut by a kill
    if not rows:
        return None
    outcomes = {r["test"]: str(r.get("outcome", "passed")) for r in rows}
    lines = {r["test"]: {p: frozenset(ls) for p, ls in r.get("lines", {}).items()} for r in rows}
    frames = {
        r["test"]: tuple(
            FrameValues(
                path=f["path"],
                line=int(f["line"]),
                function=f["function"],
                locals={k: (d["type"], d["repr"]) for k, d in f.get("locals", {}).items()},
            )
            for f in r.get("frames", [])
        )
        for r in rows
        if r.get("frames")
    }
    errors = {r["test"]: str(r["error"]) for r in rows if r.get("error")}
    recent = {r["test"]: tuple((str(p), int(n)) for p, n in r.get("recent", ())) for r in rows}
    segments = {r["test"]: tuple(map(_segment, r["segments"])) for r in rows if r.get("segments")}
    return Spectrum(
        outcomes=outcomes, lines=lines, frames=frames, errors=errors, recent=recent, segments=segments
    )


def _warmest(spectrum: Spectrum) -> str:
    """The passing test whose executed repo lines overlap the failing tests' the most."""
    failing = {(p, n) for t in spectrum.failed for p, ls in spectrum.lines.get(t, {}).items() for n in ls}

    def overlap(test: str) -> int:
        return sum(1 for p, ls in spectrum.lines.get(test, {}).items() for n in ls if (p, n) in failing)

    return max(spectrum.passed, key=overlap)


def _segment(raw: dict[str, Any]) -> Segment:
    entry = raw.get("entry")
    return Segment(
        entry=(str(entry[0]), int(entry[1])) if entry else None,
        ext=raw.get("ext"),
        callee=str(raw.get("callee", "")),
        lines={p: frozenset(ls) for p, ls in raw.get("lines", {}).items()},
    )


class Prober:
    """Runs the project's pytest with the probe plugin in a throwaway copy of the repo."""

    def __init__(
        self,
        *,
        test_cmd: str = "python -m pytest -q",
        timeout_s: float = 120.0,
        memory_mb: int = 2048,
        isolate_network: bool = True,
        require_isolation: bool = True,
        test_timeout_s: float = 10.0,
        spectrum_budget_s: float | None = None,
    ) -> None:
        self.test_cmd = test_cmd
        self.spectrum_budget_s = spectrum_budget_s  # time box of the spectrum run (None: timeout_s)
        self.timeout_s = timeout_s
        self.test_timeout_s = test_timeout_s  # one test (spectrum) or one candidate's tests (screening)
        self.memory_mb = memory_mb
        self.isolate_network = isolate_network
        self.require_isolation = require_isolation

    def _run(
        self,
        repo: Path,
        files: Sequence[str],
        cfg: dict[str, Any],
        timeout_s: float,
        *,
        ids: Sequence[str] = (),
    ) -> tuple[str, str]:
        """Run pytest on `files` with the plugin in `cfg`'s mode; (plugin output, pytest output)."""
        box = Sandbox(
            repo, timeout_s=timeout_s, memory_mb=self.memory_mb, isolate_network=self.isolate_network
        )
        with box:
            (box.scratch / "hx_probe.py").write_text(_PLUGIN.read_text(encoding="utf-8"), encoding="utf-8")
            out = box.scratch / "probe-out.json"
            cfg = {**cfg, "root": str(box.path.resolve()), "out": str(out)}
            config = box.scratch / "probe.json"
            config.write_text(json.dumps(cfg), encoding="utf-8")
            argv = pytest_argv(self.test_cmd, junit=None, paths=tuple(ids or files))
            argv += ["-p", "hx_probe", f"--hx-probe={config}"]
            done = box.run(["env", f"PYTHONPATH={box.scratch}", *argv], timeout_s=timeout_s)
            text = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
            return text, done.output

    def spectrum(self, repo: Path, files: Sequence[str], failing: Sequence[str] = ()) -> Spectrum | None:
        """Run the tests of `files` once (`failing` first), tracing repo lines per test; None if no
        test finished. A run cut short by the time limit keeps the tests that finished. The failing
        tests then run again after the passing test that shares most code with them, so what a
        process does once (lazy caches, imports) is not charged to them alone."""
        cfg: dict[str, object] = {
            "mode": "spectrum", "test_timeout_s": self.test_timeout_s, "failing": list(failing),
            **({"budget_s": self.spectrum_budget_s} if self.spectrum_budget_s is not None else {}),
        }  # fmt: skip
        text, _ = self._run(repo, files, cfg, self.timeout_s)
        first = _parse_spectrum(text)
        if first is None or not first.failed or not first.passed:
            return first
        warm = _warmest(first)
        cfg = {**cfg, "failing": list(first.failed), "warm": [warm]}
        text, _ = self._run(repo, files, cfg, self.timeout_s, ids=(warm, *first.failed))
        again = _parse_spectrum(text)
        if again is None:
            return first
        keep = [t for t in first.failed if again.outcomes.get(t) == "failed"]
        return Spectrum(
            outcomes=first.outcomes,
            lines={**first.lines, **{t: again.lines[t] for t in keep}},
            frames={**first.frames, **{t: again.frames[t] for t in keep if t in again.frames}},
            errors=first.errors,
            recent={**first.recent, **{t: again.recent[t] for t in keep if t in again.recent}},
            segments={**first.segments, **{t: again.segments[t] for t in keep if t in again.segments}},
        )

    def values(
        self, repo: Path, tests: Sequence[str], lines: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], dict[str, tuple[str, str]]]:
        """The locals each of `lines` saw last while `tests` (node ids) ran (empty if none ran)."""
        if not tests or not lines:
            return {}
        cfg = {"mode": "values", "lines": [list(x) for x in lines]}
        text, _ = self._run(repo, tests, cfg, self.timeout_s)
        if not text:
            return {}
        out: dict[tuple[str, int], dict[str, tuple[str, str]]] = {}
        for key, names in json.loads(text).get("values", {}).items():
            path, _, line = key.rpartition(":")
            out[(path, int(line))] = {k: (d["type"], d["repr"]) for k, d in names.items()}
        return out

    def screen(
        self,
        repo: Path,
        files: Sequence[str],
        failing: Sequence[str],
        candidates: Sequence[ScreenCandidate],
        *,
        guards: Sequence[str] = (),
        budget_s: float,
    ) -> list[Screened]:
        """Each candidate's verdict on the failing tests and (when it fixes them) the `guards`
        (tests of `files` that passed unpatched), in one pytest session."""
        cfg = {
            "mode": "screen",
            "failing": list(failing),
            "guards": list(guards),
            "budget_s": budget_s,
            "timeout_s": self.test_timeout_s,
            "candidates": [c.__dict__ for c in candidates],
        }
        text, _ = self._run(repo, files, cfg, budget_s + self.timeout_s)
        seen: dict[str, Screened] = {}
        for raw in text.splitlines():
            try:
                row = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if row.get("id") is None:
                continue
            seen[row["id"]] = Screened(
                id=row["id"], status=row.get("status", "error"), fixed=int(row.get("fixed", 0)),
                broke=tuple(row.get("broke", ())),
            )  # fmt: skip
        return [seen.get(c.id) or Screened(c.id, "timeout", 0, ()) for c in candidates]
