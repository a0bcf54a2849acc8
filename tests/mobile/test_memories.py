"""The Memory screen's state and an answer's used memories: what each verb sends, what each frame changes."""

from __future__ import annotations

from memchat.frames import (
    ClearMemories,
    Conversations,
    ConversationView,
    DeleteMemory,
    ListMemories,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    MemorySource,
    MemoryView,
    SetMemory,
)
from memchat_mobile.memories import FORGOTTEN, UNDO_SECONDS
from memchat_mobile.state import ChatState
from tests.mobile.fakes import CONVERSATION, NOW, FakeOutbox, Timers, ack, done, history, memory, mid, turns, view

LISBON = memory(1, "Lives in: Lisbon")
LOCKER = memory(2, "Note: my locker code is 4521", conversation_id="b" * 16)


def listed(*memories, enabled: bool = True) -> Memories:
    return Memories(enabled=enabled, memories=list(memories), limit=200)


def conversation(conversation_id: str, title: str) -> ConversationView:
    return ConversationView(conversation_id=conversation_id, title=title, message_count=2, created_at=NOW,
                            updated_at=NOW)


# ---------------------------------------------------------------- the Memory screen


def test_opening_the_memory_screen_reads_the_memories(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_memories()
    assert state.showing_memories and state.memory.loading
    assert outbox.frames == [ListMemories(action="listMemories")]

    state.receive(listed(LOCKER, LISBON))

    assert [m.text for m in state.memory.memories] == [LOCKER.text, LISBON.text], "newest first, as sent"
    assert (state.memory.enabled, state.memory.limit, state.memory.loaded, state.memory.loading) == (
        True, 200, True, False)


OSLO = memory(3, "Lives in (past, until 2019): Oslo").model_copy(update={"ended_at": NOW, "until": "2019"})


def test_the_facts_told_as_over_come_after_the_memories_and_apart_from_them(state: ChatState) -> None:
    state.receive(Memories(enabled=True, memories=[LOCKER, LISBON], past=[OSLO], limit=200))

    assert state.memory.current == [LOCKER, LISBON] and state.memory.past == [OSLO]


def test_a_fact_told_as_over_is_deleted_and_undone_as_a_memory_is(state: ChatState, outbox: FakeOutbox,
                                                                  timers: Timers) -> None:
    state.receive(Memories(enabled=True, memories=[LISBON], past=[OSLO], limit=200))
    outbox.frames.clear()

    state.memory.delete(OSLO.memory_id)
    assert state.memory.past == [] and state.memory.current == [LISBON]
    state.memory.undo_delete()
    assert state.memory.past == [OSLO]

    state.memory.delete(OSLO.memory_id)
    timers.advance(UNDO_SECONDS)
    assert outbox.frames == [DeleteMemory(action="deleteMemory", memory_id=OSLO.memory_id)]


def test_a_reconnect_reads_the_open_memory_screen_again(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_memories()
    state.on_disconnected("The connection dropped.")
    outbox.frames.clear()

    state.on_connected()

    assert outbox.of(ListMemories)


def test_closing_the_memory_screen(state: ChatState) -> None:
    state.open_memories()

    state.close_memories()

    assert not state.showing_memories


def test_deleting_a_memory_removes_it_at_once_and_tells_the_server_when_undo_is_past(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.receive(listed(LOCKER, LISBON))
    outbox.frames.clear()

    state.memory.delete(LOCKER.memory_id)
    assert [m.text for m in state.memory.memories] == [LISBON.text]
    assert state.memory.undoable == LOCKER
    timers.advance(UNDO_SECONDS - 0.5)
    assert outbox.frames == [], "nothing is redacted while Undo is offered"

    timers.advance(0.5)
    state.receive(MemoryDeleted(memory_id=LOCKER.memory_id))

    assert outbox.frames == [DeleteMemory(action="deleteMemory", memory_id=LOCKER.memory_id)]
    assert state.memory.undoable is None
    assert [m.text for m in state.memory.memories] == [LISBON.text]


def test_undo_brings_a_deleted_memory_back_where_it_was_and_sends_nothing(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.receive(listed(LOCKER, LISBON))
    outbox.frames.clear()
    state.memory.delete(LOCKER.memory_id)

    state.memory.undo_delete()
    timers.advance(UNDO_SECONDS * 2)

    assert [m.text for m in state.memory.memories] == [LOCKER.text, LISBON.text]
    assert state.memory.undoable is None and outbox.frames == []


def test_a_second_deletion_sends_the_first_at_once_and_only_the_latest_can_be_undone(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.receive(listed(LOCKER, LISBON))
    outbox.frames.clear()

    state.memory.delete(LOCKER.memory_id)
    state.memory.delete(LISBON.memory_id)

    assert outbox.frames == [DeleteMemory(action="deleteMemory", memory_id=LOCKER.memory_id)]
    assert state.memory.undoable == LISBON and timers.waiting == 1


def test_a_memory_waiting_for_its_undo_window_stays_hidden_when_the_list_is_read(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.receive(listed(LOCKER, LISBON))
    state.memory.delete(LOCKER.memory_id)

    state.receive(listed(LOCKER, LISBON))

    assert [m.text for m in state.memory.memories] == [LISBON.text]


def test_a_deletion_whose_window_passes_offline_is_sent_on_reconnect(
        state: ChatState, outbox: FakeOutbox, timers: Timers) -> None:
    state.receive(listed(LOCKER, LISBON))
    state.memory.delete(LOCKER.memory_id)
    state.on_disconnected("The connection dropped.")
    outbox.frames.clear()

    timers.advance(UNDO_SECONDS)
    assert outbox.frames == [], "a frame sent offline is dropped"
    state.on_connected()

    assert DeleteMemory(action="deleteMemory", memory_id=LOCKER.memory_id) in outbox.frames


def test_a_memory_deleted_on_another_device_leaves_the_list(state: ChatState) -> None:
    state.receive(listed(LOCKER, LISBON))

    state.receive(MemoryDeleted(memory_id=LISBON.memory_id))

    assert [m.text for m in state.memory.memories] == [LOCKER.text]


def test_clear_all_empties_the_list(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(listed(LOCKER, LISBON))

    state.memory.clear()
    state.receive(MemoriesCleared(deleted=2))

    assert outbox.last == ClearMemories(action="clearMemories")
    assert state.memory.memories == []


def test_switching_memory_off_and_on(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(listed(LISBON))

    state.memory.set_enabled(False)
    assert state.memory.enabled is False
    state.receive(listed(LISBON, enabled=False))
    state.memory.set_enabled(False)  # the switch repeating itself sends nothing more
    state.memory.set_enabled(True)

    assert outbox.frames == [SetMemory(action="setMemory", enabled=False), SetMemory(action="setMemory", enabled=True)]


def test_a_memory_names_the_conversation_it_came_from(state: ChatState) -> None:
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Moving house")]))

    assert state.source_of(LISBON).title == "Moving house"
    assert state.source_of(LOCKER) is None, "its conversation is not in the list"
    assert state.all_conversations_loaded


def test_a_source_not_yet_in_a_paged_list_may_still_exist(state: ChatState) -> None:
    state.receive(Conversations(conversations=[conversation(CONVERSATION, "Moving house")], cursor="page-2"))

    assert state.source_of(LOCKER) is None and not state.all_conversations_loaded


# ---------------------------------------------------------------- the memories an answer used


def answered(state: ChatState, outbox: FakeOutbox, **done_options):
    state.open_conversation(CONVERSATION)
    state.receive(history(turns(0, 1)))
    state.send("Where do I live?")
    state.receive(ack(state.thread.messages[-1].client_message_id, n=2))
    state.receive(done(3, **done_options))
    outbox.frames.clear()
    return state.thread.messages[-1]


def test_a_live_answer_shows_the_memories_its_done_frame_named(state: ChatState, outbox: FakeOutbox) -> None:
    answer = answered(state, outbox, memories=[LISBON, LOCKER])

    assert answer.recalled == [LISBON.memory_id, LOCKER.memory_id]
    assert state.memory.used(answer) == [LISBON.text, LOCKER.text]
    assert not outbox.of(ListMemories), "the texts came with the answer"


def test_an_answer_without_memories_shows_none(state: ChatState, outbox: FakeOutbox) -> None:
    answer = answered(state, outbox)

    assert answer.recalled == [] and state.memory.used(answer) == []


def test_a_memory_deleted_after_the_answer_is_no_longer_shown_on_it(state: ChatState, outbox: FakeOutbox) -> None:
    answer = answered(state, outbox, memories=[LISBON, LOCKER])
    state.receive(listed(LOCKER, LISBON))

    state.memory.delete(LOCKER.memory_id)

    assert state.memory.used(answer) == [LISBON.text, FORGOTTEN]


def test_history_answers_resolve_their_memory_ids_against_the_list(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    outbox.frames.clear()
    deleted = "ffff00000000dead"

    state.receive(history([view(0, "Where do I live?"),
                           view(1, "In Lisbon.", recalled=[LISBON.memory_id, deleted])]))
    answer = state.thread.messages[1]
    assert state.memory.used(answer) == [None, None], "unknown until the list is read"
    assert outbox.frames == [ListMemories(action="listMemories")]
    state.receive(listed(LOCKER, LISBON))

    assert state.memory.used(answer) == [LISBON.text, FORGOTTEN]


def test_a_list_lost_with_the_connection_is_asked_for_again(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    state.receive(history([view(0, "Hi"), view(1, "Hello.", recalled=[LISBON.memory_id])]))
    state.on_disconnected("The connection dropped.")
    state.on_connected()
    outbox.frames.clear()

    state.receive(history([view(0, "Hi"), view(1, "Hello.", recalled=[LISBON.memory_id])]))

    assert outbox.frames == [ListMemories(action="listMemories")]


def test_the_list_is_read_once_for_many_history_pages(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    outbox.frames.clear()

    state.receive(history([view(0, "Hi"), view(1, "Hello.", recalled=[LISBON.memory_id])]))
    state.receive(history([view(0, "Hi"), view(1, "Hello.", recalled=[LISBON.memory_id])]))

    assert len(outbox.of(ListMemories)) == 1


def test_a_memory_learnt_again_is_shown_again(state: ChatState, outbox: FakeOutbox) -> None:
    """A memory's id follows from what it says: deleted, then said again, it comes back with the same id."""
    state.receive(listed(LISBON))
    state.memory.delete(LISBON.memory_id)

    answer = answered(state, outbox, memories=[LISBON])

    assert state.memory.used(answer) == [LISBON.text]


# ---------------------------------------------------------------- what deleting a conversation takes with it


def test_deleting_a_conversation_takes_the_memories_learnt_only_there(state: ChatState) -> None:
    other = "b" * 16
    elsewhere_too = MemoryView(memory_id="aaaa00000000000a", subject="diet", text="Diet: vegetarian",
                               created_at=NOW, updated_at=NOW,
                               sources=[MemorySource(conversation_id=CONVERSATION, message_id=mid(2)),
                                        MemorySource(conversation_id=other, message_id=mid(4))])
    state.receive(listed(LOCKER, elsewhere_too, LISBON))

    assert state.memory.learnt_only_in(CONVERSATION) == [LISBON], \
        "the server's rule: a memory also learnt in another conversation stays (without this source)"
    assert state.memory.learnt_only_in(other) == [LOCKER]
    assert state.memory.learnt_only_in("c" * 16) == []


# ---------------------------------------------------------------- "Memory updated" under the answer


def test_an_answer_whose_question_taught_a_memory_says_so(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    outbox.frames.clear()
    state.receive(history(turns(0, 3)))
    assert outbox.frames == [ListMemories(action="listMemories")], "opening a conversation reads the memories"
    # LISBON was learnt from mid(0) here; LOCKER from mid(0) of another conversation: not this message.
    state.receive(listed(LOCKER, LISBON))

    first, second = state.thread.messages[1], state.thread.messages[3]

    assert state.taught(first) == [LISBON]
    assert state.taught(second) == []
    assert state.taught(state.thread.messages[0]) == [], "said under the answer, not the question"


def test_after_an_answer_the_memories_are_read_again_to_find_what_it_taught(state: ChatState,
                                                                            outbox: FakeOutbox) -> None:
    answer = answered(state, outbox)
    assert [frame for _, frame in outbox.later if isinstance(frame, ListMemories)], "the digest's pace is unknown"
    assert state.taught(answer) == []

    learnt = memory(3, "Lives in: Porto", message=2)
    state.receive(listed(learnt, LISBON))

    assert state.taught(answer) == [learnt]


def test_a_temporary_chat_never_looks_for_what_it_taught(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat(temporary=True)
    state.send("I live in Porto")
    state.receive(ack(state.thread.messages[0].client_message_id, n=0))
    state.receive(done(1))

    assert not [frame for _, frame in outbox.later if isinstance(frame, ListMemories)]


def test_a_dialog_that_needs_the_list_offline_does_not_block_the_next_read(state: ChatState,
                                                                           outbox: FakeOutbox) -> None:
    state.on_disconnected("The connection dropped.")
    state.memory.ensure_loaded()  # the delete dialog opened offline: a frame now would be dropped
    assert not state.memory.loading
    state.on_connected()
    outbox.frames.clear()

    state.memory.ensure_loaded()

    assert outbox.frames == [ListMemories(action="listMemories")]
