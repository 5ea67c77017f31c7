"""User feedback on proposed fixes, turned into per-template ranking weights.

Fed by whoever learns that a Solution was accepted or rejected (CLI, API, store); feeds
solve_offline and the RepairEngine a template -> multiplier map centred on 1.0.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Protocol, runtime_checkable

__all__ = ["FeedbackPort", "MemoryFeedback", "acceptance_weight"]


@runtime_checkable
class FeedbackPort(Protocol):
    """Where accept/reject verdicts go and where ranking weights come from."""

    def record(self, *, template: str, accepted: bool) -> None: ...

    def weights(self) -> dict[str, float]: ...


def acceptance_weight(accepted: int, rejected: int) -> float:
    """Laplace-smoothed acceptance rate scaled to (0, 2): 1.0 with no data, 2.0 if always accepted.

    (accepted + 1) / (accepted + rejected + 2) * 2, so one verdict moves a template only a
    little (1 accept -> 1.33, 1 reject -> 0.67) and a long record dominates.
    """
    if accepted < 0 or rejected < 0:
        raise ValueError("counts must be non-negative")
    return 2.0 * (accepted + 1) / (accepted + rejected + 2)


class MemoryFeedback:
    """In-process FeedbackPort (a test double, and the default when nothing is stored)."""

    def __init__(self) -> None:
        self._counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        self._lock = threading.Lock()

    def record(self, *, template: str, accepted: bool) -> None:
        with self._lock:
            self._counts[template][0 if accepted else 1] += 1

    def counts(self, template: str) -> tuple[int, int]:
        """(accepted, rejected) verdicts recorded for `template`."""
        with self._lock:
            pair = self._counts.get(template, [0, 0])
            return pair[0], pair[1]

    def weights(self) -> dict[str, float]:
        with self._lock:
            return {name: acceptance_weight(a, r) for name, (a, r) in sorted(self._counts.items())}
