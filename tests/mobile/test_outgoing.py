"""What is sent and what comes back (outgoing.py): send, ack, stream, stop, errors, retry, regenerate, continue,
edit."""

from __future__ import annotations

import time

from memchat.errors import ErrorCode
from memchat.frames import (
    ContinueAnswer,
    EditMessage,
    ErrorFrame,
    FinishReason,
    GetHistory,
    Limits,
    ListConversations,
    MessageChanged,
    MessageStatus,
    RegenerateAnswer,
    ResumeAnswer,
    Resumed,
    Role,
    SendMessage,
    Started,
    StopGeneration,
    Waking,
)
from memchat_mobile.message import waking_text
from memchat_mobile.state import ChatState
from tests.mobile.chats import asked, open_with, texts
from tests.mobile.fakes import CONVERSATION, FakeOutbox, ack, delta, done, history, mid, turns, view


def test_a_sent_message_appears_at_once_as_sending(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()

    assert state.send("  Hello there  ")

    [message] = state.thread.messages
    assert (message.role, message.text, message.sending) == (Role.USER, "Hello there", True)
    [frame] = outbox.frames
    assert isinstance(frame, SendMessage)
    assert (frame.conversation_id, frame.client_message_id, frame.text) == (None, message.client_message_id,
                                                                            "Hello there")


def test_blank_text_is_not_sent(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()

    assert not state.send(" \n ")
    assert outbox.frames == [] and state.thread.messages == []


def test_the_ack_marks_the_message_sent_and_adds_a_pending_answer(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    state.send("Next question")
    question = state.thread.messages[-1]

    state.receive(ack(question.client_message_id, n=2))

    assert (question.status, question.message_id, question.sending) == (MessageStatus.SENT, mid(2), False)
    answer = state.thread.messages[-1]
    assert (answer.role, answer.status, answer.message_id, answer.reply_to) == (
        Role.ASSISTANT, MessageStatus.PENDING, mid(3), mid(2))
    assert state.thread.answering is answer


def test_a_new_chat_takes_its_conversation_id_from_the_ack(state: ChatState, outbox: FakeOutbox) -> None:
    state.new_chat()
    state.send("Start something new")

    state.receive(ack(state.thread.messages[0].client_message_id, n=0, conversation_id="abcdef0123456789"))

    assert state.thread.conversation_id == "abcdef0123456789"
    assert state.thread.title == "Start something new"
    assert outbox.of(ListConversations), "the new conversation is fetched into the list"


def test_a_second_message_waits_for_the_first_ack_of_a_new_chat(state: ChatState) -> None:
    state.new_chat()
    state.send("One")

    assert not state.can_send
    assert not state.send("Two")


def test_deltas_grow_the_answer_and_done_completes_it(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)

    state.receive(delta(3, 0, "Hel"))
    assert (answer.text, answer.status) == ("Hel", MessageStatus.STREAMING)
    state.receive(delta(3, 1, "lo!"))
    state.receive(done(3))

    assert (answer.text, answer.status, answer.finish_reason) == ("Hello!", MessageStatus.COMPLETE,
                                                                 FinishReason.STOP)
    assert state.thread.answering is None and state.can_send
    assert outbox.of(ListConversations), "the list is re-read: it is ordered by activity"


def test_deltas_out_of_order_are_put_back_in_seq_order(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)

    state.receive(delta(3, 1, "world"))
    assert answer.text == ""
    state.receive(delta(3, 0, "Hello "))

    assert answer.text == "Hello world"


def test_a_repeated_delta_is_applied_once(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)

    for seq, text in [(0, "a"), (1, "b"), (1, "b"), (0, "a"), (2, "c")]:
        state.receive(delta(3, seq, text))

    assert answer.text == "abc"


def test_a_missing_delta_makes_done_read_the_answer_back(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Hel"))
    state.receive(delta(3, 2, "!"))

    state.receive(done(3))
    [request] = outbox.of(GetHistory)
    state.receive(history([*turns(0, 1), view(2, "Tell me more"), view(3, "Hello!")]))

    assert request.conversation_id == CONVERSATION
    assert answer.text == "Hello!"
    assert texts(state).count("Hello!") == 1


def test_stop_asks_the_server_to_stop_the_streaming_answer(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Once upon"))

    state.stop()
    [frame] = outbox.frames
    state.receive(done(3, FinishReason.STOPPED))

    assert isinstance(frame, StopGeneration)
    assert (frame.conversation_id, frame.message_id) == (CONVERSATION, mid(3))
    assert (answer.text, answer.status, answer.stopping) == ("Once upon", MessageStatus.STOPPED, False)


def test_stop_before_the_ack_is_sent_as_soon_as_the_answer_has_an_id(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    state.send("Long story please")
    question = state.thread.messages[-1]

    state.stop()
    assert not outbox.of(StopGeneration)
    state.receive(ack(question.client_message_id, n=2))

    [frame] = outbox.of(StopGeneration)
    assert frame.message_id == mid(3)
    assert state.thread.messages[-1].stopping


def test_a_refused_message_is_marked_not_sent_and_retry_resends_the_same_id(state: ChatState,
                                                                             outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    state.send("Too fast")
    message = state.thread.messages[-1]
    first = outbox.last

    state.receive(ErrorFrame(code=ErrorCode.RATE_LIMITED, message="Wait a moment.",
                             client_message_id=message.client_message_id, conversation_id=CONVERSATION))
    assert (message.not_sent, message.error, message.can_retry) == (True, "Wait a moment.", True)
    state.retry(message)

    again = outbox.last
    assert again is not first and again == first, "the same frame again: same clientMessageId, stored once"
    assert message.sending and message.error is None


def test_a_message_refused_as_too_long_keeps_its_text_to_edit_and_is_not_retried(state: ChatState,
                                                                                 outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    long_text = "word " * 740
    state.send(long_text)
    message = state.thread.messages[-1]
    state.receive(ErrorFrame(code=ErrorCode.TOO_LARGE, message="The message is too long for the model to read: "
                             "please shorten it.", client_message_id=message.client_message_id,
                             conversation_id=CONVERSATION))

    assert message.not_sent and message.text == long_text.strip(), "the text is still on screen"
    assert message.refused and not message.can_retry, "the same text would be refused again"
    assert "Shorten it or split it" in message.error, "the token budget in words a user understands"

    state.edit_unsent(message)

    assert message not in state.thread.messages
    assert state.thread.draft.text == long_text.strip(), "back in the composer, to edit and send again"


def test_a_refusal_that_names_the_limit_keeps_the_server_s_words(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 1))
    state.send("x" * 10)
    message = state.thread.messages[-1]
    words = "The message is 5012 characters long; the limit is 4000."

    state.receive(ErrorFrame(code=ErrorCode.TOO_LARGE, message=words, client_message_id=message.client_message_id))

    assert message.error == words


def test_sending_clears_the_draft_and_a_refused_send_keeps_it(state: ChatState, outbox: FakeOutbox) -> None:
    asked(state, outbox)
    state.thread.draft.text = "And then?"

    assert not state.send("And then?"), "an answer is still streaming"
    assert state.thread.draft.text == "And then?" and outbox.frames == []
    assert "still answering" in state.notice, "Enter while an answer streams says why nothing happened"

    state.receive(done(3))
    assert state.send("And then?")
    assert state.thread.draft.text == ""


def test_live_messages_carry_a_time_as_history_does(state: ChatState, outbox: FakeOutbox) -> None:
    question, answer = asked(state, outbox)

    assert question.created_at is not None and answer.created_at is not None


def test_a_failed_answer_keeps_its_text_and_shows_the_error(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Partial"))

    state.receive(ErrorFrame(code=ErrorCode.MODEL_ERROR, message="The model failed.", conversation_id=CONVERSATION,
                             message_id=mid(3)))

    assert (answer.text, answer.status, answer.error) == ("Partial", MessageStatus.FAILED, "The model failed.")
    assert state.can_regenerate(answer), "Retry answers it again"
    assert state.can_send


def test_retrying_a_failed_answer_regenerates_it_instead_of_asking_again(state: ChatState,
                                                                         outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(ErrorFrame(code=ErrorCode.MODEL_UNAVAILABLE, message="Try later.", conversation_id=CONVERSATION,
                             message_id=mid(3)))
    outbox.frames.clear()

    state.retry(answer)

    [frame] = outbox.frames
    assert isinstance(frame, RegenerateAnswer) and (frame.conversation_id, frame.message_id) == (CONVERSATION,
                                                                                              mid(3))
    assert not outbox.of(SendMessage), "the question is not sent again as a new message"


def test_a_catch_up_that_does_not_start_where_the_text_ends_is_ignored(state: ChatState,
                                                                       outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "One "))

    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=0, seq=1, text="One "))
    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=3, seq=5, text="later"))
    assert answer.text == "One ", "no repeat, and no text after a gap"

    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=1, seq=3, text="two three "))
    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=3, seq=3, text=""))
    state.receive(delta(3, 3, "four"))
    assert answer.text == "One two three four", "catch-ups chain, then the live deltas go on from their seq"


def test_an_answer_streaming_in_history_is_followed_from_its_saved_seq(state: ChatState, outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    outbox.frames.clear()
    streaming = view(3, "Saved so far", status=MessageStatus.STREAMING).model_copy(update={"seq": 7})

    state.receive(history([*turns(0, 2), streaming]))

    [resume] = outbox.of(ResumeAnswer)
    assert (resume.message_id, resume.seq) == (mid(3), 7)
    assert state.thread.answering is state.thread.messages[-1], "a Stop button, as for an answer asked here"
    state.receive(Resumed(conversation_id=CONVERSATION, message_id=mid(3), from_seq=7, seq=9, text=" and on"))
    assert state.thread.messages[-1].text == "Saved so far and on"


def test_an_answer_whose_worker_died_shows_as_interrupted_on_another_device(state: ChatState,
                                                                             outbox: FakeOutbox) -> None:
    state.open_conversation(CONVERSATION)
    streaming = view(3, "Saved text", status=MessageStatus.STREAMING).model_copy(update={"seq": 4})
    state.receive(history([*turns(0, 2), streaming]))
    answer = state.thread.messages[-1]
    outbox.frames.clear()

    state.receive(ErrorFrame(code=ErrorCode.INTERNAL, message="The answer was interrupted before it finished.",
                             conversation_id=CONVERSATION, message_id=mid(3)))
    assert state.thread.answering is None, "no Stop button left on an answer nobody writes"
    assert outbox.of(GetHistory), "how it ended is read back"
    state.receive(history([*turns(0, 2), view(3, "Saved text", status=MessageStatus.INTERRUPTED)]))

    assert (answer.status, answer.text) == (MessageStatus.INTERRUPTED, "Saved text")
    assert state.can_regenerate(answer) and state.can_continue(answer), "Retry and Continue are offered"


def test_an_answer_that_ended_while_away_comes_back_whole(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Partial"))
    state.on_disconnected("The connection dropped.")
    state.on_connected()

    state.receive(MessageChanged(conversation_id=CONVERSATION, message=view(3, "Partial, then the whole answer.")
                                 .model_copy(update={"finish_reason": FinishReason.STOP})))

    assert (answer.text, answer.status) == ("Partial, then the whole answer.", MessageStatus.COMPLETE)
    assert state.thread.answering is None and state.can_send


def test_regenerating_keeps_the_earlier_answer_as_an_alternative(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    old = state.thread.messages[-1]

    assert state.regenerate(old)
    state.receive(Started(conversation_id=CONVERSATION, message_id=mid(5), reply_to=mid(2), replaces=mid(3)))
    state.receive(delta(5, 0, "A new answer."))
    state.receive(done(5))

    new = state.thread.find(mid(5))
    assert old.superseded and not new.superseded
    assert [m.text for m in state.thread.current] == ["message 0", "message 1", "message 2", "A new answer."]
    assert state.thread.alternatives(new) == [old, new], "the earlier answer stays reachable"


def test_only_the_latest_ended_answer_can_be_regenerated(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    first, last = state.thread.messages[1], state.thread.messages[3]

    assert not state.regenerate(first) and outbox.frames == []
    assert state.can_regenerate(last)


def test_continuing_keeps_the_text_and_appends_deltas_counted_from_zero(state: ChatState,
                                                                        outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Cut at the"))
    state.receive(done(3, FinishReason.LENGTH))
    assert state.can_continue(answer)

    assert state.go_on(answer)
    [frame] = outbox.of(ContinueAnswer)
    assert frame.message_id == mid(3)
    state.receive(Started(conversation_id=CONVERSATION, message_id=mid(3), reply_to=mid(2)))
    assert state.thread.answering is answer
    state.receive(delta(3, 0, " length limit."))
    state.receive(done(3))

    assert (answer.text, answer.status) == ("Cut at the length limit.", MessageStatus.COMPLETE)
    assert not state.can_continue(answer)


def test_a_stopped_answer_can_be_continued_a_complete_one_cannot(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(delta(3, 0, "Stopped mid"))
    state.receive(done(3, FinishReason.STOPPED))
    assert state.can_continue(answer)

    open_with(state, outbox, turns(0, 3))
    assert not state.can_continue(state.thread.messages[-1])


def test_editing_the_last_message_sends_it_anew_and_keeps_the_old_pair(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    question, old_answer = state.thread.messages[2], state.thread.messages[3]
    assert state.can_edit(question) and not state.can_edit(state.thread.messages[0])

    assert state.edit(question, "A better question")

    [frame] = outbox.of(EditMessage)
    assert (frame.message_id, frame.text) == (mid(2), "A better question")
    edited = state.thread.messages[-1]
    assert edited.client_message_id == frame.client_message_id and edited.sending
    assert question.superseded and old_answer.superseded
    state.receive(ack(frame.client_message_id, n=4))
    state.receive(delta(5, 0, "Better answer."))
    state.receive(done(5))
    assert [m.text for m in state.thread.current] == ["message 0", "message 1", "A better question", "Better answer."]
    assert state.thread.edited(edited) is question


def test_a_refused_edit_leaves_the_earlier_message_current(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    question = state.thread.messages[2]
    state.edit(question, "x" * 10)
    frame = outbox.of(EditMessage)[0]

    state.receive(ErrorFrame(code=ErrorCode.TOO_LARGE, message="The message is too long for the model to read.",
                             client_message_id=frame.client_message_id))

    assert not question.superseded and not state.thread.messages[3].superseded
    assert state.thread.messages[-1].not_sent


def test_a_resent_message_already_stored_is_not_doubled(state: ChatState, outbox: FakeOutbox) -> None:
    """The socket dropped after the server stored the message but before its ack arrived: the refreshed page
    brings the stored copy first, then the ack of the resend names it."""
    open_with(state, outbox, turns(0, 1))
    state.send("Did this arrive?")
    message = state.thread.messages[-1]
    state.on_disconnected("The connection dropped.")
    state.on_connected()

    state.receive(history([*turns(0, 1), view(2, "Did this arrive?"), view(3, "", status=MessageStatus.PENDING)]))
    state.receive(ack(message.client_message_id, n=2))
    state.receive(delta(3, 0, "Yes."))
    state.receive(done(3))

    assert texts(state) == ["message 0", "message 1", "Did this arrive?", "Yes."]
    assert state.thread.messages[2].status is MessageStatus.SENT


def test_a_text_past_the_limit_is_kept_whole_and_not_sent(state: ChatState, outbox: FakeOutbox) -> None:
    state.receive(Limits(max_message_chars=3214, messages_per_minute=10, max_memories=50))
    state.new_chat()
    pasted = "w" * 5158
    state.thread.draft.type(pasted)

    assert state.overflow(pasted) == 5158 - 3214
    assert not state.send(pasted)
    assert outbox.frames == [] and state.thread.messages == []
    assert state.thread.draft.text == pasted, "nothing is cut: the user shortens or splits it"
    assert state.notice.startswith("1,944 characters too long (the limit is 3,214)"), state.notice
    assert state.send(pasted[:3214])


def test_an_edit_past_the_limit_is_not_sent(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, [view(0, "Hi"), view(1, "Hello!")])
    question = state.thread.messages[0]

    assert not state.edit(question, "x" * (state.max_message_chars + 1))
    assert outbox.frames == [] and not question.superseded and "1 character too long" in state.notice


def test_a_failed_answer_does_not_say_which_memories_it_used(state: ChatState, outbox: FakeOutbox) -> None:
    open_with(state, outbox, [view(0, "Where do I live?"),
                              view(1, "", status=MessageStatus.FAILED, recalled=["0badcafe"]),
                              view(2, "And now?"), view(3, "In Lyon.", recalled=["0badcafe"])])
    failed, answered = state.thread.messages[1], state.thread.messages[3]

    assert failed.recalled == ["0badcafe"] and not failed.shows_recalled, "no 'Used 1 memory' under a failed answer"
    assert answered.shows_recalled


# ---------------------------------------------------------------- a model that wakes while the user waits


def _waking(n: int, ready_in: int) -> Waking:
    return Waking(conversation_id=CONVERSATION, message_id=mid(n), ready_in_seconds=ready_in, waited_seconds=0)


def test_a_waking_answer_counts_down_then_streams_in_the_same_bubble(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    before = time.monotonic()

    state.receive(_waking(3, 300))

    assert before + 300 <= answer.waking_until <= time.monotonic() + 300
    assert waking_text(answer, answer.waking_until - 300) == "Waking the assistant, about 5 min"
    assert state.thread.answering is answer, "Stop stays offered while the model wakes"
    state.receive(delta(3, 0, "Good "))
    state.receive(delta(3, 1, "morning."))
    assert state.thread.messages[-1] is answer and answer.text == "Good morning."
    assert answer.waking_until is None and waking_text(answer, time.monotonic()) is None
    state.receive(done(3))
    assert answer.status is MessageStatus.COMPLETE


def test_a_waking_answer_reopened_in_a_new_app_counts_down_and_streams(outbox: FakeOutbox, timers) -> None:
    reopened = ChatState(outbox=outbox, schedule=timers)  # the app was closed: nothing of the answer in memory
    reopened.on_connected()
    reopened.open_conversation(CONVERSATION)
    outbox.frames.clear()

    reopened.receive(history([*turns(0, 2), view(3, "", status=MessageStatus.PENDING)]))
    [resume] = outbox.of(ResumeAnswer)
    assert (resume.message_id, resume.seq) == (mid(3), 0)
    reopened.receive(_waking(3, 90))  # the server's answer to resumeAnswer while the model wakes

    answer = reopened.thread.messages[-1]
    assert waking_text(answer, time.monotonic()) == "Waking the assistant, about 2 min"
    reopened.receive(delta(3, 0, "Here I am."))
    reopened.receive(done(3))
    assert (answer.text, answer.status, answer.waking_until) == ("Here I am.", MessageStatus.COMPLETE, None)


def test_a_wake_that_runs_past_its_bound_ends_the_answer_failed(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(_waking(3, 300))

    state.receive(ErrorFrame(code=ErrorCode.MODEL_UNAVAILABLE, message="The assistant did not wake up in time.",
                             conversation_id=CONVERSATION, message_id=mid(3)))

    assert (answer.status, answer.waking_until) == (MessageStatus.FAILED, None)
    assert answer.error == "The assistant did not wake up in time."
    assert state.thread.answering is None


def test_stopping_a_waking_answer_ends_it_stopped(state: ChatState, outbox: FakeOutbox) -> None:
    _, answer = asked(state, outbox)
    state.receive(_waking(3, 300))

    state.stop()
    assert isinstance(outbox.last, StopGeneration) and outbox.last.message_id == mid(3)
    state.receive(done(3, FinishReason.STOPPED))

    assert (answer.status, answer.waking_until) == (MessageStatus.STOPPED, None)


def test_a_waking_frame_for_an_answer_this_screen_does_not_follow_changes_nothing(state: ChatState,
                                                                                  outbox: FakeOutbox) -> None:
    open_with(state, outbox, turns(0, 3))
    state.receive(_waking(3, 300))
    assert all(message.waking_until is None for message in state.thread.messages)
