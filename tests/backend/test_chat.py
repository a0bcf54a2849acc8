"""The chat routes' domain: what each client action does for the caller on their socket."""

from __future__ import annotations

import re
import uuid

import pytest

from memchat.chat import Chat
from memchat.errors import BadRequest, InternalError, NotFound, RateLimited, TooLarge
from memchat.frames import (
    MAX_FRAME_BYTES,
    Ack,
    ContinueAnswer,
    Conversations,
    DeleteConversation,
    Deleted,
    DeleteMemory,
    EditMessage,
    GetHistory,
    GetLimits,
    History,
    Limits,
    ListConversations,
    ListMemories,
    Memories,
    MemoryDeleted,
    MessageChanged,
    MessageStatus,
    Ping,
    Pong,
    RecalledExchange,
    RegenerateAnswer,
    ResumeAnswer,
    Role,
    SendMessage,
    Started,
    StopGeneration,
)
from memchat.handoff import WorkerInvoker
from memchat.memory import estimate_tokens
from memchat.memory.codec import to_datetime
from memchat.memory.memories import SavedMemory, Subject, memory_id_for

from .fakes import aws_response
from .recorded import ALICE, BOB, CONNECTION, seed_conversation

QUESTION = "What is the capital of Australia?"


def _send(text: str = QUESTION, *, conversation_id: str | None = None, client_message_id: uuid.UUID | None = None):
    return SendMessage(action="sendMessage", conversation_id=conversation_id, text=text,
                       client_message_id=client_message_id or uuid.uuid4())


def _history(conversation_id: str, before: str | None = None, limit: int | None = None) -> GetHistory:
    return GetHistory(action="getHistory", conversation_id=conversation_id, before=before, limit=limit)


# ---------------------------------------------------------------- sendMessage


def test_a_message_is_acked_with_the_ids_it_was_stored_under(chat, alice, gateway, memory):
    frame = _send()
    chat.handle(alice, frame)

    (ack,) = gateway.frames(CONNECTION)
    assert isinstance(ack, Ack) and ack.client_message_id == frame.client_message_id
    question, answer = memory.history(ALICE, ack.conversation_id, before=None, limit=10).items
    assert (question.message_id, question.text) == (ack.message_id, QUESTION)
    assert (answer.message_id, answer.status) == (ack.reply_id, MessageStatus.PENDING)


def test_the_ack_is_sent_only_after_the_message_is_stored(chat, alice, gateway, memory):
    stored_at_ack = []

    def on_post(connection_id, frame):
        if isinstance(frame, Ack):
            page = memory.history(ALICE, frame.conversation_id, before=None, limit=10)
            stored_at_ack.append([m.message_id for m in page.items])

    gateway.on_post = on_post
    chat.handle(alice, _send())

    ack = gateway.frames(CONNECTION)[0]
    assert stored_at_ack == [[ack.message_id, ack.reply_id]]


def test_the_answer_is_handed_to_the_worker_asynchronously(chat, alice, gateway, worker_lambda, settings):
    chat.handle(alice, _send())

    (ack,) = gateway.frames(CONNECTION)
    (invocation,) = worker_lambda.invocations
    assert (invocation.function_name, invocation.invocation_type) == (settings.worker_function_name, "Event")
    job = invocation.job()
    assert (job.task, job.connection_id, job.user_id) == ("generate", CONNECTION, ALICE)
    assert (job.conversation_id, job.message_id, job.reply_id) == (ack.conversation_id, ack.message_id, ack.reply_id)
    assert job.received_ms > 0


def test_the_job_carries_the_earlier_exchange_a_message_refers_to(chat, alice, worker_lambda, exchange, indexed):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28 through Alfama.")
    indexed()
    chat.handle(alice, _send("What did you suggest for my trip?"))
    (earlier,) = worker_lambda.invocations[-1].job().exchanges
    assert (earlier.conversation_id, earlier.message_id) == (trip.conversation_id, trip.message_id)
    assert "tram 28" in earlier.text
    chat.handle(alice, _send("Suggest a trip to Rome"))
    assert worker_lambda.invocations[-1].job().exchanges == []


def test_the_job_carries_the_prompt_window_the_worker_would_read(chat, alice, gateway, worker_lambda, memory,
                                                                   settings):
    chat.handle(alice, _send())
    first = gateway.frames(CONNECTION)[0]
    assert memory.claim_reply(ALICE, first.conversation_id, first.reply_id)
    memory.finish_reply(ALICE, first.conversation_id, first.reply_id, text="Canberra.",
                        status=MessageStatus.COMPLETE, tokens=5, prompt_tokens=30)

    chat.handle(alice, _send("And of Canada?", conversation_id=first.conversation_id))

    second = gateway.frames(CONNECTION)[1]
    window = worker_lambda.invocations[-1].job().window
    assert [(m.role, m.text) for m in window] == [
        (Role.USER, QUESTION), (Role.ASSISTANT, "Canberra."), (Role.USER, "And of Canada?")]
    budget = settings.prompt_budget - estimate_tokens(settings.system_prompt)
    stored = memory.prompt_window(ALICE, first.conversation_id, before=second.reply_id, budget=budget)
    assert [(m.message_id, m.text, m.tokens) for m in window] == [(m.message_id, m.text, m.tokens) for m in stored]


def test_a_new_conversations_job_carries_just_its_message(chat, alice, gateway, worker_lambda):
    chat.handle(alice, _send())

    ack = gateway.frames(CONNECTION)[0]
    (message,) = worker_lambda.invocations[0].job().window
    assert (message.message_id, message.role, message.text) == (ack.message_id, Role.USER, QUESTION)


def test_the_window_stays_behind_when_it_would_not_fit_the_invoke_payload(chat, alice, worker_lambda, monkeypatch):
    monkeypatch.setattr("memchat.handoff.MAX_PAYLOAD_BYTES", 300)
    chat.handle(alice, _send())

    assert worker_lambda.invocations[0].job().window is None  # the worker reads it itself


def test_a_failed_window_read_leaves_it_to_the_worker(chat, alice, gateway, worker_lambda, dynamodb):
    chat.handle(alice, _send())
    conversation = gateway.frames(CONNECTION)[0].conversation_id
    dynamodb.meta.events.register_first(
        "before-send.dynamodb.Query",
        lambda request, **_: aws_response(request, 400, b'{"__type":"ValidationException","message":"no"}',
                                          {"Content-Type": "application/x-amz-json-1.0"}),
    )

    chat.handle(alice, _send("And of Canada?", conversation_id=conversation))

    assert len(gateway.frames(CONNECTION)) == 2  # acked as usual
    assert worker_lambda.invocations[-1].job().window is None


def test_a_message_continues_the_named_conversation(chat, alice, gateway):
    chat.handle(alice, _send())
    first = gateway.frames(CONNECTION)[0]
    chat.handle(alice, _send("And of Canada?", conversation_id=first.conversation_id))

    assert gateway.frames(CONNECTION)[1].conversation_id == first.conversation_id


def test_a_retried_message_is_acked_again_with_the_same_ids_and_answered_once(chat, alice, gateway, worker_lambda,
                                                                              memory):
    frame = _send()
    chat.handle(alice, frame)
    first = gateway.frames(CONNECTION)[0]
    assert memory.claim_reply(ALICE, first.conversation_id, first.reply_id)  # the worker started the answer

    chat.handle(alice, frame)

    again = gateway.frames(CONNECTION)[1]
    assert first == again
    assert len(worker_lambda.invocations) == 1


def test_a_retry_while_the_answer_is_still_pending_hands_it_off_again(chat, alice, gateway, worker_lambda):
    # The worker claims a pending answer before calling the model, so a second hand-off is harmless.
    frame = _send()
    chat.handle(alice, frame)
    chat.handle(alice, frame)

    first, again = gateway.frames(CONNECTION)
    assert first == again
    assert [i.payload["replyId"] for i in worker_lambda.invocations] == [first.reply_id, first.reply_id]
    assert worker_lambda.invocations[1].job().window is None  # read again by the worker, for these ids


def test_a_retry_after_the_answer_could_not_be_started_starts_it(chat, alice, gateway, worker_lambda):
    frame = _send()
    worker_lambda.fail_with(429, "TooManyRequestsException", "Rate Exceeded.")
    with pytest.raises(InternalError, match="could not be started"):
        chat.handle(alice, frame)
    worker_lambda.recover()

    chat.handle(alice, frame)  # the client sends it again, as the error frame asks

    assert len(worker_lambda.invocations) == 2


def test_a_message_of_only_whitespace_is_a_bad_request(chat, alice):
    with pytest.raises(BadRequest, match="empty"):
        chat.handle(alice, _send(" \n\t "))


def test_a_message_over_the_character_limit_is_too_large_and_not_stored(chat, alice, settings, memory):
    with pytest.raises(TooLarge, match=f"the limit is {chat.limits().max_message_chars}"):
        chat.handle(alice, _send("x" * (settings.max_message_chars + 1)))
    assert memory.list_conversations(ALICE, cursor=None, limit=10).items == []


@pytest.mark.parametrize("character", ["👋", "灯", "é"])
def test_a_message_the_model_could_not_read_whole_is_too_large_and_says_how_long_may_go(
        chat, alice, gateway, settings, character):
    # Within the character limit, but each character costs more than one token: beyond the model's budget.
    text = character * 2000
    assert len(text) <= chat.limits().max_message_chars
    assert estimate_tokens(text) > settings.prompt_budget - estimate_tokens(settings.system_prompt)
    with pytest.raises(TooLarge, match="too long for the assistant to read at once") as refused:
        chat.handle(alice, _send(text))

    about = int(re.search(r"under about (\d+) characters in this script", str(refused.value))[1])
    chat.handle(alice, _send(character * about))  # what it says may go, goes
    assert isinstance(gateway.frames(CONNECTION)[0], Ack)


def test_the_longest_allowed_message_fits_the_models_budget(chat, alice, gateway, settings):
    room = settings.prompt_budget - estimate_tokens(settings.system_prompt)
    chat.handle(alice, _send("a" * min(settings.max_message_chars, (room - 8) * 2)))
    assert isinstance(gateway.frames(CONNECTION)[0], Ack)


def test_messages_over_the_rate_limit_are_refused_and_not_stored(chat, alice, settings, memory, worker_lambda):
    for _ in range(settings.rate_limit_per_minute):
        chat.handle(alice, _send())
    with pytest.raises(RateLimited):
        chat.handle(alice, _send())

    assert len(memory.list_conversations(ALICE, cursor=None, limit=50).items) == settings.rate_limit_per_minute
    assert len(worker_lambda.invocations) == settings.rate_limit_per_minute


def test_a_message_into_another_users_conversation_is_not_found(chat, alice, bob, gateway):
    chat.handle(alice, _send())
    conversation = gateway.frames(CONNECTION)[0].conversation_id
    with pytest.raises(NotFound):
        chat.handle(bob, _send("Injected", conversation_id=conversation))


# ---------------------------------------------------------------- reading back


def test_history_is_sent_as_one_page_oldest_first(chat, alice, gateway, memory, dynamodb, settings):
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=7)
    chat.handle(alice, _history(conversation, limit=5))

    (history,) = gateway.frames(CONNECTION)
    assert isinstance(history, History)
    assert [m.message_id for m in history.messages] == ids[2:]
    assert history.before == ids[2]


def test_history_pages_of_long_answers_are_trimmed_under_the_frame_limit_without_losing_messages(
    chat, alice, gateway, dynamodb, settings
):
    # 3,000-character answers in a two-byte script: a 100-message page would be ~300 KB.
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=60,
                                          text=lambda i: f"{i} " + "ж" * 3000)
    received, before = [], None
    while True:
        chat.handle(alice, _history(conversation, before=before, limit=100))
        page = gateway.frames(CONNECTION)[-1]
        received = [m.message_id for m in page.messages] + received
        before = page.before
        if before is None:
            break

    assert max(gateway.sizes(CONNECTION)) <= MAX_FRAME_BYTES
    assert received == ids


def _recalling(chat, alice, gateway, memory, exchange, earlier) -> Ack:
    """A turn of Alice's whose answer's prompt carried the `earlier` exchanges, ended as the worker ends it."""
    chat.handle(alice, _send("What did you suggest for my trip?"))
    ack = gateway.frames(CONNECTION, Ack)[-1]
    memory.claim_reply(ALICE, ack.conversation_id, ack.reply_id, owner="worker")
    memory.finish_reply(ALICE, ack.conversation_id, ack.reply_id, text="Tram 28, as I said.", tokens=8,
                        status=MessageStatus.COMPLETE, exchanges=[(e.conversation_id, e.message_id) for e in earlier])
    return ack


def _read_back(chat, alice, gateway, conversation_id: str):
    chat.handle(alice, _history(conversation_id))
    return gateway.frames(CONNECTION, History)[-1].messages


def test_history_gives_an_answer_its_earlier_exchanges_as_done_listed_them(chat, alice, gateway, memory, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28.")
    ack = _recalling(chat, alice, gateway, memory, exchange, [trip])

    question, answer = _read_back(chat, alice, gateway, ack.conversation_id)
    assert answer.exchanges == [RecalledExchange(conversation_id=trip.conversation_id, message_id=trip.message_id,
                                                 excerpt="Ideas for a trip to Lisbon?")]
    assert question.exchanges is None and "exchanges" not in question.to_wire()


def test_history_leaves_out_an_exchange_whose_conversation_was_deleted(chat, alice, gateway, memory, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Zanzibar?", "Take the ferry.")
    ack = _recalling(chat, alice, gateway, memory, exchange, [trip])
    chat.handle(alice, DeleteConversation(action="deleteConversation", conversation_id=trip.conversation_id))

    _, answer = _read_back(chat, alice, gateway, ack.conversation_id)
    assert answer.exchanges is None and answer.text == "Tram 28, as I said."
    assert "Zanzibar" not in str(gateway.frames(CONNECTION, History)[-1].to_wire())


def test_history_leaves_out_an_exchange_whose_message_was_removed(chat, alice, gateway, memory, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Zanzibar?", "Take the ferry.")
    ack = _recalling(chat, alice, gateway, memory, exchange, [trip])
    memory._call("delete_item", Key={"pk": {"S": f"U#{ALICE}#C#{trip.conversation_id}"},
                                     "sk": {"S": f"M#{trip.message_id}"}})

    _, answer = _read_back(chat, alice, gateway, ack.conversation_id)
    assert answer.exchanges is None


def test_another_users_exchange_ids_on_an_answer_read_nothing_of_theirs(chat, alice, gateway, memory, exchange):
    secret = exchange(BOB, "My passport is hidden in Zanzibar", "Noted.")
    ack = _recalling(chat, alice, gateway, memory, exchange, [secret])

    _, answer = _read_back(chat, alice, gateway, ack.conversation_id)
    assert answer.exchanges is None
    assert "Zanzibar" not in str(gateway.frames(CONNECTION, History)[-1].to_wire())


def test_resuming_an_answer_that_ended_sends_its_earlier_exchanges(chat, alice, gateway, memory, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28.")
    ack = _recalling(chat, alice, gateway, memory, exchange, [trip])
    chat.handle(alice, ResumeAnswer(action="resumeAnswer", conversation_id=ack.conversation_id,
                                    message_id=ack.reply_id, seq=1))

    changed = gateway.frames(CONNECTION, MessageChanged)[-1]
    assert [(e.conversation_id, e.excerpt) for e in changed.message.exchanges] == [
        (trip.conversation_id, "Ideas for a trip to Lisbon?")]


def test_a_history_page_reads_its_exchanges_in_one_batch_get_and_loses_no_message(
        chat, alice, gateway, dynamodb, settings, exchange):
    trip = exchange(ALICE, "Ideas for a trip to Lisbon?", "Ride tram 28.")
    conversation, ids = seed_conversation(dynamodb, settings.table_name, ALICE, messages=100, text=lambda i: f"m{i}")
    for n, answer_id in enumerate(ids[1::2]):  # 50 answers, each recalling two exchanges of other conversations
        gone = {"M": {"conversationId": {"S": f"{n:032x}"}, "messageId": {"S": "d" * 24}}}
        live = {"M": {"conversationId": {"S": trip.conversation_id}, "messageId": {"S": trip.message_id}}}
        dynamodb.update_item(TableName=settings.table_name, Key={
            "pk": {"S": f"U#{ALICE}#C#{conversation}"}, "sk": {"S": f"M#{answer_id}"}},
            UpdateExpression="SET exchanges = :e", ExpressionAttributeValues={":e": {"L": [gone, live]}})
    batch_gets = []
    dynamodb.meta.events.register("before-call.dynamodb.BatchGetItem", lambda **_: batch_gets.append(1))
    received, before, sizes = [], None, []
    while True:
        chat.handle(alice, _history(conversation, before=before, limit=100))
        page = gateway.frames(CONNECTION, History)[-1]
        sizes.append(len(page.messages))
        assert len(batch_gets) <= len(sizes), "one BatchGetItem a page at most"
        received = [*page.messages, *received]
        before = page.before
        if before is None:
            break

    # The newest 49 answers' exchanges are 100 keys (2 each, and the one live exchange's 2): the rest come next.
    assert sizes == [98, 2]
    assert [m.message_id for m in received] == ids
    assert all([e.message_id for e in m.exchanges] == [trip.message_id] for m in received if m.role is Role.ASSISTANT)


def test_listing_sends_the_users_conversations_with_a_cursor(chat, alice, gateway, memory, settings):
    for i in range(settings.conversations_page_size + 1):
        memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(), text=f"topic {i}",
                                  now_ms=1_732_529_707_801 + i * 60_000)  # one a minute: under the limit
    chat.handle(alice, ListConversations(action="listConversations"))
    first = gateway.frames(CONNECTION, Conversations)[-1]
    chat.handle(alice, ListConversations(action="listConversations", cursor=first.cursor))
    second = gateway.frames(CONNECTION, Conversations)[-1]

    assert len(first.conversations) == settings.conversations_page_size and first.cursor
    assert len(second.conversations) == 1 and second.cursor is None


# ---------------------------------------------------------------- deleting, stopping, ping


def test_deleting_confirms_at_once_and_hands_the_purge_to_the_worker(chat, alice, gateway, worker_lambda):
    chat.handle(alice, _send())
    conversation = gateway.frames(CONNECTION)[0].conversation_id
    chat.handle(alice, DeleteConversation(action="deleteConversation", conversation_id=conversation))

    assert gateway.frames(CONNECTION)[-1] == Deleted(conversation_id=conversation)
    purge = worker_lambda.invocations[-1]
    assert purge.invocation_type == "Event"
    assert (purge.job().task, purge.job().conversation_id, purge.job().user_id) == ("purge", conversation, ALICE)
    with pytest.raises(NotFound):
        chat.handle(alice, _history(conversation))


def test_a_stop_request_is_recorded_for_the_worker_and_answered_by_it(chat, alice, gateway, memory):
    chat.handle(alice, _send())
    ack = gateway.frames(CONNECTION)[0]
    chat.handle(alice, StopGeneration(action="stopGeneration", conversation_id=ack.conversation_id,
                                      message_id=ack.reply_id))

    assert memory.poll_answer(ALICE, ack.conversation_id, ack.reply_id).stop
    assert gateway.frames(CONNECTION) == [ack]  # the worker's `done` frame says it stopped


def test_stopping_another_users_answer_is_not_found(chat, alice, bob, gateway):
    chat.handle(alice, _send())
    ack = gateway.frames(CONNECTION)[0]
    with pytest.raises(NotFound):
        chat.handle(bob, StopGeneration(action="stopGeneration", conversation_id=ack.conversation_id,
                                        message_id=ack.reply_id))


def test_ping_is_answered_with_pong(chat, alice, gateway):
    chat.handle(alice, Ping(action="ping"))
    assert gateway.frames(CONNECTION) == [Pong()]


# ---------------------------------------------------------------- resume, regenerate, continue, edit


def _answered(chat, alice, gateway, memory, *, text: str = "Canberra.", status=MessageStatus.COMPLETE) -> Ack:
    """A message sent and its answer ended as a worker would end it."""
    chat.handle(alice, _send())
    ack = gateway.frames(CONNECTION, Ack)[-1]
    memory.claim_reply(ALICE, ack.conversation_id, ack.reply_id, owner="worker")
    memory.finish_reply(ALICE, ack.conversation_id, ack.reply_id, text=text, status=status, tokens=3)
    return ack


def test_resuming_an_answer_in_flight_registers_the_socket_for_its_worker(chat, alice, gateway, memory):
    chat.handle(alice, _send())
    ack = gateway.frames(CONNECTION)[0]
    tablet = type(alice)(user_id=ALICE, connection_id="TabletConn0AMCKdw=")

    chat.handle(tablet, ResumeAnswer(action="resumeAnswer", conversation_id=ack.conversation_id,
                                     message_id=ack.reply_id, seq=3))

    assert memory.poll_answer(ALICE, ack.conversation_id, ack.reply_id).followers == {"TabletConn0AMCKdw=": 3}
    assert gateway.frames("TabletConn0AMCKdw=") == []  # the worker catches it up at its next poll


def test_resuming_an_answer_that_ended_sends_its_final_state(chat, alice, gateway, memory):
    ack = _answered(chat, alice, gateway, memory)
    chat.handle(alice, ResumeAnswer(action="resumeAnswer", conversation_id=ack.conversation_id,
                                    message_id=ack.reply_id, seq=1))

    changed = gateway.frames(CONNECTION)[-1]
    assert isinstance(changed, MessageChanged)
    assert (changed.message.message_id, changed.message.text, changed.message.status) == (
        ack.reply_id, "Canberra.", MessageStatus.COMPLETE)


@pytest.mark.parametrize("whose", ["another user's answer", "a user message"])
def test_resuming_what_is_no_answer_of_the_callers_is_not_found(chat, alice, bob, gateway, memory, whose):
    chat.handle(alice, _send())
    ack = gateway.frames(CONNECTION)[0]
    caller, message_id = (bob, ack.reply_id) if whose == "another user's answer" else (alice, ack.message_id)
    with pytest.raises(NotFound):
        chat.handle(caller, ResumeAnswer(action="resumeAnswer", conversation_id=ack.conversation_id,
                                         message_id=message_id))
    assert memory.poll_answer(ALICE, ack.conversation_id, ack.reply_id).followers == {}


def test_regenerating_starts_a_new_answer_to_the_same_message(chat, alice, gateway, memory, worker_lambda):
    ack = _answered(chat, alice, gateway, memory)

    chat.handle(alice, RegenerateAnswer(action="regenerateAnswer", conversation_id=ack.conversation_id,
                                        message_id=ack.reply_id))

    started = gateway.frames(CONNECTION)[-1]
    assert isinstance(started, Started)
    assert (started.reply_to, started.replaces) == (ack.message_id, ack.reply_id)
    assert started.message_id != ack.reply_id
    job = worker_lambda.jobs()[-1]
    assert (job.message_id, job.reply_id, job.prefix) == (ack.message_id, started.message_id, "")


def test_continuing_goes_on_with_the_same_answer_from_its_text(chat, alice, gateway, memory, worker_lambda):
    ack = _answered(chat, alice, gateway, memory, text="Canberra is", status=MessageStatus.STOPPED)

    chat.handle(alice, ContinueAnswer(action="continueAnswer", conversation_id=ack.conversation_id,
                                      message_id=ack.reply_id))

    assert gateway.frames(CONNECTION)[-1] == Started(conversation_id=ack.conversation_id, message_id=ack.reply_id,
                                                     reply_to=ack.message_id)
    job = worker_lambda.jobs()[-1]
    assert (job.reply_id, job.prefix) == (ack.reply_id, "Canberra is")


def test_an_edit_replaces_the_last_message_and_is_answered_like_a_message(chat, alice, gateway, memory,
                                                                          worker_lambda):
    ack = _answered(chat, alice, gateway, memory)
    edit = EditMessage(action="editMessage", conversation_id=ack.conversation_id, message_id=ack.message_id,
                       client_message_id=uuid.uuid4(), text="And of Austria?")

    chat.handle(alice, edit)
    chat.handle(alice, edit)  # a retried frame is acked again and stored once

    first, again = gateway.frames(CONNECTION, Ack)[-2:]
    assert first == again and first.client_message_id == edit.client_message_id
    by_id = {m.message_id: m for m in memory.history(ALICE, ack.conversation_id, before=None, limit=10).items}
    assert by_id[ack.message_id].superseded_by == by_id[ack.reply_id].superseded_by == first.message_id
    assert len(by_id) == 4
    assert worker_lambda.jobs()[-1].window is None  # read by the worker, after the edit's write


def test_only_the_last_message_can_be_edited(chat, alice, gateway, memory):
    ack = _answered(chat, alice, gateway, memory)
    chat.handle(alice, _send("And then?", conversation_id=ack.conversation_id))
    with pytest.raises(BadRequest, match="still being written"):
        chat.handle(alice, EditMessage(action="editMessage", conversation_id=ack.conversation_id,
                                       message_id=gateway.frames(CONNECTION, Ack)[-1].message_id,
                                       client_message_id=uuid.uuid4(), text="Edited"))
    with pytest.raises(BadRequest, match="last message"):
        chat.handle(alice, EditMessage(action="editMessage", conversation_id=ack.conversation_id,
                                       message_id=ack.message_id, client_message_id=uuid.uuid4(), text="Edited"))


def test_the_limits_a_client_shows_are_the_ones_the_server_enforces(chat, alice, gateway, settings):
    chat.handle(alice, GetLimits(action="getLimits"))
    (limits,) = gateway.frames(CONNECTION)
    assert isinstance(limits, Limits) and limits.messages_per_minute == settings.rate_limit_per_minute

    chat.handle(alice, _send("x" * limits.max_message_chars))  # the longest allowed is accepted
    assert isinstance(gateway.frames(CONNECTION)[-1], Ack)
    with pytest.raises(TooLarge, match=f"the limit is {limits.max_message_chars}"):
        chat.handle(alice, _send("x" * (limits.max_message_chars + 1)))


def test_a_client_message_id_reused_in_another_conversation_is_refused(chat, alice, gateway, memory):
    chat.handle(alice, _send("First"))
    first = gateway.frames(CONNECTION)[0]
    chat.handle(alice, _send("Second"))
    other = gateway.frames(CONNECTION, Ack)[-1]

    for frame in (_send("Again", conversation_id=other.conversation_id, client_message_id=first.client_message_id),
                  EditMessage(action="editMessage", conversation_id=other.conversation_id,
                              message_id=other.message_id, client_message_id=first.client_message_id, text="x")):
        with pytest.raises(BadRequest, match="another conversation"):
            chat.handle(alice, frame)
    assert len(gateway.frames(CONNECTION, Ack)) == 2


# ---------------------------------------------------------------- memory's quality: deleted soon after learning


@pytest.mark.parametrize(("age_hours", "counted"), [(1, ["MemoriesDeletedWithinADay"]), (25, [])])
def test_a_memory_deleted_within_a_day_of_learning_is_counted_as_likely_junk(memory, poster, worker_lambda, settings,
                                                                            alice, age_hours, counted):
    learnt_ms = 1_764_900_000_000
    home = SavedMemory(memory_id_for(Subject.HOME, "Graz"), Subject.HOME, "Graz", created_ms=learnt_ms,
                       updated_ms=learnt_ms)
    memory.put_memory(alice.user_id, home)
    seen: list[str] = []
    chat = Chat(memory=memory, poster=poster, settings=settings, count=seen.append,
                worker=WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name),
                clock=lambda: (learnt_ms + age_hours * 3_600_000) / 1000)

    chat.handle(alice, DeleteMemory(action="deleteMemory", memory_id=home.memory_id))

    assert seen == counted
    assert memory.recall_state(alice.user_id, limit=5).memories == []


# ---------------------------------------------------------------- the Memory screen's past

ENDED_MS = 1_764_900_000_000


def _home(value: str, at_ms: int = ENDED_MS) -> SavedMemory:
    return SavedMemory(memory_id_for(Subject.HOME, value), Subject.HOME, value, created_ms=at_ms, updated_ms=at_ms)


def _told_over(memory, user_id: str, value: str, *, ended_ms: int, until: str | None = None) -> SavedMemory:
    fact = _home(value)
    memory.end_memory(user_id, fact, now_ms=ended_ms, current=False, until=until)
    return fact


def _listed(chat, caller, gateway) -> Memories:
    chat.handle(caller, ListMemories(action="listMemories"))
    return gateway.frames(caller.connection_id, Memories)[-1]


def test_the_memory_list_shows_the_facts_told_as_over_apart_with_their_end(chat, alice, gateway, memory):
    memory.put_memory(alice.user_id, _home("Graz"))
    _told_over(memory, alice.user_id, "Oslo", ended_ms=ENDED_MS, until="2019")
    _told_over(memory, alice.user_id, "Leeds", ended_ms=ENDED_MS + 60_000)
    _told_over(memory, alice.user_id, "Oslo", ended_ms=ENDED_MS - 60_000)  # told as over twice: listed once

    listed = _listed(chat, alice, gateway)

    assert [(m.text, m.ended_at) for m in listed.memories] == [("Lives in: Graz", None)]
    assert [(m.text, m.ended_at, m.until) for m in listed.past] == [
        ("Lives in (past): Leeds", to_datetime(ENDED_MS + 60_000), None),
        ("Lives in (past, until 2019): Oslo", to_datetime(ENDED_MS), "2019")]


def test_a_fact_current_again_is_listed_as_current_only(chat, alice, gateway, memory):
    _told_over(memory, alice.user_id, "Oslo", ended_ms=ENDED_MS)
    memory.put_memory(alice.user_id, _home("Oslo", ENDED_MS + 60_000))  # "I'm back in Oslo"

    listed = _listed(chat, alice, gateway)

    assert [m.text for m in listed.memories] == ["Lives in: Oslo"] and listed.past == []


def test_a_fact_told_as_over_is_deleted_as_a_memory_is_and_by_its_owner_only(chat, alice, bob, gateway, memory):
    oslo = _told_over(memory, alice.user_id, "Oslo", ended_ms=ENDED_MS)

    with pytest.raises(NotFound):
        chat.handle(bob, DeleteMemory(action="deleteMemory", memory_id=oslo.memory_id))
    assert [m.memory_id for m in _listed(chat, alice, gateway).past] == [oslo.memory_id]

    chat.handle(alice, DeleteMemory(action="deleteMemory", memory_id=oslo.memory_id))

    assert gateway.frames(CONNECTION, MemoryDeleted)[-1].memory_id == oslo.memory_id
    assert _listed(chat, alice, gateway).past == [] and memory.memory_history(alice.user_id) == []


def test_past_facts_are_left_out_before_memories_when_the_list_would_pass_a_frame(chat, alice, gateway, memory):
    memory.put_memory(alice.user_id, _home("Graz"))
    for n in range(150):
        _told_over(memory, alice.user_id, f"Town{n:03d} " + "x" * 500, ended_ms=ENDED_MS + n)

    listed = _listed(chat, alice, gateway)

    assert [m.text for m in listed.memories] == ["Lives in: Graz"]
    assert 0 < len(listed.past) < 150 and listed.past[0].text.startswith("Lives in (past): Town149")
