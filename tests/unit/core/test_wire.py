"""The wire codec (msgspec mirrors of RawLog / StructuredLog): same JSON as the pydantic records both
ways, the pydantic fallback for what the strict decoder refuses, and a clear PermanentError for bad bytes."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from hephaestus.bus import RAW_LOGS
from hephaestus.bus.local import LocalBus
from hephaestus.errors import PermanentError
from hephaestus.pipeline import Pipeline
from hephaestus.process.processor import Processor
from hephaestus.records import RawLog, RawMetadata, StructuredLog
from hephaestus.wire import (
    ContextRecord,
    DetailsRecord,
    MetadataRecord,
    RawRecord,
    SourceRecord,
    StructuredRecord,
    decode_raw,
    decode_structured,
    encode,
)

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
WHEN = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)

RAWS = [
    RawLog(timestamp=WHEN, source="/var/log/a.log", host="h1", message="x"),
    RawLog(
        timestamp=WHEN.astimezone(timezone(timedelta(hours=2))),
        source="s",
        host="h",
        level="ERROR",
        message="Traceback ...\n  é ✓\n",
        metadata=RawMetadata(process_id=7, thread_id="main", trace_id="t-1"),
    ),
    RawLog(timestamp=datetime(2026, 1, 1, 10, 0), source="s", host="h", message="naive time"),
]


def _structured(**context: object) -> StructuredRecord:
    return StructuredRecord(
        log_id="0123456789abcdef01234567",
        original_timestamp=None,
        processing_timestamp=WHEN,
        source=SourceRecord(application="app", host="h1", component="api"),
        error=DetailsRecord(level="ERROR", type="KeyError", message="boom", stack_trace="Traceback\n..."),
        context=ContextRecord(**context),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("model", RAWS)
def test_a_raw_record_has_the_same_json_as_its_pydantic_model_both_ways(model):
    wire = decode_raw(model.model_dump_json().encode())
    assert isinstance(wire, RawRecord)  # the fast decoder took it
    assert encode(wire) == model.model_dump_json().encode()
    assert RawLog.model_validate_json(encode(wire)) == model


@pytest.mark.parametrize(
    "context",
    [{}, {"process_info": {"pid": 3, "thread": "w-1", "trace_id": "abc", "format": "python"}},
     {"system_metrics": {"cpu": 0.5}, "related_logs": ["a", "b"]}],
)  # fmt: skip
def test_a_structured_record_round_trips_and_matches_the_schema_of_record(context):
    record = _structured(**context)
    data = encode(record)
    assert data.startswith(b'{"log_id":')  # the indexer's unparsed skip relies on it
    model = StructuredLog.model_validate_json(data)
    assert model == record.to_model()
    assert model.model_dump_json().encode() == data
    assert decode_structured(data) == record
    jsonschema.validate(json.loads(data), json.loads((SCHEMAS / "structured_log.schema.json").read_text()))


def test_what_the_processor_writes_is_a_valid_structured_log():
    raw = RawRecord(
        timestamp=WHEN, source="/var/log/shop.log", host="h1", message="2026-01-01 ERROR x=1 failed"
    )
    (out,) = Processor().process(raw, origin="o@1")
    assert isinstance(out.structured, StructuredRecord)
    model = StructuredLog.model_validate_json(encode(out.structured))
    assert model.log_id == out.structured.log_id
    assert model.source.application == "shop"


def test_the_pydantic_fallback_takes_what_the_strict_decoder_refuses():
    lax = b'{"timestamp": 1767261600, "source": "s", "host": "h", "message": "m", '
    lax += b'"metadata": {"process_id": "12"}}'
    record = decode_raw(lax)
    assert isinstance(record, RawLog)  # a Unix time and a numeric string: pydantic's lax mode
    assert record.metadata.process_id == 12
    (out,) = Processor().process(record)
    assert out.structured.error.message == "m"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"{not json", "not a RawLog: Invalid JSON"),
        (b"\xff\xfe binary", "not a RawLog: Invalid JSON"),
        (b'{"source": "s", "host": "h", "message": "m"}', "not a RawLog: Field required (timestamp)"),
        (b'{"timestamp": "2026-01-01T00:00:00Z", "source": "s", "host": "h", "message": "m", "x": 1}',
         "not a RawLog: Extra inputs are not permitted (x)"),
        (b"[1, 2]", "not a RawLog: Input should be an object"),
    ],
)  # fmt: skip
def test_malformed_raw_bytes_are_a_permanent_error_with_the_reason(value, reason):
    with pytest.raises(PermanentError) as info:
        decode_raw(value)
    assert str(info.value).startswith(reason)


def test_malformed_structured_bytes_are_a_permanent_error():
    with pytest.raises(PermanentError, match=r"^not a StructuredLog: "):
        decode_structured(b'{"log_id": "x"}')


def test_a_malformed_raw_record_is_dead_lettered_with_the_codec_reason(store):
    bus = LocalBus(":memory:")
    pipeline = Pipeline(bus=bus, store=store, processor=Processor(application="app"))
    producer = bus.producer()
    producer.produce(RAW_LOGS, b'{"source": "s"}', key=b"k")
    producer.produce(
        RAW_LOGS, encode(RawRecord(timestamp=WHEN, source="s", host="h", message="ok")), key=b"k"
    )
    producer.flush()
    pipeline.drain()
    (dead,) = pipeline.dead_letters()
    assert dead["reason"].startswith("not a RawLog: Field required (timestamp)")
    assert pipeline.stats.structured == 1


def test_wire_records_are_frozen_and_hashable_like_the_models():
    meta = MetadataRecord(process_id=1)
    with pytest.raises(AttributeError):
        meta.process_id = 2  # type: ignore[misc]
    assert hash(meta) == hash(MetadataRecord(process_id=1))
