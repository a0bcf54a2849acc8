"""The whole stack, driven over a real WebSocket: DynamoDB Local, the gateway, the embedded model."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import websocket

from memchat.frames import (
    Conversations,
    DeleteConversation,
    Deleted,
    ErrorFrame,
    GetHistory,
    History,
    ListConversations,
    MessageView,
    Ping,
    Pong,
    SendMessage,
    StopGeneration,
    parse_server_frame,
)
from tests.integration.stack import TABLE, Answer, LocalStack, dynamodb
from tests.waiting import wait_until

pytestmark = pytest.mark.integration


def assert_streamed_in_order(answer: Answer) -> None:
    assert answer.error is None, answer.error
    assert answer.ack is not None and answer.done is not None
    assert [d.seq for d in answer.deltas] == list(range(len(answer.deltas)))
    assert all(d.message_id == answer.ack.reply_id for d in answer.deltas)
    assert answer.done.message_id == answer.ack.reply_id
    assert answer.text.strip()
    assert answer.done.usage.completion_tokens > 0


def test_a_message_is_acked_then_streamed_then_done(stack: LocalStack) -> None:
    client = stack.connect("alice")
    answer = client.say("Say hello in five words.")
    assert_streamed_in_order(answer)
    assert answer.done.finish_reason in ("stop", "length")
    client.close()


def test_two_users_chat_at_once_and_each_answer_streams_in_order(stack: LocalStack) -> None:
    def chat(user: str) -> Answer:
        client = stack.connect(user)
        try:
            return client.say(f"Hello, I am {user}. Tell me a fact about the sea.")
        finally:
            client.close()

    # Each client waits as long as an answer may take (the harness's deadline), and its failure is raised here
    # (a thread joined for a fixed 180 s failed the test as a missing answer while the second was on its way).
    with ThreadPoolExecutor(2) as pool:
        answers = dict(zip(("carol", "dave"), pool.map(chat, ("carol", "dave")), strict=True))
    for answer in answers.values():
        assert_streamed_in_order(answer)
    assert answers["carol"].ack.conversation_id != answers["dave"].ack.conversation_id


def test_a_follow_up_is_answered_with_the_first_turn_in_the_prompt(stack: LocalStack) -> None:
    client = stack.connect("erin")
    first = client.say("My name is Erin and my favourite colour is green.")
    assert_streamed_in_order(first)
    second = client.say("What is my favourite colour?", first.ack.conversation_id)
    assert_streamed_in_order(second)
    # The model server's own count: the second prompt holds the first question and answer too.
    assert second.done.usage.prompt_tokens > first.done.usage.prompt_tokens + first.done.usage.completion_tokens
    client.close()


def test_history_listing_and_deletion(stack: LocalStack) -> None:
    client = stack.connect("frank")
    first = client.say("Name a fruit.")
    conversation = first.ack.conversation_id
    second = client.say("Name another one.", conversation)
    assert_streamed_in_order(second)

    history = client.request(GetHistory(action="getHistory", conversation_id=conversation))
    assert isinstance(history, History)
    assert [m.role for m in history.messages] == ["user", "assistant", "user", "assistant"]
    assert [m.text for m in history.messages] == ["Name a fruit.", first.text, "Name another one.", second.text]
    assert {m.status for m in history.messages[1::2]} == {"complete"}

    older = client.request(GetHistory(action="getHistory", conversation_id=conversation, limit=3))
    assert [m.message_id for m in older.messages] == [m.message_id for m in history.messages[1:]]
    oldest = client.request(GetHistory(action="getHistory", conversation_id=conversation, before=older.before))
    assert [m.message_id for m in oldest.messages] == [history.messages[0].message_id]
    assert oldest.before is None

    listing = client.request(ListConversations(action="listConversations"))
    assert isinstance(listing, Conversations)
    assert listing.conversations[0].conversation_id == conversation
    assert listing.conversations[0].title == "Name a fruit."
    assert listing.conversations[0].message_count == 4

    assert client.request(DeleteConversation(action="deleteConversation", conversation_id=conversation)) == Deleted(
        conversation_id=conversation
    )
    listing = client.request(ListConversations(action="listConversations"))
    assert conversation not in [c.conversation_id for c in listing.conversations]
    gone = client.request(GetHistory(action="getHistory", conversation_id=conversation))
    assert isinstance(gone, ErrorFrame) and gone.code == "not_found"
    client.close()


def test_a_user_cannot_reach_another_users_conversation(stack: LocalStack) -> None:
    owner = stack.connect("grace")
    conversation = owner.say("A secret: the code is 4711.").ack.conversation_id
    intruder = stack.connect("heidi")
    attempts = [
        GetHistory(action="getHistory", conversation_id=conversation),
        DeleteConversation(action="deleteConversation", conversation_id=conversation),
        SendMessage(action="sendMessage", conversation_id=conversation, client_message_id=uuid.uuid4(),
                    text="What is the code?"),
    ]
    for attempt in attempts:
        refused = intruder.request(attempt)
        assert isinstance(refused, ErrorFrame) and refused.code == "not_found", attempt
    listing = intruder.request(ListConversations(action="listConversations"))
    assert conversation not in [c.conversation_id for c in listing.conversations]
    history = owner.request(GetHistory(action="getHistory", conversation_id=conversation))
    assert len(history.messages) == 2
    owner.close()
    intruder.close()


def test_bad_frames_get_clear_errors_and_the_socket_stays_open(stack: LocalStack) -> None:
    client = stack.connect("ivan")
    for raw, code in [
        ("not json", "bad_request"),
        ('{"action": "fly"}', "bad_request"),
        ('{"action": "sendMessage", "clientMessageId": "x", "text": "hi"}', "bad_request"),
        (SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="x" * 4001).to_wire(), "too_large"),
    ]:
        error = client.request(raw)
        assert isinstance(error, ErrorFrame) and error.code == code, raw
    assert isinstance(client.request(Ping(action="ping")), Pong)
    client.close()


def test_a_connection_without_a_valid_token_is_refused(stack: LocalStack) -> None:
    for query in ("", "?token=not-a-jwt"):
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(f"{stack.url}/{query}", timeout=10)
        # No token: 401. A token refused by the authorizer's Deny policy: 403, as API Gateway answers.
        assert refused.value.status_code == (401 if not query else 403)


def test_a_retried_message_is_stored_once(stack: LocalStack) -> None:
    client = stack.connect("judy")
    frame = SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Count to three.")
    client.send(frame)
    first = client.read_answer()
    assert_streamed_in_order(first)
    retry = SendMessage(action="sendMessage", conversation_id=first.ack.conversation_id,
                        client_message_id=frame.client_message_id, text=frame.text)
    ack = client.request(retry)
    assert (ack.conversation_id, ack.message_id, ack.reply_id) == (
        first.ack.conversation_id, first.ack.message_id, first.ack.reply_id)
    history = client.request(GetHistory(action="getHistory", conversation_id=first.ack.conversation_id))
    assert len(history.messages) == 2
    client.close()


def test_stop_generation_ends_the_answer_and_keeps_it(slow_stack: LocalStack) -> None:
    client = slow_stack.connect("kim")
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    started = client.read_answer(until_first_delta=True)
    client.send(StopGeneration(action="stopGeneration", conversation_id=started.ack.conversation_id,
                               message_id=started.ack.reply_id))
    rest = client.read_answer(timeout=60)  # a failure deadline: "stopped" and the count prove the stop
    assert rest.done is not None and rest.done.finish_reason == "stopped"
    assert rest.done.usage.completion_tokens < 200
    history = client.request(GetHistory(action="getHistory", conversation_id=started.ack.conversation_id))
    answer = history.messages[-1]
    assert answer.status == "stopped"
    assert answer.text == started.text + rest.text
    client.close()


def test_a_client_leaving_mid_answer_and_not_back_within_the_grace_leaves_the_partial_answer_stored(
    slow_stack: LocalStack,
) -> None:
    client = slow_stack.connect("leo")
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    started = client.read_answer(until_first_delta=True)
    client.close()
    returning = slow_stack.connect("leo")

    def ended() -> MessageView | None:
        history = returning.request(GetHistory(action="getHistory", conversation_id=started.ack.conversation_id))
        answer = history.messages[-1]
        return answer if answer.status not in ("pending", "streaming") else None

    answer = wait_until(ended, "the answer nobody follows ended")
    assert answer.status == "interrupted"
    assert answer.text.startswith(started.text)
    assert 0 < len(answer.text.split()) < 200
    returning.close()


def _rate_counts(stack: LocalStack, user: str) -> dict[int, int]:
    """The user's allowance as DynamoDB Local holds it: messages counted, by clock minute."""
    items = dynamodb(stack).query(
        TableName=TABLE, ConsistentRead=True, KeyConditionExpression="pk = :pk AND begins_with(sk, :rate)",
        ExpressionAttributeValues={":pk": {"S": f"U#{user}"}, ":rate": {"S": "RATE#"}})["Items"]
    return {int(item["sk"]["S"].removeprefix("RATE#")): int(item["count"]["N"]) for item in items}


def _use_up_allowance(stack: LocalStack, user: str, limit: int) -> None:
    """Count the user's allowance as spent for this clock minute and the next few: the refusal below then
    does not depend on which minute the stack's clock is in when the message arrives."""
    minute = int(time.time()) // 60
    for counted in range(minute, minute + 5):
        dynamodb(stack).update_item(TableName=TABLE, Key={"pk": {"S": f"U#{user}"}, "sk": {"S": f"RATE#{counted}"}},
                                     UpdateExpression="SET #n = :limit", ExpressionAttributeNames={"#n": "count"},
                                     ExpressionAttributeValues={":limit": {"N": str(limit)}})


def test_the_rate_limit_refuses_the_message_over_it_and_still_acks_a_retry(tmp_path) -> None:
    # The allowance is counted per clock minute, which the stack's own clock decides: the test sees each
    # message counted, then spends the allowance itself, rather than racing three sends against a minute.
    local = LocalStack(tmp_path, mode="replay", extra=("--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=2")).start()
    try:
        client = local.connect("nina")
        first = SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="One.")
        client.send(first)
        assert_streamed_in_order(answered := client.read_answer())
        assert_streamed_in_order(client.say("Two.", answered.ack.conversation_id))
        assert sum(_rate_counts(local, "nina").values()) == 2  # each message counted once

        _use_up_allowance(local, "nina", limit=2)
        counted = _rate_counts(local, "nina")
        refused = client.say("Three.", answered.ack.conversation_id)
        client.send(first)  # a retry of a stored message costs nothing and is acked again
        retried = client.receive()

        assert refused.ack is None and refused.error is not None and refused.error.code == "rate_limited"
        assert retried == answered.ack
        assert _rate_counts(local, "nina") == counted  # neither the refusal nor the retry was counted
        history = client.request(GetHistory(action="getHistory", conversation_id=answered.ack.conversation_id))
        assert [m.text for m in history.messages][::2] == ["One.", "Two."]
        client.close()
    finally:
        local.stop()


def test_restarting_the_stack_keeps_every_conversation(tmp_path) -> None:
    first_run = LocalStack(tmp_path, mode="replay").start()
    try:
        client = first_run.connect("mallory")
        answer = client.say("Remember this after a restart.")
        assert_streamed_in_order(answer)
        client.close()
    finally:
        assert first_run.stop() == 0
    second_run = LocalStack(tmp_path, mode="replay").start()
    try:
        client = second_run.connect("mallory")
        listing = client.request(ListConversations(action="listConversations"))
        assert [c.conversation_id for c in listing.conversations] == [answer.ack.conversation_id]
        history = client.request(GetHistory(action="getHistory", conversation_id=answer.ack.conversation_id))
        assert [m.text for m in history.messages] == ["Remember this after a restart.", answer.text]
        client.close()
    finally:
        second_run.stop()


def test_on_a_loopback_stack_a_development_user_signs_in_with_one_tap(stack: LocalStack) -> None:
    """The app's one-tap sign-in on `make dev`: the gateway hands a loopback caller a named user's token."""
    request = urllib.request.Request(stack.url.replace("ws://", "http://") + "/local/dev-token",
                                     data=json.dumps({"user": "tap-user"}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        token = json.loads(response.read())["token"]

    client = websocket.create_connection(f"{stack.url}/?token={token}", timeout=30)
    try:
        client.send(ListConversations(action="listConversations").to_wire())
        assert isinstance(parse_server_frame(client.recv()), Conversations)
    finally:
        client.close()
