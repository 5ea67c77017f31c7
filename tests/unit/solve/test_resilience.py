"""Retries, backoff with jitter, circuit breaker, response cache and metrics."""

from __future__ import annotations

import random

import pytest

from hephaestus.errors import PermanentError, RetryableError
from hephaestus.solve.providers import CallableProvider, ModelRequest, map_sdk_error
from hephaestus.solve.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    Metrics,
    ResilientCaller,
    ResponseCache,
)

REQ = ModelRequest(role="r", system="s", user="u", temperature=0.0)


class Flaky:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures, self.calls = failures, 0

    def __call__(self, _request: ModelRequest) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def _caller(**kw: object) -> tuple[ResilientCaller, list[float]]:
    sleeps: list[float] = []
    caller = ResilientCaller(sleep=sleeps.append, rng=random.Random(1), **kw)  # type: ignore[arg-type]
    return caller, sleeps


def test_retries_only_retryable_errors_with_jittered_backoff() -> None:
    flaky = Flaky([RetryableError("503"), RetryableError("429")])
    caller, sleeps = _caller(retries=2, backoff_s=0.1)
    response = caller.call(CallableProvider(name="p", model="m", fn=flaky), REQ)
    assert response.text == "ok"
    assert flaky.calls == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.1
    assert 0 <= sleeps[1] <= 0.2
    assert caller.metrics.snapshot()["p:m"]["retries"] == 2
    permanent = Flaky([PermanentError("400")])
    with pytest.raises(PermanentError):
        caller.call(CallableProvider(name="q", model="m", fn=permanent), REQ)
    assert permanent.calls == 1


def test_exhausted_retries_and_open_breaker() -> None:
    caller, _ = _caller(retries=1, breaker_failures=2, breaker_reset_s=3600)
    down = Flaky([RetryableError("503")] * 10)
    provider = CallableProvider(name="down", model="m", fn=down)
    with pytest.raises(RetryableError, match="gave up after 2 attempts"):
        caller.call(provider, REQ)
    assert caller.breaker("down").state == "open"
    with pytest.raises(CircuitOpenError):
        caller.call(provider, REQ)
    assert down.calls == 2  # the open breaker made no call


def test_breaker_half_open_trial() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, reset_s=10, clock=lambda: now[0])
    breaker.failure()
    assert breaker.state == "open"
    assert not breaker.allow()
    now[0] = 11
    assert breaker.state == "half-open"
    assert breaker.allow()
    assert not breaker.allow()
    breaker.failure()
    assert breaker.state == "open"
    now[0] = 30
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed"


def test_cache_by_prompt_hash() -> None:
    caller, _ = _caller(cache=ResponseCache(entries=1), metrics=Metrics())
    counter = Flaky([])
    provider = CallableProvider(name="p", model="m", fn=counter)
    assert not caller.call(provider, REQ).cached
    assert caller.call(provider, REQ).cached
    other = ModelRequest(role="r", system="s", user="different", temperature=0.0)
    caller.call(provider, other)  # evicts REQ (1 entry)
    assert not caller.call(provider, REQ).cached
    assert counter.calls == 3
    assert caller.metrics.snapshot()["p:m"]["cache_hits"] == 1


class _StatusError(Exception):
    def __init__(self, status: int) -> None:
        self.status_code = status


class APITimeoutError(Exception):
    pass


def test_sdk_error_mapping() -> None:
    assert isinstance(map_sdk_error(_StatusError(429), provider="p"), RetryableError)
    assert isinstance(map_sdk_error(_StatusError(503), provider="p"), RetryableError)
    assert isinstance(map_sdk_error(_StatusError(401), provider="p"), PermanentError)
    assert isinstance(map_sdk_error(APITimeoutError(), provider="p"), RetryableError)
    assert isinstance(map_sdk_error(ValueError("x"), provider="p"), PermanentError)
