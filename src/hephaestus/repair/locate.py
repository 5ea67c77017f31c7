"""Maps traceback frames from deployment paths to files of the repository (longest path suffix).

Fed by Issue.frames (innermost last); feeds the templates with Sites, innermost in-repo first.
Launcher, stdlib, third-party site-packages and `<frozen ...>` frames are skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from hephaestus.records import Frame
from hephaestus.repair.model import Location

__all__ = ["Site", "is_test_path", "locate", "repo_files"]

_SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "node_modules", "__pycache__", ".tox",
        ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", "site-packages", ".eggs",
    }
)  # fmt: skip
_STDLIB = re.compile(r"/(?:lib|lib64)/python\d(?:\.\d+)?/|/Lib/|/lib/pypy")
_PACKAGES = re.compile(r"/(?:site|dist)-packages/")
_DRIFT = 60


@dataclass(frozen=True)
class Site:
    """A frame mapped into the repo: where it is, whether its source line was found there."""

    location: Location
    frame: Frame
    verified: bool
    is_test: bool


def repo_files(repo: Path) -> tuple[str, ...]:
    """Repo-relative POSIX paths of every Python file, skipping VCS, venv and build folders."""
    found: list[str] = []
    for root, dirs, names in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        rel_root = Path(root).relative_to(repo)
        found.extend((rel_root / n).as_posix() for n in names if n.endswith(".py"))
    return tuple(sorted(p.removeprefix("./") for p in found))


def is_test_path(path: str) -> bool:
    """True for test modules and conftest files (they are reproductions, never patch targets)."""
    pure = PurePosixPath(path)
    name = pure.name
    in_test_dir = any(part in {"tests", "test", "testing"} for part in pure.parts[:-1])
    return in_test_dir or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def _suffix_len(frame_parts: Sequence[str], file_parts: Sequence[str]) -> int:
    count = 0
    for a, b in zip(reversed(frame_parts), reversed(file_parts), strict=False):
        if a != b:
            break
        count += 1
    return count


def _candidates(file: str, files: Sequence[str]) -> list[str]:
    """Repo files the frame path may denote, best suffix match only."""
    norm = file.replace("\\", "/")
    if not norm or norm.startswith("<") or not norm.endswith(".py"):
        return []
    package = _PACKAGES.search(norm)
    if package:
        frame_parts = [p for p in norm[package.end() :].split("/") if p]
    elif _STDLIB.search(norm):
        return []
    else:
        frame_parts = [p for p in norm.split("/") if p]
    best: list[str] = []
    best_len = 0
    for path in files:
        parts = path.split("/")
        n = _suffix_len(frame_parts, parts)
        ok = n == len(frame_parts) if package else (n == len(parts) or n >= 2)
        if not ok or n == 0:
            continue
        if n > best_len:
            best, best_len = [path], n
        elif n == best_len:
            best.append(path)
    return best


def _find_line(lines: Sequence[str], line: int | None, source_line: str | None) -> tuple[int, bool] | None:
    """The (possibly drifted) 1-based line holding `source_line`, and whether it was verified."""
    want = (source_line or "").strip()
    if line is None or line < 1:
        return None
    if not want:
        return (line, False) if line <= len(lines) else None
    for delta in range(_DRIFT + 1):
        for probe in (line - delta, line + delta) if delta else (line,):
            if 1 <= probe <= len(lines) and lines[probe - 1].strip() == want:
                return probe, True
    return (line, False) if line <= len(lines) else None


def _read_lines(repo: Path, path: str) -> list[str]:
    try:
        return (repo / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def locate(frames: Sequence[Frame], repo: Path, *, files: Sequence[str] | None = None) -> tuple[Site, ...]:
    """In-repo frames as Sites, innermost first (depth 0 = innermost in-repo frame)."""
    all_files = tuple(files) if files is not None else repo_files(repo)
    sites: list[Site] = []
    for frame in reversed(frames):
        options = _candidates(frame.file, all_files)
        chosen: tuple[str, int, bool] | None = None
        for path in options:
            found = _find_line(_read_lines(repo, path), frame.line, frame.source_line)
            if found is None:
                continue
            if found[1] or len(options) == 1:
                chosen = (path, found[0], found[1])
                if found[1]:
                    break
        if chosen is None:
            continue
        path, line, verified = chosen
        location = Location(path=path, line=line, function=frame.function, depth=len(sites))
        sites.append(Site(location=location, frame=frame, verified=verified, is_test=is_test_path(path)))
    return tuple(sites)
