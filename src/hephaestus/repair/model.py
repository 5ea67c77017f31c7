"""Public result records of the repair engine and the internal proposal a template returns.

Templates (fed by a located fault site) return Proposals; the engine turns them into Candidates
(unified diffs) inside a RepairResult, which the validator and the pipeline consume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Candidate", "Edit", "Location", "Proposal", "RegressionSpec", "RepairResult"]


@dataclass(frozen=True)
class Location:
    """One in-repo stack frame; depth 0 is the innermost in-repo frame, 1 its caller, ..."""

    path: str
    line: int
    function: str | None
    depth: int


@dataclass(frozen=True)
class Candidate:
    """A proposed fix as a unified diff that `git apply` accepts at the repo root."""

    patch: str
    template: str
    explanation: str
    files: tuple[str, ...]
    prior: float
    test_path: str | None
    kind: Literal["template", "mutation", "model"] = "template"
    provider: str = "builtin"  # who produced the patch: "builtin" or "<provider>:<model>"
    check: tuple[str, ...] = ()  # validate/static_check.py arguments: the synthesized reproduction


@dataclass(frozen=True)
class RepairResult:
    """Candidates (highest prior first), the fault locations, and why not, when abstaining."""

    candidates: tuple[Candidate, ...]
    locations: tuple[Location, ...]
    diagnosis: str | None


@dataclass(frozen=True)
class Edit:
    """The whole new text of one repo file (`old` is None when the file is created)."""

    path: str
    old: str | None
    new: str


@dataclass(frozen=True)
class RegressionSpec:
    """A call whose result the fix pins down: `function(*args) == expected` (Python source)."""

    path: str
    function: str
    args: tuple[str, ...]
    expected: str
    slug: str


@dataclass(frozen=True)
class Proposal:
    """What a template returns: edits plus the evidence-based confidence and the reasoning."""

    template: str
    edits: tuple[Edit, ...]
    cause: str
    change: str
    prior: float
    regression: RegressionSpec | None = None
    kind: Literal["template", "mutation"] = "template"
    failed: str = ""
    test_path: str | None = None  # a test file among `edits` that reproduces the failure
