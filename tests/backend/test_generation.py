"""Generating an answer end to end: memory (moto) -> prompt -> SageMaker stream (real event-stream bytes)
-> deltas over the @connections API -> the answer saved as it ended."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import urllib3
from botocore.exceptions import ReadTimeoutError

from memchat.events import GenerationJob, RememberedMessage
from memchat.frames import (
    Delta,
    Done,
    ErrorFrame,
    FinishReason,
    MessageStatus,
    Resumed,
    Role,
    StopGeneration,
    Usage,
)
from memchat.generation import Generation, Outcome, build_prompt
from memchat.memory import MESSAGE_OVERHEAD_TOKENS, Memory, StoredMessage, estimate_tokens
from memchat.memory.forgetting import REDACTED
from memchat.memory.memories import Source, Subject
from memchat_local.eventstream import exception_event, payload_part

from .fakes import HANG, wait_until
from .memory.conftest import saved
from .recorded import ALICE, CONNECTION, seed_conversation
from .tgi import chunk, payload_parts, token_parts

QUESTION = "What is the capital of Australia?"
ANSWER = ["Can", "berra", " is", " the", " capital", "."]


def _job(memory: Memory, text: str = QUESTION, *, conversation_id: str | None = None) -> GenerationJob:
    """Store the user's message as sendMessage does and hand over the job it would hand to the worker."""
    now_ms = int(time.time() * 1000)
    turn = memory.store_user_message(ALICE, conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                                     text=text, now_ms=now_ms)
    return GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id=turn.conversation_id,
                         message_id=turn.message_id, reply_id=turn.reply_id, received_ms=now_ms)


def _stored(memory: Memory, job: GenerationJob):
    messages = {m.message_id: m for m in memory.history(ALICE, job.conversation_id, before=None, limit=100).items}
    return messages[job.message_id], messages[job.reply_id]


def _deltas(gateway) -> list[Delta]:
    return gateway.frames(CONNECTION, Delta)


def _in_background(generation: Generation, job: GenerationJob) -> tuple[threading.Thread, dict[str, Outcome]]:
    result: dict[str, Outcome] = {}
    thread = threading.Thread(target=lambda: result.update(outcome=generation.run(job)), daemon=True)
    thread.start()
    return thread, result


# ---------------------------------------------------------------- a whole turn


def test_a_turn_streams_deltas_in_order_then_done_with_the_servers_usage(generation, memory, endpoint, gateway):
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER, prompt_tokens=57))

    generation.run(job)
    *deltas, done = gateway.frames(CONNECTION)

    assert all(isinstance(delta, Delta) for delta in deltas)
    assert [d.seq for d in deltas] == list(range(len(deltas)))
    assert "".join(d.text for d in deltas) == "Canberra is the capital."
    assert {(d.conversation_id, d.message_id) for d in deltas} == {(job.conversation_id, job.reply_id)}
    assert done == Done(conversation_id=job.conversation_id, message_id=job.reply_id,
                        finish_reason=FinishReason.STOP, usage=Usage(prompt_tokens=57, completion_tokens=6))


def test_a_turn_stores_the_whole_answer_as_complete(generation, memory, endpoint):
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER, prompt_tokens=57))

    outcome = generation.run(job)
    question, answer = _stored(memory, job)

    assert (question.text, question.status) == (QUESTION, MessageStatus.SENT)
    assert (answer.text, answer.status, answer.role) == ("Canberra is the capital.", MessageStatus.COMPLETE,
                                                         Role.ASSISTANT)
    assert answer.tokens == 6 + MESSAGE_OVERHEAD_TOKENS  # the server's own count, not an estimate
    assert (outcome.status, outcome.text, outcome.completion_tokens) == (
        MessageStatus.COMPLETE, "Canberra is the capital.", 6)
    assert outcome.ttft_ms is not None


def test_the_prompt_is_the_system_prompt_then_the_users_message(generation, memory, endpoint, settings):
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER))
    generation.run(job)

    (request,) = endpoint.requests
    assert request["messages"] == [
        {"role": "system", "content": settings.system_prompt},
        {"role": "user", "content": QUESTION},
    ]
    assert request["max_tokens"] == settings.max_new_tokens
    assert request["stream"] is True and request["stream_options"] == {"include_usage": True}


def test_the_follow_up_turns_prompt_contains_the_first_turn(generation, memory, endpoint, settings):
    first = _job(memory)
    endpoint.streams(*token_parts(ANSWER))
    generation.run(first)
    follow_up = _job(memory, "And its population?", conversation_id=first.conversation_id)
    endpoint.streams(*token_parts(["About", " 470,000", "."]))
    generation.run(follow_up)

    assert endpoint.requests[1]["messages"] == [
        {"role": "system", "content": settings.system_prompt},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Canberra is the capital."},
        {"role": "user", "content": "And its population?"},
    ]


def test_the_prompt_of_a_very_long_conversation_stays_within_the_budget(generation, memory, endpoint, settings,
                                                                        dynamodb):
    conversation, _ = seed_conversation(dynamodb, settings.table_name, ALICE, messages=2000)
    job = _job(memory, "Summarize our chat.", conversation_id=conversation)
    endpoint.streams(*token_parts(["Sure", "."]))
    generation.run(job)

    messages = endpoint.requests[0]["messages"]
    assert sum(estimate_tokens(m["content"]) for m in messages) <= settings.prompt_budget
    assert messages[0]["role"] == "system"
    assert messages[-1] == {"role": "user", "content": "Summarize our chat."}
    assert 3 < len(messages) < 2000


def test_an_answer_cut_at_max_tokens_finishes_with_length(generation, memory, endpoint, gateway):
    job = _job(memory)
    endpoint.streams(*token_parts(["Can", "berra"], finish_reason="length"))
    generation.run(job)

    assert gateway.frames(CONNECTION)[-1].finish_reason is FinishReason.LENGTH
    assert _stored(memory, job)[1].status is MessageStatus.COMPLETE


def test_without_usage_from_the_server_done_reports_estimates(generation, memory, endpoint, gateway, settings):
    job = _job(memory)
    endpoint.streams(payload_parts(chunk("Canberra") + chunk(".", finish_reason="stop") + b"data: [DONE]\n\n"))
    generation.run(job)

    done = gateway.frames(CONNECTION)[-1]
    estimated = estimate_tokens(settings.system_prompt) + estimate_tokens(QUESTION)
    assert done.usage == Usage(prompt_tokens=estimated, completion_tokens=2)


def test_an_answer_split_inside_multibyte_characters_arrives_whole(generation, memory, endpoint, gateway):
    job = _job(memory)
    data = b"".join(chunk(word) for word in ["h", "é", "llo", " 你好", " 👋"]) + b"data: [DONE]\n\n"
    endpoint.streams(payload_parts(data, range(1, len(data), 7)))
    generation.run(job)

    assert "".join(d.text for d in _deltas(gateway)) == "héllo 你好 👋"
    assert _stored(memory, job)[1].text == "héllo 你好 👋"


# ---------------------------------------------------------------- stopping and leaving


def test_a_stop_request_ends_the_stream_as_stopped_and_keeps_the_partial_answer(
    generation, chat, alice, memory, endpoint, gateway
):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), payload_part(chunk(" upon")), HANG)
    worker, result = _in_background(generation, job)
    wait_until(lambda: "".join(d.text for d in _deltas(gateway)) == "Once upon", "both pieces were streamed")

    chat.handle(alice, StopGeneration(action="stopGeneration", conversation_id=job.conversation_id,
                                      message_id=job.reply_id))
    worker.join(timeout=10)

    assert not worker.is_alive()
    assert gateway.frames(CONNECTION)[-1] == Done(
        conversation_id=job.conversation_id, message_id=job.reply_id, finish_reason=FinishReason.STOPPED,
        usage=Usage(prompt_tokens=result["outcome"].prompt_tokens, completion_tokens=2))
    answer = _stored(memory, job)[1]
    assert (answer.text, answer.status) == ("Once upon", MessageStatus.STOPPED)
    assert endpoint.bodies[0].closed  # the model's HTTP stream was dropped, which ends the generation


def test_a_client_gone_mid_answer_ends_the_stream_and_keeps_the_answer_as_interrupted(
    generation, memory, endpoint, gateway
):
    job = _job(memory)
    gateway.disconnect(CONNECTION, after=1)
    endpoint.streams(
        payload_part(chunk("Once")),
        lambda: gateway.wait_for_frames(CONNECTION, 1),
        payload_part(chunk(" upon")),  # read, kept, and refused by the gone client
        lambda: gateway.wait_for_refusal(CONNECTION),
        HANG,  # the model would go on; the worker must close the stream instead
    )

    outcome = generation.run(job)

    assert outcome.status is MessageStatus.INTERRUPTED
    assert [type(f) for f in gateway.frames(CONNECTION)] == [Delta]  # no done, no error to nobody
    answer = _stored(memory, job)[1]
    # Text the model sent after the client left is kept too (one that resumes, or Continue, would use it).
    # A piece after the refusal would race the worker's closing of the stream: the test sends none.
    assert (answer.text, answer.status) == ("Once upon", MessageStatus.INTERRUPTED)
    assert endpoint.bodies[0].closed


# ---------------------------------------------------------------- model failures


@pytest.mark.parametrize(
    ("failure", "code", "partial"),
    [
        (lambda e: e.fails(424, "ModelError", "Received server error (500) from primary", OriginalStatusCode=500),
         "model_error", ""),
        (lambda e: e.fails(400, "ThrottlingException", "Rate exceeded"), "rate_limited", ""),
        (lambda e: e.fails(503, "ServiceUnavailable", "Service Unavailable"), "model_unavailable", ""),
        (lambda e: e.fails(429, "ModelNotReadyException", "Model is not ready"), "model_unavailable", ""),
        (lambda e: e.fails(400, "ValidationError", "Endpoint memchat-test-llm not found."), "model_unavailable", ""),
        (lambda e: e.raises(ReadTimeoutError(endpoint_url="https://runtime.sagemaker.us-east-1.amazonaws.com")),
         "model_unavailable", ""),
        (lambda e: e.streams(payload_parts(chunk("Can") + chunk("berra")),
                             exception_event("ModelStreamError", "Stream broken", "StreamBroken")),
         "model_error", "Canberra"),
        (lambda e: e.streams(payload_parts(chunk("Can")),
                             urllib3.exceptions.ReadTimeoutError(None, "/", "Read timed out.")),
         "model_unavailable", "Can"),
        (lambda e: e.streams(payload_parts(chunk("Can") + chunk("berra"))), "model_error", "Canberra"),
    ],
    ids=["ModelError", "Throttling", "ServiceUnavailable", "ModelNotReady", "ValidationError", "read-timeout",
         "ModelStreamError-mid-answer", "read-timeout-mid-answer", "stream-cut-short"],
)
def test_a_model_failure_reaches_the_client_and_the_turn_stays_stored(
    generation, memory, endpoint, gateway, failure, code, partial
):
    job = _job(memory)
    failure(endpoint)

    outcome = generation.run(job)
    *deltas, error = gateway.frames(CONNECTION)

    assert isinstance(error, ErrorFrame)
    assert (error.code, error.conversation_id, error.message_id) == (code, job.conversation_id, job.reply_id)
    assert "".join(d.text for d in deltas) == partial
    question, answer = _stored(memory, job)
    assert (question.text, question.status) == (QUESTION, MessageStatus.SENT)
    assert (answer.text, answer.status, answer.error_code) == (partial, MessageStatus.FAILED, code)
    assert outcome.status is MessageStatus.FAILED and outcome.error.code == code


def test_the_turn_after_a_failed_answer_remembers_its_partial_text(generation, memory, endpoint, settings):
    first = _job(memory)
    endpoint.streams(payload_parts(chunk("Can")), exception_event("ModelStreamError", "Stream broken"))
    generation.run(first)
    again = _job(memory, "Please finish.", conversation_id=first.conversation_id)
    endpoint.streams(*token_parts(["Canberra", "."]))
    generation.run(again)

    assert [m["content"] for m in endpoint.requests[1]["messages"][1:]] == [QUESTION, "Can", "Please finish."]


def test_a_job_that_carries_its_window_calls_the_model_with_it_without_reading_memory(generation, memory, endpoint,
                                                                                     dynamodb):
    job = _job(memory)
    window = [RememberedMessage(message_id="0000000000010aaaaaaaaaa", role=Role.USER, text="Earlier.", tokens=9),
              RememberedMessage(message_id="0000000000011aaaaaaaaaa", role=Role.ASSISTANT, text="Noted.", tokens=8),
              RememberedMessage(message_id=job.message_id, role=Role.USER, text=QUESTION,
                                tokens=estimate_tokens(QUESTION))]
    queries = []
    dynamodb.meta.events.register("before-call.dynamodb.Query", lambda **kwargs: queries.append(kwargs))
    endpoint.streams(*token_parts(ANSWER))

    outcome = generation.run(job.model_copy(update={"window": window}))

    assert outcome.status is MessageStatus.COMPLETE and queries == []
    assert [m["content"] for m in endpoint.requests[0]["messages"][1:]] == ["Earlier.", "Noted.", QUESTION]


# ---------------------------------------------------------------- jobs that must not touch the answer


def test_a_redelivered_job_leaves_the_finished_answer_alone(generation, memory, endpoint, gateway):
    # Lambda delivers an asynchronous event at least once: the same job can run twice.
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER))
    generation.run(job)
    frames = gateway.frames(CONNECTION)
    # The model call starts beside the claim: the second delivery's stream (a model still thinking) is
    # closed unread once the claim fails.
    endpoint.streams(HANG)

    outcome = generation.run(job)

    assert not outcome.claimed and endpoint.bodies[-1].closed
    assert gateway.frames(CONNECTION) == frames  # the client was told nothing more
    answer = _stored(memory, job)[1]
    assert (answer.text, answer.status) == ("Canberra is the capital.", MessageStatus.COMPLETE)


def test_an_answer_whose_conversation_was_deleted_meanwhile_is_not_saved(generation, memory, endpoint, dynamodb,
                                                                         settings):
    job = _job(memory)

    def delete_conversation() -> None:
        memory.delete_conversation(ALICE, job.conversation_id)
        memory.purge_messages(ALICE, job.conversation_id)

    endpoint.streams(payload_parts(chunk("Can")), delete_conversation, payload_parts(chunk("berra")),
                     payload_parts(b"data: [DONE]\n\n"))

    generation.run(job)

    left = dynamodb.query(TableName=settings.table_name, KeyConditionExpression="pk = :pk",
                          ExpressionAttributeValues={":pk": {"S": f"U#{ALICE}#C#{job.conversation_id}"}})
    assert left["Items"] == []


def _message(number: int, role: Role, text: str) -> StoredMessage:
    return StoredMessage(message_id=f"{number:016x}", role=role, text=text, status=MessageStatus.COMPLETE,
                         created_ms=number, tokens=estimate_tokens(text))


def test_the_prompt_starts_with_the_system_prompt_then_alternates_from_a_user_turn():
    window = [
        _message(1, Role.ASSISTANT, "an answer whose question fell out of the budget"),
        _message(2, Role.USER, "first question"),
        _message(3, Role.ASSISTANT, "first answer"),
        _message(4, Role.USER, "second question, whose answer failed without text"),
        _message(5, Role.USER, "third question"),
    ]

    prompt = build_prompt("Be brief.", window)

    assert [(m.role, m.content) for m in prompt] == [
        ("system", "Be brief."),
        ("user", "first question"),
        ("assistant", "first answer"),
        ("user", "second question, whose answer failed without text\n\nthird question"),
    ]


# ---------------------------------------------------------------- leases, deadlines and failed saves


def _leased(generation: Generation, settings, **update) -> Generation:
    """The same generation with a quick lease: renewed every 50 ms."""
    quick = settings.model_copy(update={"lease_renew_seconds": 0.05, "answer_lease_seconds": 5, **update})
    return Generation(memory=generation.memory, model=generation._model, poster=generation._poster, settings=quick)


def test_the_text_so_far_is_saved_while_the_answer_streams(generation, memory, endpoint, gateway, settings):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), payload_part(chunk(" upon")), HANG)
    worker, _ = _in_background(_leased(generation, settings), job)
    wait_until(lambda: _stored(memory, job)[1].text == "Once upon", "the partial text was saved")

    answer = _stored(memory, job)[1]
    assert answer.status is MessageStatus.STREAMING  # another device sees the text while it streams
    memory.request_stop(ALICE, job.conversation_id, job.reply_id)
    worker.join(timeout=10)
    assert _stored(memory, job)[1].status is MessageStatus.STOPPED


def test_the_first_token_shortens_the_long_first_lease_and_saves_its_text(
    generation, memory, endpoint, gateway, settings
):
    # The watcher would renew only after 30 s: the first token alone must shorten the lease.
    slow_watch = _leased(generation, settings, lease_renew_seconds=30, answer_lease_seconds=60)
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), HANG)
    claimed_before = int(time.time() * 1000)
    worker, _ = _in_background(slow_watch, job)
    wait_until(lambda: _stored(memory, job)[1].text == "Once", "the first token's text was saved")

    item = memory._client.get_item(TableName=memory.table_name, Key={
        "pk": {"S": f"U#{ALICE}#C#{job.conversation_id}"}, "sk": {"S": f"M#{job.reply_id}"}})["Item"]
    first_lease_until = claimed_before + int((settings.model_timeout_seconds + 60) * 1000)
    assert int(item["leaseUntil"]["N"]) <= int(time.time() * 1000) + 60_000 < first_lease_until
    assert (item["status"]["S"], int(item["seq"]["N"])) == ("streaming", 1)  # the one delta the client has
    memory.request_stop(ALICE, job.conversation_id, job.reply_id)
    worker.join(timeout=10)
    assert _stored(memory, job)[1].status is MessageStatus.STOPPED


def test_a_worker_whose_lease_was_taken_over_stops_and_leaves_the_answer_alone(
    generation, memory, endpoint, gateway, settings
):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), HANG)
    worker, result = _in_background(_leased(generation, settings), job)
    wait_until(lambda: _stored(memory, job)[1].text == "Once", "the worker renewed its lease")
    # Another delivery takes the answer over (as it would once the lease ran out).
    far = int(time.time() * 1000) + 3_600_000
    assert memory.claim_reply(ALICE, job.conversation_id, job.reply_id, owner="other", now_ms=far, lease_ms=60_000)
    worker.join(timeout=10)

    assert not worker.is_alive() and result["outcome"].lost
    assert endpoint.bodies[0].closed
    item = memory._client.get_item(TableName=memory.table_name, Key={
        "pk": {"S": f"U#{ALICE}#C#{job.conversation_id}"}, "sk": {"S": f"M#{job.reply_id}"}})["Item"]
    assert (item["status"]["S"], item["owner"]["S"]) == ("streaming", "other")  # the new owner's, untouched
    assert not gateway.frames(CONNECTION, Done) and not gateway.frames(CONNECTION, ErrorFrame)


def test_an_answer_near_the_lambda_deadline_is_cut_saved_as_interrupted_and_the_client_told(
    generation, memory, endpoint, gateway, settings
):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), HANG)
    left = {"ms": 60_000}
    worker = threading.Thread(target=lambda: _leased(generation, settings).run(job, remaining_ms=lambda: left["ms"]),
                              daemon=True)
    worker.start()
    wait_until(lambda: _deltas(gateway), "the first piece was streamed")
    left["ms"] = 5_000  # under the 10 s margin
    worker.join(timeout=10)

    answer = _stored(memory, job)[1]
    assert (answer.text, answer.status) == ("Once", MessageStatus.INTERRUPTED)
    error = gateway.frames(CONNECTION)[-1]
    assert isinstance(error, ErrorFrame) and error.message_id == job.reply_id and "cut off" in error.message


def test_the_client_hears_how_the_answer_ended_even_when_saving_it_fails(
    generation, memory, endpoint, gateway, monkeypatch, settings
):
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER, prompt_tokens=57))
    attempts = []

    def unavailable(*args, **kwargs):
        attempts.append(time.monotonic())
        raise ConnectionError("DynamoDB is down")

    monkeypatch.setattr(memory, "finish_reply", unavailable)
    # A lease of 0.3 s renewed every 0.1 s: the save is retried for 0.2 s, then given up.
    outcome = _leased(generation, settings, answer_lease_seconds=0.3, lease_renew_seconds=0.1).run(job)

    assert len(attempts) > 1 and attempts[-1] - attempts[0] < 0.3
    assert outcome.status is MessageStatus.INTERRUPTED
    error = gateway.frames(CONNECTION)[-1]
    assert isinstance(error, ErrorFrame)
    assert (error.code, error.message_id) == ("internal", job.reply_id)
    assert "could not be saved" in error.message


# ---------------------------------------------------------------- following: resume and continue

TABLET = "TabletConn0AMCKdw="


def _graced(generation: Generation, settings, **update) -> Generation:
    """The same generation waiting `resume_grace_seconds` for a client to come back."""
    graced = settings.model_copy(update={"resume_grace_seconds": 30, **update})
    return Generation(memory=generation.memory, model=generation._model, poster=generation._poster, settings=graced)


def _answer_text(gateway, connection_id: str) -> tuple[str, list[int]]:
    """The answer as a client on `connection_id` assembles it from resumed and delta frames, and the seqs."""
    text, seqs, expected = "", [], None
    for frame in gateway.frames(connection_id):
        if isinstance(frame, Resumed):
            assert expected is None or frame.from_seq == expected
            text, expected = text + frame.text, frame.seq
            seqs.extend(range(frame.from_seq, frame.seq))
        elif isinstance(frame, Delta):
            assert expected is None or frame.seq == expected, "no gap and no repeat"
            text, expected = text + frame.text, frame.seq + 1
            seqs.append(frame.seq)
    return text, seqs


def test_a_client_that_resumes_mid_answer_gets_what_it_missed_then_the_rest_live(
    generation, memory, endpoint, gateway, settings
):
    job = _job(memory)
    resumed = threading.Event()
    endpoint.streams(
        payload_part(chunk("Once")),
        lambda: gateway.wait_for_frames(CONNECTION, 1),
        payload_part(chunk(" upon")),
        lambda: gateway.wait_for_frames(CONNECTION, 2),
        lambda: resumed.wait(10),
        *token_parts([" a", " time."], prompt_tokens=9),
    )
    worker, result = _in_background(_graced(generation, settings), job)
    wait_until(lambda: len(_deltas(gateway)) == 2, "two deltas were posted")
    # The tablet showed the first delta (seq 0) before it reconnected.
    assert memory.follow_reply(ALICE, job.conversation_id, job.reply_id, connection_id=TABLET, seq=1)
    wait_until(lambda: gateway.frames(TABLET, Resumed), "the worker caught the tablet up at its next poll")
    resumed.set()
    worker.join(timeout=10)

    assert gateway.frames(TABLET, Resumed)[0] == Resumed(
        conversation_id=job.conversation_id, message_id=job.reply_id, from_seq=1, seq=2, text=" upon")
    text, seqs = _answer_text(gateway, TABLET)
    assert "Once" + text == "Once upon a time." and seqs == list(range(1, len(seqs) + 1))
    assert _answer_text(gateway, CONNECTION)[0] == "Once upon a time."  # the phone kept its stream too
    for connection_id in (CONNECTION, TABLET):
        assert isinstance(gateway.frames(connection_id)[-1], Done)
    assert result["outcome"].status is MessageStatus.COMPLETE


def test_an_answer_whose_client_left_goes_on_for_one_that_resumes(generation, memory, endpoint, gateway, settings):
    job = _job(memory)
    gateway.disconnect(CONNECTION, after=1)  # the phone's socket dies after the first delta
    back = threading.Event()
    endpoint.streams(
        payload_part(chunk("Once")),
        lambda: gateway.wait_for_frames(CONNECTION, 1),
        payload_part(chunk(" upon")),
        lambda: gateway.wait_for_refusal(CONNECTION),
        lambda: back.wait(10),
        *token_parts([" a", " time."], prompt_tokens=9),
    )
    worker, result = _in_background(_graced(generation, settings), job)
    gateway.wait_for_refusal(CONNECTION)
    memory.follow_reply(ALICE, job.conversation_id, job.reply_id, connection_id=TABLET, seq=1)  # on a new socket
    wait_until(lambda: gateway.frames(TABLET, Resumed), "the new socket was caught up")
    back.set()
    worker.join(timeout=10)

    assert result["outcome"].status is MessageStatus.COMPLETE
    assert "Once" + _answer_text(gateway, TABLET)[0] == "Once upon a time."
    assert isinstance(gateway.frames(TABLET)[-1], Done)
    assert _stored(memory, job)[1].status is MessageStatus.COMPLETE


def test_an_answer_nobody_follows_for_the_grace_period_stops_as_interrupted(
    generation, memory, endpoint, gateway, settings
):
    job = _job(memory)
    gateway.disconnect(CONNECTION, after=1)
    endpoint.streams(payload_part(chunk("Once")), lambda: gateway.wait_for_frames(CONNECTION, 1),
                     payload_part(chunk(" upon")), HANG)

    outcome = _graced(generation, settings, resume_grace_seconds=0.2).run(job)

    assert outcome.status is MessageStatus.INTERRUPTED
    assert endpoint.bodies[0].closed  # no GPU time for an answer nobody reads
    assert _stored(memory, job)[1].text == "Once upon"


def test_a_client_that_resumes_just_before_the_end_is_caught_up_and_told_it_ended(
    generation, memory, endpoint, gateway, settings
):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), lambda: gateway.wait_for_frames(CONNECTION, 1),
                     lambda: memory.follow_reply(ALICE, job.conversation_id, job.reply_id, connection_id=TABLET,
                                                 seq=0),
                     *token_parts([" upon."], prompt_tokens=9))

    # The worker never polls in time: the tablet is found in the answer's last write.
    _graced(generation, settings, stop_poll_interval_ms=60_000).run(job)

    assert _answer_text(gateway, TABLET)[0] == "Once upon."
    assert isinstance(gateway.frames(TABLET)[-1], Done)


def test_the_saved_partial_text_says_how_many_deltas_it_covers(generation, memory, endpoint, gateway, settings):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), lambda: gateway.wait_for_frames(CONNECTION, 1),
                     payload_part(chunk(" upon")), HANG)
    worker, _ = _in_background(_leased(generation, settings), job)
    wait_until(lambda: _stored(memory, job)[1].text == "Once upon", "the partial text was saved")

    view = _stored(memory, job)[1].view()
    assert (view.seq, view.text) == (len(_deltas(gateway)), "".join(d.text for d in _deltas(gateway)))
    memory.request_stop(ALICE, job.conversation_id, job.reply_id)
    worker.join(timeout=10)


def test_a_continued_answer_goes_on_from_its_text(generation, memory, endpoint, gateway):
    job = _job(memory)
    memory.claim_reply(ALICE, job.conversation_id, job.reply_id, owner="first", now_ms=job.received_ms)
    memory.finish_reply(ALICE, job.conversation_id, job.reply_id, text="Canberra is", tokens=5,
                        status=MessageStatus.STOPPED)
    exchange = memory.continue_reply(ALICE, job.conversation_id, job.reply_id, now_ms=job.received_ms + 1,
                                     connection_id=CONNECTION, start_grace_ms=60_000)
    endpoint.streams(*token_parts([" the", " capital."], prompt_tokens=20))

    outcome = generation.run(job.model_copy(update={"prefix": exchange.answer.text}))

    request = endpoint.requests[0]
    assert "continue_final_message" not in request  # TGI goes on with a final assistant message by itself
    assert request["messages"][-2:] == [{"role": "user", "content": QUESTION},
                                        {"role": "assistant", "content": "Canberra is"}]
    assert [d.seq for d in _deltas(gateway)] == list(range(len(_deltas(gateway))))  # a new run of deltas
    assert "".join(d.text for d in _deltas(gateway)) == " the capital."
    answer = _stored(memory, job)[1]
    assert (answer.text, answer.status, outcome.status) == ("Canberra is the capital.", MessageStatus.COMPLETE,
                                                            MessageStatus.COMPLETE)
    assert answer.finish_reason is FinishReason.STOP


def test_the_last_save_is_retried_until_dynamodb_answers_and_the_answer_ends_once(
    generation, memory, endpoint, gateway, monkeypatch
):
    job = _job(memory)
    endpoint.streams(*token_parts(ANSWER, prompt_tokens=57))
    save, failures = memory.finish_reply, []

    def down_for_a_while(*args, **kwargs):
        if len(failures) < 3:
            failures.append("down")
            raise ConnectionError("DynamoDB is down")
        return save(*args, **kwargs)

    monkeypatch.setattr(memory, "finish_reply", down_for_a_while)
    outcome = generation.run(job)

    assert outcome.status is MessageStatus.COMPLETE and len(failures) == 3
    assert _stored(memory, job)[1].text == "".join(ANSWER)  # every character that streamed
    ends = [f for f in gateway.frames(CONNECTION) if isinstance(f, Done | ErrorFrame)]
    assert len(ends) == 1 and isinstance(ends[0], Done)


def test_an_answer_the_sweep_ended_meanwhile_is_left_as_the_sweep_ended_it(generation, memory, endpoint, gateway):
    job = _job(memory)
    endpoint.streams(payload_part(chunk("Once")), lambda: gateway.wait_for_frames(CONNECTION, 1),
                     lambda: memory.end_stale(
                         {"pk": f"U#{ALICE}#C#{job.conversation_id}", "sk": f"M#{job.reply_id}", "text": "Once"},
                         now_ms=int(time.time() * 1000) + 10**9, error_code="internal"),
                     *token_parts([" upon."], prompt_tokens=9))

    outcome = generation.run(job)

    assert outcome.lost
    assert _stored(memory, job)[1].status is MessageStatus.INTERRUPTED  # the sweep's end stands
    assert not gateway.frames(CONNECTION, Done)  # the sweep told the client; the worker adds no second end


def test_an_answer_that_used_a_memory_loses_its_words_when_the_memory_is_deleted_before_any_digest(
        generation, memory, endpoint):
    # The digest traces recalled memories too, but in the background and late: a memory deleted before it
    # ran left its words in the answer that used it.

    locker = saved(Subject.NOTE, "my locker code is 4521", sources=(Source("c0ffee01", "0" * 24),))
    memory.put_memory(ALICE, locker)
    job = _job(memory, "What is my locker code?")
    endpoint.streams(*token_parts(["Your", " locker", " code", " is", " 4521", "."]))
    generation.run(job)
    assert list(_stored(memory, job)[1].recalled) == [locker.memory_id]

    memory.delete_memory(ALICE, locker.memory_id)

    assert "4521" not in _stored(memory, job)[1].text and REDACTED in _stored(memory, job)[1].text


def test_an_answer_that_failed_before_its_first_token_names_no_memories_it_used(generation, memory, endpoint,
                                                                               gateway):
    locker = saved(Subject.NOTE, "my locker code is 4521", sources=(Source("c0ffee01", "0" * 24),))
    memory.put_memory(ALICE, locker)
    job = _job(memory, "What is my locker code?")
    endpoint.fails(503, "ServiceUnavailable", "Service Unavailable")

    generation.run(job)

    answer = _stored(memory, job)[1]
    assert (answer.status, answer.text, answer.recalled) == (MessageStatus.FAILED, "", ())
    assert answer.view().recalled is None  # history shows no "Used 1 memory" under it
    assert isinstance(gateway.frames(CONNECTION)[-1], ErrorFrame)


def test_an_answer_stopped_before_its_first_token_ends_with_no_memories_in_its_done(generation, memory, endpoint,
                                                                                  gateway):
    locker = saved(Subject.NOTE, "my locker code is 4521", sources=(Source("c0ffee01", "0" * 24),))
    memory.put_memory(ALICE, locker)
    job = _job(memory, "What is my locker code?")
    endpoint.streams(lambda: memory.request_stop(ALICE, job.conversation_id, job.reply_id), HANG)

    generation.run(job)

    done = gateway.frames(CONNECTION)[-1]
    assert isinstance(done, Done) and done.finish_reason is FinishReason.STOPPED and done.memories is None
    assert _stored(memory, job)[1].recalled == ()


def test_history_says_why_an_answer_failed_as_its_client_was_told(generation, memory, endpoint, gateway):
    job = _job(memory)
    endpoint.fails(503, "ServiceUnavailable", "Service Unavailable")

    generation.run(job)

    error = gateway.frames(CONNECTION)[-1]
    view = _stored(memory, job)[1].view()
    assert isinstance(error, ErrorFrame) and (view.error_code, view.error_message) == (error.code, error.message)
    assert "try again" in view.error_message.lower()


# ---------------------------------------------------------------- earlier exchanges


def _referring_job(memory):
    """A job for a message that refers to an earlier conversation, the exchange recalled for it, and its window."""
    from memchat.events import RecalledExchangeJob

    job = _job(memory, "What did you suggest for my trip?")
    earlier = RecalledExchangeJob(conversation_id="c" * 32, message_id="d" * 24, excerpt="Ideas for Lisbon?",
                                  text="On 2026-11-02 the user said: “Ideas for Lisbon?” You answered: “Tram 28.”",
                                  tokens=40)
    window = [RememberedMessage(message_id=job.message_id, role=Role.USER, text="What did you suggest for my trip?",
                                tokens=20)]
    return job, earlier, window


def test_a_job_that_carries_earlier_exchanges_puts_them_after_the_memories_and_before_the_summary_and_done_lists_them(
        generation, memory, endpoint, gateway):
    from memchat.events import RecalledMemoryJob
    from memchat.frames import Done, RecalledExchange
    from memchat.generation import EXCHANGES_HEADING, MEMORIES_HEADING, SUMMARY_HEADING

    job, earlier, window = _referring_job(memory)
    endpoint.streams(*token_parts(ANSWER))
    generation.run(job.model_copy(update={
        "window": window, "exchanges": [earlier], "summary": "We spoke of trains.",
        "memories": [RecalledMemoryJob(memory_id="a" * 24, text="Lives in: Graz", tokens=9)]}))

    system = endpoint.requests[0]["messages"][0]["content"]
    assert system.index(MEMORIES_HEADING) < system.index(EXCHANGES_HEADING) < system.index(SUMMARY_HEADING)
    assert f"{EXCHANGES_HEADING}\n- {earlier.text}" in system
    (done,) = gateway.frames(CONNECTION, Done)
    assert done.exchanges == [RecalledExchange(conversation_id="c" * 32, message_id="d" * 24,
                                               excerpt="Ideas for Lisbon?")]


def test_an_answer_without_earlier_exchanges_lists_none(generation, memory, endpoint, gateway):
    from memchat.frames import Done

    endpoint.streams(*token_parts(ANSWER))
    generation.run(_job(memory))
    (done,) = gateway.frames(CONNECTION, Done)
    assert done.exchanges is None and "exchanges" not in done.to_wire()


def test_an_answer_keeps_only_references_to_its_earlier_exchanges_never_their_words(
        generation, memory, endpoint, dynamodb, settings):
    job, earlier, window = _referring_job(memory)
    endpoint.streams(*token_parts(ANSWER))
    generation.run(job.model_copy(update={"window": window, "exchanges": [earlier]}))

    item = dynamodb.get_item(TableName=settings.table_name, ConsistentRead=True, Key={
        "pk": {"S": f"U#{ALICE}#C#{job.conversation_id}"}, "sk": {"S": f"M#{job.reply_id}"}})["Item"]
    assert item["exchanges"] == {"L": [{"M": {"conversationId": {"S": "c" * 32}, "messageId": {"S": "d" * 24}}}]}
    assert "Lisbon" not in str(item) and "Tram" not in str(item)
    assert _stored(memory, job)[-1].exchanges == (("c" * 32, "d" * 24),)
