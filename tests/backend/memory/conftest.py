"""Fixtures for the memory package: a recorder in place of sleeping, a stubbed DynamoDB client for the
behaviours DynamoDB Local never shows (conflicts, throttling), and memories built in one line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from memchat.memory.memories import SavedMemory, Source, Subject, memory_id_for

T0 = 1_732_000_000_000  # a fixed clock, in epoch milliseconds


@pytest.fixture
def sleeps() -> list[float]:
    """Pass `sleeps.append` as `sleep=`: the back-off delays are recorded, and no test sleeps."""
    return []


@pytest.fixture
def stub(boto_session) -> Iterator[Stubber]:
    """A DynamoDB client answered only by what the test queues; every queued answer must be used."""
    client = boto_session.client("dynamodb")
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def saved(subject: Subject, value: str, *, updated_ms: int = T0, sources: tuple[Source, ...] = ()) -> SavedMemory:
    return SavedMemory(memory_id_for(subject, value), subject, value, created_ms=updated_ms, updated_ms=updated_ms,
                       sources=sources)
