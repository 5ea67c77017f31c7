"""Built-in offline repair engine: turns a located Python crash into validated-ready patches.

Fed Issues (frames, stack traces) and a read-only repo by the pipeline; feeds the validator
Candidates (unified diffs, optional regression tests) or a diagnosis when it abstains.
"""

from __future__ import annotations

from hephaestus.repair.engine import RepairEngine
from hephaestus.repair.investigate import Evidence, investigate
from hephaestus.repair.model import Candidate, Location, RepairResult
from hephaestus.repair.probe import Prober

__all__ = ["Candidate", "Evidence", "Location", "Prober", "RepairEngine", "RepairResult", "investigate"]
