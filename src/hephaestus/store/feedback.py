"""The store-backed feedback port: accept/reject verdicts per fix template, read back as
ranking weights by the solve loop (validate.solve_offline). Fed by `hephaestus feedback`."""

from __future__ import annotations

from hephaestus.store.db import Store
from hephaestus.validate.feedback import acceptance_weight

__all__ = ["StoreFeedback"]


class StoreFeedback:
    """FeedbackPort over the Store's feedback table (persists across runs)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, *, template: str, accepted: bool) -> None:
        self.store.add_feedback(template, accepted=accepted)

    def weights(self) -> dict[str, float]:
        return {t: acceptance_weight(a, n - a) for t, (a, n) in self.store.feedback_counts().items()}
