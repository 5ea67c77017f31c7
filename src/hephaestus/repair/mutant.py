"""One candidate edit of the search: a character span of a repo file and its replacement.

Made by the operators (repair/operators.py, repair/rewrites.py) at a localized line; screened
by the search (repair/search.py) and turned into a patch for the ones that pass.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mutant"]


@dataclass(frozen=True)
class Mutant:
    """Replace text[start:end] of `path` with `text`; `qualname` is the function it changes."""

    path: str
    start: int
    end: int
    text: str
    operator: str
    description: str
    prior: float
    qualname: str | None
