"""A turn's writes and the answer's life: what memory adds (recalled ids, temporary chats, the rescue's end)."""

from __future__ import annotations

import uuid

import pytest

from memchat.errors import RateLimited
from memchat.frames import MessageStatus
from memchat.memory import Memory
from memchat.memory.table import CONFLICT_ATTEMPTS
from memchat.memory.turns import TITLE_CHARS, first_words_title

from ..recorded import ALICE, BOB

NOW = 1_732_529_707_801
RECALLED = ["0123456789abcdef01234567", "89abcdef0123456701234567"]


def _send(memory, *, user=ALICE, temporary=False, conversation_id=None):
    return memory.store_user_message(user, conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                                     text="Where do I live?", now_ms=NOW, temporary=temporary)


def _answer(memory, turn, user=ALICE):
    return memory.message_pair(user, turn.conversation_id, turn.message_id, turn.reply_id)[1]


def test_the_first_words_title_is_one_line_and_bounded():
    assert first_words_title("Hello\n  there") == "Hello there"
    long = first_words_title("word " * 40)
    assert len(long) <= TITLE_CHARS and long.endswith("…")


def test_an_answer_keeps_the_ids_of_the_memories_its_prompt_carried(memory):
    turn = _send(memory)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="In Lisbon.", status=MessageStatus.COMPLETE,
                        tokens=3, recalled=RECALLED)

    answer = _answer(memory, turn)
    assert answer.recalled == tuple(RECALLED) and answer.view().recalled == RECALLED


def test_an_answer_that_recalled_nothing_says_nothing_of_it(memory):
    turn = _send(memory)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Hi.", status=MessageStatus.COMPLETE,
                        tokens=1, recalled=[])

    assert _answer(memory, turn).view().recalled is None


def test_a_new_temporary_conversation_is_listed_as_temporary(memory):
    _send(memory, temporary=True)
    _send(memory)

    assert sorted(c.temporary for c in memory.list_conversations(ALICE, cursor=None, limit=5).items) == [False, True]


def test_the_temporary_flag_does_not_apply_to_an_existing_conversation(memory):
    turn = _send(memory)
    _send(memory, conversation_id=turn.conversation_id, temporary=True)

    assert not memory.conversation(ALICE, turn.conversation_id).get("temporary")


@pytest.mark.parametrize("status", [MessageStatus.PENDING, MessageStatus.STREAMING])
def test_an_answer_no_worker_will_finish_is_ended_as_failed(memory, status):
    turn = _send(memory)
    if status is MessageStatus.STREAMING:
        memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id)

    assert memory.abandon_reply(ALICE, turn.conversation_id, turn.reply_id, error_code="internal") == {}
    answer = _answer(memory, turn)
    assert (answer.status, answer.error_code) == (MessageStatus.FAILED, "internal")


def test_an_answer_that_already_ended_is_not_abandoned(memory):
    turn = _send(memory)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="Lisbon.", status=MessageStatus.COMPLETE,
                        tokens=2)

    assert memory.abandon_reply(ALICE, turn.conversation_id, turn.reply_id, error_code="internal") is None
    assert _answer(memory, turn).status is MessageStatus.COMPLETE


def test_another_user_cannot_abandon_the_answer(memory):
    turn = _send(memory)

    assert memory.abandon_reply(BOB, turn.conversation_id, turn.reply_id, error_code="internal") is None
    assert _answer(memory, turn).status is MessageStatus.PENDING


def test_an_answer_finished_after_its_conversation_was_purged_stays_gone(memory):
    turn = _send(memory)
    memory.delete_conversation(ALICE, turn.conversation_id)
    memory.purge_messages(ALICE, turn.conversation_id)

    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="late", status=MessageStatus.COMPLETE,
                        tokens=1)
    assert memory.message_pair(ALICE, turn.conversation_id, turn.message_id, turn.reply_id) is None


# ---------------------------------------------------------------- conflicts at the seam


def _conflict(stub):
    stub.add_client_error("transact_write_items", service_error_code="TransactionCanceledException",
                          modeled_fields={"CancellationReasons": [
                              {"Code": "None"}, {"Code": "None"}, {"Code": "TransactionConflict"},
                              {"Code": "None"}, {"Code": "None"}]})


def test_a_turn_that_meets_another_turns_transaction_is_stored_on_a_retry(stub, sleeps):
    memory = Memory(stub.client, table_name="memchat-test-chat", rate_limit_per_minute=5, sleep=sleeps.append)
    _conflict(stub)
    stub.add_response("transact_write_items", {})

    assert _send(memory).created
    assert len(sleeps) == 1


def test_a_turn_that_keeps_conflicting_is_rate_limited(stub, sleeps):
    memory = Memory(stub.client, table_name="memchat-test-chat", rate_limit_per_minute=5, sleep=sleeps.append)
    for _ in range(CONFLICT_ATTEMPTS):
        _conflict(stub)

    with pytest.raises(RateLimited):
        _send(memory)
