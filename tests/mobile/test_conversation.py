"""The open conversation (conversation.py): opening, paging, history merged in, temporary chats, the draft."""

from __future__ import annotations

from memchat.errors import ErrorCode
from memchat.frames import (
    Conversations,
    ErrorFrame,
    MessageStatus,
    ResumeAnswer,
    SendMessage,
)
from memchat_mobile.state import ChatState
from tests.mobile.chats import asked, conversation, open_with, texts
from tests.mobile.fakes import CONVERSATION, FakeOutbox, ack, delta, done, history, mid, turns, view


def test_opening_a_conversation_reads_its_newest_page(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Greetings")]))

    state.open_conversation(CONVERSATION)
    [request] = outbox.frames
    state.receive(history(turns(4, 7), before=mid(4)))

    assert (request.conversation_id, request.before) == (CONVERSATION, None)
    assert state.thread.title == "Greetings"
    assert texts(state) == [f"message {n}" for n in range(4, 8)]
    assert state.thread.loaded and state.thread.has_older


def test_scrolling_up_prepends_the_page_before(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, [])
    state.receive(history(turns(4, 7), before=mid(4)))

    state.load_older()
    state.load_older()  # a second scroll event while the page is on its way asks nothing more
    [request] = outbox.frames
    state.receive(history(turns(0, 3)))

    assert request.before == mid(4)
    assert texts(state) == [f"message {n}" for n in range(8)]
    assert not state.thread.has_older and not state.thread.loading_older


def test_a_refresh_keeps_older_pages_and_adds_what_is_new(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(4, 7))
    state.thread.before = mid(4)
    state.load_older()
    state.receive(history(turns(0, 3)))

    state.receive(history(turns(6, 9), before=mid(6)))

    assert texts(state) == [f"message {n}" for n in range(10)]
    assert state.thread.before is None, "the older pages stay loaded"


def test_a_refresh_after_a_long_gap_starts_over_from_the_page(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))

    state.receive(history(turns(40, 43), before=mid(40)))

    assert texts(state) == [f"message {n}" for n in range(40, 44)]
    assert state.thread.before == mid(40)


def test_history_never_turns_a_finished_answer_back_into_a_streaming_one(state: ChatState,
                                                                          outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "All of it."))
    state.receive(done(3))

    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "All", status=MessageStatus.STREAMING)]))

    assert (answer.text, answer.status) == ("All of it.", MessageStatus.COMPLETE)
    assert not outbox.of(ResumeAnswer)


def test_a_message_acked_after_the_page_was_read_is_kept(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    state.send("Fresh")
    state.receive(ack(state.thread.messages[-1].client_message_id, n=2))
    state.receive(delta(3, 0, "Still streaming"))

    state.receive(history(turns(0, 1)))  # read by the server just before it stored "Fresh"

    assert texts(state) == ["message 0", "message 1", "Fresh", "Still streaming"]
    assert state.thread.answering is state.thread.messages[-1]


def test_a_page_read_mid_stream_does_not_replace_the_live_answer(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Streaming here"))

    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "", status=MessageStatus.STREAMING)]))
    state.receive(delta(3, 1, " still"))

    assert state.thread.messages[-1] is answer
    assert answer.text == "Streaming here still"


def test_a_new_chat_left_empty_sends_nothing(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.close_conversation()

    assert state.thread is None
    assert outbox.frames == []


def test_a_temporary_chat_says_so_in_its_first_message(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.set_temporary(True)

    state.send("Just between us")

    assert state.thread.temporary
    assert outbox.last.temporary and outbox.last.conversation_id is None


def test_a_chat_is_not_temporary_unless_asked(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()

    state.send("Remember this")

    assert not state.thread.temporary and not outbox.last.temporary


def test_a_chat_cannot_become_temporary_once_started(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.send("First words")
    state.receive(ack(state.thread.messages[0].client_message_id, n=0))

    state.set_temporary(True)
    state.receive(done(1))
    state.send("More words")

    assert not state.thread.temporary
    assert [f.temporary for f in outbox.of(SendMessage)] == [False, False]


def test_only_the_first_message_of_a_temporary_chat_carries_the_flag(state: ChatState, outbox: FakeOutbox) -> None:
    """The server refuses `temporary` with a conversationId: the conversation already is temporary."""
    state.new_chat(temporary=True)
    state.send("One")
    state.receive(ack(state.thread.messages[0].client_message_id, n=0))
    state.receive(done(1))

    state.send("Two")

    assert [(f.conversation_id, f.temporary) for f in outbox.of(SendMessage)] == [(None, True), (CONVERSATION, False)]
    assert state.thread.temporary


def test_a_not_sent_first_message_is_retried_as_temporary(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat(temporary=True)
    state.send("Off the record")
    message = state.thread.messages[0]
    state.receive(ErrorFrame(code=ErrorCode.RATE_LIMITED, message="Wait.", client_message_id=message.client_message_id))

    state.retry(message)

    assert [f.temporary for f in outbox.of(SendMessage)] == [True, True]


def test_a_temporary_conversation_opens_marked_temporary(state: ChatState) -> None:
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Secret", temporary=True)]))

    state.open_conversation(CONVERSATION)

    assert state.thread.temporary


def test_only_a_text_the_app_puts_in_the_composer_is_a_new_revision(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    draft = state.thread.draft
    draft.type("Hello")
    assert draft.revision == 0, "typing is the field's own change"

    state.send("Hello")
    assert (draft.text, draft.revision) == ("", 1), "sending clears the field"
