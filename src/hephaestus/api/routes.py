"""The /api routes: list and read issues, accept or reject fixes, mark issues as noise, analyze logs.

Fed the settings and the open Store by `create_app`; every route is a thin adapter over
hephaestus.service and the Store (the same calls `hephaestus issues`, `issues show`,
`feedback`, `issues noise`/`real` and `analyze --json` make) and only validates input and
shapes JSON. Errors are raised as ApiError (or the service's own InputError) and turned into
`{"error": "..."}` by the handlers `create_app` installs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from hephaestus.errors import InputError
from hephaestus.records import Issue
from hephaestus.service import (
    IssueReport,
    allowed_repo,
    analyze_logs,
    check_repo,
    issue_report,
    mark_noise,
    record_feedback,
)
from hephaestus.settings import Settings
from hephaestus.store import Store

__all__ = [
    "MAX_ANALYZE_PATHS",
    "AnalyzeRequest",
    "ApiError",
    "FeedbackRequest",
    "IssueStatus",
    "NoiseRequest",
    "api_router",
    "issue_detail",
    "issue_summary",
]

IssueStatus = Literal["open", "resolved", "ignored"]
MAX_ANALYZE_PATHS = 100


class ApiError(Exception):
    """An error with the HTTP status it maps to; rendered as `{"error": message}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FeedbackRequest(BaseModel):
    """Body of POST /api/issues/{id}/feedback."""

    model_config = ConfigDict(extra="forbid")
    verdict: Literal["accept", "reject"] = Field(description="accept resolves the issue; both are learned")


class NoiseRequest(BaseModel):
    """Body of POST /api/issues/{id}/noise."""

    model_config = ConfigDict(extra="forbid")
    verdict: Literal["noise", "real"] = Field(
        default="noise", description="noise suppresses the issue's template and ignores it; real undoes"
    )


class AnalyzeRequest(BaseModel):
    """Body of POST /api/analyze: files and repository on the server, never uploaded content."""

    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(
        min_length=1,
        max_length=MAX_ANALYZE_PATHS,
        description="Absolute paths of log files on the server (plain text, JSON lines or gzip).",
    )
    repo: str | None = Field(
        default=None, description="Absolute path of the repository to fix; none = issues only."
    )
    fix: bool = Field(default=True, description="Propose and validate fixes (needs repo).")


def issue_summary(report: IssueReport) -> dict[str, Any]:
    """One row of GET /api/issues: exactly what `hephaestus issues --json` prints."""
    return report.as_json()


def issue_detail(report: IssueReport, related_logs: list[dict[str, Any]]) -> dict[str, Any]:
    """GET /api/issues/{id}: the summary plus what `hephaestus issues show --json` adds (frames,
    related logs), the raw message and stack, and the validation of the fix."""
    issue, solution = report.issue, report.solution
    data = issue_summary(report)
    data["message"] = issue.message
    data["application"] = issue.application
    data["stack_trace"] = issue.stack_trace
    data["frames"] = [f.model_dump() for f in issue.frames]
    data["validation"] = (
        solution.validation.model_dump(mode="json") if solution and solution.validation else None
    )
    data["related_logs"] = related_logs
    return data


def _server_path(raw: str, what: str) -> Path:
    """A path given by a client: absolute, no NUL byte. Existence is the service's check."""
    if not raw or "\x00" in raw:
        raise ApiError(400, f"{what} must be a non-empty path without NUL bytes")
    path = Path(raw)
    if not path.is_absolute():
        raise ApiError(400, f"{what} must be an absolute path on the server: {raw}")
    return path


def _find(store: Store, issue_id: str) -> Issue:
    try:
        return store.issue(issue_id)
    except InputError as exc:
        raise ApiError(404, str(exc)) from exc


def _report(store: Store, issue: Issue) -> IssueReport:
    return issue_report(store, issue)


def api_router(settings: Settings, store: Store, *, token: str | None = None) -> APIRouter:
    """The /api routes over `store` (reads) and the service use cases (writes, analysis);
    analysis that runs a repository's tests needs `token` and a repo under api.allowed_repos."""
    router = APIRouter(prefix="/api")
    analyses = anyio.CapacityLimiter(1)  # one analysis at a time: it is CPU and disk bound

    @router.get("/issues", tags=["issues"], summary="List issues, newest first")
    def list_issues(
        status: Annotated[IssueStatus | None, Query(description="Only issues with this status.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000, description="At most this many issues.")] = 100,
    ) -> dict[str, Any]:
        """The issues in the store with their fix, like `hephaestus issues --json` (issues marked as
        noise only with `status=ignored`)."""
        issues = store.issues(status=status, limit=limit, hide_ignored=True)
        return {"issues": [issue_summary(_report(store, i)) for i in issues]}

    @router.get("/issues/{issue_id}", tags=["issues"], summary="One issue with its fix")
    def get_issue(issue_id: str) -> dict[str, Any]:
        """Issue, stack frames, fix (patch, explanation, validation), diagnosis and related logs;
        `issue_id` may also be the fingerprint."""
        issue = _find(store, issue_id)
        return issue_detail(_report(store, issue), store.related_logs(issue.trace_ids))

    @router.post("/issues/{issue_id}/feedback", tags=["issues"], summary="Accept or reject the fix")
    def post_feedback(issue_id: str, body: FeedbackRequest) -> dict[str, Any]:
        """Record the verdict on the issue's proposed fix (accept resolves the issue); later
        rankings learn from it. 404 for an unknown issue, 400 when it has no fix."""
        issue = _find(store, issue_id)
        result = record_feedback(issue.id, body.verdict, settings=settings)
        return {**result, "status": store.issue(issue.id).status}

    @router.post("/issues/{issue_id}/noise", tags=["issues"], summary="Mark the issue as noise or real")
    def post_noise(issue_id: str, body: NoiseRequest) -> dict[str, Any]:
        """`hephaestus issues noise|real`: noise suppresses the issue's template in detection (new
        lines of it are not errors) and ignores the issue; real undoes it. 404 for an unknown issue,
        400 for a template too generic to suppress or matching a message marked real."""
        issue = _find(store, issue_id)
        return mark_noise(issue.id, body.verdict, settings=settings)

    @router.post("/analyze", tags=["analysis"], summary="Analyze log files on the server")
    async def post_analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """Run `hephaestus analyze --json` in a worker thread and return its report: issues are
        kept in the store; with `repo` and `fix`, fixes are validated on a throwaway copy."""
        paths = [_server_path(p, "log path") for p in body.paths]
        repo = _server_path(body.repo, "repo") if body.repo is not None else None
        if repo is not None and body.fix and settings.repair.enabled:  # the repo's tests would run
            repo = check_repo(repo)
            if not token:
                raise ApiError(403, "running a repository's tests needs a server started with a token")
            repo = allowed_repo(repo, settings.api.allowed_repos)

        def run() -> dict[str, Any]:
            return analyze_logs(paths, settings=settings, repo=repo, fix=body.fix).as_json()

        return await anyio.to_thread.run_sync(run, limiter=analyses)

    return router
