"""The conversation list (listing.py): its pages, reads again, delete, rename, titles as shown."""

from __future__ import annotations

from memchat.errors import ErrorCode
from memchat.frames import (
    TITLE_MAX_CHARS,
    ConversationChanged,
    Conversations,
    DeleteConversation,
    Deleted,
    ErrorFrame,
    ListConversations,
    RenameConversation,
)
from memchat_mobile.state import ChatState
from tests.mobile.chats import asked, conversation, open_with
from tests.mobile.fakes import CONVERSATION, FakeOutbox, ack, done, turns, view


def test_coming_back_to_the_app_reads_the_list_again(state: ChatState, outbox: FakeOutbox) -> None:
    state.resume()

    assert outbox.of(ListConversations) and state.refreshing
    state.receive(Conversations(conversations=[]))
    assert not state.refreshing


def test_leaving_a_conversation_reads_the_list_again(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))

    state.close_conversation()

    assert outbox.of(ListConversations), "its answer or title may have changed the list"


def test_delete_all_deletes_each_conversation_page_after_page(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a1a1a1a1", "A"), conversation("b2b2b2b2", "B")],
                                cursor="next"))

    state.delete_all()

    assert [f.conversation_id for f in outbox.of(DeleteConversation)] == ["a1a1a1a1", "b2b2b2b2"]
    assert state.conversations == [] and outbox.of(ListConversations), "the list is read again for the rest"
    state.receive(Conversations(conversations=[conversation("c3c3c3c3", "C")]))
    assert [f.conversation_id for f in outbox.of(DeleteConversation)][-1] == "c3c3c3c3"
    outbox.frames.clear()
    state.receive(Conversations(conversations=[]))
    assert outbox.frames == [] and state.conversations == [], "done when the list comes back empty"


def test_the_list_is_replaced_by_a_first_page_and_extended_by_the_next(state: ChatState,
                                                                       outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Newest"), conversation("b" * 16, "Older")],
                                cursor="page-2"))

    state.load_more_conversations()
    assert outbox.last == ListConversations(action="listConversations", cursor="page-2")
    state.receive(Conversations(conversations=[conversation("c" * 16, "Oldest")]))

    assert [c.title for c in state.conversations] == ["Newest", "Older", "Oldest"]
    assert state.conversations_cursor is None
    state.receive(Conversations(conversations=[conversation("d" * 16, "Brand new"), conversation("a" * 16, "Newest")]))
    assert [c.title for c in state.conversations] == ["Brand new", "Newest"]


def test_delete_removes_the_conversation_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Keep"), conversation("b" * 16, "Drop")]))

    state.delete("b" * 16)
    state.receive(Deleted(conversation_id="b" * 16))

    assert outbox.last == DeleteConversation(action="deleteConversation", conversation_id="b" * 16)
    assert [c.title for c in state.conversations] == ["Keep"]


def test_a_conversation_deleted_elsewhere_closes_when_its_history_is_not_found(state: ChatState) -> None:
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Gone")]))
    state.open_conversation(CONVERSATION)

    state.receive(ErrorFrame(code=ErrorCode.NOT_FOUND, message="No such conversation.",
                             conversation_id=CONVERSATION))

    assert state.thread is None and state.conversations == []
    assert state.notice == "No such conversation."


def test_the_list_is_read_again_after_the_first_answer_for_the_model_title(state: ChatState,
                                                                          outbox: FakeOutbox) -> None:
    state.new_chat()
    state.send("Plan a trip to the Azores for me please")
    state.receive(ack(state.thread.messages[0].client_message_id, n=0))
    state.receive(done(1))
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Azores trip plan")]))

    assert [delay for delay, frame in outbox.later if isinstance(frame, ListConversations)]
    assert state.thread.title == "Azores trip plan", "the open chat's header follows the list"


def test_later_answers_do_not_read_the_titles_again(state: ChatState, outbox: FakeOutbox) -> None:
    asked(state, outbox)

    state.receive(done(3))

    assert not [frame for _, frame in outbox.later if isinstance(frame, ListConversations)]


def test_renaming_a_conversation_shows_the_new_title_at_once(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Old title"), conversation("b" * 16, "Other")]))
    state.open_conversation("a" * 16)

    assert state.rename("a" * 16, "  My   holiday  ")

    assert outbox.last == RenameConversation(action="renameConversation", conversation_id="a" * 16,
                                             title="My holiday")
    assert [c.title for c in state.conversations] == ["My holiday", "Other"]
    assert state.thread.title == "My holiday"


def test_the_server_s_answer_to_a_rename_replaces_the_row(state: ChatState) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Old title")]))

    state.receive(ConversationChanged(conversation=conversation("a" * 16, "New title")))

    assert [c.title for c in state.conversations] == ["New title"]


def test_a_blank_or_unchanged_title_is_not_sent(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Same")]))

    assert not state.rename("a" * 16, "   ")
    assert not state.rename("a" * 16, " Same ")
    assert outbox.frames == []


def test_a_long_title_is_cut_to_the_protocol_s_limit(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Conversations(conversations=[conversation("a" * 16, "Short")]))

    state.rename("a" * 16, "x" * 200)

    assert len(outbox.last.title) == TITLE_MAX_CHARS


def test_a_title_made_of_the_first_words_says_it_goes_on(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.send("What is my name and where do I live these days, do you remember any of it at all?")
    assert state.thread.title == "What is my name and where do I live these days, do you\u2026", \
        "the header's title before the server names it: whole words, and an ellipsis"
    state.receive(ack(state.thread.messages[0].client_message_id, n=0))
    state.receive(done(1))
    # The model's title failed: the server's fallback is the first six words.
    fallback = conversation(CONVERSATION, "What is my name and where")
    named = conversation("b" * 16, "Azores trip plan")
    state.receive(Conversations(conversations=[fallback, named]))

    assert state.display_title(fallback) == "What is my name and where\u2026"
    assert state.thread.title == "What is my name and where\u2026"
    assert state.display_title(named) == "Azores trip plan", "a title that is not the message's start is kept"


def test_a_conversation_opened_from_its_start_knows_its_first_message(state: ChatState, outbox: FakeOutbox) -> None:
    cut = conversation(CONVERSATION, "Where should I go in")
    state.receive(Conversations(conversations=[cut]))
    assert state.display_title(cut) == "Where should I go in", "the first message is not known yet"

    open_with(state, outbox, [view(0, "Where should I go in Portugal?"), view(1, "Lisbon.")])

    assert state.display_title(cut) == "Where should I go in\u2026"
    assert state.display_title(conversation(CONVERSATION, "Where should I go in Portugal?")) == \
        "Where should I go in Portugal?", "the whole message is not cut"
