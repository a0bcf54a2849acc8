"""The rolling summary: what to fold and when, the bound on its size, and the save that never overwrites."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from memchat.frames import MessageStatus, Role
from memchat.memory.budget import estimate_tokens
from memchat.memory.reads import StoredMessage
from memchat.memory.summary import Summary, bounded, summary_prompt, to_fold

from ..recorded import ALICE, BOB

NOW = 1_732_529_707_801


def _message(i: int, tokens: int, *, status: MessageStatus | None = None, text: str | None = None) -> StoredMessage:
    role = Role.USER if i % 2 == 0 else Role.ASSISTANT
    status = status or (MessageStatus.SENT if role is Role.USER else MessageStatus.COMPLETE)
    return StoredMessage(f"{i:024x}", role, f"message {i}" if text is None else text, status, NOW + i, tokens)


# ---------------------------------------------------------------- what to fold


def test_nothing_is_folded_until_the_unsummarised_messages_pass_half_the_window():
    assert to_fold([_message(i, 50) for i in range(10)], window_budget=1000) == []


def test_past_half_the_window_the_oldest_are_folded_down_to_a_quarter():
    messages = [_message(i, 100) for i in range(6)]  # 600 > 1000 // 2
    fold = to_fold(messages, window_budget=1000)

    assert fold == messages[:4]  # 200 left <= 1000 // 4
    assert sum(m.tokens for m in messages[len(fold):]) <= 250


def test_one_fold_never_takes_more_than_the_windows_budget_however_long_the_backlog():
    backlog = [_message(i, 120) for i in range(200)]  # a conversation from before summaries existed
    fold = to_fold(backlog, window_budget=1000)

    assert fold == backlog[: len(fold)] and 0 < sum(m.tokens for m in fold) <= 1000


def test_a_message_larger_than_the_window_is_still_folded_alone():
    messages = [_message(0, 1500), _message(1, 10), _message(2, 10)]
    assert to_fold(messages, window_budget=1000) == messages[:1]


def test_the_last_exchange_is_never_folded_however_long_it_is():
    # A long answer alone passes half the window: folding it with its question would leave the window
    # without the message that Regenerate, Retry and Continue answer again, and an edit would leave the
    # replaced answer's words in the summary.
    messages = [_message(0, 100), _message(1, 100), _message(2, 50), _message(3, 900)]
    assert to_fold(messages, window_budget=1000) == messages[:2]
    assert to_fold(messages[2:], window_budget=1000) == []
    failed = [_message(0, 400), _message(1, 400), _message(2, 400)]  # its answer failed without text
    assert to_fold(failed, window_budget=1000) == failed[:2]


def test_an_answer_still_being_written_is_never_folded_nor_anything_after_it():
    messages = [_message(0, 300), _message(1, 300, status=MessageStatus.STREAMING), _message(2, 300)]
    assert to_fold(messages, window_budget=1000) == messages[:1]


def test_a_summary_is_read_from_the_conversation_item():
    assert Summary.of({"summary": "Ada lives in Lisbon.", "summaryThrough": "ab12"}) == Summary(
        "Ada lives in Lisbon.", "ab12")
    assert Summary.of({}) == Summary("", None) and Summary("", None).tokens == 0


# ---------------------------------------------------------------- the model's prompt and the bound


def test_the_prompt_carries_the_previous_summary_and_the_new_messages_by_role():
    system, user = summary_prompt("Ada lives in Lisbon.", [_message(0, 9, text="I moved\nto Lyon."),
                                                           _message(1, 9, text="Congratulations!"),
                                                           _message(3, 0, text="")], max_tokens=300)
    assert "at most 150 words" in system.content
    assert user.content == ("Summary so far:\nAda lives in Lisbon.\n\nNew messages:\n"
                            "User: I moved to Lyon.\nAssistant: Congratulations!")


def test_the_first_summary_says_there_was_none():
    _, user = summary_prompt("", [_message(0, 9)], max_tokens=300)
    assert "Summary so far:\n(none)" in user.content


def test_a_summary_within_the_bound_is_kept_whole_on_one_line():
    assert bounded("Ada lives\n in Lisbon.  She is vegetarian.", 100) == "Ada lives in Lisbon. She is vegetarian."


def test_a_long_summary_is_cut_at_the_last_sentence_that_fits():
    text = "Ada lives in Lisbon. " * 40
    cut = bounded(text, 60)
    assert cut.endswith("Lisbon.") and estimate_tokens(cut) <= 60


@given(text=st.text(min_size=1, max_size=3000), bound=st.integers(min_value=9, max_value=400))
def test_a_bounded_summary_never_exceeds_its_bound_and_is_a_prefix_of_the_text(text, bound):
    cut = bounded(text, bound)
    assert estimate_tokens(cut) <= bound
    assert " ".join(text.split()).startswith(cut)


# ---------------------------------------------------------------- storing it


def _conversation(memory, user=ALICE, turns=3):
    conversation, ids = None, []
    for i in range(turns):
        turn = memory.store_user_message(user, conversation_id=conversation, client_message_id=uuid.uuid4(),
                                         text=f"question {i}", now_ms=NOW + i * 1000)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=f"answer {i}",
                            status=MessageStatus.COMPLETE, tokens=3)
        conversation = turn.conversation_id
        ids += [turn.message_id, turn.reply_id]
    return conversation, ids


def test_the_unsummarised_messages_are_those_after_the_summarys_last(memory):
    conversation, ids = _conversation(memory)

    assert [m.message_id for m in memory.unsummarised(ALICE, conversation, after=None)] == ids
    assert [m.message_id for m in memory.unsummarised(ALICE, conversation, after=ids[2], page_size=2)] == ids[3:]


def test_the_first_summary_is_saved_with_the_last_message_it_covers(memory):
    conversation, ids = _conversation(memory)

    assert memory.save_summary(ALICE, conversation, text="Ada asked things.", through=ids[1], previous_through=None)
    assert Summary.of(memory.conversation(ALICE, conversation)) == Summary("Ada asked things.", ids[1])


def test_a_summary_is_saved_only_over_the_one_it_was_folded_from(memory):
    conversation, ids = _conversation(memory)
    memory.save_summary(ALICE, conversation, text="first", through=ids[1], previous_through=None)

    assert not memory.save_summary(ALICE, conversation, text="stale run", through=ids[1], previous_through=None)
    assert not memory.save_summary(ALICE, conversation, text="stale run", through=ids[3], previous_through=ids[0])
    assert memory.save_summary(ALICE, conversation, text="second", through=ids[3], previous_through=ids[1])
    assert Summary.of(memory.conversation(ALICE, conversation)) == Summary("second", ids[3])


def test_no_summary_is_saved_into_a_deleted_or_another_users_conversation(memory):
    conversation, ids = _conversation(memory)

    assert not memory.save_summary(BOB, conversation, text="Bob's", through=ids[1], previous_through=None)
    assert memory.unsummarised(BOB, conversation, after=None) == []
    memory.delete_conversation(ALICE, conversation)
    assert not memory.save_summary(ALICE, conversation, text="late", through=ids[1], previous_through=None)


def test_a_summary_is_not_saved_over_one_that_was_changed_since_it_was_read(memory):
    conversation, ids = _conversation(memory)
    memory.save_summary(ALICE, conversation, text="Ada lives in Zanzibar.", through=ids[1], previous_through=None)
    memory._update_plain(f"U#{ALICE}#C#{conversation}", "META", {"summary": "Ada lives in [forgotten]."})

    assert not memory.save_summary(ALICE, conversation, text="Ada lives in Zanzibar. More.", through=ids[3],
                                   previous_through=ids[1], previous_text="Ada lives in Zanzibar.")
    assert memory.save_summary(ALICE, conversation, text="Ada lives in [forgotten]. More.", through=ids[3],
                               previous_through=ids[1], previous_text="Ada lives in [forgotten].")
