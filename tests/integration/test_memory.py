"""Long-term memory through the whole local stack: the digest runs from DynamoDB Local's stream (the
same handler as the Lambda's event source mapping), and a new conversation's prompt carries what it learnt."""

from __future__ import annotations

import time
import uuid

import pytest

from memchat.frames import (
    ClearMemories,
    ConversationChanged,
    Conversations,
    DeleteMemory,
    ErrorFrame,
    GetHistory,
    History,
    ListConversations,
    ListMemories,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    RenameConversation,
    SendMessage,
    SetMemory,
)
from memchat.memory.codec import conversation_pk
from tests.integration.stack import TABLE, Client, LocalStack, dynamodb

pytestmark = pytest.mark.integration

# The digest calls the embedded model up to three times a turn on a shared 2-core machine.
LEARNING_SECONDS = 180


def memories(client: Client) -> Memories:
    frame = client.request(ListMemories(action="listMemories"))
    assert isinstance(frame, Memories), frame
    return frame


def wait_for_memory(client: Client, text: str) -> Memories:
    """Poll listMemories until a memory holds `text` (the digest runs in the background)."""
    deadline = time.monotonic() + LEARNING_SECONDS
    while time.monotonic() < deadline:
        listed = memories(client)
        if any(text in m.text for m in listed.memories):
            return listed
        time.sleep(1)
    pytest.fail(f"no memory holding {text!r} within {LEARNING_SECONDS} s: {memories(client).memories}")


def titled(stack: LocalStack, user: str, conversation_id: str) -> None:
    """Wait until the digest has titled the conversation (read from the stack's table, as the digest wrote it)."""
    client, deadline = dynamodb(stack), time.monotonic() + LEARNING_SECONDS
    key = {"pk": {"S": conversation_pk(user, conversation_id)}, "sk": {"S": "META"}}
    while time.monotonic() < deadline:
        if "titleSource" in client.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item", {}):
            return
        time.sleep(1)
    pytest.fail(f"the digest did not title conversation {conversation_id} within {LEARNING_SECONDS} s")


def test_a_remembered_fact_reaches_a_new_conversations_answer(stack: LocalStack) -> None:
    client = stack.connect("mem-ada")
    told = client.say("Remember that my locker code is 4521.")
    assert told.done is not None
    listed = wait_for_memory(client, "4521")
    memory = next(m for m in listed.memories if "4521" in m.text)
    assert memory.sources[0].conversation_id == told.ack.conversation_id
    assert memory.sources[0].message_id == told.ack.message_id

    asked = client.say("What is my locker code?")  # a new conversation
    assert asked.ack.conversation_id != told.ack.conversation_id
    assert asked.done is not None and asked.done.memories
    assert any("4521" in used.text for used in asked.done.memories)
    client.close()


def test_a_temporary_chat_neither_reads_nor_writes_memory(stack: LocalStack) -> None:
    client = stack.connect("mem-temp")
    client.say("Remember that my bike is blue.")
    wait_for_memory(client, "bike is blue")
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), temporary=True,
                            text="Remember that my boat is red. What colour is my bike?"))
    answer = client.read_answer()
    assert answer.done is not None and not answer.done.memories
    listing = client.request(ListConversations(action="listConversations"))
    assert isinstance(listing, Conversations)
    assert next(c for c in listing.conversations if c.conversation_id == answer.ack.conversation_id).temporary
    # Nothing learns from a temporary chat: not the worker as its answer ends (a model call before the digest
    # titles it), and not the digest, which titles the conversation before the step that would learn, and
    # learns nothing after it in a temporary chat. Once the title is written, the boat was never learnt.
    titled(stack, "mem-temp", answer.ack.conversation_id)
    assert not any("boat" in m.text for m in memories(client).memories)
    client.close()


def test_deleting_clearing_and_switching_memory_off(stack: LocalStack) -> None:
    client = stack.connect("mem-controls")
    told = client.say("Remember that my passport number is QX77123.")
    memory = next(m for m in wait_for_memory(client, "QX77123").memories if "QX77123" in m.text)

    deleted = client.request(DeleteMemory(action="deleteMemory", memory_id=memory.memory_id))
    assert deleted == MemoryDeleted(memory_id=memory.memory_id)
    assert not memories(client).memories
    history = client.request(GetHistory(action="getHistory", conversation_id=told.ack.conversation_id))
    assert isinstance(history, History)
    assert all("QX77123" not in m.text for m in history.messages)  # forgotten in the transcript too

    client.say("Remember that my gate code is 9090.")
    wait_for_memory(client, "9090")
    off = client.request(SetMemory(action="setMemory", enabled=False))
    assert isinstance(off, Memories) and off.enabled is False
    asked = client.say("What is my gate code?")
    assert asked.done is not None and not asked.done.memories  # off: nothing recalled
    cleared = client.request(ClearMemories(action="clearMemories"))
    assert isinstance(cleared, MemoriesCleared) and cleared.deleted >= 1
    assert memories(client).memories == []
    client.close()


def test_rename_and_memory_actions_never_reach_another_users_data(stack: LocalStack) -> None:
    alice, mallory = stack.connect("mem-alice"), stack.connect("mem-mallory")
    told = alice.say("Remember that my alarm code is 3141.")
    memory = next(m for m in wait_for_memory(alice, "3141").memories if "3141" in m.text)

    refused = mallory.request(DeleteMemory(action="deleteMemory", memory_id=memory.memory_id))
    assert isinstance(refused, ErrorFrame) and refused.code == "not_found"
    refused = mallory.request(RenameConversation(action="renameConversation",
                                                 conversation_id=told.ack.conversation_id, title="mine now"))
    assert isinstance(refused, ErrorFrame) and refused.code == "not_found"
    assert memories(mallory).memories == []
    assert mallory.request(ClearMemories(action="clearMemories")) == MemoriesCleared(deleted=0)
    assert any("3141" in m.text for m in memories(alice).memories)

    renamed = alice.request(RenameConversation(action="renameConversation",
                                               conversation_id=told.ack.conversation_id, title="  Codes  "))
    assert isinstance(renamed, ConversationChanged) and renamed.conversation.title == "Codes"
    alice.close()
    mallory.close()
