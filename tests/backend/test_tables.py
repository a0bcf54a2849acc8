"""Table definitions: the chat table's stream, and the digest's filter as Lambda's event filtering reads it."""

from __future__ import annotations

from typing import Any

import pytest

from memchat.digest import ENDED
from memchat.frames import MessageStatus
from memchat.tables import (
    CHAT_TABLE,
    CONNECTIONS_TABLE,
    DIGEST_FILTER,
    INDEX_FILTERS,
    create_tables,
    matches,
    matches_any,
)


def _record(*, name="MODIFY", role="assistant", old: str | None = "streaming", new="complete") -> dict[str, Any]:
    image = {"pk": {"S": "U#u#C#c"}, "sk": {"S": "M#0193a1b2c3d4e5f6a7b8c9d1"}, "role": {"S": role}}
    dynamodb: dict[str, Any] = {"NewImage": {**image, "status": {"S": new}}, "SequenceNumber": "1"}
    if old is not None:
        dynamodb["OldImage"] = {**image, "status": {"S": old}}
    return {"eventName": name, "eventSource": "aws:dynamodb", "dynamodb": dynamodb}


def test_the_chat_table_streams_new_and_old_images():
    assert CHAT_TABLE.create_table_kwargs("t")["StreamSpecification"] == {
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert "StreamSpecification" not in CONNECTIONS_TABLE.create_table_kwargs("c")


@pytest.mark.parametrize("old", ["pending", "streaming"])
@pytest.mark.parametrize("new", ["complete", "stopped", "interrupted", "failed"])
def test_an_answer_reaching_an_end_state_triggers_the_digest(old, new):
    assert matches(DIGEST_FILTER, _record(old=old, new=new))


@pytest.mark.parametrize("record", [
    _record(name="INSERT", old=None, new="pending"),
    _record(role="user", old="sent", new="sent"),
    _record(old="complete", new="complete"),  # an ended answer edited again (a redaction): digested already
    _record(old=None),
    _record(new="streaming"),
    {"eventName": "REMOVE", "dynamodb": {"OldImage": {"status": {"S": "complete"}}}},
], ids=["insert", "user-message", "edit-after-end", "no-old-image", "still-streaming", "remove"])
def test_any_other_change_does_not(record):
    assert not matches(DIGEST_FILTER, record)


def test_the_filters_end_states_are_the_digests():
    assert set(DIGEST_FILTER["dynamodb"]["NewImage"]["status"]["S"]) == {s.value for s in ENDED}
    assert set(DIGEST_FILTER["dynamodb"]["OldImage"]["status"]["S"]) == {
        MessageStatus.PENDING.value, MessageStatus.STREAMING.value}


def test_a_value_of_the_wrong_shape_does_not_match():
    assert not matches({"dynamodb": {"NewImage": {"role": {"S": ["assistant"]}}}},
                       {"dynamodb": {"NewImage": {"role": "assistant"}}})


def test_an_existing_table_without_a_stream_gets_one(session, settings):
    client = session.client("dynamodb")
    bare = {k: v for k, v in CHAT_TABLE.create_table_kwargs(settings.table_name).items() if k != "StreamSpecification"}
    client.create_table(**bare)

    create_tables(client, chat_table_name=settings.table_name, connections_table_name=settings.connections_table_name)

    table = client.describe_table(TableName=settings.table_name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert settings.connections_table_name in client.list_tables()["TableNames"]


def _change(name: str, sk: str, *, old: str | None = None, new: str | None = None) -> dict[str, Any]:
    dynamodb: dict[str, Any] = {"Keys": {"pk": {"S": "U#u#C#c"}, "sk": {"S": sk}}}
    if old is not None:
        dynamodb["OldImage"] = {"status": {"S": old}}
    if new is not None:
        dynamodb["NewImage"] = {"status": {"S": new}}
    return {"eventName": name, "dynamodb": dynamodb}


@pytest.mark.parametrize("record", [
    _change("INSERT", "M#0193", new="sent"),  # a user's message
    _change("MODIFY", "M#0193", old="streaming", new="complete"),  # an answer ends
    _change("MODIFY", "M#0193", old="complete", new="complete"),  # redacted by forgetting
    _change("MODIFY", "M#0193", old="complete", new="pending"),  # continued: its old words go
    _change("REMOVE", "M#0193", old="complete"),  # purged
    _change("INSERT", "META"), _change("MODIFY", "META"), _change("REMOVE", "META"),  # titles, deletion
], ids=["message", "answer-ends", "redacted", "continued", "purged", "new-conversation", "renamed", "deleted"])
def test_every_change_to_searchable_text_reaches_the_index(record):
    assert matches_any(INDEX_FILTERS, record)


@pytest.mark.parametrize("record", [
    _change("INSERT", "M#0193", new="pending"),  # an answer's placeholder
    _change("MODIFY", "M#0193", old="pending", new="streaming"),
    _change("MODIFY", "M#0193", old="streaming", new="streaming"),  # a lease renewal with the text so far
    _change("INSERT", "0193#c#T"),  # a posting (written by the index itself)
    _change("INSERT", "MEM#1"), _change("REMOVE", "RATE#1"),
], ids=["placeholder", "claimed", "renewed", "posting", "memory", "rate"])
def test_nothing_else_invokes_it(record):
    assert not matches_any(INDEX_FILTERS, record)


def test_a_prefix_matches_the_start_of_a_string_only():
    assert matches({"k": [{"prefix": "M#"}]}, {"k": "M#1"})
    assert not matches({"k": [{"prefix": "M#"}]}, {"k": "XM#1"})
    assert not matches({"k": [{"prefix": "M#"}]}, {"k": 5})
