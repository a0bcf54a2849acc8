"""A model that wakes while the user waits: the worker that finds no copy running wakes the model and puts
the answer aside, the sweep tries it again until its bound, the user can stop it or resume it, and the
try that finds a copy up streams the answer and measures the wake (moto's DynamoDB, the endpoint and the
Lambda fakes at their HTTP seams, SageMaker's control plane through botocore's Stubber)."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from botocore.stub import Stubber

from memchat.chat import Chat
from memchat.errors import ModelAsleep, ModelUnavailable, NotFound
from memchat.events import GenerationJob
from memchat.frames import (
    Delta,
    Done,
    ErrorFrame,
    FinishReason,
    MessageStatus,
    ResumeAnswer,
    StopGeneration,
    Waking,
)
from memchat.generation import Generation
from memchat.memory import Memory
from memchat.model import ModelClient, translate
from memchat.settings import Settings
from memchat.sweep import Sweeper
from memchat.waking import Capacity, Wakes, ready_in_seconds
from memchat_local.capacity import NO_CAPACITY_MESSAGE

from .recorded import ALICE, BOB_CONNECTION, CONNECTION
from .tgi import token_parts

COMPONENT = "memchat-test-llm-component"
ASK = {"InferenceComponentName": COMPONENT, "DesiredRuntimeConfig": {"CopyCount": 1}}
ARN = {"InferenceComponentArn": f"arn:aws:sagemaker:us-east-1:000000000000:inference-component/{COMPONENT}"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"inference_component_name": COMPONENT})


@pytest.fixture
def control(session):
    """SageMaker's control plane: every scale-out call must be one the test expects."""
    client = session.client("sagemaker")
    with Stubber(client) as stubber:
        yield stubber


@pytest.fixture
def wakes(memory: Memory, poster, control: Stubber, settings: Settings) -> Wakes:
    capacity = Capacity.from_settings(lambda: control.client, settings)
    assert capacity is not None
    return Wakes(memory=memory, poster=poster, capacity=capacity, settings=settings)


@pytest.fixture
def waking_generation(memory, endpoint, poster, settings, wakes) -> Generation:
    model = ModelClient(endpoint.client, endpoint_name=settings.endpoint_name,
                        inference_component_name=settings.inference_component_name)
    return Generation(memory=memory, model=model, poster=poster, settings=settings, wakes=wakes)


def _job(memory: Memory) -> GenerationJob:
    now_ms = int(time.time() * 1000)
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(),
                                     text="Good morning!", now_ms=now_ms, connection_id=CONNECTION)
    return GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id=turn.conversation_id,
                         message_id=turn.message_id, reply_id=turn.reply_id, received_ms=now_ms)


def _asleep(endpoint) -> None:
    endpoint.fails(400, "ValidationError", NO_CAPACITY_MESSAGE)


def _item(dynamodb, settings: Settings, job: GenerationJob) -> dict:
    from memchat.memory.codec import conversation_pk, load, message_sk

    key = {"pk": {"S": conversation_pk(ALICE, job.conversation_id)}, "sk": {"S": message_sk(job.reply_id)}}
    return load(dynamodb.get_item(TableName=settings.table_name, Key=key, ConsistentRead=True)["Item"])


def _waited(waking_generation, memory, endpoint, control) -> GenerationJob:
    """A first message that found the model asleep: the answer now waits for its next try."""
    job = _job(memory)
    _asleep(endpoint)
    control.add_response("update_inference_component_runtime_config", ARN, ASK)
    outcome = waking_generation.run(job)
    assert outcome.status is MessageStatus.PENDING
    return job


# ---------------------------------------------------------------- the model client


def test_sagemakers_no_capacity_error_is_a_model_asleep():
    from botocore.exceptions import ClientError

    error = ClientError({"Error": {"Code": "ValidationError", "Message": NO_CAPACITY_MESSAGE}},
                        "InvokeEndpointWithResponseStream")
    assert isinstance(translate(error), ModelAsleep)


def test_a_missing_endpoint_is_unavailable_not_asleep():
    from botocore.exceptions import ClientError

    error = ClientError({"Error": {"Code": "ValidationError", "Message": "Endpoint x of account 1 not found."}},
                        "InvokeEndpointWithResponseStream")
    translated = translate(error)
    assert isinstance(translated, ModelUnavailable) and not isinstance(translated, ModelAsleep)


def test_only_an_inference_component_can_be_woken_and_only_when_waking_is_on(control, settings):
    def client():
        return control.client

    assert Capacity.from_settings(client, settings.model_copy(update={"inference_component_name": None})) is None
    assert Capacity.from_settings(client, settings.model_copy(update={"model_wake": False})) is None
    assert Capacity.from_settings(client, settings) is not None


# ---------------------------------------------------------------- the worker that finds the model asleep


def test_an_answer_that_finds_the_model_asleep_wakes_it_and_waits(waking_generation, memory, endpoint, control,
                                                                   gateway, dynamodb, settings):
    job = _waited(waking_generation, memory, endpoint, control)

    control.assert_no_pending_responses()  # the scale-out was asked for at once
    item = _item(dynamodb, settings, job)
    assert item["status"] == "pending" and item["wakeUntil"] == item["wakeSince"] + 900_000
    assert item["leaseUntil"] == item["wakeSince"] + 20_000  # the next try
    assert GenerationJob.model_validate_json(item["wakeJob"]).waiting_since_ms == item["wakeSince"]
    [waking] = gateway.frames(CONNECTION)
    assert waking == Waking(conversation_id=job.conversation_id, message_id=job.reply_id,
                            ready_in_seconds=360, waited_seconds=0)  # the default, nothing measured yet


def test_the_estimate_is_what_is_left_of_the_last_measured_wake(waking_generation, memory, endpoint, control,
                                                                 gateway, settings):
    now_ms = int(time.time() * 1000)
    memory.begin_wake(settings.endpoint_name, now_ms=now_ms - 200_000, stale_ms=900_000)
    memory.end_wake(settings.endpoint_name, now_ms=now_ms - 80_000)  # a 120 s wake, measured
    memory.begin_wake(settings.endpoint_name, now_ms=now_ms - 30_000, stale_ms=900_000)  # this one began 30 s ago

    _waited(waking_generation, memory, endpoint, control)

    [waking] = gateway.frames(CONNECTION, Waking)
    assert 89 <= waking.ready_in_seconds <= 90


def test_a_refused_scale_out_still_leaves_the_answer_waiting(waking_generation, memory, endpoint, control, gateway):
    job = _job(memory)
    _asleep(endpoint)
    control.add_client_error("update_inference_component_runtime_config", "ValidationException",
                             "Inference component is in Updating state", expected_params=ASK)

    assert waking_generation.run(job).status is MessageStatus.PENDING
    assert [type(frame) for frame in gateway.frames(CONNECTION)] == [Waking]


def test_without_an_inference_component_an_asleep_model_fails_the_answer(generation, memory, endpoint, gateway):
    job = _job(memory)
    _asleep(endpoint)

    outcome = generation.run(job)

    assert outcome.status is MessageStatus.FAILED
    [error] = gateway.frames(CONNECTION, ErrorFrame)
    assert error.code == "model_unavailable"


def test_the_try_that_finds_a_copy_up_streams_the_answer_and_measures_the_wake(
        waking_generation, memory, endpoint, control, gateway, dynamodb, settings):
    job = _waited(waking_generation, memory, endpoint, control)
    retry = GenerationJob.model_validate_json(_item(dynamodb, settings, job)["wakeJob"])
    endpoint.streams(*token_parts(["Good", " morning", "!"]))

    outcome = waking_generation.run(retry)

    assert (outcome.status, outcome.text) == (MessageStatus.COMPLETE, "Good morning!")
    frames = gateway.frames(CONNECTION)
    assert isinstance(frames[0], Waking) and isinstance(frames[-1], Done)
    assert "".join(f.text for f in frames if isinstance(f, Delta)) == "Good morning!"
    began, last = memory.model_wake(settings.endpoint_name)
    assert began is None and last is not None and last >= 0  # the wake ended, its length the next estimate


# ---------------------------------------------------------------- the sweep


def _sweeper(memory, poster, worker_lambda, settings, at_ms: int) -> Sweeper:
    from memchat.handoff import WorkerInvoker

    worker = WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name)
    return Sweeper(memory=memory, poster=poster, retry=worker.start, clock=lambda: at_ms / 1000)


def test_the_sweep_tries_a_waiting_answer_again_once_its_try_came(waking_generation, memory, endpoint, control,
                                                                  poster, worker_lambda, dynamodb, settings):
    job = _waited(waking_generation, memory, endpoint, control)
    item = _item(dynamodb, settings, job)

    early = _sweeper(memory, poster, worker_lambda, settings, item["leaseUntil"] - 1).run()
    due = _sweeper(memory, poster, worker_lambda, settings, item["leaseUntil"] + 1).run()
    again = _sweeper(memory, poster, worker_lambda, settings, item["leaseUntil"] + 2).run()

    assert (early.retried, due.retried, again.retried) == ([], [job.reply_id], [])  # one try per due time
    assert due.ended == [] and _item(dynamodb, settings, job)["status"] == "pending"
    [retry] = worker_lambda.jobs()
    assert (retry.reply_id, retry.waiting_since_ms) == (job.reply_id, item["wakeSince"])


def test_a_waiting_answer_past_its_bound_ends_as_model_unavailable(waking_generation, memory, endpoint, control,
                                                                   poster, worker_lambda, gateway, dynamodb,
                                                                   settings):
    job = _waited(waking_generation, memory, endpoint, control)
    bound = _item(dynamodb, settings, job)["wakeUntil"]

    outcome = _sweeper(memory, poster, worker_lambda, settings, bound + 1).run()

    assert [ended.reply_id for ended in outcome.ended] == [job.reply_id] and worker_lambda.jobs() == []
    [error] = gateway.frames(CONNECTION, ErrorFrame)
    assert (error.code, error.message_id) == ("model_unavailable", job.reply_id)
    assert "did not wake up in time" in error.message
    assert _item(dynamodb, settings, job)["status"] == "failed"


def test_a_retry_whose_worker_died_streaming_is_ended_not_tried_again(waking_generation, memory, endpoint, control,
                                                                      poster, worker_lambda, gateway, dynamodb,
                                                                      settings):
    job = _waited(waking_generation, memory, endpoint, control)
    now_ms = int(time.time() * 1000)
    memory.claim_reply(ALICE, job.conversation_id, job.reply_id, owner="dead", now_ms=now_ms, lease_ms=1_000)

    outcome = _sweeper(memory, poster, worker_lambda, settings, now_ms + 2_000).run()

    assert [ended.reply_id for ended in outcome.ended] == [job.reply_id] and worker_lambda.jobs() == []
    assert gateway.frames(CONNECTION, ErrorFrame)[0].code == "internal"


# ---------------------------------------------------------------- stop and resume while the model wakes


@pytest.fixture
def waking_chat(memory, poster, worker_lambda, settings) -> Chat:
    from memchat.handoff import WorkerInvoker

    return Chat(memory=memory, poster=poster, settings=settings,
                worker=WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name))


def test_stopping_a_waiting_answer_ends_it_stopped_at_once(waking_generation, waking_chat, memory, endpoint, control,
                                                           alice, gateway, dynamodb, settings, poster, worker_lambda):
    job = _waited(waking_generation, memory, endpoint, control)

    waking_chat.handle(alice, StopGeneration(action="stopGeneration", conversation_id=job.conversation_id,
                                             message_id=job.reply_id))

    done = gateway.frames(CONNECTION)[-1]
    assert isinstance(done, Done) and (done.message_id, done.finish_reason) == (job.reply_id, FinishReason.STOPPED)
    item = _item(dynamodb, settings, job)
    assert (item["status"], "leaseUntil" in item, "wakeUntil" in item) == ("stopped", False, False)
    far = _sweeper(memory, poster, worker_lambda, settings, int(time.time() * 1000) + 3_600_000).run()
    assert (far.ended, far.retried, worker_lambda.jobs()) == ([], [], [])  # nothing left to try or end


def test_stopping_another_users_waiting_answer_is_not_found_and_changes_nothing(
        waking_generation, waking_chat, memory, endpoint, control, bob, gateway, dynamodb, settings):
    job = _waited(waking_generation, memory, endpoint, control)

    with pytest.raises(NotFound):
        waking_chat.handle(bob, StopGeneration(action="stopGeneration", conversation_id=job.conversation_id,
                                               message_id=job.reply_id))

    assert _item(dynamodb, settings, job)["status"] == "pending"
    assert gateway.frames(BOB_CONNECTION) == []


def test_a_client_that_resumes_a_waiting_answer_is_told_the_model_is_waking(
        waking_generation, waking_chat, memory, endpoint, control, gateway):
    job = _waited(waking_generation, memory, endpoint, control)
    from memchat.chat import Caller

    reopened = Caller(user_id=ALICE, connection_id="ReopenedApp=")
    waking_chat.handle(reopened, ResumeAnswer(action="resumeAnswer", conversation_id=job.conversation_id,
                                              message_id=job.reply_id, seq=0))

    [waking] = gateway.frames("ReopenedApp=")
    assert isinstance(waking, Waking) and waking.message_id == job.reply_id
    assert 0 < waking.ready_in_seconds <= 360


def test_the_try_after_a_resume_streams_to_the_resumed_client_too(
        waking_generation, waking_chat, memory, endpoint, control, gateway, dynamodb, settings):
    job = _waited(waking_generation, memory, endpoint, control)
    from memchat.chat import Caller

    waking_chat.handle(Caller(user_id=ALICE, connection_id="ReopenedApp="),
                       ResumeAnswer(action="resumeAnswer", conversation_id=job.conversation_id,
                                    message_id=job.reply_id, seq=0))
    endpoint.streams(*token_parts(["Hello", "!"]))

    waking_generation.run(GenerationJob.model_validate_json(_item(dynamodb, settings, job)["wakeJob"]))

    assert isinstance(gateway.frames("ReopenedApp=")[-1], Done)


def test_another_user_cannot_resume_a_waiting_answer(waking_generation, waking_chat, memory, endpoint, control, bob,
                                                     gateway):
    job = _waited(waking_generation, memory, endpoint, control)
    with pytest.raises(NotFound):
        waking_chat.handle(bob, ResumeAnswer(action="resumeAnswer", conversation_id=job.conversation_id,
                                             message_id=job.reply_id, seq=0))
    assert gateway.frames(BOB_CONNECTION) == []


# ---------------------------------------------------------------- the model's wake


def test_a_wake_in_progress_is_not_begun_again_but_a_stale_one_is(memory, settings):
    first = memory.begin_wake(settings.endpoint_name, now_ms=1_000_000, stale_ms=900_000)
    again = memory.begin_wake(settings.endpoint_name, now_ms=1_500_000, stale_ms=900_000)
    stale = memory.begin_wake(settings.endpoint_name, now_ms=2_000_000, stale_ms=900_000)
    assert (first.began, again.began, again.since_ms, stale.began) == (True, False, 1_000_000, True)


def test_a_wake_ends_once_and_its_length_is_kept(memory, settings):
    memory.begin_wake(settings.endpoint_name, now_ms=1_000_000, stale_ms=900_000)
    assert memory.end_wake(settings.endpoint_name, now_ms=1_250_000) == 250_000
    assert memory.end_wake(settings.endpoint_name, now_ms=1_260_000) is None
    assert memory.model_wake(settings.endpoint_name) == (None, 250_000)


@pytest.mark.parametrize(("since", "expected", "now", "left"), [
    (0, 120_000, 30_000, 90), (0, 120_000, 119_001, 1), (0, 120_000, 200_000, 0)])
def test_ready_in_is_what_is_left_rounded_up_and_never_negative(since, expected, now, left):
    assert ready_in_seconds(since, expected, now) == left


def test_the_waking_frame_is_on_the_wire_as_documented():
    frame = Waking(conversation_id="c" * 24, message_id="d" * 24, ready_in_seconds=300, waited_seconds=12)
    assert json.loads(frame.to_wire()) == {"type": "waking", "conversationId": "c" * 24, "messageId": "d" * 24,
                                           "readyInSeconds": 300, "waitedSeconds": 12}
