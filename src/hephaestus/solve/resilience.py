"""Resilient model calls: response cache by prompt hash, circuit breaker per provider, retries
with exponential backoff and full jitter on retryable errors only, and token/latency metrics.

Fed (Provider, ModelRequest) pairs by the composer; feeds it ModelResponses or raises
RetryableError (exhausted / circuit open) or PermanentError (never retried).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from hephaestus.errors import PermanentError, RetryableError
from hephaestus.solve.providers import ModelRequest, ModelResponse, Provider

__all__ = ["CircuitBreaker", "CircuitOpenError", "Metrics", "ResilientCaller", "ResponseCache", "prompt_key"]


class CircuitOpenError(RetryableError):
    """The provider's breaker is open: calls are refused until its reset time passes."""


class CircuitBreaker:
    """closed -> (N consecutive failures) -> open -> (reset_s later) half-open -> one trial call."""

    def __init__(
        self, *, failures: int = 3, reset_s: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failures, self.reset_s, self._clock = failures, reset_s, clock
        self._count = 0
        self._opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self.reset_s else "open"

    def allow(self) -> bool:
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._trial:
                self._trial = True
                return True
            return False

    def success(self) -> None:
        with self._lock:
            self._count, self._opened_at, self._trial = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self._count += 1
            if self._trial or self._count >= self.failures:
                self._opened_at, self._trial = self._clock(), False


def prompt_key(provider: str, model: str, request: ModelRequest) -> str:
    payload = "\x1f".join(
        [provider, model, request.system, request.user, f"{request.temperature:.3f}", str(request.max_tokens)]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ResponseCache:
    """A bounded, thread-safe LRU of responses keyed by prompt hash (0 entries = disabled)."""

    def __init__(self, *, entries: int = 256) -> None:
        self.entries = entries
        self._data: OrderedDict[str, ModelResponse] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> ModelResponse | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: str, response: ModelResponse) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._data[key] = response
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


@dataclass
class _Counter:
    calls: int = 0
    failures: int = 0
    retries: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: list[float] = field(default_factory=list)


class Metrics:
    """Per provider:model counters: calls, failures, retries, cache hits, tokens, latency."""

    def __init__(self) -> None:
        self._data: dict[str, _Counter] = {}
        self._lock = threading.Lock()

    def _get(self, label: str) -> _Counter:
        return self._data.setdefault(label, _Counter())

    def record(self, label: str, **delta: float) -> None:
        with self._lock:
            counter = self._get(label)
            for name, value in delta.items():
                if name == "latency_ms":
                    counter.latency_ms.append(float(value))
                else:
                    setattr(counter, name, getattr(counter, name) + int(value))

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            out: dict[str, dict[str, Any]] = {}
            for label, c in self._data.items():
                lat = sorted(c.latency_ms)
                out[label] = {
                    "calls": c.calls,
                    "failures": c.failures,
                    "retries": c.retries,
                    "cache_hits": c.cache_hits,
                    "input_tokens": c.input_tokens,
                    "output_tokens": c.output_tokens,
                    "latency_ms_total": round(sum(lat), 3),
                    "latency_ms_p50": round(lat[len(lat) // 2], 3) if lat else None,
                }
            return out


class ResilientCaller:
    """Calls providers through cache -> breaker -> retries; one breaker per provider name."""

    def __init__(
        self,
        *,
        retries: int = 2,
        backoff_s: float = 0.5,
        max_backoff_s: float = 8.0,
        breaker_failures: int = 3,
        breaker_reset_s: float = 30.0,
        cache: ResponseCache | None = None,
        metrics: Metrics | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.retries, self.backoff_s, self.max_backoff_s = retries, backoff_s, max_backoff_s
        self._breaker_args = (breaker_failures, breaker_reset_s)
        self.cache = cache or ResponseCache(entries=0)
        self.metrics = metrics or Metrics()
        self._sleep, self._rng = sleep, rng or random.Random()
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def breaker(self, provider: str) -> CircuitBreaker:
        with self._lock:
            if provider not in self._breakers:
                failures, reset_s = self._breaker_args
                self._breakers[provider] = CircuitBreaker(failures=failures, reset_s=reset_s)
            return self._breakers[provider]

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**attempt)]."""
        return self._rng.uniform(0, min(self.max_backoff_s, self.backoff_s * (2**attempt)))

    def call(self, provider: Provider, request: ModelRequest) -> ModelResponse:
        label = f"{provider.name}:{provider.model}"
        key = prompt_key(provider.name, provider.model, request)
        hit = self.cache.get(key)
        if hit is not None:
            self.metrics.record(label, cache_hits=1)
            return replace(hit, cached=True, latency_ms=0.0)
        breaker = self.breaker(provider.name)
        attempt = 0
        while True:
            if not breaker.allow():
                self.metrics.record(label, failures=1)
                raise CircuitOpenError(f"{provider.name}: circuit open after repeated failures")
            try:
                response = provider.complete(request)
            except RetryableError as exc:
                breaker.failure()
                self.metrics.record(label, calls=1, failures=1)
                if attempt >= self.retries:
                    raise RetryableError(f"{exc} (gave up after {attempt + 1} attempts)") from exc
                self.metrics.record(label, retries=1)
                self._sleep(self.backoff(attempt))
                attempt += 1
                continue
            except PermanentError:
                # a refused request says nothing about the provider's health
                self.metrics.record(label, calls=1, failures=1)
                raise
            breaker.success()
            self.metrics.record(
                label,
                calls=1,
                input_tokens=response.input_tokens,
                output_tokens=response.output_tokens,
                latency_ms=response.latency_ms,
            )
            self.cache.put(key, response)
            return response
