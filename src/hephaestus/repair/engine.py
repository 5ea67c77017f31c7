"""The offline repair engine: locate the fault, run evidence-based templates, render candidates.

Fed an Issue (frames, stack trace) and a read-only repo, or a failing pytest output; feeds the
validator ranked, deduplicated unified diffs, or a diagnosis explaining why it abstains.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from hephaestus.records import Issue
from hephaestus.repair.abstain import environment_diagnosis
from hephaestus.repair.investigate import Evidence, SourceCache
from hephaestus.repair.locate import Site, locate, repo_files
from hephaestus.repair.logparse import Failure, parse_pytest, parse_traceback
from hephaestus.repair.model import Candidate, Proposal, RepairResult
from hephaestus.repair.mutation import mutation_proposals
from hephaestus.repair.patch import render_patch
from hephaestus.repair.probe import Prober
from hephaestus.repair.regression import regression_edit
from hephaestus.repair.reproduce import reproduction_for
from hephaestus.repair.search import SearchReport, search
from hephaestus.repair.source import SourceFile, load_source
from hephaestus.repair.templates import FixContext, templates_for

__all__ = ["RepairEngine"]

_MAX_DEPTH = 2
_DEPTH_DECAY = 0.8


def _failure_of(issue: Issue) -> Failure:
    """Exception type, message and frames: from the stack trace when present, else the Issue."""
    parsed = parse_traceback(issue.stack_trace) if issue.stack_trace else None
    frames = issue.frames or (parsed.frames if parsed else ())
    if parsed is not None:
        return Failure(error_type=parsed.error_type, message=parsed.message, frames=frames)
    return Failure(error_type=issue.error_type or "", message=issue.message, frames=frames)


def _short(error_type: str) -> str:
    return error_type.rsplit(".", 1)[-1]


class RepairEngine:
    """Proposes candidate patches for an Issue without a model or network; never writes the repo."""

    def __init__(
        self,
        *,
        max_candidates: int = 10,
        template_weights: Mapping[str, float] | None = None,
        prober: Prober | None = None,
        search_budget_s: float = 60.0,
        max_search_candidates: int = 300,
    ) -> None:
        self.max_candidates = max_candidates
        self.template_weights = dict(template_weights or {})
        self.prober = prober
        self.search_budget_s = search_budget_s
        self.max_search_candidates = max_search_candidates
        self.last_search: SearchReport | None = None

    def propose(
        self, issue: Issue, repo: Path, *, failing_output: str | None = None, evidence: Evidence | None = None
    ) -> RepairResult:
        """Candidates for `issue` in `repo` (highest prior first), or a diagnosis when abstaining.

        With reproduced `evidence` and a Prober, the test-driven search adds candidates that
        already made the failing tests pass in a screening run (kind "mutation").
        """
        searched = self._search(repo, evidence)
        failure = _failure_of(issue)
        from_tests = parse_pytest(failing_output) if failing_output else None
        if from_tests is not None and (not failure.frames or from_tests.error_type != "AssertionError"):
            failure = from_tests if not failure.frames else failure
        files = repo_files(repo)
        sites = locate(failure.frames, repo, files=files)
        code_sites = [s for s in sites if not s.is_test]
        locations = tuple(replace(s.location, depth=i) for i, s in enumerate(code_sites))
        innermost_line = failure.frames[-1].source_line if failure.frames else None
        env = environment_diagnosis(failure.error_type, failure.message, innermost_line)
        if env is not None and not searched:
            return RepairResult(candidates=(), locations=locations, diagnosis=env)
        proposals: list[Proposal] = []
        cache: dict[str, SourceFile | None] = {}

        def load(path: str) -> SourceFile | None:
            if path not in cache:
                cache[path] = load_source(repo, path)
            return cache[path]

        for depth, site in enumerate(code_sites[: _MAX_DEPTH + 1]):
            proposals.extend(self._run_templates(failure, site, depth, repo, files, load))
        check: tuple[str, ...] = ()
        if code_sites and evidence is None:
            where = code_sites[0].location
            check = reproduction_for(
                failure.error_type, failure.message, repo=repo, path=where.path, line=where.line
            )
        if from_tests is not None and from_tests.error_type == "AssertionError" and self.last_search is None:
            # the older assertion-driven mutants; the evidence search, when it ran, covers them
            proposals.extend(mutation_proposals(from_tests, repo=repo, files=files, load=load))
        candidates = self._render(proposals, repo, files, check) + tuple(searched)
        diagnosis = None if candidates else self._why_not(failure, sites, code_sites, evidence)
        return RepairResult(candidates=candidates, locations=locations, diagnosis=diagnosis)

    def _search(self, repo: Path, evidence: Evidence | None) -> list[Candidate]:
        self.last_search = None
        if evidence is None or self.prober is None or not evidence.reproduced:
            return []
        self.last_search = SearchReport()
        return search(
            evidence, prober=self.prober, sources=SourceCache(repo), budget_s=self.search_budget_s,
            max_candidates=self.max_search_candidates, report=self.last_search,
        )  # fmt: skip

    def _run_templates(
        self,
        failure: Failure,
        site: Site,
        depth: int,
        repo: Path,
        files: tuple[str, ...],
        load: Callable[[str], SourceFile | None],
    ) -> list[Proposal]:
        if not site.verified and site.frame.source_line:
            return []
        source = load(site.location.path)
        if source is None:
            return []
        ctx = FixContext(
            repo=repo, error_type=_short(failure.error_type), message=failure.message, site=site,
            source=source, files=files, load=load,
        )  # fmt: skip
        out: list[Proposal] = []
        for template in templates_for(ctx.error_type):
            for prop in template(ctx):
                failed = f"{ctx.failure()} in {ctx.where()}"
                out.append(replace(prop, prior=prop.prior * (_DEPTH_DECAY**depth), failed=failed))
        return out

    def _render(
        self, proposals: Sequence[Proposal], repo: Path, files: tuple[str, ...], check: tuple[str, ...] = ()
    ) -> tuple[Candidate, ...]:
        """Diffs of the proposals, best first; those without a regression test carry `check`."""
        seen: set[str] = set()
        ranked: list[Candidate] = []
        for prop in proposals:
            edits = list(prop.edits)
            test_path = prop.test_path
            if prop.regression is not None:
                test_edit = regression_edit(prop.regression, repo=repo, files=files)
                if not (repo / test_edit.path).exists():
                    edits.append(test_edit)
                    test_path = test_edit.path
            patch = render_patch(edits)
            if not patch or patch in seen:
                continue
            seen.add(patch)
            weight = self.template_weights.get(prop.template, 1.0)
            ranked.append(
                Candidate(
                    patch=patch,
                    template=prop.template,
                    explanation=_explain(prop),
                    files=tuple(e.path for e in edits),
                    prior=max(0.0, min(1.0, prop.prior * weight)),
                    test_path=test_path,
                    kind=prop.kind,
                    check=() if test_path else check,
                )
            )
        ranked.sort(key=lambda c: -c.prior)
        return tuple(ranked[: self.max_candidates])

    def _why_not(
        self, failure: Failure, sites: Sequence[Site], code_sites: Sequence[Site], evidence: Evidence | None
    ) -> str:
        what = f"{failure.error_type}: {failure.message}".strip(": ") or "the failure"
        if evidence is not None and not evidence.reproduced:
            return f"{what}: not reproduced ({evidence.reproduction}), so no test-driven search"
        if evidence is not None and self.last_search is not None:
            top = evidence.suspects[0] if evidence.suspects else None
            where = f" (most suspicious: {top.path}:{top.line})" if top else ""
            s = self.last_search
            return (
                f"{what}: reproduced by {', '.join(evidence.failing_tests[:3])}; the search screened "
                f"{s.screened} of {s.generated} edits at the localized lines{where} and none made "
                "the failing tests pass without breaking another"
            )
        if not failure.frames:
            return f"{what}: no stack trace, so no fault location in the repository"
        if not sites or not code_sites:
            inner = failure.frames[-1].file
            return f"{what}: no frame of the traceback maps to a non-test file of the repository (innermost: {inner})"  # noqa: E501
        inner_site = code_sites[0]
        if failure.frames and failure.frames[-1] is not inner_site.frame:
            return (
                f"{what}: raised inside third-party or library code ({failure.frames[-1].file}) called from "
                f"{inner_site.location.path}:{inner_site.location.line}; no template found evidence for an in-repo fix"  # noqa: E501
            )
        return (
            f"{what} at {inner_site.location.path}:{inner_site.location.line}: no template found evidence in "
            "the code (docstrings, constants, sibling code) for a safe fix; abstaining rather than guessing"
        )


def _explain(prop: Proposal) -> str:
    lines = [f"What failed: {prop.failed.rstrip('.')}."] if prop.failed else []
    lines += [f"Root cause: {prop.cause.rstrip('.')}.", f"Change: {prop.change.rstrip('.')}."]
    if prop.regression is not None:
        lines.append(
            f"Regression test: {prop.regression.function}({', '.join(prop.regression.args)}) "
            f"must return {prop.regression.expected}."
        )
    return "\n".join(lines)
