"""Deleting a conversation: gone from the list at once, every item purged, throttled deletes retried a
bounded number of times (UnprocessedItems is scripted with Stubber: moto and DynamoDB Local never send it)."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from memchat.errors import NotFound, RateLimited
from memchat.memory import Memory
from memchat.memory.deletion import BATCH, UNPROCESSED_ATTEMPTS
from memchat.memory.table import BACKOFF_CAP_SECONDS

from ..recorded import ALICE, BOB, seed_conversation

TABLE = "memchat-test-chat"
KEYS = [{"pk": {"S": "U#a#C#c"}, "sk": {"S": f"M#{i:024x}"}} for i in range(3)]


def _deletes(keys):
    return {TABLE: [{"DeleteRequest": {"Key": key}} for key in keys]}


@pytest.fixture
def stubbed(stub: Stubber, sleeps: list[float]) -> Memory:
    return Memory(stub.client, table_name=TABLE, rate_limit_per_minute=5, sleep=sleeps.append)


def _items(dynamodb, settings, user, conversation_id) -> int:
    return dynamodb.query(TableName=settings.table_name, KeyConditionExpression="pk = :pk", Select="COUNT",
                          ExpressionAttributeValues={":pk": {"S": f"U#{user}#C#{conversation_id}"}})["Count"]


def test_unprocessed_deletes_are_sent_again_until_none_are_left(stub, stubbed, sleeps):
    stub.add_response("batch_write_item", {"UnprocessedItems": _deletes(KEYS[1:])},
                      expected_params={"RequestItems": _deletes(KEYS)})
    stub.add_response("batch_write_item", {"UnprocessedItems": _deletes(KEYS[2:])},
                      expected_params={"RequestItems": _deletes(KEYS[1:])})
    stub.add_response("batch_write_item", {"UnprocessedItems": {}},
                      expected_params={"RequestItems": _deletes(KEYS[2:])})

    stubbed.delete_keys(KEYS)

    assert len(sleeps) == 2 and all(0 <= s <= BACKOFF_CAP_SECONDS for s in sleeps)


def test_deletes_left_unprocessed_after_the_bounded_retries_are_rate_limited(stub, stubbed, sleeps):
    for _ in range(UNPROCESSED_ATTEMPTS):
        stub.add_response("batch_write_item", {"UnprocessedItems": _deletes(KEYS[:1])})

    with pytest.raises(RateLimited):
        stubbed.delete_keys(KEYS)
    assert stubbed.calls == UNPROCESSED_ATTEMPTS
    assert len(sleeps) <= UNPROCESSED_ATTEMPTS and sum(sleeps) <= UNPROCESSED_ATTEMPTS * BACKOFF_CAP_SECONDS


def test_a_throttled_batch_is_rate_limited(stub, stubbed):
    stub.add_client_error("batch_write_item", service_error_code="ProvisionedThroughputExceededException")

    with pytest.raises(RateLimited):
        stubbed.delete_keys(KEYS)


def test_a_purge_deletes_what_each_page_of_its_query_found(stub, stubbed):
    stub.add_response("query", {"Items": KEYS[:2], "LastEvaluatedKey": KEYS[1]})
    stub.add_response("batch_write_item", {}, expected_params={"RequestItems": _deletes(KEYS[:2])})
    stub.add_response("query", {"Items": KEYS[2:]})
    stub.add_response("batch_write_item", {}, expected_params={"RequestItems": _deletes(KEYS[2:])})

    assert stubbed.purge_messages(ALICE, "c") == 3


def test_a_purge_removes_every_message_of_a_long_conversation_in_batches(memory, dynamodb, settings):
    conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=3 * BATCH + 1)
    memory.delete_conversation(ALICE, conversation)

    assert memory.purge_messages(ALICE, conversation) == 3 * BATCH + 1
    assert _items(dynamodb, settings, ALICE, conversation) == 0


def test_a_deleted_conversation_leaves_the_list_at_once(memory, dynamodb, settings):
    conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=4)
    memory.delete_conversation(ALICE, conversation)

    assert memory.list_conversations(ALICE, cursor=None, limit=10).items == []
    with pytest.raises(NotFound):
        memory.history(ALICE, conversation, before=None, limit=10)


def test_another_user_neither_deletes_nor_purges_the_conversation(memory, dynamodb, settings):
    conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=4)

    with pytest.raises(NotFound):
        memory.delete_conversation(BOB, conversation)
    assert memory.purge_messages(BOB, conversation) == 0
    assert _items(dynamodb, settings, ALICE, conversation) == 5
