"""The per-record wire codec of the raw and structured topics: msgspec Structs mirroring RawLog and
StructuredLog (same fields, same JSON), decoded and encoded in a few µs instead of pydantic's ~10.
The pydantic models in records.py stay the schema of record and the edge (store, API, JSON Schemas).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from pydantic import ValidationError

from hephaestus.errors import PermanentError
from hephaestus.records import RawLog, StructuredLog

__all__ = [
    "ContextRecord",
    "DetailsRecord",
    "MetadataRecord",
    "RawRecord",
    "SourceRecord",
    "StructuredRecord",
    "decode_raw",
    "decode_structured",
    "encode",
    "raw_record",
]


# frozen like the pydantic records; gc=False: they hold no cycles, so the collector need not track them
class _Wire(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    pass


class MetadataRecord(_Wire, frozen=True, kw_only=True):
    """records.RawMetadata on the wire."""

    process_id: int | None = None
    thread_id: str | None = None
    trace_id: str | None = None


class RawRecord(_Wire, frozen=True, kw_only=True):
    """records.RawLog on the wire (topic hephaestus.raw.logs): what the Processor reads."""

    timestamp: datetime
    source: str
    host: str
    level: str | None = None
    message: str
    metadata: MetadataRecord = MetadataRecord()


class SourceRecord(_Wire, frozen=True, kw_only=True):
    """records.SourceInfo on the wire."""

    application: str
    host: str
    component: str | None = None


class DetailsRecord(_Wire, frozen=True, kw_only=True):
    """records.ErrorDetails on the wire."""

    level: str | None = None
    type: str | None = None
    message: str
    stack_trace: str | None = None


class ContextRecord(_Wire, frozen=True, kw_only=True):
    """records.LogContext on the wire."""

    process_info: dict[str, Any] = msgspec.field(default_factory=dict)
    system_metrics: dict[str, Any] = msgspec.field(default_factory=dict)
    related_logs: list[str] = msgspec.field(default_factory=list)


class StructuredRecord(_Wire, frozen=True, kw_only=True):
    """records.StructuredLog on the wire (topic hephaestus.structured.logs, keyed by log_id);
    `log_id` first, as the indexer's unparsed skip of logs without a trace id expects."""

    log_id: str
    original_timestamp: datetime | None
    processing_timestamp: datetime
    source: SourceRecord
    error: DetailsRecord
    context: ContextRecord = msgspec.field(default_factory=ContextRecord)

    def to_model(self) -> StructuredLog:
        """The pydantic record, for the edges (store, API); validated like any input."""
        return StructuredLog.model_validate(msgspec.to_builtins(self, builtin_types=(datetime,)))


_encoder = msgspec.json.Encoder()
_raw_decoder = msgspec.json.Decoder(RawRecord)
_structured_decoder = msgspec.json.Decoder(StructuredRecord)


def raw_record(raw: RawLog) -> RawRecord:
    """The wire mirror of a validated RawLog (sources that build pydantic records at the edge)."""
    meta = raw.metadata
    return RawRecord(
        timestamp=raw.timestamp, source=raw.source, host=raw.host, level=raw.level, message=raw.message,
        metadata=MetadataRecord(process_id=meta.process_id, thread_id=meta.thread_id, trace_id=meta.trace_id),
    )  # fmt: skip


def encode(record: RawRecord | StructuredRecord) -> bytes:
    """JSON bytes of a wire record: the same document pydantic writes for the mirrored model."""
    return _encoder.encode(record)


def _decode(value: bytes, strict: msgspec.json.Decoder[Any], model: type[Any]) -> Any:
    """msgspec first; what it refuses goes to the pydantic `model`, the schema of record."""
    try:
        return strict.decode(value)
    except msgspec.DecodeError:
        pass
    try:
        return model.model_validate_json(value)
    except ValidationError as exc:
        raise PermanentError(f"not a {model.__name__}: {_first_error(exc)}") from None


def decode_raw(value: bytes) -> RawRecord | RawLog:
    """A raw topic record. The strict msgspec decoder takes what the collector writes; anything else
    (another timestamp format, a number as a string ...) is validated by the pydantic RawLog, the
    schema of record, so the wire accepts exactly what it did. PermanentError when neither takes it:
    the record goes to the dead-letter topic with this reason."""
    result: RawRecord | RawLog = _decode(value, _raw_decoder, RawLog)
    return result


def decode_structured(value: bytes) -> StructuredRecord | StructuredLog:
    """A structured topic record; like decode_raw (msgspec first, pydantic for anything else)."""
    result: StructuredRecord | StructuredLog = _decode(value, _structured_decoder, StructuredLog)
    return result


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{first['msg']} ({where})" if where else str(first["msg"])
