"""A model that wakes while the user waits, on the real local stack: the endpoint starts scaled to zero
(`--wake-seconds`), refuses with SageMaker's no-capacity error, and wakes after the backend's scale-out call;
the answer waits as a delayed retry of its job (the sweep hands it to the worker again) and streams once a
copy is up. Also: the app closed and reopened during the wake, the user stopping it, and the bound.
Every wait is for a frame or a state, with a deadline far past the figure it stands for."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from memchat.frames import (
    FinishReason,
    GetHistory,
    History,
    MessageStatus,
    ResumeAnswer,
    SendMessage,
    StopGeneration,
)
from tests.integration.stack import LocalStack

pytestmark = pytest.mark.integration

WAKE_SECONDS = 3  # the endpoint's copy is up this long after the scale-out call
DEADLINE = 120  # for a frame the stack sends by itself: the wake, a retry or two, and the answer


def _stack(tmp_path_factory: pytest.TempPathFactory, name: str, *extra: str) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp(name), mode="replay",
                       extra=("--replay-ttft-ms", "20", "--replay-tokens-per-second", "200",
                              "--sweep-interval", "0.5", "--set", "MEMCHAT_MODEL_WAKE_RETRY_SECONDS=1",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=24", "--set", "MEMCHAT_DIGEST_MAX_TOKENS=8", *extra))
    local.start()
    yield local
    local.stop()


@pytest.fixture(scope="module", params=["tgi", "vllm"])
def waking(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[LocalStack]:
    """Once per model server: the refusal is SageMaker's, the answer after the wake the container's."""
    yield from _stack(tmp_path_factory, f"waking-{request.param}", "--wake-seconds", str(WAKE_SECONDS),
                      "--model-server", request.param)


@pytest.fixture(scope="module")
def sleepy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A model that takes an hour to wake, and answers that wait at most 4 s for it."""
    yield from _stack(tmp_path_factory, "sleepy", "--wake-seconds", "3600",
                      "--set", "MEMCHAT_MODEL_WAKE_MAX_SECONDS=4")


def _capacity(stack: LocalStack, until: str | None = None) -> dict:
    query = f"?until={until}&timeout={DEADLINE}" if until else ""
    with urllib.request.urlopen(f"{stack.endpoint_url}/local/capacity{query}", timeout=DEADLINE + 10) as response:
        return json.load(response)


def _sleep(stack: LocalStack, *, hold: bool = False) -> None:
    request = urllib.request.Request(f"{stack.endpoint_url}/local/sleep{'?hold=true' if hold else ''}",
                                     method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.load(response)["state"] == "asleep"


def _wake(stack: LocalStack) -> None:
    request = urllib.request.Request(f"{stack.endpoint_url}/local/wake", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.load(response)["state"] == "awake"


def _send(client, text: str, conversation_id: str | None = None) -> None:
    client.send(SendMessage(action="sendMessage", conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                            text=text))


def test_the_first_message_wakes_the_model_and_its_answer_streams_once_a_copy_is_up(waking: LocalStack) -> None:
    client = waking.connect("early-bird")
    try:
        _send(client, "Good morning! Are you up?")
        told = client.read_answer(until_waking=True, timeout=DEADLINE)
        assert told.ack is not None and told.error is None and told.deltas == []
        [frame] = told.waking
        assert (frame.message_id, frame.ready_in_seconds) == (told.ack.reply_id, 360)  # nothing measured yet
        assert _capacity(waking)["scaleOuts"] >= 1  # asked for at once, not left to an alarm

        answer = client.read_answer(timeout=DEADLINE)

        assert answer.error is None and answer.done is not None and answer.text
        assert answer.done.message_id == told.ack.reply_id
        assert _capacity(waking)["state"] == "awake"
        # Awake now: the next message is answered at once.
        again = client.say("And now?", told.ack.conversation_id, timeout=DEADLINE)
        assert again.waking == [] and again.done is not None
    finally:
        client.close()


def test_the_next_wake_is_estimated_from_the_last_one_measured(waking: LocalStack) -> None:
    client = waking.connect("second-morning")
    try:
        client.say("Wake up once", timeout=DEADLINE)  # whichever test runs first, one wake is measured by now
        _sleep(waking)
        _send(client, "Wake up again")
        told = client.read_answer(until_waking=True, timeout=DEADLINE)
        [frame] = told.waking
        # The last wake took the copy's WAKE_SECONDS plus up to a retry and a sweep: well under the default.
        assert 0 <= frame.ready_in_seconds < 60
        assert client.read_answer(timeout=DEADLINE).done is not None
    finally:
        client.close()


def test_an_app_closed_during_the_wake_and_reopened_gets_the_answer(waking: LocalStack) -> None:
    _sleep(waking, hold=True)  # the copy starts only when this test says: the app acts while the model wakes
    first = waking.connect("commuter")
    _send(first, "Tell me something while I am in the tunnel")
    told = first.read_answer(until_waking=True, timeout=DEADLINE)
    assert told.ack is not None and told.waking
    first.close()  # the app is closed while the model wakes

    reopened = waking.connect("commuter")
    try:
        reopened.send(GetHistory(action="getHistory", conversation_id=told.ack.conversation_id, limit=10))
        history = reopened.receive(DEADLINE)
        assert isinstance(history, History) and history.messages[-1].status is MessageStatus.PENDING
        reopened.send(ResumeAnswer(action="resumeAnswer", conversation_id=told.ack.conversation_id,
                                   message_id=told.ack.reply_id, seq=0))
        resumed = reopened.read_answer(until_waking=True, timeout=DEADLINE)
        assert [frame.message_id for frame in resumed.waking] == [told.ack.reply_id]

        _wake(waking)
        answer = reopened.read_answer(timeout=DEADLINE)

        assert answer.error is None and answer.done is not None and answer.text
        assert answer.done.message_id == told.ack.reply_id
        reopened.send(GetHistory(action="getHistory", conversation_id=told.ack.conversation_id, limit=10))
        stored = reopened.receive(DEADLINE)
        assert isinstance(stored, History)
        assert (stored.messages[-1].status, stored.messages[-1].text) == (MessageStatus.COMPLETE, answer.text)
    finally:
        reopened.close()


def test_the_user_can_stop_an_answer_while_the_model_wakes(sleepy: LocalStack) -> None:
    client = sleepy.connect("impatient")
    try:
        _send(client, "Never mind")
        told = client.read_answer(until_waking=True, timeout=DEADLINE)
        assert told.ack is not None and told.waking

        client.send(StopGeneration(action="stopGeneration", conversation_id=told.ack.conversation_id,
                                   message_id=told.ack.reply_id))
        done = client.read_answer(timeout=DEADLINE).done

        assert done is not None and (done.message_id, done.finish_reason) == (told.ack.reply_id,
                                                                             FinishReason.STOPPED)
        client.send(GetHistory(action="getHistory", conversation_id=told.ack.conversation_id, limit=10))
        history = client.receive(DEADLINE)
        assert isinstance(history, History) and history.messages[-1].status is MessageStatus.STOPPED
    finally:
        client.close()


def test_an_answer_that_waits_past_the_bound_ends_as_model_unavailable(sleepy: LocalStack) -> None:
    client = sleepy.connect("night-owl")
    try:
        _send(client, "Anyone there?")
        told = client.read_answer(until_waking=True, timeout=DEADLINE)
        assert told.ack is not None and told.waking
        assert _capacity(sleepy)["state"] == "waking"  # asked for, an hour away

        ended = client.read_answer(timeout=DEADLINE)

        assert ended.done is None and ended.error is not None
        assert (ended.error.code, ended.error.message_id) == ("model_unavailable", told.ack.reply_id)
        client.send(GetHistory(action="getHistory", conversation_id=told.ack.conversation_id, limit=10))
        history = client.receive(DEADLINE)
        assert isinstance(history, History)
        assert (history.messages[-1].status, history.messages[-1].error_code) == (MessageStatus.FAILED,
                                                                                 "model_unavailable")
    finally:
        client.close()
