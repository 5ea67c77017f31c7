"""What people and the collector write besides the analyzer: solutions with their accept/reject
feedback, and noise/real verdicts on issues (detection's learned suppressions). A mixin of Store,
fed by service.py's use cases; feeds repair ranking (feedback counts) and the Detector (noise).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hephaestus.errors import InputError
from hephaestus.records import Solution, Validation
from hephaestus.store.models import (
    EvidenceRow,
    FeedbackRow,
    IssueRow,
    IssueTemplateRow,
    NoiseVerdictRow,
    SolutionRow,
)
from hephaestus.store.models import aware as _aware
from hephaestus.store.models import utc as _utc

__all__ = ["NoiseVerdict", "Verdicts"]


class NoiseVerdict(NamedTuple):
    """A noise/real verdict on an issue's template (see Store.set_noise_verdict)."""

    issue_id: str
    template: str
    message: str
    real: bool


class Verdicts:
    """Store methods for solutions, feedback and noise verdicts (one transaction each)."""

    def session(self) -> AbstractContextManager[Session]:
        raise NotImplementedError  # provided by Store

    # --- solutions and feedback ----------------------------------------------------------------
    def save_solution(self, solution: Solution) -> None:
        with self.session() as s:
            s.add(
                SolutionRow(
                    issue_id=solution.issue_id,
                    status=solution.status,
                    provider=solution.provider,
                    template=solution.template,
                    patch=solution.patch,
                    score=solution.score,
                    explanation=solution.explanation,
                    validation=solution.validation.model_dump(mode="json") if solution.validation else None,
                    files=list(solution.files),
                    created_at=_utc(solution.created_at),
                    feedback=solution.feedback,
                )
            )

    def set_diagnosis(self, issue_id: str, diagnosis: str | None) -> None:
        with self.session() as s:
            row = s.get(IssueRow, issue_id)
            if row is not None:
                row.diagnosis = diagnosis

    def set_evidence(self, issue_id: str, data: dict[str, Any]) -> None:
        """Keep the newest evidence of an issue (reproduction, localization, values)."""
        with self.session() as s:
            row = s.get(EvidenceRow, issue_id)
            if row is None:
                s.add(EvidenceRow(issue_id=issue_id, data=data))
            else:
                row.data = data

    def evidence(self, issue_id: str) -> dict[str, Any] | None:
        with self.session() as s:
            row = s.get(EvidenceRow, issue_id)
            return dict(row.data) if row else None

    def diagnosis(self, issue_id: str) -> str | None:
        with self.session() as s:
            row = s.get(IssueRow, issue_id)
            return row.diagnosis if row else None

    def _latest_row(self, s: Session, issue_id: str) -> SolutionRow | None:
        """The issue's newest solution: the one shown, and the one feedback applies to."""
        query = select(SolutionRow).where(SolutionRow.issue_id == issue_id)
        return s.scalars(query.order_by(SolutionRow.id.desc())).first()

    def solution(self, issue_id: str) -> Solution | None:
        with self.session() as s:
            row = self._latest_row(s, issue_id)
            if row is None:
                return None
            return Solution(
                issue_id=row.issue_id,
                status=row.status,
                provider=row.provider,
                patch=row.patch,
                score=row.score,
                explanation=row.explanation,
                validation=Validation.model_validate(row.validation) if row.validation else None,
                files=tuple(row.files),
                template=row.template,
                created_at=_aware(row.created_at),
                feedback=row.feedback,
            )

    def record_feedback(self, issue_id: str, verdict: Literal["accepted", "rejected"]) -> str | None:
        """Mark the issue's best solution and remember the verdict for its template."""
        with self.session() as s:
            row = self._latest_row(s, issue_id)
            if row is None:
                raise InputError(f"issue {issue_id!r} has no solution to {verdict[:-2]}")
            row.feedback = verdict
            if row.template:
                s.add(FeedbackRow(template=row.template, accepted=1 if verdict == "accepted" else 0))
            issue = s.get(IssueRow, issue_id)
            if issue is not None and verdict == "accepted":
                issue.status = "resolved"
            return row.template

    def add_feedback(self, template: str, *, accepted: bool) -> None:
        with self.session() as s:
            s.add(FeedbackRow(template=template, accepted=1 if accepted else 0))

    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """template -> (accepted, total)."""
        with self.session() as s:
            rows = s.execute(
                select(FeedbackRow.template, func.sum(FeedbackRow.accepted), func.count()).group_by(
                    FeedbackRow.template
                )
            )
            return {str(t): (int(a or 0), int(n)) for t, a, n in rows}

    # --- noise verdicts (detection suppressions) ------------------------------------------------
    def issue_template(self, fingerprint: str) -> str | None:
        """The template of the issue's first event (None for issues stored before templates were)."""
        with self.session() as s:
            row = s.get(IssueTemplateRow, fingerprint)
            return row.template if row else None

    def noise_verdicts(self) -> list[NoiseVerdict]:
        """Every issue's noise/real verdict, oldest first (the order the learner folds them in)."""
        with self.session() as s:
            rows = s.scalars(select(NoiseVerdictRow).order_by(NoiseVerdictRow.id))
            return [NoiseVerdict(r.issue_id, r.template, r.message, r.real) for r in rows]

    def noise_templates(self) -> list[str]:
        """Templates marked noise, oldest first: detection's learned suppressions (one cheap query)."""
        with self.session() as s:
            query = select(NoiseVerdictRow.template).where(NoiseVerdictRow.real.is_(False))
            return list(dict.fromkeys(s.scalars(query.order_by(NoiseVerdictRow.id))))

    def set_noise_verdict(
        self, issue_id: str, *, real: bool, template: str, message: str, reopen: Iterable[str] = ()
    ) -> None:
        """Replace the issue's verdict: noise ignores the issue, real reopens it if ignored. The noise
        verdicts of `reopen` (suppressions a real verdict clashes with) are dropped, those issues reopened."""
        dropped = sorted(set(reopen) - {issue_id})
        with self.session() as s:
            s.execute(delete(NoiseVerdictRow).where(NoiseVerdictRow.issue_id.in_([issue_id, *dropped])))
            s.add(
                NoiseVerdictRow(
                    issue_id=issue_id,
                    template=template,
                    message=message,
                    real=real,
                    created_at=_utc(datetime.now(UTC)),
                )
            )
            for row in s.scalars(select(IssueRow).where(IssueRow.id.in_([issue_id, *dropped]))):
                if row.id == issue_id and not real:
                    row.status = "ignored"
                elif row.status == "ignored":
                    row.status = "open"
