"""JSON log lines decode with orjson; what orjson refuses is decoded (or refused) as json.loads does."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from hephaestus.process import formats
from hephaestus.process.formats import parse_record

LINES = [
    '{"ts": "2024-01-01T10:00:00.123+00:00", "level": "error", "msg": "boom", "pid": 42, "ratio": 0.1}',
    '{"msg": "nan", "value": NaN, "inf": Infinity}',
    '{"msg": "big", "n": 123456789012345678901234567890, "m": -9223372036854775809}',
    '{"msg": "u64", "n": 18446744073709551615, "id": "blk_12345678901234567890"}',
    '{"msg": "lone \\ud800 surrogate"}',
    '{"msg": "dup", "msg": "second"}',
    '{"msg": "floats", "a": 1e-7, "b": 2.5e300, "c": -0.0, "d": 0.30000000000000004}',
    '{"error": {"message": "nested", "stack_trace": "x"}, "level": "WARN"}',
    "{" * 2000 + "}" * 2000,
    '{"msg": "truncated"',
    "[1, 2]",
]


@pytest.mark.parametrize("line", LINES)
def test_json_lines_parse_as_with_the_stdlib(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = asdict(parse_record(line))
    monkeypatch.setattr(formats, "_loads", json.loads)
    assert fast == asdict(parse_record(line))
