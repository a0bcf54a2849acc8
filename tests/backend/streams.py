"""The chat table's stream as Lambda delivers it, from moto's DynamoDB Streams: what a test has written is
read back in order and handed to a stream function through its mapping's filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from memchat.tables import matches_any

STREAMS_ENDPOINT = "https://streams.dynamodb.us-east-1.amazonaws.com"  # where moto answers DynamoDB Streams


class TableStream:
    """Follows a table's stream from its first record; `deliver` hands on every record not yet delivered."""

    def __init__(self, session: Any, dynamodb: Any, table_name: str) -> None:
        self._client = session.client("dynamodbstreams", endpoint_url=STREAMS_ENDPOINT)
        self._arn = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        shards = self._client.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        self._iterators = [self._client.get_shard_iterator(StreamArn=self._arn, ShardId=shard["ShardId"],
                                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                           for shard in shards]

    def records(self) -> list[dict[str, Any]]:
        out = []
        for number, iterator in enumerate(self._iterators):
            page = self._client.get_records(ShardIterator=iterator)
            out += page["Records"]
            self._iterators[number] = page["NextShardIterator"]
        return out

    def deliver(self, patterns: tuple[dict, ...], function: Callable[[dict[str, Any]], Any]) -> int:
        """Hand every new record the filters match to `function`, in Lambda's event shape; how many."""
        records = [{**record, "eventSource": "aws:dynamodb", "eventSourceARN": self._arn}
                   for record in self.records() if matches_any(patterns, record)]
        if records:
            response = function({"Records": records}) or {}
            assert not response.get("batchItemFailures"), response
        return len(records)
