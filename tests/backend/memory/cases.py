"""Tables of cases that one parametrized test reads: each round of issue 17 added its rows under the behaviour
they show, and a failure names the group and the row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest


def cases(table: dict[str, Sequence[Any]]) -> list[Any]:
    """Every row of every group, as pytest parameters named "<group> <n>" (a row that is a tuple is spread)."""
    return [pytest.param(*(row if isinstance(row, tuple) else (row,)), id=f"{group} {index}")
            for group, rows in table.items() for index, row in enumerate(rows)]
