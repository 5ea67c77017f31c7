import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from hephaestus.records import ErrorDetails, RawLog, SourceInfo, StructuredLog

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


def test_raw_log_schema_has_exactly_the_seed_fields():
    schema = _schema("raw_log")
    assert set(schema["properties"]) == {"timestamp", "source", "host", "level", "message", "metadata"}
    meta = schema["$defs"]["RawMetadata"]["properties"]
    assert set(meta) == {"process_id", "thread_id", "trace_id"}
    assert schema["additionalProperties"] is False


def test_structured_log_schema_has_exactly_the_seed_fields():
    schema = _schema("structured_log")
    assert set(schema["properties"]) == {
        "log_id",
        "original_timestamp",
        "processing_timestamp",
        "source",
        "error",
        "context",
    }
    defs = schema["$defs"]
    assert set(defs["SourceInfo"]["properties"]) == {"application", "host", "component"}
    assert set(defs["ErrorDetails"]["properties"]) == {"level", "type", "message", "stack_trace"}
    assert set(defs["LogContext"]["properties"]) == {"process_info", "system_metrics", "related_logs"}


@pytest.mark.parametrize(("name", "model"), [("raw_log", RawLog), ("structured_log", StructuredLog)])
def test_schema_files_match_the_records(name, model):
    generated = model.model_json_schema()
    stored = _schema(name)
    stored.pop("$schema")
    assert stored == generated, "run scripts/gen_schemas.py"


def test_records_serialise_to_documents_the_schema_accepts():
    raw = RawLog(timestamp=datetime(2026, 1, 1, tzinfo=UTC), source="/var/log/a.log", host="h", message="x")
    jsonschema.validate(json.loads(raw.model_dump_json()), _schema("raw_log"))
    log = StructuredLog(
        log_id="abc",
        original_timestamp=None,
        processing_timestamp=datetime.now(UTC),
        source=SourceInfo(application="a", host="h"),
        error=ErrorDetails(level="ERROR", type="KeyError", message="'x'", stack_trace="Traceback..."),
    )
    jsonschema.validate(json.loads(log.model_dump_json()), _schema("structured_log"))
    bad = json.loads(raw.model_dump_json()) | {"extra": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _schema("raw_log"))


def test_records_are_frozen_and_reject_unknown_fields():
    raw = RawLog(timestamp=datetime.now(UTC), source="s", host="h", message="m")
    with pytest.raises(ValidationError):
        raw.message = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        RawLog(timestamp=datetime.now(UTC), source="s", host="h", message="m", oops=1)  # type: ignore[call-arg]
