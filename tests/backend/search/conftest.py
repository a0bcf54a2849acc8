"""Fixtures for search: a finder over the index (tests/backend/conftest.py feeds the index from the stream)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from memchat.search import Finder, Index


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=8) as executor:
        yield executor


@pytest.fixture
def finder(index: Index, pool) -> Finder:
    return Finder(index, pool)
