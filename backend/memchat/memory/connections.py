"""The connections table: which user is on which WebSocket connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memchat.memory.codec import dump
from memchat.tables import TTL_ATTRIBUTE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class Connections:
    # API Gateway closes every connection after two hours; keep the record a little longer.
    TTL_SECONDS = 2 * 3600 + 600

    def __init__(self, client: DynamoDBClient, *, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, connection_id: str, *, user_id: str, now_ms: int) -> None:
        self._client.put_item(
            TableName=self._table,
            Item=dump({
                "connectionId": connection_id, "userId": user_id, "connectedMs": now_ms,
                TTL_ATTRIBUTE: now_ms // 1000 + self.TTL_SECONDS,
            }),
        )

    def remove(self, connection_id: str) -> None:
        self._client.delete_item(TableName=self._table, Key=dump({"connectionId": connection_id}))
