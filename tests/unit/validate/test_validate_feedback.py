"""Feedback weights: Laplace-smoothed acceptance rate around 1.0."""

from __future__ import annotations

import pytest

from hephaestus.validate import FeedbackPort, MemoryFeedback, acceptance_weight


def test_acceptance_weight() -> None:
    assert acceptance_weight(0, 0) == 1.0
    assert acceptance_weight(1, 0) == pytest.approx(4 / 3)
    assert acceptance_weight(0, 1) == pytest.approx(2 / 3)
    assert 1.9 < acceptance_weight(100, 0) < 2.0
    assert 0.0 < acceptance_weight(0, 100) < 0.1
    with pytest.raises(ValueError, match="non-negative"):
        acceptance_weight(-1, 0)


def test_memory_feedback() -> None:
    feedback = MemoryFeedback()
    assert isinstance(feedback, FeedbackPort)
    assert feedback.weights() == {}
    feedback.record(template="guard", accepted=True)
    feedback.record(template="guard", accepted=True)
    feedback.record(template="guard", accepted=False)
    feedback.record(template="cast", accepted=False)
    assert feedback.counts("guard") == (2, 1)
    assert feedback.counts("never") == (0, 0)
    assert feedback.weights() == {"cast": pytest.approx(2 / 3), "guard": pytest.approx(1.2)}
