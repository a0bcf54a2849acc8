"""Reading back for a prompt: the conversation's item with its window in one Query, and single messages."""

from __future__ import annotations

import uuid

import pytest

from memchat.errors import NotFound
from memchat.frames import MessageStatus, Role

from ..recorded import ALICE, BOB

NOW = 1_732_529_707_801


def _conversation(memory, turns: int, *, user=ALICE):
    conversation, ids = None, []
    for i in range(turns):
        turn = memory.store_user_message(user, conversation_id=conversation, client_message_id=uuid.uuid4(),
                                         text=f"question {i}", now_ms=NOW + i * 60_000)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=f"answer {i}",
                            status=MessageStatus.COMPLETE, tokens=10)
        conversation = turn.conversation_id
        ids += [turn.message_id, turn.reply_id]
    return conversation, ids


def test_recent_reads_the_conversation_item_and_the_window_in_one_query(memory):
    conversation, ids = _conversation(memory, 3)
    memory.save_summary(ALICE, conversation, text="Earlier talk.", through=ids[0], previous_through=None)
    before = memory.calls

    found, window = memory.recent(ALICE, conversation, before="f" * 24, budget=10_000)

    assert memory.calls - before == 1
    assert (found["conversationId"], found["summary"]) == (conversation, "Earlier talk.")
    assert [m.message_id for m in window] == ids


def test_recent_leaves_out_this_turns_messages_and_later_ones(memory):
    conversation, ids = _conversation(memory, 3)

    _, window = memory.recent(ALICE, conversation, before=ids[4], budget=10_000)

    assert [m.message_id for m in window] == ids[:4]


def test_recent_keeps_the_newest_messages_that_fit_the_budget(memory):
    conversation, ids = _conversation(memory, 3)
    question_tokens = memory.message_pair(ALICE, conversation, ids[4], ids[5])[0].tokens

    _, window = memory.recent(ALICE, conversation, before="f" * 24, budget=question_tokens + 10)

    assert [m.message_id for m in window] == ids[4:]


def test_recent_leaves_out_answers_without_text(memory):
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text="hi",
                                     now_ms=NOW)

    _, window = memory.recent(ALICE, turn.conversation_id, before="f" * 24, budget=10_000)

    assert [(m.role, m.message_id) for m in window] == [(Role.USER, turn.message_id)]


def test_recent_pages_through_a_window_longer_than_one_page(memory):
    conversation, ids = _conversation(memory, 6)

    _, window = memory.recent(ALICE, conversation, before="f" * 24, budget=10_000, page_size=3)

    assert [m.message_id for m in window] == ids


def test_another_users_recent_read_finds_nothing(memory):
    conversation, _ = _conversation(memory, 2)
    assert memory.recent(BOB, conversation, before="f" * 24, budget=10_000) == (None, [])


def test_a_message_pair_is_none_once_either_message_is_gone(memory):
    conversation, ids = _conversation(memory, 1)

    question, answer = memory.message_pair(ALICE, conversation, ids[0], ids[1])
    assert (question.text, answer.text) == ("question 0", "answer 0")
    assert memory.message_pair(ALICE, conversation, ids[0], "f" * 24) is None
    assert memory.message_pair(BOB, conversation, ids[0], ids[1]) is None


def test_another_user_cannot_read_the_conversation_item(memory):
    conversation, _ = _conversation(memory, 1)
    with pytest.raises(NotFound):
        memory.conversation(BOB, conversation)
