"""`make docs`: write the wire protocol's JSON Schemas, and the export document's, to docs/schemas/ from the
backend's models."""

from __future__ import annotations

import sys
from pathlib import Path

from memchat.export import export_schema
from memchat.frames import dumps_schema, json_schemas

SCHEMA_DIR = Path("docs/schemas")


def schemas() -> dict[str, dict]:
    return {**json_schemas(), "export.schema.json": export_schema()}


def main() -> int:
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMA_DIR / name).write_text(dumps_schema(schema))
        print(f"wrote {SCHEMA_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
