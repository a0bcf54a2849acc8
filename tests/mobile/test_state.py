"""ChatState itself (state.py): the socket's lifecycle (offline, reconnecting), the frames' dispatch, notices."""

from __future__ import annotations

import time

from memchat.errors import ErrorCode
from memchat.frames import (
    ErrorFrame,
    GetHistory,
    GetLimits,
    Limits,
    ListConversations,
    MessageChanged,
    MessageStatus,
    ResumeAnswer,
    Resumed,
    SendMessage,
)
from memchat_mobile.outgoing import ANSWER_SILENCE_SECONDS
from memchat_mobile.state import ChatState, Link
from tests.mobile.chats import asked, open_with
from tests.mobile.fakes import CONVERSATION, FakeOutbox, Timers, delta, done, history, mid, turns, view


def test_a_message_written_offline_waits_and_goes_on_reconnect(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.on_disconnected("The connection dropped.")

    assert state.link is Link.OFFLINE and state.can_send, "the draft is not lost: it waits for the connection"
    assert state.send("Sent from the tunnel")
    [message] = state.thread.messages
    assert message.sending and isinstance(outbox.last, SendMessage), "queued (the client sends it on connect)"


def test_offline_the_state_knows_when_the_next_attempt_is(state: ChatState) -> None:
    state.on_disconnected("Cannot reach the server at 127.0.0.1:8765.", retry_in=8.0)

    assert state.link_detail == "Cannot reach the server at 127.0.0.1:8765."
    assert 7.0 < state.retry_at - time.monotonic() <= 8.0

    state.on_connecting()
    assert state.retry_at is None


def test_an_answer_cut_by_a_drop_is_resumed_from_the_deltas_it_has(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Half "))
    state.receive(delta(3, 1, "an ans"))

    state.on_disconnected("The connection dropped.")
    assert answer.status is MessageStatus.STREAMING, "not given up: the next connection resumes it"
    state.on_connecting()
    state.on_connected()

    [resume] = outbox.of(ResumeAnswer)
    assert (resume.conversation_id, resume.message_id, resume.seq) == (CONVERSATION, mid(3), 2)
    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "Half", status=MessageStatus.STREAMING)]))
    assert state.thread.messages[-1] is answer and answer.text == "Half an ans", "a stale page changes nothing"

    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=2, seq=4, text="wer, and "))
    state.receive(delta(3, 4, "more."))
    state.receive(done(3))

    assert (answer.text, answer.status) == ("Half an answer, and more.", MessageStatus.COMPLETE)


def test_reconnecting_reads_the_list_and_the_open_conversation_again(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    state.on_disconnected("The connection dropped.")

    state.on_connecting()
    assert state.link is Link.RECONNECTING
    state.on_connected()

    assert [type(f) for f in outbox.frames] == [GetLimits, ListConversations, GetHistory]
    assert outbox.last.conversation_id == CONVERSATION


def test_the_composer_limit_comes_from_the_server(state: ChatState, outbox: FakeOutbox) -> None:
    state.on_connected()
    assert outbox.of(GetLimits)

    state.receive(Limits(max_message_chars=2958, messages_per_minute=30, max_memories=100))

    assert state.max_message_chars == 2958


def test_an_error_about_nothing_on_screen_becomes_a_notice(state: ChatState) -> None:
    state.receive(ErrorFrame(code=ErrorCode.INTERNAL, message="Something went wrong."))

    assert state.notice == "Something went wrong."


def test_copying_says_what_was_copied(state: ChatState) -> None:
    state.note_copied("Canberra is the capital.")

    assert state.copied == "Canberra is the capital." and state.notice == "Copied to the clipboard."
    state.note_copied("print('hi')")
    assert state.copied == "print('hi')", "the earlier Copy button says Copy again"


def test_a_resumed_answer_that_hears_nothing_is_asked_for_again_and_its_end_shown(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    # After a reload: the conversation read back with its answer being written, followed from its saved text.
    state.open_conversation(CONVERSATION)
    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "Half", status=MessageStatus.STREAMING)]))
    answer = state.thread.messages[-1]
    [first] = outbox.of(ResumeAnswer)

    # The answer ends on the server and this socket is never told (the follow was lost on the way).
    timers.advance(ANSWER_SILENCE_SECONDS)

    [again] = outbox.of(ResumeAnswer)[1:]
    assert (again.message_id, again.seq) == (first.message_id, first.seq) == (mid(3), 0)
    state.receive(MessageChanged(conversation_id=CONVERSATION, message=view(3, "Half an answer.")))
    assert (answer.text, answer.status) == ("Half an answer.", MessageStatus.COMPLETE)
    assert state.thread.answering is None
    timers.advance(ANSWER_SILENCE_SECONDS)
    assert len(outbox.of(ResumeAnswer)) == 2, "an answer that ended is left alone"


def test_an_answer_that_keeps_coming_is_not_asked_for_again_until_it_falls_silent(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    _, answer = asked(state, outbox)
    for seq in range(3):  # a delta in every look
        state.receive(delta(3, seq, f"part {seq} "))
        timers.advance(ANSWER_SILENCE_SECONDS)
    assert not outbox.of(ResumeAnswer)

    timers.advance(ANSWER_SILENCE_SECONDS)  # a whole look without a frame

    [resume] = outbox.of(ResumeAnswer)
    assert (resume.message_id, resume.seq) == (mid(3), 3), "from the deltas it has"
    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=3, seq=4, text="and the end."))
    state.receive(done(3))
    assert (answer.text, answer.status) == ("part 0 part 1 part 2 and the end.", MessageStatus.COMPLETE)


def test_offline_a_silent_answer_waits_for_the_connection(state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    asked(state, outbox)
    state.on_disconnected("The connection dropped.")

    timers.advance(ANSWER_SILENCE_SECONDS * 3)

    assert not outbox.frames, "nothing is sent offline: the next connection resumes it"
