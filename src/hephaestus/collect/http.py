"""HTTP ingest: `POST /ingest` takes NDJSON, a JSON array or plain text lines (gzip allowed).

Fed request bodies through the API app (`serve`) or the collector's HttpSource; feeds RawLogs to a
PushSource and answers only once the bus has them (429/503 with Retry-After when it cannot now).
"""

from __future__ import annotations

import asyncio
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hephaestus.collect.push import NO_METADATA, PushSource
from hephaestus.errors import BackpressureError, RetryableError
from hephaestus.process.multiline import MultilineAssembler
from hephaestus.records import RawLog, RawMetadata

__all__ = ["INGEST_PATH", "Decoded", "IngestError", "decode_body", "ingest_endpoint"]

INGEST_PATH = "/ingest"
NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)
_MESSAGE_KEYS = ("message", "msg", "log")
_EXTRA_KEYS = ("exc_text", "stack_trace")  # appended to the message on their own lines


class IngestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Decoded:
    raws: list[RawLog] = field(default_factory=list)
    dead: list[tuple[bytes, str]] = field(default_factory=list)  # (value, reason)


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise IngestError(400, f"body is not valid gzip: {exc}") from None
    if len(out) > max_bytes:
        raise IngestError(413, f"decompressed body larger than {max_bytes} bytes")
    if not inflater.eof:
        raise IngestError(400, "gzip body is truncated")
    return out


def _when(value: Any, now: datetime) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        stamp = datetime.fromisoformat(value)
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return now


def _record(obj: Any, peer: str, now: datetime) -> RawLog:
    """A RawLog from one JSON value: a string (the message) or an object with a message field."""
    if isinstance(obj, str):
        return RawLog(timestamp=now, source="http", host=peer, message=obj, metadata=NO_METADATA)
    if not isinstance(obj, dict):
        raise ValueError(f"a record must be an object or a string, not {type(obj).__name__}")
    message = next((obj[k] for k in _MESSAGE_KEYS if isinstance(obj.get(k), str)), None)
    if message is None:
        raise ValueError("record has no string 'message'")
    for key in _EXTRA_KEYS:
        if isinstance(obj.get(key), str) and obj[key]:
            message = f"{message}\n{obj[key]}"
    pid = obj.get("pid", obj.get("process_id"))
    thread = obj.get("thread", obj.get("thread_id"))
    trace = obj.get("trace_id")
    return RawLog(
        timestamp=_when(obj.get("timestamp"), now),
        source=str(obj.get("source") or obj.get("application") or "http"),
        host=str(obj.get("host") or peer),
        level=str(obj["level"]) if obj.get("level") else None,
        message=message,
        metadata=RawMetadata(
            process_id=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            thread_id=str(thread) if thread is not None else None,
            trace_id=str(trace) if trace else None,
        )
        if pid is not None or thread is not None or trace
        else NO_METADATA,
    )


def decode_body(
    body: bytes,
    *,
    content_type: str,
    content_encoding: str = "",
    max_bytes: int = 8 * 1024 * 1024,
    peer: str = "unknown",
    max_record_lines: int = 500,
) -> Decoded:
    """Records from a request body; a record that cannot be made goes to `dead` with the reason.

    NDJSON (one JSON value per line), `application/json` (an array, or one object) and `text/plain`
    (lines, a stack trace's lines joined to its record); `Content-Encoding: gzip` is inflated up to
    `max_bytes`. IngestError(400/413/415) for a body that cannot be read at all."""
    encoding = content_encoding.strip().lower()
    if encoding in {"gzip", "x-gzip", "deflate"}:
        body = _gunzip(body, max_bytes)
    elif encoding not in {"", "identity"}:
        raise IngestError(415, f"unsupported Content-Encoding: {encoding}")
    elif len(body) > max_bytes:
        raise IngestError(413, f"body larger than {max_bytes} bytes")
    kind = content_type.split(";", 1)[0].strip().lower() or "text/plain"
    now = datetime.now(UTC)
    out = Decoded()
    if kind in NDJSON_TYPES:
        for line in body.splitlines():
            if not line.strip():
                continue
            try:
                out.raws.append(_record(orjson.loads(line), peer, now))
            except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
                out.dead.append((line, f"http ingest: {exc}"))
    elif kind == "application/json":
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise IngestError(400, f"body is not valid JSON: {exc}") from None
        for item in data if isinstance(data, list) else [data]:
            try:
                out.raws.append(_record(item, peer, now))
            except (ValueError, TypeError) as exc:
                out.dead.append((orjson.dumps(item), f"http ingest: {exc}"))
    elif kind == "text/plain":
        assembler = MultilineAssembler(max_lines=max_record_lines)
        texts = body.decode("utf-8", errors="replace").splitlines()
        records = [r for n, t in enumerate(texts, 1) for r in assembler.feed(t, line_no=n)]
        for rec in [*records, *assembler.flush()]:
            if rec.text.strip():
                raw = RawLog(timestamp=now, source="http", host=peer, message=rec.text, metadata=NO_METADATA)
                out.raws.append(raw)
    else:
        raise IngestError(415, f"unsupported Content-Type: {kind} (NDJSON, application/json or text/plain)")
    return out


def _error(status: int, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"cache-control": "no-store"}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def ingest_endpoint(
    source: Callable[[], PushSource],
    *,
    max_bytes: int,
    ack_timeout_s: float = 30.0,
    healthy: Callable[[], str | None] = lambda: None,
) -> Callable[[Request], Awaitable[Response]]:
    """The POST /ingest handler over the PushSource `source()` returns (made on first use).

    `healthy()` returns the bus's current failure, if any (then 503). An `Idempotency-Key` header
    makes a retried body produce the same record ids, so the analyzer counts its errors once."""

    async def ingest(request: Request) -> Response:
        peer = request.client.host if request.client else "unknown"
        body = await request.body()
        try:
            decoded = await anyio.to_thread.run_sync(
                lambda: decode_body(
                    body,
                    content_type=request.headers.get("content-type", ""),
                    content_encoding=request.headers.get("content-encoding", ""),
                    max_bytes=max_bytes,
                    peer=peer,
                )
            )
        except IngestError as exc:
            return _error(exc.status, str(exc))
        failure = healthy()
        if failure is not None:
            return _error(503, f"the bus is not accepting records: {failure}", retry_after=5)
        push = source()
        key = request.headers.get("idempotency-key", "")[:100] or uuid.uuid4().hex
        origins = [f"http:{key}#{i}" for i in range(len(decoded.raws))]
        try:
            ticket = push.offer(decoded.raws, origins, timeout=0.0)
        except BackpressureError:
            return _error(429, "ingest buffer full, retry later", retry_after=1)
        except RetryableError as exc:
            return _error(503, str(exc), retry_after=5)
        for value, reason in decoded.dead:
            push.offer_dead(value, reason)
        try:
            accepted = await asyncio.wait_for(asyncio.wrap_future(ticket), ack_timeout_s)
        except TimeoutError:
            return _error(503, f"records not durable within {ack_timeout_s:g} s; retry", retry_after=5)
        except RetryableError as exc:
            return _error(503, str(exc), retry_after=5)
        return JSONResponse({"accepted": accepted, "dead_letters": len(decoded.dead)})

    return ingest
