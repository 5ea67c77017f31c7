"""Renders Edits as a unified diff (a/ b/ prefixes, /dev/null for new files) for `git apply`.

Fed by the engine with a Proposal's edits; the diff text becomes Candidate.patch. Pure.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from hephaestus.repair.model import Edit

__all__ = ["render_patch"]

_NO_EOL = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _fix_eol(diff_lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    for line in diff_lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.extend([line + "\n", _NO_EOL])
    return out


def _file_diff(edit: Edit) -> str:
    if edit.old is None:
        body = difflib.unified_diff([], _lines(edit.new), fromfile="/dev/null", tofile=f"b/{edit.path}", n=3)
        lines = _fix_eol(list(body))
        header = [f"diff --git a/{edit.path} b/{edit.path}\n", "new file mode 100644\n"]
        return "".join(header + lines)
    if edit.old == edit.new:
        return ""
    body = difflib.unified_diff(
        _lines(edit.old), _lines(edit.new), fromfile=f"a/{edit.path}", tofile=f"b/{edit.path}", n=3
    )
    lines = _fix_eol(list(body))
    return "".join([f"diff --git a/{edit.path} b/{edit.path}\n", *lines])


def render_patch(edits: Sequence[Edit]) -> str:
    """One diff for all edits (existing files first, in path order; then new files)."""
    ordered = sorted(edits, key=lambda e: (e.old is None, e.path))
    return "".join(_file_diff(edit) for edit in ordered)
