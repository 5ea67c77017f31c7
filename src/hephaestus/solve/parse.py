"""Robust parsing of model output: SEARCH/REPLACE blocks or unified diffs become Edits against the
real file content and are re-rendered as a clean, git-apply-able diff; test files are checked.

Fed raw model text and the repo by the composer; feeds it a patch string (or ParseError with
the reason it was rejected). Nothing here writes to the repo.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from hephaestus.errors import PermanentError
from hephaestus.repair.model import Edit
from hephaestus.repair.patch import render_patch

__all__ = ["ParseError", "ParsedTests", "parse_patch", "parse_tests"]

_BLOCK = re.compile(
    r"(?P<path>[^\n`<>=]*?)\s*\n(?:```[a-z]*\n)?<{5,9} ?SEARCH\n(?P<search>.*?)\n?={5,9}\n"
    r"(?P<replace>.*?)\n?>{5,9} ?REPLACE",
    re.S,
)
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class ParseError(PermanentError):
    """Model output that cannot be turned into a safe patch; the reason says why."""


@dataclass(frozen=True)
class ParsedTests:
    path: str
    content: str


def _safe_path(raw: str, repo: Path) -> str:
    path = raw.strip().strip("`*#: ").removeprefix("a/").removeprefix("b/").removeprefix("./")
    if not path:
        raise ParseError("a block names no file")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts:
        # an absolute production path: keep the longest suffix that exists in the repo
        for i in range(1, len(pure.parts)):
            tail = PurePosixPath(*pure.parts[i:])
            if ".." not in tail.parts and (repo / tail).is_file():
                return str(tail)
        raise ParseError(f"path {path!r} is outside the repository")
    return str(pure)


def _read(repo: Path, path: str, cache: dict[str, str]) -> str:
    if path not in cache:
        try:
            cache[path] = (repo / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParseError(f"{path}: not a readable file in the repository") from exc
    return cache[path]


def _replace_once(content: str, search: str, replace: str, path: str) -> str:
    """Exact match first; then a whitespace-tolerant line match (repairs trailing-space drift)."""
    if search and content.count(search) == 1:
        return content.replace(search, replace, 1)
    if search and content.count(search) > 1:
        raise ParseError(f"{path}: SEARCH text is ambiguous ({content.count(search)} matches)")
    want = [ln.rstrip() for ln in search.strip("\n").splitlines()]
    have = content.splitlines(keepends=True)
    if not want:
        raise ParseError(f"{path}: empty SEARCH block")
    hits = [
        i for i in range(len(have) - len(want) + 1) if [h.rstrip() for h in have[i : i + len(want)]] == want
    ]
    if len(hits) != 1:
        raise ParseError(f"{path}: SEARCH text not found exactly once ({len(hits)} matches)")
    start = hits[0]
    tail = "\n" if replace and not replace.endswith("\n") else ""
    return "".join([*have[:start], replace + tail, *have[start + len(want) :]])


def _from_blocks(text: str, repo: Path) -> list[Edit]:
    cache: dict[str, str] = {}
    new: dict[str, str] = {}
    for match in _BLOCK.finditer(text):
        path = _safe_path(match.group("path").splitlines()[-1] if match.group("path") else "", repo)
        current = new.get(path, _read(repo, path, cache))
        search, replace = match.group("search"), match.group("replace")
        if search and not search.endswith("\n") and replace and not replace.endswith("\n"):
            search, replace = search + "\n", replace + "\n"
        new[path] = _replace_once(current, search, replace, path)
    return [Edit(path=p, old=cache[p], new=content) for p, content in new.items()]


def _apply_hunks(old: str, hunks: list[list[str]], path: str) -> str:
    lines = old.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    for hunk in hunks:
        before = [h[1:] for h in hunk if h[:1] in (" ", "-")]
        after = [h[1:] for h in hunk if h[:1] in (" ", "+")]
        key = [b.rstrip("\n").rstrip() for b in before]
        found = next(
            (
                i
                for i in range(pos, len(lines) - len(before) + 1)
                if [ln.rstrip("\n").rstrip() for ln in lines[i : i + len(before)]] == key
            ),
            None,
        )
        if found is None:
            raise ParseError(f"{path}: a diff hunk does not match the file")
        out.extend(lines[pos:found])
        out.extend(a if a.endswith("\n") else a + "\n" for a in after)
        pos = found + len(before)
    out.extend(lines[pos:])
    return "".join(out)


def _from_diff(text: str, repo: Path) -> list[Edit]:
    edits: list[Edit] = []
    cache: dict[str, str] = {}
    path: str | None = None
    hunks: list[list[str]] = []
    is_new = False

    def flush() -> None:
        if path is None or not hunks:
            return
        if is_new:
            body = "".join(
                h[1:] + ("" if h.endswith("\n") else "\n") for hk in hunks for h in hk if h[:1] == "+"
            )
            edits.append(Edit(path=path, old=None, new=body))
        else:
            old = _read(repo, path, cache)
            edits.append(Edit(path=path, old=old, new=_apply_hunks(old, hunks, path)))

    for line in text.splitlines(keepends=True):
        if line.startswith("--- "):
            flush()
            path, hunks = None, []
            is_new = line[4:].strip().startswith("/dev/null")
        elif line.startswith("+++ "):
            path = _safe_path(line[4:].split("\t")[0], repo)
        elif _HUNK.match(line):
            hunks.append([])
        elif hunks and line[:1] in (" ", "+", "-"):
            hunks[-1].append(line)
        elif hunks and line.strip() == "":
            hunks[-1].append(" " + line)
    flush()
    return edits


def parse_patch(text: str, repo: Path) -> str:
    """A clean unified diff for the model's SEARCH/REPLACE blocks or diff; ParseError if unsafe."""
    body = text.replace("\r\n", "\n")
    edits = _from_blocks(body, repo) if _BLOCK.search(body) else _from_diff(body, repo)
    if not edits:
        raise ParseError("no SEARCH/REPLACE block or unified diff found in the model output")
    for edit in edits:
        if edit.path.endswith(".py"):
            try:
                ast.parse(edit.new)
            except SyntaxError as exc:
                raise ParseError(f"{edit.path}: the edited file does not parse (line {exc.lineno})") from exc
    patch = render_patch(edits)
    if not patch.strip():
        raise ParseError("the model's edits change nothing")
    return patch


def parse_tests(text: str, repo: Path, *, default_path: str) -> ParsedTests:
    """The first ```python block as a new test file (path from a `FILE:` line when safe)."""
    match = re.search(r"```(?:python|py)?\n(.*?)```", text, re.S)
    if match is None:
        raise ParseError("no ```python block in the test generator's output")
    named = re.search(r"^FILE:\s*(\S+)", text, re.M)
    path = default_path
    if named:
        candidate = _safe_path(named.group(1), repo)
        if candidate.endswith(".py") and PurePosixPath(candidate).name.startswith("test_"):
            path = candidate
    if (repo / path).exists():
        path = default_path
    content = match.group(1)
    try:
        ast.parse(content)
    except SyntaxError as exc:
        raise ParseError(f"generated test does not parse (line {exc.lineno})") from exc
    return ParsedTests(path=path, content=content)
