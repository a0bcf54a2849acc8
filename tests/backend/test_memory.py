"""Conversation memory in DynamoDB (moto): turns, isolation between users, paging, deletion, limits, prompts."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from memchat.errors import BadRequest, NotFound, RateLimited
from memchat.frames import ID, MessageStatus, Role
from memchat.memory import MESSAGE_OVERHEAD_TOKENS, Memory, estimate_tokens, new_message_id, new_turn_ids

from .recorded import ALICE, BOB, seed_conversation

NOW = 1_732_529_707_801  # the recorded sendMessage's requestTimeEpoch


def _send(memory: Memory, text: str = "What is the capital of Australia?", *, user: str = ALICE,
          conversation_id: str | None = None, client_message_id: uuid.UUID | None = None, now_ms: int = NOW):
    return memory.store_user_message(user, conversation_id=conversation_id, text=text, now_ms=now_ms,
                                     client_message_id=client_message_id or uuid.uuid4())


def _all_messages(memory: Memory, user: str, conversation_id: str):
    return memory.history(user, conversation_id, before=None, limit=100).items


def _items_in(dynamodb, settings, user: str, conversation_id: str) -> int:
    page = dynamodb.query(TableName=settings.table_name, KeyConditionExpression="pk = :pk", Select="COUNT",
                          ExpressionAttributeValues={":pk": {"S": f"U#{user}#C#{conversation_id}"}})
    return page["Count"]


# ---------------------------------------------------------------- writing a turn


def test_a_turn_stores_the_message_and_an_answer_placeholder_with_ids_to_ack(memory):
    turn = _send(memory)

    assert turn.created
    assert ID.validate_python(turn.conversation_id) and ID.validate_python(turn.message_id)
    question, answer = _all_messages(memory, ALICE, turn.conversation_id)
    assert (question.message_id, question.role, question.status) == (turn.message_id, Role.USER, MessageStatus.SENT)
    assert question.text == "What is the capital of Australia?"
    assert (answer.message_id, answer.role, answer.status) == (turn.reply_id, Role.ASSISTANT, MessageStatus.PENDING)
    assert answer.reply_to == turn.message_id


def test_a_retried_client_message_id_is_stored_once_with_the_same_ids(memory):
    client_message_id = uuid.uuid4()
    first = _send(memory, client_message_id=client_message_id)
    retry = _send(memory, client_message_id=client_message_id, now_ms=NOW + 1500)

    assert (retry.conversation_id, retry.message_id, retry.reply_id) == (
        first.conversation_id, first.message_id, first.reply_id)
    assert (first.created, retry.created) == (True, False)
    assert len(_all_messages(memory, ALICE, first.conversation_id)) == 2
    assert [c.message_count for c in memory.list_conversations(ALICE, cursor=None, limit=10).items] == [2]


def test_a_retry_into_an_existing_conversation_is_stored_once(memory):
    conversation = _send(memory).conversation_id
    client_message_id = uuid.uuid4()
    first = _send(memory, "And of Canada?", conversation_id=conversation, client_message_id=client_message_id)
    retry = _send(memory, "And of Canada?", conversation_id=conversation, client_message_id=client_message_id)

    assert retry.message_id == first.message_id and not retry.created
    assert len(_all_messages(memory, ALICE, conversation)) == 4


def test_the_same_client_message_id_from_two_users_is_two_messages(memory):
    client_message_id = uuid.uuid4()
    alices = _send(memory, user=ALICE, client_message_id=client_message_id)
    bobs = _send(memory, user=BOB, client_message_id=client_message_id)

    assert bobs.created and bobs.conversation_id != alices.conversation_id


def test_a_new_conversation_is_titled_after_its_first_message(memory):
    _send(memory, "  Plan a\n\ttrip to   Kyoto in spring, with " + "temples and gardens " * 5)
    (conversation,) = memory.list_conversations(ALICE, cursor=None, limit=10).items

    assert conversation.title.startswith("Plan a trip to Kyoto in spring, with temples")
    assert len(conversation.title) == 60 and conversation.title.endswith("…")


def test_each_turn_adds_two_messages_and_moves_the_conversation_forward(memory):
    first = _send(memory)
    _send(memory, "And of Canada?", conversation_id=first.conversation_id, now_ms=NOW + 60_000)
    (conversation,) = memory.list_conversations(ALICE, cursor=None, limit=10).items

    assert conversation.message_count == 4
    assert (conversation.updated_at - conversation.created_at).total_seconds() == 60


def test_a_message_to_a_conversation_that_does_not_exist_is_not_found(memory):
    with pytest.raises(NotFound):
        _send(memory, conversation_id=uuid.uuid4().hex)


def test_message_ids_sort_by_time_and_a_turns_answer_right_after_its_question():
    question, answer = new_turn_ids(NOW)
    assert new_message_id(NOW - 1, 1) < question < answer < new_message_id(NOW + 1, 0)


def test_two_turns_begun_in_the_same_millisecond_do_not_interleave(memory):
    conversation = _send(memory, "First", now_ms=NOW - 5000).conversation_id
    turns = [_send(memory, text, conversation_id=conversation, now_ms=NOW) for text in ("One", "Two")]

    ids = [m.message_id for m in _all_messages(memory, ALICE, conversation)][2:]

    pairs = sorted([turn.message_id, turn.reply_id] for turn in turns)
    assert ids == pairs[0] + pairs[1]


# ---------------------------------------------------------------- one user can never reach another's data


@pytest.fixture
def alices_turn(memory):
    return _send(memory, "My bank PIN is 4921, remind me later")


def test_another_user_cannot_read_the_conversation(memory, alices_turn):
    with pytest.raises(NotFound):
        memory.history(BOB, alices_turn.conversation_id, before=None, limit=50)


def test_another_user_cannot_add_to_the_conversation(memory, alices_turn):
    with pytest.raises(NotFound):
        _send(memory, "Injected", user=BOB, conversation_id=alices_turn.conversation_id)
    assert len(_all_messages(memory, ALICE, alices_turn.conversation_id)) == 2


def test_another_user_cannot_delete_the_conversation(memory, alices_turn):
    with pytest.raises(NotFound):
        memory.delete_conversation(BOB, alices_turn.conversation_id)
    assert memory.purge_messages(BOB, alices_turn.conversation_id) == 0
    assert len(_all_messages(memory, ALICE, alices_turn.conversation_id)) == 2


def test_another_user_cannot_stop_the_answer(memory, alices_turn):
    with pytest.raises(NotFound):
        memory.request_stop(BOB, alices_turn.conversation_id, alices_turn.reply_id)
    assert not memory.poll_answer(ALICE, alices_turn.conversation_id, alices_turn.reply_id).stop


def test_another_user_never_lists_the_conversation(memory, alices_turn):
    assert memory.list_conversations(BOB, cursor=None, limit=20).items == []


def test_another_users_listing_cursor_is_refused(memory, alices_turn):
    _send(memory, "second")
    cursor = memory.list_conversations(ALICE, cursor=None, limit=1).cursor
    with pytest.raises(BadRequest):
        memory.list_conversations(BOB, cursor=cursor, limit=1)


def test_another_users_prompt_window_is_empty(memory, alices_turn):
    window = memory.prompt_window(BOB, alices_turn.conversation_id, before=alices_turn.reply_id, budget=10_000)
    assert window == []


# ---------------------------------------------------------------- reading back


def test_history_pages_back_in_order_without_duplicates_or_gaps(memory, dynamodb, settings):
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=23)
    pages, before = [], None
    while True:
        page = memory.history(ALICE, conversation, before=before, limit=5)
        pages.append([m.message_id for m in page.items])
        if page.cursor is None:
            break
        assert page.cursor == page.items[0].message_id  # the oldest message of the page
        before = page.cursor

    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [i for page in reversed(pages) for i in page] == ids


def test_a_history_that_fits_one_page_has_no_cursor(memory, alices_turn):
    page = memory.history(ALICE, alices_turn.conversation_id, before=None, limit=2)
    assert len(page.items) == 2 and page.cursor is None


def test_listing_is_newest_first_and_the_cursor_pages_through_everything(memory):
    created = [_send(memory, f"topic {i}", now_ms=NOW + i * 1000).conversation_id for i in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        page = memory.list_conversations(ALICE, cursor=cursor, limit=2)
        seen += [c.conversation_id for c in page.items]
        cursor = page.cursor
        if cursor is None:
            break

    assert seen == created[::-1]


def test_a_conversation_with_a_new_message_moves_to_the_top_of_the_list(memory):
    older = _send(memory, "older", now_ms=NOW).conversation_id
    newer = _send(memory, "newer", now_ms=NOW + 1000).conversation_id
    _send(memory, "back to this", conversation_id=older, now_ms=NOW + 2000)

    assert [c.conversation_id for c in memory.list_conversations(ALICE, cursor=None, limit=10).items] == [older, newer]


def _cursor(key: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda key: "not a cursor!",
        lambda key: base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        lambda key: _cursor([key]),
        lambda key: _cursor(key | {"userId": BOB}),
        lambda key: _cursor(key | {"extra": "x"}),
        lambda key: _cursor({k: v for k, v in key.items() if k != "sk"}),
        lambda key: _cursor(key | {"updatedKey": 1732529707801}),
    ],
    ids=["garbage", "not-json", "not-an-object", "other-user", "extra-key", "missing-key", "wrong-type"],
)
def test_a_tampered_listing_cursor_is_a_bad_request(memory, tamper):
    for i in range(3):
        _send(memory, f"topic {i}", now_ms=NOW + i)
    cursor = memory.list_conversations(ALICE, cursor=None, limit=1).cursor
    key = json.loads(base64.urlsafe_b64decode(cursor))

    with pytest.raises(BadRequest, match="cursor"):
        memory.list_conversations(ALICE, cursor=tamper(key), limit=1)


# ---------------------------------------------------------------- deleting


def test_delete_then_purge_removes_every_message(memory, dynamodb, settings):
    conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=137)
    _send(memory, "one more", conversation_id=conversation)

    memory.delete_conversation(ALICE, conversation)
    assert memory.list_conversations(ALICE, cursor=None, limit=10).items == []
    with pytest.raises(NotFound):
        memory.history(ALICE, conversation, before=None, limit=10)

    assert memory.purge_messages(ALICE, conversation) == 139
    assert _items_in(dynamodb, settings, ALICE, conversation) == 0


def test_deleting_a_conversation_twice_is_not_found(memory, alices_turn):
    memory.delete_conversation(ALICE, alices_turn.conversation_id)
    with pytest.raises(NotFound):
        memory.delete_conversation(ALICE, alices_turn.conversation_id)


# ---------------------------------------------------------------- rate limit


def test_the_rate_limit_trips_at_the_configured_count_and_stores_nothing_more(memory, settings):
    for _ in range(settings.rate_limit_per_minute):
        _send(memory)
    with pytest.raises(RateLimited, match=f"{settings.rate_limit_per_minute} messages a minute"):
        _send(memory, "One too many")
    titles = [c.title for c in memory.list_conversations(ALICE, cursor=None, limit=50).items]
    assert len(titles) == settings.rate_limit_per_minute and "One too many" not in titles


def test_the_rate_limit_resets_the_next_minute(memory, settings):
    for _ in range(settings.rate_limit_per_minute):
        _send(memory)
    assert _send(memory, now_ms=NOW + 60_000).created


def test_the_rate_limit_counts_each_user_separately(memory, settings):
    for _ in range(settings.rate_limit_per_minute):
        _send(memory)
    assert _send(memory, user=BOB).created


def test_a_replayed_frame_costs_no_allowance_and_is_acked_even_when_it_is_spent(memory, settings):
    client_message_id = uuid.uuid4()
    first = _send(memory, client_message_id=client_message_id)
    for _ in range(settings.rate_limit_per_minute - 1):
        _send(memory, client_message_id=client_message_id)  # replays: the allowance is untouched
    for _ in range(settings.rate_limit_per_minute - 1):
        _send(memory)
    with pytest.raises(RateLimited):
        _send(memory)

    replay = _send(memory, client_message_id=client_message_id)

    assert (replay.message_id, replay.created) == (first.message_id, False)


def test_a_message_to_a_missing_conversation_is_not_found_and_costs_no_allowance(memory, settings):
    with pytest.raises(NotFound):
        _send(memory, conversation_id=uuid.uuid4().hex)
    for _ in range(settings.rate_limit_per_minute):
        _send(memory)


# ---------------------------------------------------------------- answers


def test_a_finished_answer_is_stored_with_its_text_tokens_and_status(memory, alices_turn):
    assert memory.claim_reply(ALICE, alices_turn.conversation_id, alices_turn.reply_id)
    memory.finish_reply(ALICE, alices_turn.conversation_id, alices_turn.reply_id, text="Noted.",
                        status=MessageStatus.COMPLETE, tokens=11, prompt_tokens=48)
    answer = _all_messages(memory, ALICE, alices_turn.conversation_id)[-1]

    assert (answer.text, answer.status, answer.tokens, answer.error_code) == (
        "Noted.", MessageStatus.COMPLETE, 11, None)


def test_a_failed_answer_keeps_its_partial_text_and_error_code(memory, alices_turn):
    memory.finish_reply(ALICE, alices_turn.conversation_id, alices_turn.reply_id, text="Not",
                        status=MessageStatus.FAILED, tokens=9, error_code="model_error")
    view = _all_messages(memory, ALICE, alices_turn.conversation_id)[-1].view()

    assert (view.text, view.status, view.error_code) == ("Not", MessageStatus.FAILED, "model_error")


def test_a_stop_request_is_recorded_on_the_answer(memory, alices_turn):
    assert not memory.poll_answer(ALICE, alices_turn.conversation_id, alices_turn.reply_id).stop
    memory.request_stop(ALICE, alices_turn.conversation_id, alices_turn.reply_id)
    assert memory.poll_answer(ALICE, alices_turn.conversation_id, alices_turn.reply_id).stop


@pytest.mark.parametrize("which", ["the user's message", "an unknown id"])
def test_only_an_answer_can_be_stopped(memory, alices_turn, which):
    message_id = alices_turn.message_id if which == "the user's message" else new_message_id(NOW, 1)
    with pytest.raises(NotFound):
        memory.request_stop(ALICE, alices_turn.conversation_id, message_id)


# ---------------------------------------------------------------- the prompt window


def _new_turn(memory: Memory, conversation: str, text: str = "So what should I do next?"):
    return _send(memory, text, conversation_id=conversation, now_ms=NOW + 10**9)


def test_the_prompt_window_of_a_first_message_is_that_message(memory, alices_turn):
    window = memory.prompt_window(ALICE, alices_turn.conversation_id, before=alices_turn.reply_id, budget=1500)
    assert [m.message_id for m in window] == [alices_turn.message_id]


def test_the_prompt_window_never_exceeds_the_budget_of_a_long_conversation(memory, dynamodb, settings):
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=2000)
    turn = _new_turn(memory, conversation)
    budget = settings.prompt_budget - estimate_tokens(settings.system_prompt)

    window = memory.prompt_window(ALICE, conversation, before=turn.reply_id, budget=budget)

    assert sum(m.tokens for m in window) <= budget
    older = memory.history(ALICE, conversation, before=window[0].message_id, limit=1).items[0]
    assert sum(m.tokens for m in window) + older.tokens > budget  # and it is as full as it can be
    assert [m.message_id for m in window] == [*ids[len(ids) - len(window) + 1 :], turn.message_id]


def test_building_the_prompt_costs_the_same_dynamodb_calls_at_10_and_2000_messages(memory, dynamodb, settings):
    budget = settings.prompt_budget - estimate_tokens(settings.system_prompt)
    calls = {}
    for length in (10, 2000):
        conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=length)
        turn = _new_turn(memory, conversation)
        before = memory.calls
        memory.prompt_window(ALICE, conversation, before=turn.reply_id, budget=budget)
        calls[length] = memory.calls - before

    assert calls[10] == calls[2000] == 1


def test_the_cost_of_a_prompt_is_bounded_by_the_budget_not_the_length(memory, dynamodb, settings):
    # Short messages: a full budget spans several pages of the query, but never more as the conversation grows.
    calls = {}
    for length in (400, 1200):
        conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=length, text=lambda i: "ok")
        turn = _new_turn(memory, conversation, "ok")
        before = memory.calls
        window = memory.prompt_window(ALICE, conversation, before=turn.reply_id, budget=settings.prompt_budget)
        calls[length] = memory.calls - before
        assert len(window) == settings.prompt_budget // estimate_tokens("ok")

    assert calls[400] == calls[1200] > 1


def test_the_prompt_window_leaves_out_answers_without_text(memory, alices_turn):
    # The first answer never produced text (the model failed at once); the user asks again.
    memory.finish_reply(ALICE, alices_turn.conversation_id, alices_turn.reply_id, text="",
                        status=MessageStatus.FAILED, tokens=MESSAGE_OVERHEAD_TOKENS, error_code="model_unavailable")
    again = _send(memory, "Are you there?", conversation_id=alices_turn.conversation_id, now_ms=NOW + 5000)
    window = memory.prompt_window(ALICE, again.conversation_id, before=again.reply_id, budget=1500)

    assert [m.message_id for m in window] == [alices_turn.message_id, again.message_id]


def test_a_prompt_window_smaller_than_the_history_keeps_the_newest_messages(memory, alices_turn):
    memory.finish_reply(ALICE, alices_turn.conversation_id, alices_turn.reply_id, text="Noted.",
                        status=MessageStatus.COMPLETE, tokens=20)
    again = _send(memory, "What was it?", conversation_id=alices_turn.conversation_id, now_ms=NOW + 5000)
    budget = estimate_tokens("What was it?") + 20

    window = memory.prompt_window(ALICE, again.conversation_id, before=again.reply_id, budget=budget)
    assert [m.text for m in window] == ["Noted.", "What was it?"]


# ---------------------------------------------------------------- connections


def test_a_connection_is_recorded_with_its_user_and_an_expiry_then_removed(connections, dynamodb, settings):
    connections.add("BxU2kfGZoAMCJTQ=", user_id=ALICE, now_ms=NOW)
    key = {"connectionId": {"S": "BxU2kfGZoAMCJTQ="}}
    item = dynamodb.get_item(TableName=settings.connections_table_name, Key=key)["Item"]
    assert item["userId"] == {"S": ALICE}
    assert int(item["expiresAt"]["N"]) == NOW // 1000 + 2 * 3600 + 600

    connections.remove("BxU2kfGZoAMCJTQ=")
    assert "Item" not in dynamodb.get_item(TableName=settings.connections_table_name, Key=key)
