"""What the benches share: percentiles of their raw samples, and a fresh DynamoDB Local holding memchat's
tables to measure against."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memchat_local.dynamodb import DEFAULT_DIR, DynamoDBLocal
from memchat_local.stack import free_port

if TYPE_CHECKING:
    from memchat.memory import Memory
    from memchat.settings import Settings


def percentile(samples: Sequence[float], q: float) -> float:
    """The sample at rank q (0 to 1) of the sorted samples, the nearest rank rounded: a sample measured,
    never one interpolated between two."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class LocalTable:
    database: DynamoDBLocal
    settings: Settings
    client: Any  # a boto3 DynamoDB client
    memory: Memory


@asynccontextmanager
async def local_table(*, in_memory: bool = False) -> AsyncIterator[LocalTable]:
    """DynamoDB Local on a free port with memchat's tables, and a `Memory` over them that no rate limit stops
    (`in_memory`: nothing kept on disk, for benches that seed large histories); stopped on the way out."""
    from memchat.memory import Memory
    from memchat.settings import Settings

    with tempfile.TemporaryDirectory() as scratch:
        database = DynamoDBLocal(jar_dir=DEFAULT_DIR, data_dir=Path(scratch) / "db", port=free_port(),
                                 log_path=Path(scratch) / "dynamodb.log", in_memory=in_memory)
        await database.start()
        try:
            settings = Settings()
            database.create_tables(settings)
            client = database.client()
            yield LocalTable(database, settings, client,
                             Memory(client, table_name=settings.table_name, rate_limit_per_minute=10**6))
        finally:
            await database.stop()
