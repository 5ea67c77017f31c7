"""A local LLM stub speaking the OpenAI Chat Completions and Anthropic Messages wire formats.

Fed scripted replies and injected faults (429/503/slow responses) by tests and the bench; feeds
the official SDK clients over real HTTP on 127.0.0.1 and records every request it received.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Fault", "RecordedRequest", "Reply", "StubLLMServer"]

Reply = Callable[["RecordedRequest"], str]
"""Computes the assistant text for one request (default: echoes a fixed string)."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stub received it: wire format, path, headers and JSON body."""

    api: str  # "openai" or "anthropic"
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    started: float
    finished: float = 0.0

    @property
    def text(self) -> str:
        """Every prompt string of the request (system and messages), joined."""
        parts: list[str] = []
        system = self.body.get("system")
        if isinstance(system, str):
            parts.append(system)
        elif isinstance(system, list):
            parts.extend(str(b.get("text", "")) for b in system if isinstance(b, dict))
        for message in self.body.get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts.extend(str(b.get("text", "")) for b in content if isinstance(b, dict))
        return "\n".join(parts)

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))


@dataclass
class Fault:
    """Answer the next `times` matching requests with `status` (0 = stall `delay_s`, then answer)."""

    status: int = 503
    times: int = 1
    api: str | None = None
    model: str | None = None
    delay_s: float = 0.0


@dataclass
class _State:
    reply: Reply
    faults: list[Fault] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _default_reply(_request: RecordedRequest) -> str:
    return "stub reply"


class StubLLMServer:
    """ThreadingHTTPServer on 127.0.0.1:<ephemeral>; use as a context manager.

    OpenAI clients use `openai_base_url` (…/v1), Anthropic clients `anthropic_base_url`.
    """

    def __init__(self, *, reply: Reply | None = None, latency_s: float = 0.0) -> None:
        self._state = _State(reply=reply or _default_reply)
        self.latency_s = latency_s
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="stub-llm", daemon=True)

    # --- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> StubLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- scripting -----------------------------------------------------------------------------
    def set_reply(self, reply: Reply) -> None:
        self._state.reply = reply

    def inject(self, fault: Fault) -> None:
        with self._state.lock:
            self._state.faults.append(fault)

    def clear_faults(self) -> None:
        with self._state.lock:
            self._state.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def _take_fault(self, api: str, model: str) -> Fault | None:
        with self._state.lock:
            for fault in self._state.faults:
                if (fault.api in (None, api)) and (fault.model in (None, model)) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                stub._serve(self)

        return Handler

    # --- serving -------------------------------------------------------------------------------
    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._json(h, 400, {"error": {"type": "invalid_request_error", "message": "bad json"}})
            return
        path = h.path.split("?")[0]
        api = "anthropic" if path.endswith("/messages") else "openai" if path.endswith("/completions") else ""
        if not api:
            self._json(h, 404, {"error": {"type": "not_found_error", "message": f"no route {path}"}})
            return
        request = RecordedRequest(
            api=api,
            path=path,
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
            started=time.perf_counter(),
        )
        with self._state.lock:
            self._state.requests.append(request)
        fault = self._take_fault(api, request.model)
        if fault is not None and fault.delay_s:
            time.sleep(fault.delay_s)
        if fault is not None and fault.status:
            kind = "rate_limit_error" if fault.status == 429 else "overloaded_error"
            self._json(h, fault.status, {"type": "error", "error": {"type": kind, "message": "injected"}})
            return
        if self.latency_s:
            time.sleep(self.latency_s)
        text = self._state.reply(request)
        if body.get("stream"):
            events = (
                self._openai_stream(body, text) if api == "openai" else self._anthropic_stream(body, text)
            )
            self._sse(h, events)
        else:
            payload = self._openai_body(body, text) if api == "openai" else self._anthropic_body(body, text)
            self._json(h, 200, payload)

    @staticmethod
    def _usage(body: dict[str, Any], text: str) -> tuple[int, int]:
        prompt = len(json.dumps(body.get("messages", []))) // 4 + len(str(body.get("system", ""))) // 4
        return max(1, prompt), max(1, len(text) // 4)

    def _openai_body(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        p, c = self._usage(body, text)
        return {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
        }

    def _anthropic_body(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        p, c = self._usage(body, text)
        return {
            "id": "msg_stub",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": p, "output_tokens": c},
        }

    def _openai_stream(self, body: dict[str, Any], text: str) -> Iterator[tuple[str | None, str]]:
        p, c = self._usage(body, text)
        base = {
            "id": "chatcmpl-stub",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": body["model"],
        }
        yield None, json.dumps({**base, "choices": [{"index": 0, "delta": {"role": "assistant"}}]})
        for piece in _chunks(text):
            yield None, json.dumps({**base, "choices": [{"index": 0, "delta": {"content": piece}}]})
        yield None, json.dumps({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
            yield None, json.dumps({**base, "choices": [], "usage": usage})
        yield None, "[DONE]"

    def _anthropic_stream(self, body: dict[str, Any], text: str) -> Iterator[tuple[str | None, str]]:
        p, c = self._usage(body, text)
        message = {**self._anthropic_body(body, ""), "content": [], "stop_reason": None}
        message["usage"] = {"input_tokens": p, "output_tokens": 0}
        yield "message_start", json.dumps({"type": "message_start", "message": message})
        block = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
        yield "content_block_start", json.dumps(block)
        for piece in _chunks(text):
            delta = {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": piece},
            }
            yield "content_block_delta", json.dumps(delta)
        yield "content_block_stop", json.dumps({"type": "content_block_stop", "index": 0})
        end = {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": c},
        }
        yield "message_delta", json.dumps(end)
        yield "message_stop", json.dumps({"type": "message_stop"})

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        if status == 429:
            h.send_header("retry-after-ms", "1")
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def _sse(h: BaseHTTPRequestHandler, events: Iterator[tuple[str | None, str]]) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Connection", "close")
        h.end_headers()
        for name, data in events:
            frame = (f"event: {name}\n" if name else "") + f"data: {data}\n\n"
            h.wfile.write(frame.encode())
            h.wfile.flush()
        h.close_connection = True


def _chunks(text: str, size: int = 24) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]
