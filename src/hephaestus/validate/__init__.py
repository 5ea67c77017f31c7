"""Solution validation: candidate patches are applied to a throwaway copy and tested there.

Fed by the repair engine's candidates (via solve_offline) or any unified diff (via
Validator.validate); feeds records.Validation / records.Solution to analyze and the store.
"""

from __future__ import annotations

from hephaestus.validate.feedback import FeedbackPort, MemoryFeedback, acceptance_weight
from hephaestus.validate.isolation import SandboxUnavailable, isolation_available
from hephaestus.validate.outcomes import TestRun
from hephaestus.validate.sandbox import Sandbox, SandboxResult
from hephaestus.validate.solve import CandidateLike, EngineLike, rank_key, score, solve_offline
from hephaestus.validate.validator import Validator

__all__ = [
    "CandidateLike",
    "EngineLike",
    "FeedbackPort",
    "MemoryFeedback",
    "Sandbox",
    "SandboxResult",
    "SandboxUnavailable",
    "TestRun",
    "Validator",
    "acceptance_weight",
    "isolation_available",
    "rank_key",
    "score",
    "solve_offline",
]
