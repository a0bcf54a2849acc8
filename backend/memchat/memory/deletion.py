"""Deleting a conversation: gone from the list at once, its items purged in the background."""

from __future__ import annotations

from typing import Any

from memchat.errors import NotFound
from memchat.memory.codec import conversation_pk, dump
from memchat.memory.table import Table

BATCH = 25  # BatchWriteItem's limit
UNPROCESSED_ATTEMPTS = 8  # with full-jitter back-off capped at 1 s: a few seconds at most, then give up


class Deletion(Table):
    def delete_conversation(self, user_id: str, conversation_id: str) -> None:
        """Remove the conversation from the list at once; `purge_messages` removes its messages."""
        if not self._call_if(
            "delete_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            ConditionExpression="attribute_exists(pk)",
        ):
            raise NotFound("No such conversation.")

    def purge_messages(self, user_id: str, conversation_id: str) -> int:
        """Delete every message of a (deleted) conversation, 25 at a time; returns how many.

        Unprocessed deletes (DynamoDB's answer under throttling) are retried with capped, jittered
        back-off; past that the purge raises, and its asynchronous invoke is retried by Lambda.
        """
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": dump({":pk": conversation_pk(user_id, conversation_id)}),
            "ProjectionExpression": "pk, sk",
            "ConsistentRead": True,
        }
        deleted = 0
        for keys in self._query_pages(**kwargs):
            for start in range(0, len(keys), BATCH):
                self.delete_keys(keys[start : start + BATCH])
            deleted += len(keys)
        return deleted

    def delete_keys(self, keys: list[dict[str, Any]]) -> None:
        """Delete up to 25 items by their typed keys, retrying unprocessed ones a bounded number of times."""
        self._batch_write([{"DeleteRequest": {"Key": key}} for key in keys], attempts=UNPROCESSED_ATTEMPTS)
