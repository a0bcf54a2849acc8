"""Revising the end of a conversation: a regenerated answer, a continued one, an edited message; the
replaced ones stay in history as alternatives and leave every prompt."""

from __future__ import annotations

import uuid

import pytest

from memchat.errors import BadRequest, NotFound, RateLimited
from memchat.frames import FinishReason, MessageStatus
from memchat.memory import Memory

from ..recorded import ALICE, BOB, CONNECTION

NOW = 1_800_000_000_000


def _exchange(memory: Memory, text: str = "Hi", *, conversation_id: str | None = None, answer: str = "Hello.",
              status: MessageStatus = MessageStatus.COMPLETE, now_ms: int = NOW):
    turn = memory.store_user_message(ALICE, conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                                     text=text, now_ms=now_ms, connection_id=CONNECTION)
    memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w", now_ms=now_ms)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text=answer, status=status, tokens=4,
                        finish_reason=FinishReason.STOP if status is MessageStatus.COMPLETE else None)
    return turn


def _regenerate(memory: Memory, turn, *, user: str = ALICE, now_ms: int = NOW + 10):
    return memory.regenerate_reply(user, turn.conversation_id, turn.reply_id, now_ms=now_ms,
                                   connection_id=CONNECTION, start_grace_ms=60_000)


def _history(memory: Memory, conversation_id: str):
    return memory.history(ALICE, conversation_id, before=None, limit=50).items


def test_a_regenerated_answer_answers_the_same_message_and_keeps_the_old_one_as_an_alternative(memory):
    turn = _exchange(memory)

    exchange = _regenerate(memory, turn)

    assert exchange.message.message_id == turn.message_id
    new = exchange.answer
    assert (new.reply_to, new.status, new.text) == (turn.message_id, MessageStatus.PENDING, "")
    old = next(m for m in _history(memory, turn.conversation_id) if m.message_id == turn.reply_id)
    assert old.superseded_by == new.message_id and old.view().superseded is True and old.text == "Hello."
    assert memory.last_exchange(ALICE, turn.conversation_id).answer.message_id == new.message_id


def test_a_replaced_answer_is_left_out_of_the_next_prompt(memory):
    turn = _exchange(memory, "Name a city", answer="Paris.")
    exchange = _regenerate(memory, turn)
    memory.claim_reply(ALICE, turn.conversation_id, exchange.answer.message_id, owner="w", now_ms=NOW + 20)
    memory.finish_reply(ALICE, turn.conversation_id, exchange.answer.message_id, text="Rome.",
                        status=MessageStatus.COMPLETE, tokens=3)

    window = memory.prompt_window(ALICE, turn.conversation_id, before="f" * 24, budget=10_000)

    assert [m.text for m in window] == ["Name a city", "Rome."]


def test_only_the_latest_answer_once_it_ended_can_be_regenerated(memory):
    first = _exchange(memory)
    second = _exchange(memory, "And then?", conversation_id=first.conversation_id, now_ms=NOW + 5)
    with pytest.raises(BadRequest, match="latest answer"):
        _regenerate(memory, first)

    streaming = memory.store_user_message(ALICE, conversation_id=second.conversation_id,
                                          client_message_id=uuid.uuid4(), text="More", now_ms=NOW + 6)
    with pytest.raises(BadRequest, match="still being written"):
        _regenerate(memory, streaming)


def test_another_users_answer_cannot_be_regenerated_or_continued(memory):
    turn = _exchange(memory, status=MessageStatus.STOPPED)
    with pytest.raises(NotFound):
        _regenerate(memory, turn, user=BOB)
    with pytest.raises(NotFound):
        memory.continue_reply(BOB, turn.conversation_id, turn.reply_id, now_ms=NOW + 10, connection_id="b=",
                              start_grace_ms=60_000)
    assert memory.last_exchange(ALICE, turn.conversation_id).answer.message_id == turn.reply_id


def test_a_stopped_answer_is_continued_with_its_text_kept(memory):
    turn = _exchange(memory, answer="Once upon", status=MessageStatus.STOPPED)
    memory.request_stop(ALICE, turn.conversation_id, turn.reply_id)

    exchange = memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW + 10,
                                     connection_id="new=", start_grace_ms=60_000)

    assert exchange.answer.text == "Once upon"
    again = memory.message(ALICE, turn.conversation_id, turn.reply_id)
    assert (again.status, again.text) == (MessageStatus.PENDING, "Once upon")
    assert not memory.poll_answer(ALICE, turn.conversation_id, turn.reply_id).stop  # the old stop is spent
    assert memory.claim_reply(ALICE, turn.conversation_id, turn.reply_id, owner="w2", now_ms=NOW + 11,
                              prefix="Once upon")
    assert memory.message(ALICE, turn.conversation_id, turn.reply_id).text == "Once upon"


@pytest.mark.parametrize("status", [MessageStatus.COMPLETE, MessageStatus.FAILED])
def test_an_answer_that_ended_by_itself_cannot_be_continued(memory, status):
    turn = _exchange(memory, status=status)
    with pytest.raises(BadRequest, match="stopped or cut short"):
        memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW + 10, connection_id="c=",
                              start_grace_ms=60_000)


def test_an_answer_cut_at_the_length_limit_can_be_continued(memory):
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text="Tell",
                                     now_ms=NOW)
    memory.finish_reply(ALICE, turn.conversation_id, turn.reply_id, text="A long", tokens=400,
                        status=MessageStatus.COMPLETE, finish_reason=FinishReason.LENGTH)
    assert memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW + 10,
                                 connection_id="c=", start_grace_ms=60_000).answer.text == "A long"


def test_two_continues_of_one_answer_start_it_once(memory):
    turn = _exchange(memory, answer="Once", status=MessageStatus.INTERRUPTED)
    memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW + 10, connection_id="a=",
                          start_grace_ms=60_000)
    with pytest.raises(BadRequest):
        memory.continue_reply(ALICE, turn.conversation_id, turn.reply_id, now_ms=NOW + 11, connection_id="b=",
                              start_grace_ms=60_000)


def test_revisions_count_against_the_allowance(memory):
    turn = _exchange(memory)
    for n in range(memory._rate_limit - 1):  # the message itself was one
        exchange = _regenerate(memory, turn, now_ms=NOW + 10 + n)
        memory.finish_reply(ALICE, turn.conversation_id, exchange.answer.message_id, text="Again.",
                            status=MessageStatus.COMPLETE, tokens=3)
        turn = type(turn)(turn.conversation_id, turn.message_id, exchange.answer.message_id, True)
    with pytest.raises(RateLimited):
        _regenerate(memory, turn, now_ms=NOW + 50)


def test_an_edit_supersedes_the_last_message_and_its_answer(memory):
    turn = _exchange(memory, "Capital of Austria?", answer="Canberra.")

    edited = memory.store_user_message(ALICE, conversation_id=turn.conversation_id, client_message_id=uuid.uuid4(),
                                       text="Capital of Australia?", now_ms=NOW + 10,
                                       replaces=(turn.message_id, turn.reply_id))

    by_id = {m.message_id: m for m in _history(memory, turn.conversation_id)}
    assert by_id[turn.message_id].superseded_by == edited.message_id
    assert by_id[turn.reply_id].superseded_by == edited.message_id
    window = memory.prompt_window(ALICE, turn.conversation_id, before=edited.reply_id, budget=10_000)
    assert [m.text for m in window] == ["Capital of Australia?"]


def test_an_edit_of_a_message_already_replaced_is_not_found_and_stores_nothing(memory):
    turn = _exchange(memory)
    replaces = (turn.message_id, turn.reply_id)
    memory.store_user_message(ALICE, conversation_id=turn.conversation_id, client_message_id=uuid.uuid4(),
                              text="One", now_ms=NOW + 10, replaces=replaces)
    count = len(_history(memory, turn.conversation_id))
    with pytest.raises(NotFound, match="no longer"):
        memory.store_user_message(ALICE, conversation_id=turn.conversation_id, client_message_id=uuid.uuid4(),
                                  text="Two", now_ms=NOW + 20, replaces=replaces)
    assert len(_history(memory, turn.conversation_id)) == count
