"""Search through the whole local stack: the index's stream function follows DynamoDB Local's stream (as its
Lambda's event source mapping does), and searchConversations finds the user's own words, and only theirs."""

from __future__ import annotations

import time

import pytest

from memchat.frames import (
    DeleteConversation,
    Deleted,
    GetHistory,
    History,
    RecalledExchange,
    SearchConversations,
    SearchResults,
)
from tests.integration.stack import Client, LocalStack

pytestmark = pytest.mark.integration

INDEXED_SECONDS = 60  # the stream is polled four times a second; a loaded machine may take longer


def search(client: Client, query: str) -> SearchResults:
    frame = client.request(SearchConversations(action="searchConversations", query=query))
    assert isinstance(frame, SearchResults), frame
    return frame


def wait_until_found(client: Client, query: str, message_id: str) -> SearchResults:
    """Search until the message is among the results (its words are indexed from the stream, after it)."""
    deadline = time.monotonic() + INDEXED_SECONDS
    while time.monotonic() < deadline:
        found = search(client, query)
        if any(result.message_id == message_id for result in found.results):
            return found
        time.sleep(0.2)
    pytest.fail(f"{query!r} did not find its message within {INDEXED_SECONDS} s")


def test_a_users_words_are_found_by_them_alone_and_gone_with_their_conversation(hostile_stack: LocalStack) -> None:
    alice, bob = hostile_stack.connect("search-alice"), hostile_stack.connect("search-bob")
    told = alice.say("My grandmother grew durians in her orchard.")
    assert told.done is not None
    found = wait_until_found(alice, "durian orchard", told.ack.message_id)
    # The message, and the conversation's title once the digest has titled it with the message's first words
    # (indexed from the stream too, so it may or may not be there yet): nothing else.
    hits = {(r.conversation_id, r.message_id) for r in found.results}
    message = (told.ack.conversation_id, told.ack.message_id)
    assert hits in ({message}, {message, (told.ack.conversation_id, None)}), hits
    [said] = [r for r in found.results if r.message_id == told.ack.message_id]
    assert [said.snippet[h.start : h.end] for h in said.highlights] == ["durians", "orchard"]
    assert search(bob, "durian orchard").results == []
    deleted = alice.request(DeleteConversation(action="deleteConversation", conversation_id=told.ack.conversation_id))
    assert isinstance(deleted, Deleted)
    assert search(alice, "durian orchard").results == []  # at once, whatever the index's lag
    alice.close()
    bob.close()


def _answer_read_back(client: Client, conversation_id: str):
    page = client.request(GetHistory(action="getHistory", conversation_id=conversation_id))
    assert isinstance(page, History), page
    return page.messages[-1]


def test_an_answer_read_back_names_its_earlier_exchange_until_that_conversation_is_deleted(
        hostile_stack: LocalStack) -> None:
    alice = hostile_stack.connect("recalled-alice")
    told = alice.say("My grandmother grew quinces in her orchard in Tabriz.")
    assert told.done is not None
    wait_until_found(alice, "quince orchard Tabriz", told.ack.message_id)
    asked = alice.say("What did you suggest for my grandmother's quince orchard last time?")
    earlier = RecalledExchange(conversation_id=told.ack.conversation_id, message_id=told.ack.message_id,
                               excerpt="My grandmother grew quinces in her orchard in Tabriz.")
    assert asked.done is not None and asked.done.exchanges == [earlier]

    assert _answer_read_back(alice, asked.ack.conversation_id).exchanges == [earlier]
    deleted = alice.request(DeleteConversation(action="deleteConversation", conversation_id=told.ack.conversation_id))
    assert isinstance(deleted, Deleted)
    answer = _answer_read_back(alice, asked.ack.conversation_id)
    assert answer.exchanges is None and answer.message_id == asked.ack.reply_id
    alice.close()
