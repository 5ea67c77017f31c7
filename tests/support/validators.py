"""A Validator that records what it was asked: the one test double of Validator.validate.

`decide(patch)` replaces the sandboxed run with a canned Validation (unit tests of the solve loop);
without it the real validation runs. Either way `seen` holds the patches and `results` the verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hephaestus.records import Validation
from hephaestus.validate import Validator

__all__ = ["SpyValidator"]


class SpyValidator(Validator):
    def __init__(self, *, decide: Callable[[str], Validation] | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.decide = decide
        self.seen: list[str] = []
        self.results: list[Validation] = []

    def validate(
        self,
        repo: Path,
        patch: str,
        *,
        test_path: str | None = None,
        expect_fixed: Sequence[str] = (),
        check: Sequence[str] = (),
    ) -> Validation:
        self.seen.append(patch)
        if self.decide is not None:
            result = self.decide(patch)
        else:
            result = super().validate(
                repo, patch, test_path=test_path, expect_fixed=expect_fixed, check=check
            )
        self.results.append(result)
        return result
