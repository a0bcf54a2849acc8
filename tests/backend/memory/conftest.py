"""Fixtures for the memory package: a recorder in place of sleeping, and memories built in one line."""

from __future__ import annotations

import pytest

from memchat.memory.memories import SavedMemory, Source, Subject, memory_id_for

T0 = 1_732_000_000_000  # a fixed clock, in epoch milliseconds


@pytest.fixture
def sleeps() -> list[float]:
    """Pass `sleeps.append` as `sleep=`: the back-off delays are recorded, and no test sleeps."""
    return []


def saved(subject: Subject, value: str, *, updated_ms: int = T0, sources: tuple[Source, ...] = ()) -> SavedMemory:
    return SavedMemory(memory_id_for(subject, value), subject, value, created_ms=updated_ms, updated_ms=updated_ms,
                       sources=sources)
