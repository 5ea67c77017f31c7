"""The composer: runs the planned roles stage by stage (concurrently where allowed), passes typed
artefacts between them, falls back per role along its model chain and finally to the built-in
engine, and aggregates Candidates that record which provider:model produced each part.

Fed an Issue and a repo by service.solve / the MCP server (via `propose`, the EngineLike API of
validate.solve_offline); feeds RepairResults whose model candidates carry kind="model". A model
candidate that fails validation comes back through `refine` (conversational repair): its fixer
role sees the failure and answers with a corrected candidate.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hephaestus.errors import ConfigError, HephaestusError
from hephaestus.records import Issue, Validation
from hephaestus.repair.model import Candidate, Edit, RepairResult
from hephaestus.repair.patch import render_patch
from hephaestus.solve.config import (
    ArtefactKind,
    Endpoint,
    RolesConfig,
    load_roles,
    resolve_endpoints,
    role_prompt_id,
)
from hephaestus.solve.parse import ParseError, parse_patch, parse_tests
from hephaestus.solve.plan import Plan, build_plan
from hephaestus.solve.prompts import IssueContext, build_context, render
from hephaestus.solve.providers import AnthropicProvider, ModelRequest, OpenAIProvider, Provider
from hephaestus.solve.resilience import Metrics, ResilientCaller, ResponseCache
from hephaestus.validate.solve import CandidateLike, EngineLike

__all__ = ["Artefact", "Composer", "Composition", "RoleOutcome"]

BUILTIN = "builtin"
REPAIR_PROMPT = "repair@v1"
_MAX_FAILURE_OUTPUT = 3000
_MAX_FILE_CHARS = 12_000
_ROUND = re.compile(r"\+repair(\d+)")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Artefact:
    """One role's output: an analysis, a patch (unified diff), tests (file) or docs (text)."""

    role: str
    kind: ArtefactKind
    content: str
    producer: str  # "<provider>:<model>" or "builtin"
    path: str | None = None  # tests: the new test file


@dataclass
class RoleOutcome:
    role: str
    stage: int
    status: Literal["model", "builtin", "skipped", "failed"] = "skipped"
    producer: str | None = None
    errors: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cached: bool = False


@dataclass
class Composition:
    """Everything one compose run made: per-role outcomes, artefacts and the RepairResult."""

    plan: Plan
    outcomes: dict[str, RoleOutcome]
    artefacts: dict[str, Artefact]
    result: RepairResult
    redactions: int = 0
    started: list[str] = field(default_factory=list)  # roles in the order they started

    def as_json(self) -> dict[str, Any]:
        return {
            "stages": [list(s.roles) for s in self.plan.stages],
            "roles": {
                n: {
                    "status": o.status,
                    "producer": o.producer,
                    "errors": o.errors,
                    "latency_ms": round(o.latency_ms, 2),
                    "input_tokens": o.input_tokens,
                    "output_tokens": o.output_tokens,
                    "cached": o.cached,
                }
                for n, o in self.outcomes.items()
            },
            "candidates": [
                {"provider": c.provider, "kind": c.kind, "template": c.template}
                for c in self.result.candidates
            ],
            "redactions": self.redactions,
        }


def _make_provider(endpoint: Endpoint, *, timeout_s: float, stream: bool) -> Provider:
    if endpoint.kind == "anthropic":
        return AnthropicProvider(
            name=endpoint.provider,
            model=endpoint.model,
            api_key=endpoint.api_key,
            base_url=endpoint.base_url,
            timeout_s=timeout_s,
            stream=stream,
            send_temperature=endpoint.send_temperature,
        )
    return OpenAIProvider(
        name=endpoint.provider,
        model=endpoint.model,
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        timeout_s=timeout_s,
        stream=stream,
    )


class Composer:
    """A model-backed repair engine; with no usable provider it is the built-in engine unchanged."""

    def __init__(
        self,
        *,
        config: RolesConfig | None = None,
        env: Mapping[str, str] | None = None,
        builtin: EngineLike | None = None,
        providers: Mapping[str, Provider] | None = None,
        caller: ResilientCaller | None = None,
        related_logs: Callable[[Issue], Sequence[str]] | None = None,
    ) -> None:
        self.config = config or load_roles()
        self.plan = build_plan(self.config)
        self.endpoints = resolve_endpoints(self.config, env)
        d = self.config.defaults
        self._providers: dict[str, Provider] = {}
        for mtype, endpoint in self.endpoints.items():
            if endpoint is not None:
                self._providers[mtype] = _make_provider(endpoint, timeout_s=d.timeout_s, stream=d.stream)
        self._providers.update(providers or {})
        unknown = set(providers or {}) - set(self.config.model_types)
        if unknown:
            raise ConfigError(f"providers given for unknown model type(s): {', '.join(sorted(unknown))}")
        self.caller = caller or ResilientCaller(
            retries=d.retries,
            backoff_s=d.backoff_s,
            breaker_failures=d.breaker_failures,
            breaker_reset_s=d.breaker_reset_s,
            cache=ResponseCache(entries=d.cache_entries),
            metrics=Metrics(),
        )
        self._builtin = builtin
        self._related_logs = related_logs

    @property
    def uses_models(self) -> bool:
        """True when at least one enabled role has a usable provider in its chain."""
        return any(
            m in self._providers
            for r in self.config.roles.values()
            if r.enabled
            for m in (r.model, *r.fallback)
        )

    def _engine(self) -> EngineLike:
        if self._builtin is None:
            from hephaestus.repair import RepairEngine  # noqa: PLC0415 - libcst only when needed

            self._builtin = RepairEngine()
        return self._builtin

    # --- the EngineLike API --------------------------------------------------------------------
    def propose(
        self, issue: Issue, repo: Path, *, failing_output: str | None = None, evidence: Any = None
    ) -> RepairResult:
        """Candidates for `issue` (model ones with kind="model", provider="<provider>:<model>").

        `evidence` (repair.Evidence: reproduction, localized lines, runtime values) goes to the
        built-in search and into every role's prompt."""
        if not self.uses_models:
            return self._builtin_result(issue, repo, failing_output, evidence)
        return self.compose(issue, repo, failing_output=failing_output, evidence=evidence).result

    def _builtin_result(
        self, issue: Issue, repo: Path, failing_output: str | None, evidence: Any = None
    ) -> RepairResult:
        result = self._engine().propose(issue, repo, failing_output=failing_output, evidence=evidence)
        if isinstance(result, RepairResult):
            return result
        return RepairResult(candidates=tuple(result.candidates), locations=(), diagnosis=result.diagnosis)  # type: ignore[arg-type]

    # --- conversational repair ---------------------------------------------------------------
    def refine(
        self,
        issue: Issue,
        repo: Path,
        candidate: CandidateLike,
        validation: Validation,
        *,
        evidence: Any = None,
    ) -> tuple[Candidate, ...]:
        """A corrected candidate for a model fix that failed validation, or () when none came.

        The fixer role that wrote `candidate` gets the issue context (with `evidence`), its failed
        patch and the validation's failure (all redacted and fenced) and answers with a new fix,
        through the same cache/breaker/retries and model chain as every role call (the model that
        wrote the failed answer is asked first). Tests the failed candidate carried are kept."""
        name = _role_of(candidate.template)
        role = self.config.roles.get(name) if name else None
        if name is None or role is None or role.produces != "patch":
            return ()
        context = build_context(issue, repo, evidence=evidence)
        failed_files = {p: c for p, c in _sections(candidate.patch).items() if not _is_new(c)}
        current = []
        root = repo.resolve()
        for path in failed_files:
            if path in context.files:  # already shown in the issue context
                continue
            target = (repo / path).resolve()
            if not target.is_relative_to(root):
                continue
            try:
                current.append(f"### {path}\n{target.read_text(encoding='utf-8')[:_MAX_FILE_CHARS]}")
            except (OSError, UnicodeDecodeError):
                continue
        system, user = render(
            REPAIR_PROMPT,
            role=name,
            context=context,
            artefacts={
                "patch": candidate.patch,
                "failure": _failure_text(validation),
                "files": "\n\n".join(current),
            },
        )
        request = ModelRequest(
            role=name,
            system=system,
            user=user,
            temperature=role.temperature,
            max_tokens=self.config.defaults.max_tokens,
        )
        chain = [m for m in (role.model, *role.fallback) if m in self._providers]
        chain.sort(key=lambda m: _label(self._providers[m]) != getattr(candidate, "provider", ""))
        for mtype in chain:
            try:
                response = self.caller.call(self._providers[mtype], request)
                fix = parse_patch(response.text, repo)
            except HephaestusError as exc:
                log.info("issue %s: repair of %s by %s failed: %s", issue.id, name, mtype, exc)
                continue
            return (self._refined(candidate, name, fix, response.producer, prior=role.prior),)
        return ()

    def _refined(
        self, failed: CandidateLike, name: str, fix: str, producer: str, *, prior: float
    ) -> Candidate:
        match = _ROUND.search(failed.template)
        round_ = int(match.group(1)) + 1 if match else 1
        fixed = set(_sections(fix))
        tests = {
            path: text
            for path, text in _sections(failed.patch).items()
            if failed.test_path and _is_new(text) and path not in fixed and _is_test(path, failed.test_path)
        }
        files = tuple(sorted(fixed)) + tuple(tests)
        base = failed.explanation.rstrip()
        return Candidate(
            patch=fix + "".join(tests.values()),
            template=f"model:{name}+repair{round_}" + ("+tests" if tests else ""),
            explanation=f"{base} Corrected by {name} after a failed validation (repair round {round_}).",
            files=files,
            prior=prior if tests else max(0.0, prior - 0.05),
            test_path=failed.test_path if tests else None,
            kind="model",
            provider=producer,
        )

    # --- composition ---------------------------------------------------------------------------
    def compose(
        self,
        issue: Issue,
        repo: Path,
        *,
        failing_output: str | None = None,
        related_logs: Sequence[str] | None = None,
        evidence: Any = None,
    ) -> Composition:
        """Run every stage; a role's failure never stops the others (they fall back instead)."""
        logs = list(
            related_logs if related_logs is not None else (self._related_logs or (lambda _i: []))(issue)
        )
        context = build_context(
            issue, repo, related_logs=logs, failing_output=failing_output, evidence=evidence
        )
        run = _Run(self, issue, repo, context, failing_output, evidence)
        with ThreadPoolExecutor(max_workers=self.plan.max_concurrency, thread_name_prefix="role") as pool:
            for stage in self.plan.stages:
                for outcome in pool.map(lambda name, s=stage.index: run.role(name, s), stage.roles):
                    run.outcomes[outcome.role] = outcome
        result = run.aggregate()
        return Composition(
            plan=self.plan,
            outcomes=run.outcomes,
            artefacts=run.artefacts,
            result=result,
            redactions=context.redactions,
            started=run.started,
        )


class _Run:
    """The mutable state of one compose call (artefacts are written once per role, under a lock)."""

    def __init__(
        self,
        composer: Composer,
        issue: Issue,
        repo: Path,
        context: IssueContext,
        failing: str | None,
        evidence: Any = None,
    ) -> None:
        self.c, self.issue, self.repo, self.context, self.failing = composer, issue, repo, context, failing
        self.evidence = evidence
        self.artefacts: dict[str, Artefact] = {}
        self.outcomes: dict[str, RoleOutcome] = {}
        self.started: list[str] = []
        self._lock = threading.Lock()
        self._builtin: RepairResult | None = None

    def builtin(self) -> RepairResult:
        with self._lock:
            if self._builtin is None:
                self._builtin = self.c._builtin_result(self.issue, self.repo, self.failing, self.evidence)
            return self._builtin

    def _inputs(self, name: str) -> dict[str, str]:
        grouped: dict[str, list[str]] = {}
        for dep in self.c.plan.needs.get(name, ()):
            art = self.artefacts.get(dep)
            if art is not None:
                grouped.setdefault(art.kind, []).append(f"[{art.role} via {art.producer}]\n{art.content}")
        return {kind: "\n\n".join(parts) for kind, parts in grouped.items()}

    def role(self, name: str, stage: int) -> RoleOutcome:
        with self._lock:
            self.started.append(name)
        role = self.c.config.roles[name]
        outcome = RoleOutcome(role=name, stage=stage)
        inputs = self._inputs(name)
        if any(kind not in inputs for kind in role.consumes if kind != "analysis"):
            return self._fallback(name, outcome, "no upstream artefact to work on")
        system, user = render(role_prompt_id(role), role=name, context=self.context, artefacts=inputs)
        request = ModelRequest(
            role=name,
            system=system,
            user=user,
            temperature=role.temperature,
            max_tokens=self.c.config.defaults.max_tokens,
        )
        for mtype in (role.model, *role.fallback):
            provider = self.c._providers.get(mtype)
            if provider is None:
                continue
            try:
                response = self.c.caller.call(provider, request)
                artefact = self._parse(name, role.produces, response.text, response.producer)
            except HephaestusError as exc:
                outcome.errors.append(f"{mtype}: {exc}")
                continue
            outcome.status, outcome.producer, outcome.cached = "model", response.producer, response.cached
            outcome.latency_ms += response.latency_ms
            outcome.input_tokens += response.input_tokens
            outcome.output_tokens += response.output_tokens
            with self._lock:
                self.artefacts[name] = artefact
            return outcome
        return self._fallback(name, outcome, "no model in the chain answered usefully")

    def _parse(self, name: str, kind: ArtefactKind, text: str, producer: str) -> Artefact:
        if kind == "patch":
            return Artefact(name, kind, parse_patch(text, self.repo), producer)
        if kind == "tests":
            slug = "".join(ch if ch.isalnum() else "_" for ch in self.issue.id.lower())
            default = f"tests/test_hephaestus_{name.replace('-', '_')}_{slug}.py"
            tests = parse_tests(text, self.repo, default_path=default)
            return Artefact(name, kind, tests.content, producer, path=tests.path)
        clean = text.strip()
        if not clean:
            raise ParseError(f"{name}: empty answer")
        return Artefact(name, kind, clean[:4000], producer)

    def _fallback(self, name: str, outcome: RoleOutcome, why: str) -> RoleOutcome:
        """The built-in engine stands in for analyses and patches; tests/docs are skipped."""
        kind = self.c.config.roles[name].produces
        if kind in ("analysis", "patch"):
            builtin = self.builtin()
            top = builtin.candidates[0] if builtin.candidates else None
            content = (
                (top.patch if kind == "patch" else top.explanation) if top else (builtin.diagnosis or "")
            )
            if content:
                with self._lock:
                    self.artefacts[name] = Artefact(name, kind, content, BUILTIN)
                outcome.status, outcome.producer = "builtin", BUILTIN
                return outcome
        outcome.status = "failed" if outcome.errors else "skipped"
        outcome.errors.append(why)
        return outcome

    def aggregate(self) -> RepairResult:
        ordered = [self.artefacts[n] for n in self.c.plan.order if n in self.artefacts]  # deterministic
        patches = [a for a in ordered if a.kind == "patch" and a.producer != BUILTIN]
        tests: list[Artefact] = []
        for found in (a for a in ordered if a.kind == "tests" and a.path):
            clash = any(t.path == found.path for t in tests)  # two generators chose one name
            tests.append(
                Artefact(
                    found.role,
                    found.kind,
                    found.content,
                    found.producer,
                    path=_renamed(found) if clash else found.path,
                )
            )
        docs = [a.content for a in ordered if a.kind == "docs"]
        candidates: list[Candidate] = []
        seen: set[str] = set()
        for art in patches:
            if art.content in seen:
                continue
            seen.add(art.content)
            role = self.c.config.roles[art.role]
            explanation = docs[0] if docs else f"Model fix proposed by {art.role}."
            files = tuple(
                sorted({ln[6:].strip() for ln in art.content.splitlines() if ln.startswith("+++ b/")})
            )
            if tests:
                extra = render_patch([Edit(path=t.path or "", old=None, new=t.content) for t in tests])
                candidates.append(
                    Candidate(
                        patch=art.content + extra,
                        template=f"model:{art.role}+tests",
                        explanation=explanation,
                        files=files + tuple(t.path or "" for t in tests),
                        prior=role.prior,
                        test_path=tests[0].path,
                        kind="model",
                        provider=art.producer,
                    )
                )
            candidates.append(
                Candidate(
                    patch=art.content,
                    template=f"model:{art.role}",
                    explanation=explanation,
                    files=files,
                    prior=max(0.0, role.prior - 0.05),
                    test_path=None,
                    kind="model",
                    provider=art.producer,
                )
            )
        fell_back = any(
            o.status != "model"
            for n, o in self.outcomes.items()
            if self.c.config.roles[n].produces == "patch"
        )
        if fell_back or not candidates or self._builtin is not None:
            builtin = self.builtin()
            candidates.extend(builtin.candidates)
            return RepairResult(
                candidates=tuple(candidates),
                locations=builtin.locations,
                diagnosis=None if candidates else builtin.diagnosis,
            )
        return RepairResult(candidates=tuple(candidates), locations=(), diagnosis=None)


def _role_of(template: str) -> str | None:
    """The role in a model candidate's template (`model:<role>[+repairN][+tests]`)."""
    if not template.startswith("model:"):
        return None
    return template.removeprefix("model:").split("+", 1)[0] or None


def _label(provider: Provider) -> str:
    return f"{provider.name}:{provider.model}"


def _sections(patch: str) -> dict[str, str]:
    """The per-file parts of a unified diff (as render_patch writes it), by repo path."""
    out: dict[str, str] = {}
    path: str | None = None
    for line in patch.splitlines(keepends=True):
        if line.startswith("diff --git "):
            path = line.rstrip("\n").split(" b/", 1)[-1]
            out[path] = ""
        elif path is None and line.startswith("+++ "):  # a bare diff without `diff --git` headers
            path = line[4:].split("\t")[0].strip().removeprefix("b/")
            out[path] = ""
        if path is not None:
            out[path] += line
    return out


def _is_new(section: str) -> bool:
    return "\nnew file mode" in section or "\n--- /dev/null" in section


def _is_test(path: str, test_path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path == test_path or name.startswith("test_") or name.endswith("_test.py")


def _failure_text(validation: Validation) -> str:
    """What the validation of the failed patch said: reason, test states, regressions, output tail."""
    lines = [
        f"Reason: {validation.reason or 'no details'}",
        f"Patch applied: {'yes' if validation.applied else 'no'}; "
        f"tests before: {validation.tests_before}; tests after: {validation.tests_after}",
    ]
    if validation.reproduced_before is not None or validation.fixed_after is not None:
        lines.append(
            f"Failure reproduced before the patch: {validation.reproduced_before}; "
            f"gone after it: {validation.fixed_after}"
        )
    if validation.regressions:
        lines.append(
            "Tests that passed before and fail with the patch: " + ", ".join(validation.regressions[:20])
        )
    if validation.output_tail:
        lines += ["Test output (tail):", validation.output_tail[-_MAX_FAILURE_OUTPUT:]]
    return "\n".join(lines)


def _renamed(art: Artefact) -> str:
    stem = (art.path or "tests/test_generated.py").removesuffix(".py")
    return f"{stem}_{art.role.replace('-', '_')}.py"
