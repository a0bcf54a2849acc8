"""Lambda handlers for tests/local/test_runtime.py, importable by the runtime's child processes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Write where and how it ran to the file the event names."""
    seen = {"pid": os.getpid(), "function": context.function_name, "arn": context.invoked_function_arn,
            "remaining_ms": context.get_remaining_time_in_millis(), "value": event.get("value")}
    # Written whole or not at all (a rename), so that a test polling for the file never reads half of it.
    out = Path(event["out"])
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps(seen))
    partial.replace(out)
    return seen


def fail(event: dict[str, Any], context: Any) -> None:
    raise RuntimeError("this handler always fails")
