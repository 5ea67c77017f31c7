"""Writes schemas/raw_log.schema.json and schemas/structured_log.schema.json from the records.

Run after changing hephaestus.records; tests/unit/test_records.py fails while they differ.
"""

from __future__ import annotations

import json
from pathlib import Path

from hephaestus.records import RawLog, StructuredLog

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for name, model in (("raw_log", RawLog), ("structured_log", StructuredLog)):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path = ROOT / "schemas" / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
