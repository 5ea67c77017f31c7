"""Use cases shared by every face (CLI, HTTP API, MCP): analyze logs, run the pipeline, list
issues, record feedback on fixes and noise verdicts on issues. Faces only parse arguments and
render what these return.

Fed by settings and paths; drives collect -> process -> analyze -> repair -> validate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from hephaestus.bus.memory import MemoryBus
from hephaestus.collect import FileSource, StdinSource
from hephaestus.collect.files import source_limits, validate_log_path
from hephaestus.errors import AccessDenied, InputError
from hephaestus.pipeline import Pipeline
from hephaestus.process.masking import Masker
from hephaestus.process.noise_rules import MIN_LITERAL_CHARS, NoiseFeedback, template_pattern
from hephaestus.process.processor import Processor
from hephaestus.process.pytest_output import parse_pytest_failure
from hephaestus.records import Issue, Solution
from hephaestus.settings import Settings
from hephaestus.store import Store

__all__ = [
    "AnalysisReport",
    "IssueReport",
    "Progress",
    "allowed_repo",
    "analyze_logs",
    "failing_test_output",
    "issue_report",
    "mark_noise",
    "open_store",
    "record_feedback",
    "solve",
]

Progress = Callable[[str, int, int | None], None]
"""progress(phase, done, total): phase is "read" (bytes) or "solve" (issues)."""


@dataclass
class IssueReport:
    issue: Issue
    solution: Solution | None
    diagnosis: str | None
    evidence: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        i, s = self.issue, self.solution
        return {
            "id": i.id,
            "fingerprint": i.fingerprint,
            "title": i.title,
            "error_type": i.error_type,
            "count": i.count,
            "severity": i.severity,
            "first_seen": i.first_seen.isoformat(),
            "last_seen": i.last_seen.isoformat(),
            "status": i.status,
            "solution": None
            if s is None
            else {
                "status": s.status,
                "provider": s.provider,
                "patch": s.patch,
                "score": round(s.score, 4),
                "explanation": s.explanation,
                "feedback": s.feedback,
                "validation": s.validation.model_dump(mode="json") if s.validation else None,
            },
            "diagnosis": self.diagnosis,
            "localization": (self.evidence or {}).get("localization", []),
            "evidence": self.evidence,
        }


@dataclass
class AnalysisReport:
    issues: list[IssueReport]
    stats: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"issues": [r.as_json() for r in self.issues], "stats": self.stats}


_SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def open_store(settings: Settings) -> Store:
    return Store(settings.store_url)


def issue_report(store: Store, issue: Issue) -> IssueReport:
    """What the faces show of a stored issue: its latest solution, diagnosis and evidence."""
    return IssueReport(issue, store.solution(issue.id), store.diagnosis(issue.id), store.evidence(issue.id))


def check_repo(repo: Path) -> Path:
    if not repo.exists():
        raise InputError(f"repository not found: {repo}")
    if not repo.is_dir():
        raise InputError(f"--repo must be a directory: {repo}")
    return repo.resolve()


def allowed_repo(repo: Path, roots: Iterable[str | Path]) -> Path:
    """`repo` resolved (symlinks too) when it lies under one of `roots`, else AccessDenied: a
    client of the API or MCP server may only have tests run in repositories the operator named."""
    resolved = check_repo(repo)
    for root in roots:
        base = Path(root).resolve()
        if resolved == base or base in resolved.parents:
            return resolved
    raise AccessDenied(f"repository {repo} is not under api.allowed_repos; the server's operator must add it")


_PYTEST_MARKERS = ("short test summary info", "test session starts", "FAILED ", "_____ test")


def failing_test_output(issue: Issue) -> str | None:
    """The issue's text when it is a failing test run (pytest output is a log like any other:
    the failing test is the reproduction), so the engine can search test-driven fixes."""
    text = issue.stack_trace or ""
    if any(marker in text for marker in _PYTEST_MARKERS):
        return text
    return text if parse_pytest_failure(text) is not None else None


def solve(
    issue: Issue, repo: Path, *, settings: Settings, store: Store, test_cmd: str | None = None
) -> tuple[Solution | None, str | None]:
    """Generate and validate a fix for one issue: evidence first (when the issue is a failing
    test run: reproduce it in the sandbox, localize, keep the values), then model roles when
    configured, else (and as the fallback) the built-in engine; persist the outcome."""
    from hephaestus.repair import Prober, RepairEngine, investigate  # noqa: PLC0415 - only when fixing
    from hephaestus.solve import Composer, load_roles  # noqa: PLC0415
    from hephaestus.store.feedback import StoreFeedback  # noqa: PLC0415
    from hephaestus.validate import Validator, solve_offline  # noqa: PLC0415

    conf = settings.repair
    validator = Validator.from_settings(conf, test_cmd=test_cmd)
    prober = Prober(
        test_cmd=validator.test_cmd, timeout_s=conf.timeout_s, memory_mb=conf.memory_mb,
        require_isolation=not conf.allow_unisolated, spectrum_budget_s=conf.spectrum_budget_s,
    )  # fmt: skip
    failing = failing_test_output(issue)
    evidence = investigate(failing, repo, prober=prober) if failing and conf.search else None
    if evidence is not None:
        store.set_evidence(issue.id, evidence.as_json())
    builtin = RepairEngine(
        prober=prober if conf.search else None, search_budget_s=conf.search_budget_s,
        max_search_candidates=conf.max_candidates,
    )  # fmt: skip
    engine = Composer(
        config=load_roles(settings.models.roles_file),
        builtin=builtin,
        related_logs=lambda i: [str(r["message"]) for r in store.related_logs(i.trace_ids)],
    )
    solution, diagnosis = solve_offline(
        issue,
        repo,
        engine=engine,
        validator=validator,
        max_validations=conf.max_validations,
        feedback=StoreFeedback(store),
        failing_output=failing,
        evidence=evidence,
        repair_rounds=settings.models.repair_rounds,
    )
    if solution is not None:
        store.save_solution(solution)
    store.set_diagnosis(issue.id, diagnosis)
    return solution, diagnosis


def analyze_logs(
    paths: list[Path],
    *,
    settings: Settings,
    repo: Path | None,
    test_cmd: str | None = None,
    fix: bool = True,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> AnalysisReport:
    """Parse `paths` (then `stdin` to its end, when given), group errors into issues (persisted in
    the store) and, when `repo` is given and `fix` is on, propose and validate a fix per issue on a
    throwaway copy of `repo`."""
    started = time.perf_counter()
    for path in paths:
        validate_log_path(path)
    repo_dir = check_repo(repo) if repo is not None else None
    store = open_store(settings)
    bus = MemoryBus(partitions=settings.bus.partitions)  # nothing outlives this run: no bytes, no SQLite
    processor = Processor(settings=settings.process, application=settings.collect.application or None)
    processor.detector.set_noise_templates(store.noise_templates())  # issues marked as noise
    pipeline = Pipeline(bus=bus, store=store, processor=processor)
    source = FileSource(paths, follow=False, **source_limits(settings.collect))
    source.start()
    total_bytes = sum(p.stat().st_size for p in paths)
    if progress:
        pipeline.on_progress = lambda _phase, _n: progress("read", source.bytes_read, total_bytes)
    pipeline.drain(collect=source)
    stream = None
    if stdin is not None:
        limits = source_limits(settings.collect)
        stream = StdinSource(
            stdin,
            wait_s=None,
            max_record_lines=limits["max_record_lines"],
            max_line_bytes=limits["max_line_bytes"],
        )
        pipeline.drain(collect=stream)
    dead = pipeline.dead_letters()
    issues = [store.issue(f"HEP-{fp[:8]}") for fp in sorted(pipeline.stats.fingerprints)]
    issues.sort(key=lambda i: (_SEVERITY_ORDER[i.severity], -i.count, i.id))
    reports: list[IssueReport] = []
    solve_started = time.perf_counter()
    for n, issue in enumerate(issues):
        if progress:
            progress("solve", n, len(issues))
        solution: Solution | None = None
        diagnosis: str | None = None
        if repo_dir is not None and fix and settings.repair.enabled:
            solution, diagnosis = solve(issue, repo_dir, settings=settings, store=store, test_cmd=test_cmd)
        reports.append(IssueReport(issue, solution, diagnosis, store.evidence(issue.id)))  # just stored
    if progress:
        progress("solve", len(issues), len(issues))
    stats: dict[str, Any] = {
        "files": len(paths),
        "bytes": source.bytes_read + (stream.bytes_read if stream else 0),
        **pipeline.stats.as_dict(),
        "issues": len(issues),
        "truncated_lines": source.truncated_lines + (stream.truncated_lines if stream else 0),
        "warnings": source.warnings,
        "solutions_validated": sum(1 for r in reports if r.solution and r.solution.status == "validated"),
        "solutions_plausible": sum(1 for r in reports if r.solution and r.solution.status == "plausible"),
        "dead_letter_reasons": sorted({d["reason"] for d in dead})[:10],
        "parse_s": round(solve_started - started, 3),
        "solve_s": round(time.perf_counter() - solve_started, 3),
        "duration_s": round(time.perf_counter() - started, 3),
    }
    pipeline.close()
    bus.close()
    store.close()
    return AnalysisReport(reports, stats)


def record_feedback(
    issue_id: str, verdict: Literal["accept", "reject"], *, settings: Settings
) -> dict[str, Any]:
    store = open_store(settings)
    try:
        template = store.record_feedback(issue_id, "accepted" if verdict == "accept" else "rejected")
        return {"issue": issue_id, "verdict": verdict, "template": template}
    finally:
        store.close()


def mark_noise(issue_id: str, verdict: Literal["noise", "real"], *, settings: Settings) -> dict[str, Any]:
    """Mark an issue as noise (its template is suppressed by detection from then on, in `analyze` and
    within seconds in a running processor; the issue is ignored) or as real (the undo: the issue
    reopens, and no noise template matching its message is kept). Same safety rules as the learner
    (`NoiseFeedback`): InputError for a template with too few literal characters or one matching a
    message marked real."""
    store = open_store(settings)
    try:
        issue = store.issue(issue_id)
        first_line = (issue.message.strip().splitlines() or [""])[0]
        template = store.issue_template(issue.fingerprint) or Masker().mask(first_line)
        rx = template_pattern(template)
        # an exception issue's message is not its first line: use the template as the example then
        message = first_line if rx is not None and rx.search(first_line) else template
        verdicts = [v for v in store.noise_verdicts() if v.issue_id != issue.id]
        learner = NoiseFeedback()
        for v in verdicts:
            learner.mark(v.template, v.message, real=v.real)
        before = set(learner.templates())
        real = verdict == "real"
        learner.mark(template, message, real=real)
        if not real and template not in learner.templates():
            raise InputError(_refusal(issue.id, template, verdicts))
        dropped = before - set(learner.templates())
        reopen = sorted(v.issue_id for v in verdicts if not v.real and v.template in dropped)
        store.set_noise_verdict(issue.id, real=real, template=template, message=message, reopen=reopen)
        return {
            "issue": issue.id,
            "verdict": verdict,
            "template": template,
            "status": store.issue(issue.id).status,
            "reopened": reopen,
        }
    finally:
        store.close()


def _refusal(issue_id: str, template: str, verdicts: list[Any]) -> str:
    rx = template_pattern(template)
    if rx is None:
        return (
            f"{issue_id}: template {template!r} is too generic to suppress (fewer than "
            f"{MIN_LITERAL_CHARS} literal characters); write a rule in the rules file instead"
        )
    real = next((v for v in verdicts if v.real and rx.search(v.message)), None)
    other = f"{real.issue_id}'s message {real.message!r}" if real else "a message marked real"
    return f"{issue_id}: template {template!r} also matches {other}, marked real; not suppressed"
