"""The composer driving the real openai/anthropic SDK clients against the local stub server:
planned order and parallelism, secrets never leaving the process, outages and fallbacks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hephaestus.records import Issue
from hephaestus.repair import RepairEngine
from hephaestus.settings import load_settings
from hephaestus.solve import Composer, ModelRequest, load_roles
from hephaestus.solve.testing import Fault, RecordedRequest, StubLLMServer
from hephaestus.validate import Validator, solve_offline
from tests.support.shop import copy_shop, env_for, role_of, scripted
from tests.support.shop import shop_issue as example_issue


@pytest.fixture(scope="module")
def shop_issue(tmp_path_factory: pytest.TempPathFactory) -> Issue:
    return example_issue(load_settings(data_dir=str(tmp_path_factory.mktemp("data"))))


@pytest.fixture
def shop_repo(tmp_path: Path) -> Path:
    return copy_shop(tmp_path / "shop")


@pytest.fixture
def stub() -> Iterator[StubLLMServer]:
    with StubLLMServer(reply=scripted) as server:
        yield server


def validator() -> Validator:
    return Validator(test_cmd="python -m pytest -q -p no:cacheprovider", timeout_s=120)


def test_roles_run_in_plan_order_and_in_parallel(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    barrier = threading.Barrier(2, timeout=20)  # both analyzers must be in flight at once

    def reply(request: RecordedRequest) -> str:
        if role_of(request).endswith("analyzer"):
            barrier.wait()
        return scripted(request)

    stub.set_reply(reply)
    composer = Composer(env=env_for(stub))
    comp = composer.compose(shop_issue, shop_repo)
    assert not barrier.broken
    roles = [role_of(r) for r in stub.requests]
    stage_of = {role: s.index for s in composer.plan.stages for role in s.roles}
    assert [stage_of[r] for r in roles] == sorted(stage_of[r] for r in roles)  # stage order respected
    assert roles.index("unit-test-gen") < roles.index("integration-test-gen")
    assert {o.status for o in comp.outcomes.values()} == {"model"}
    # who produced what: codellama -> local endpoint, gpt-4 -> openai, claude-3 -> anthropic
    assert comp.outcomes["syntax-fixer"].producer == "local:codellama:13b"
    assert comp.outcomes["logic-fixer"].producer == "openai:gpt-4o"
    assert comp.outcomes["doc-writer"].producer == "anthropic:claude-3-5-sonnet-latest"
    models = {(r.api, r.model) for r in stub.requests}
    assert ("anthropic", "claude-3-5-sonnet-latest") in models
    assert ("openai", "codellama:13b") in models
    cands = comp.result.candidates
    assert cands[0].kind == "model"
    assert cands[0].provider == "local:codellama:13b"
    assert cands[0].test_path == "tests/test_model_empty_orders.py"
    assert "divides by len(orders)" in cands[0].explanation  # doc-writer's text
    # the fixer saw the analyzers' artefacts
    fixer = next(r for r in stub.requests if role_of(r) == "logic-fixer")
    assert "logic-analyzer: average_order_value divides" in fixer.text


def test_model_fix_is_validated_with_its_provider(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    solution, _ = solve_offline(
        shop_issue, shop_repo, engine=Composer(env=env_for(stub)), validator=validator()
    )
    assert solution is not None
    assert solution.status == "validated"
    assert solution.provider == "local:codellama:13b"
    assert solution.template == "model:syntax-fixer+tests"
    assert "tests/test_model_empty_orders.py" in solution.patch


def test_planted_secrets_never_reach_the_stub(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    planted = {
        "Hunter2Secret": "password=Hunter2Secret",
        "AKIAIOSFODNN7EXAMPLE": "aws key AKIAIOSFODNN7EXAMPLE",
        "sk-live-abcdefghijklmnopqrstuv": "token sk-live-abcdefghijklmnopqrstuv",
        "s3cr3tPw": "postgres://admin:s3cr3tPw@db:5432/shop",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk",
    }
    leaky = shop_issue.model_copy(
        update={
            "message": f"{shop_issue.message} ({planted['Hunter2Secret']})",
            "stack_trace": f"{shop_issue.stack_trace}\nconnecting {planted['s3cr3tPw']}",
        }
    )
    pricing = shop_repo / "shop/pricing.py"
    pricing.write_text(
        pricing.read_text() + f'\nGITHUB = "{planted["ghp_abcdefghijklmnopqrstuvwxyz0123456789"]}"\n'
    )
    logs = [
        planted["AKIAIOSFODNN7EXAMPLE"],
        f"Authorization: Bearer {planted['sk-live-abcdefghijklmnopqrstuv']}",
        planted["eyJzdWIiOiIxMjM0NTY3ODkwIn0"],
    ]
    comp = Composer(env=env_for(stub)).compose(leaky, shop_repo, related_logs=logs)
    assert comp.redactions >= len(planted)
    assert len(stub.requests) == 7
    for request in stub.requests:
        wire = str(request.body)
        for secret in planted:
            assert secret not in wire, (secret, role_of(request))
    assert "[REDACTED" in stub.requests[0].text


def test_openai_outage_opens_breaker_and_builtin_still_fixes(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    stub.inject(Fault(status=503, times=1000, api="openai"))
    stub.inject(Fault(status=503, times=1000, api="anthropic"))
    env = env_for(stub)
    composer = Composer(env=env)
    solution, _ = solve_offline(shop_issue, shop_repo, engine=composer, validator=validator())
    assert composer.caller.breaker("openai").state == "open"
    assert composer.caller.breaker("anthropic").state == "open"
    assert solution is not None
    assert solution.status == "validated"
    assert solution.provider == "builtin"
    openai_calls = [r for r in stub.requests if r.api == "openai"]
    d = composer.config.defaults
    # once open, the breaker refuses calls: far fewer than roles x chain x attempts
    assert len(openai_calls) < 7 * 2 * (d.retries + 1)


def test_rate_limit_is_retried_then_succeeds(stub: StubLLMServer, shop_issue: Issue, shop_repo: Path) -> None:
    config = load_roles().model_copy(
        update={"defaults": load_roles().defaults.model_copy(update={"backoff_s": 0.0, "stream": True})}
    )
    stub.inject(Fault(status=429, times=2, api="openai", model="gpt-4o"))
    comp = Composer(config=config, env=env_for(stub)).compose(shop_issue, shop_repo)
    assert comp.outcomes["logic-analyzer"].status == "model"
    assert comp.outcomes["logic-fixer"].producer == "openai:gpt-4o"
    assert all(r.body.get("stream") for r in stub.requests)  # SSE on both wire formats
    assert comp.outcomes["doc-writer"].output_tokens > 0  # anthropic streaming usage


def test_timeout_falls_through_the_chain(stub: StubLLMServer, shop_issue: Issue, shop_repo: Path) -> None:
    base = load_roles()
    config = base.model_copy(
        update={
            "defaults": base.defaults.model_copy(update={"timeout_s": 0.5, "retries": 0, "backoff_s": 0.0})
        }
    )
    stub.inject(Fault(status=0, delay_s=2.0, times=1000, model="codellama:13b"))
    comp = Composer(config=config, env=env_for(stub)).compose(shop_issue, shop_repo)
    assert comp.outcomes["syntax-analyzer"].producer == "openai:gpt-4o"  # fallback model type
    assert any("codellama" in e for e in comp.outcomes["syntax-analyzer"].errors)


def test_malformed_output_falls_back_to_builtin(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    stub.set_reply(lambda r: "Just add a check somewhere." if role_of(r).endswith("fixer") else scripted(r))
    comp = Composer(env=env_for(stub)).compose(shop_issue, shop_repo)
    fixer = comp.outcomes["logic-fixer"]
    assert fixer.status == "builtin"
    assert any("no SEARCH/REPLACE" in e for e in fixer.errors)
    assert comp.result.candidates
    assert all(c.provider == "builtin" for c in comp.result.candidates)


def test_no_credentials_is_the_builtin_engine_unchanged(shop_issue: Issue, shop_repo: Path) -> None:
    composer = Composer(env={})
    assert not composer.uses_models
    ours = composer.propose(shop_issue, shop_repo)
    theirs = RepairEngine().propose(shop_issue, shop_repo)
    assert ours == theirs


def test_cache_answers_a_repeated_composition(
    stub: StubLLMServer, shop_issue: Issue, shop_repo: Path
) -> None:
    composer = Composer(env=env_for(stub))
    composer.compose(shop_issue, shop_repo, related_logs=[])
    first = len(stub.requests)
    # the nonce differs per run, so prompts differ: the cache is keyed by the exact prompt
    again = composer.caller.call(composer._providers["gpt-4"], _request())
    repeat = composer.caller.call(composer._providers["gpt-4"], _request())
    assert not again.cached
    assert repeat.cached
    assert len(stub.requests) == first + 1


def _request() -> ModelRequest:
    return ModelRequest(role="logic-analyzer", system="You are logic-analyzer.", user="u", temperature=0.0)
