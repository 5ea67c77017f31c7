"""Model providers behind one interface: OpenAI Chat Completions (and compatible local servers),
Anthropic Messages, and any callable (MCP sampling). SDK errors map to Retryable/PermanentError.

Fed redacted ModelRequests by the composer's resilient caller; feeds it ModelResponses with
token counts and latency.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from hephaestus.errors import PermanentError, RetryableError

__all__ = [
    "AnthropicProvider",
    "CallableProvider",
    "ModelRequest",
    "ModelResponse",
    "OpenAIProvider",
    "Provider",
    "map_sdk_error",
]

_RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


@dataclass(frozen=True)
class ModelRequest:
    """One prompt for one role; `system` and `user` are already redacted and fenced."""

    role: str
    system: str
    user: str
    temperature: float
    max_tokens: int = 2048


@dataclass(frozen=True)
class ModelResponse:
    text: str
    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: float = 0.0
    cached: bool = False

    @property
    def producer(self) -> str:
        """`<provider>:<model>`, the value Candidate.provider carries."""
        return f"{self.provider}:{self.model}"


class Provider(Protocol):
    """What the composer needs of a model endpoint."""

    @property
    def name(self) -> str: ...
    @property
    def model(self) -> str: ...
    def complete(self, request: ModelRequest) -> ModelResponse: ...


def map_sdk_error(exc: Exception, *, provider: str) -> RetryableError | PermanentError:
    """Classify an openai/anthropic SDK exception: transient (timeouts, 429, 5xx) or not."""
    status = getattr(exc, "status_code", None)
    kind = type(exc).__name__
    if isinstance(status, int):
        message = f"{provider}: HTTP {status} ({kind})"
        return RetryableError(message) if status in _RETRYABLE_STATUS else PermanentError(message)
    if kind in {"APITimeoutError", "APIConnectionError", "TimeoutException", "ConnectError"}:
        return RetryableError(f"{provider}: {kind}")
    return PermanentError(f"{provider}: {kind}: {exc}")


class OpenAIProvider:
    """Chat Completions through the official `openai` SDK; `base_url` selects a compatible server
    (Ollama, vLLM, llama.cpp). The SDK's own retries are off: the composer retries."""

    def __init__(
        self,
        *,
        name: str,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        stream: bool = False,
    ) -> None:
        from openai import OpenAI  # noqa: PLC0415 - imported only when a model is configured

        self._name, self._model, self.stream = name, model, stream
        self._client = OpenAI(
            api_key=api_key or "hephaestus-no-key", base_url=base_url, timeout=timeout_s, max_retries=0
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: ModelRequest) -> ModelResponse:
        import openai  # noqa: PLC0415

        messages: list[Any] = [
            {"role": "system", "content": request.system},
            {"role": "user", "content": request.user},
        ]
        started = time.perf_counter()
        try:
            if self.stream:
                text, tin, tout = self._stream(messages, request)
            else:
                out = self._client.chat.completions.create(
                    model=self._model,
                    messages=messages,
                    temperature=request.temperature,
                    max_tokens=request.max_tokens,
                )
                text = (out.choices[0].message.content or "") if out.choices else ""
                tin = out.usage.prompt_tokens if out.usage else 0
                tout = out.usage.completion_tokens if out.usage else 0
        except openai.OpenAIError as exc:
            raise map_sdk_error(exc, provider=self._name) from exc
        latency = (time.perf_counter() - started) * 1000
        return ModelResponse(text, self._name, self._model, tin, tout, latency)

    def _stream(self, messages: list[Any], request: ModelRequest) -> tuple[str, int, int]:
        parts: list[str] = []
        tin = tout = 0
        stream = self._client.chat.completions.create(
            model=self._model,
            messages=messages,
            temperature=request.temperature,
            max_tokens=request.max_tokens,
            stream=True,
            stream_options={"include_usage": True},
        )
        with stream:
            for chunk in stream:
                if chunk.usage is not None:
                    tin, tout = chunk.usage.prompt_tokens, chunk.usage.completion_tokens
                for choice in chunk.choices:
                    if choice.delta.content:
                        parts.append(choice.delta.content)
        return "".join(parts), tin, tout


class AnthropicProvider:
    """Messages API through the official `anthropic` SDK (non-streaming or streaming events)."""

    def __init__(
        self,
        *,
        name: str,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        stream: bool = False,
        send_temperature: bool = False,
    ) -> None:
        from anthropic import Anthropic  # noqa: PLC0415

        self._name, self._model, self.stream = name, model, stream
        self.send_temperature = send_temperature
        self._client = Anthropic(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0)

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: ModelRequest) -> ModelResponse:
        import anthropic  # noqa: PLC0415

        messages: list[Any] = [{"role": "user", "content": request.user}]
        started = time.perf_counter()
        try:
            if self.stream:
                text, tin, tout = self._stream(messages, request)
            else:
                out = self._client.messages.create(
                    model=self._model,
                    max_tokens=request.max_tokens,
                    system=request.system,
                    messages=messages,
                    extra_body=self._extra(request),
                )
                text = "".join(getattr(b, "text", "") for b in out.content if b.type == "text")
                tin, tout = out.usage.input_tokens, out.usage.output_tokens
        except anthropic.AnthropicError as exc:
            raise map_sdk_error(exc, provider=self._name) from exc
        latency = (time.perf_counter() - started) * 1000
        return ModelResponse(text, self._name, self._model, tin, tout, latency)

    def _extra(self, request: ModelRequest) -> dict[str, Any] | None:
        # anthropic 2.x dropped `temperature` from Messages.create; send it raw only when asked.
        return {"temperature": request.temperature} if self.send_temperature else None

    def _stream(self, messages: list[Any], request: ModelRequest) -> tuple[str, int, int]:
        parts: list[str] = []
        tin = tout = 0
        events = self._client.messages.create(
            model=self._model,
            max_tokens=request.max_tokens,
            system=request.system,
            messages=messages,
            extra_body=self._extra(request),
            stream=True,
        )
        with events:
            for event in events:
                if event.type == "message_start":
                    tin = event.message.usage.input_tokens
                elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                    parts.append(event.delta.text)
                elif event.type == "message_delta":
                    tout = event.usage.output_tokens
        return "".join(parts), tin, tout


class CallableProvider:
    """Wraps `fn(request) -> text` (MCP sampling, tests); `fn` may raise Retryable/PermanentError."""

    def __init__(self, *, name: str, model: str, fn: Callable[[ModelRequest], str]) -> None:
        self._name, self._model, self._fn = name, model, fn

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: ModelRequest) -> ModelResponse:
        started = time.perf_counter()
        text = self._fn(request)
        latency = (time.perf_counter() - started) * 1000
        return ModelResponse(text, self._name, self._model, 0, len(text) // 4, latency)
