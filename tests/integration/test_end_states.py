"""Every answer reaches an end state in bounded time, and its client hears of it, whatever dies: here the
worker's execution environments are killed on the real local stack, mid-answer and at each moment of an
answer's life (before its first token, just after it, mid-answer, at its end), and the lease and the sweep
end the answer (interrupted, with the text saved so far, or failed if it had none) and tell the waiting
socket. How long that took, by moment, is reported as figures; docs/protocol.md has the table measured
with `make dev`'s lease and sweep (MEMCHAT_END_STATES_AS_DEV=1 runs this module with them).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from memchat.frames import (
    Ack,
    Delta,
    ErrorFrame,
    GetHistory,
    History,
    MessageStatus,
    ResumeAnswer,
    Resumed,
    SendMessage,
)
from tests import figures
from tests.integration.stack import TABLE, Client, LocalStack, children, dynamodb, wait_for_output
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

SUITE = "end states: a worker killed at each moment of an answer"
AS_DEV = os.environ.get("MEMCHAT_END_STATES_AS_DEV") == "1"
# Short leases keep the suite quick; `make dev`'s (30 s lease renewed every 5 s, a sweep every 5 s, the
# model's 60 s timeout) measure the table in docs/protocol.md.
LEASE_SECONDS, RENEW_SECONDS, SWEEP_SECONDS, MODEL_TIMEOUT_SECONDS = (30, 5, 5, 60) if AS_DEV else (4, 1, 1, 4)
# Failure deadlines, not measurements: far past each bound, for a loaded machine.
END_WITHIN_SECONDS = MODEL_TIMEOUT_SECONDS + LEASE_SECONDS + SWEEP_SECONDS + 60
WAIT_SECONDS = 60  # for a state the stack reaches by itself (a claim, a renewal, the model's last token)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("end-states"), mode="replay",
                       extra=("--replay-ttft-ms", "50", "--replay-tokens-per-second", "10",
                              "--sweep-interval", str(SWEEP_SECONDS),
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=400",
                              "--set", f"MEMCHAT_MODEL_TIMEOUT_SECONDS={MODEL_TIMEOUT_SECONDS}",
                              # The digest's calls short, so that the model falls idle soon after an answer.
                              "--set", "MEMCHAT_DIGEST_MAX_TOKENS=8",
                              "--set", f"MEMCHAT_ANSWER_LEASE_SECONDS={LEASE_SECONDS}",
                              "--set", f"MEMCHAT_LEASE_RENEW_SECONDS={RENEW_SECONDS}",
                              "--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=1000"))
    local.start()
    yield local
    local.stop()


@pytest.mark.skipif(AS_DEV, reason="its answer (12 s) ends before make dev's first renewal; the moments below "
                                   "measure make dev")
def test_a_worker_killed_mid_answer_ends_interrupted_with_its_text_and_the_client_is_told(stack: LocalStack):
    client = stack.connect("ends-alice")
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    answer = client.read_answer(until_first_delta=True, timeout=60)
    assert answer.ack is not None and answer.deltas
    _until(lambda: int(_answer_item(stack, "ends-alice", answer.ack).get("seq", 0)) > 0, "a renewal saved text")
    # A second device follows the answer live (it resumed from the text in history).
    tablet = stack.connect("ends-alice")
    tablet.send(ResumeAnswer(action="resumeAnswer", conversation_id=answer.ack.conversation_id,
                             message_id=answer.ack.reply_id, seq=0))
    assert isinstance(tablet.receive(timeout=30), Resumed)
    pids = children(stack, "multiprocessing")  # the worker's execution environments
    assert pids, "the stack runs the worker in execution environments of its own"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    error = None
    deadline = killed_at + END_WITHIN_SECONDS
    while error is None and time.monotonic() < deadline:
        frame = client.receive(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(frame, ErrorFrame):
            error = frame
        else:
            assert isinstance(frame, Delta)  # text posted before the kill may still arrive
    assert error is not None, f"no end within {END_WITHIN_SECONDS} s"
    ended_after = time.monotonic() - killed_at
    assert error.message_id == answer.ack.reply_id and error.code == "internal"

    history = client.request(GetHistory(action="getHistory", conversation_id=answer.ack.conversation_id))
    assert isinstance(history, History)
    stored = history.messages[-1]
    assert stored.message_id == answer.ack.reply_id
    assert stored.status is MessageStatus.INTERRUPTED and stored.text  # the text saved while streaming
    # The other device shows it interrupted too: the sweep told every socket following the answer.
    told = next(frame for frame in iter(lambda: tablet.receive(timeout=30), None) if isinstance(frame, ErrorFrame))
    assert told.message_id == answer.ack.reply_id
    tablet.close()
    print(f"\nend states: a killed worker's answer ended after {ended_after:.1f} s "
          f"(lease {LEASE_SECONDS} s, sweep every {SWEEP_SECONDS} s)")

    # The stack replaces the killed environments: the next turn is answered.
    after = client.say("Are you still there?", answer.ack.conversation_id, timeout=120)
    assert after.done is not None
    client.close()



# ---------------------------------------------------------------- each moment of an answer

BEFORE, JUST_AFTER, MID, AT_THE_END = ("before the first token", "just after the first token", "mid-answer",
                                       "at the end")


def _the_only(stack: LocalStack, marker: str) -> int:
    pids = children(stack, marker)
    assert len(pids) == 1, f"the stack runs one {marker}: {pids}"
    return pids[0]


def _answer_item(stack: LocalStack, user: str, ack: Any) -> dict[str, Any]:
    """The answer's item as DynamoDB Local holds it (plain values), read directly."""
    item = dynamodb(stack).get_item(TableName=TABLE, ConsistentRead=True, Key={
        "pk": {"S": f"U#{user}#C#{ack.conversation_id}"}, "sk": {"S": f"M#{ack.reply_id}"}})["Item"]
    return {key: next(iter(value.values())) for key, value in item.items()}


def _until(condition: Callable[[], Any], what: str) -> Any:
    """Wait for a state the stack reaches by itself; fail the test if it never does."""
    return wait_until(condition, what, timeout=WAIT_SECONDS)


def _model_idle(stack: LocalStack) -> bool:
    with urllib.request.urlopen(f"{stack.endpoint_url}/stats", timeout=10) as response:
        return json.load(response)["in_use"] == 0


def _kill_workers(stack: LocalStack) -> float:
    pids = children(stack, "multiprocessing")  # every function's execution environments, the worker's too
    assert pids, "the stack runs its functions in execution environments of their own"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    return time.monotonic()


def _the_end(client: Client, ack: Any, killed_at: float, streamed: list[Delta]) -> ErrorFrame:
    """The error frame that ends the answer; deltas posted before the kill may still arrive first."""
    while True:
        left = killed_at + END_WITHIN_SECONDS - time.monotonic()
        assert left > 0, f"no end within {END_WITHIN_SECONDS} s"
        frame = client.receive(timeout=left)
        if isinstance(frame, ErrorFrame):
            assert frame.message_id == ack.reply_id
            return frame
        assert isinstance(frame, Delta) and frame.message_id == ack.reply_id, frame
        streamed.append(frame)


@pytest.mark.parametrize("moment", [BEFORE, JUST_AFTER, MID, AT_THE_END])
def test_a_worker_killed_at_any_moment_of_an_answer_leaves_it_to_the_sweep_within_its_bound(
        stack: LocalStack, moment: str):
    user = f"moment-{moment.replace(' ', '-')}"
    client = stack.connect(user)
    endpoint, dynamodb = _the_only(stack, "memchat_local.endpoint"), _the_only(stack, "DynamoDBLocal.jar")
    _until(lambda: _model_idle(stack), "the model idle (earlier answers' digests done)")
    streamed: list[Delta] = []
    frozen = endpoint if moment == BEFORE else None
    if frozen:
        os.kill(frozen, signal.SIGSTOP)  # the model never sends a first token
    try:
        client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
        if moment == BEFORE:
            ack = client.receive(timeout=60)
            assert isinstance(ack, Ack), ack
            _until(lambda: _answer_item(stack, user, ack)["status"] == "streaming", "the worker claimed the answer")
        else:
            started = client.read_answer(until_first_delta=True, timeout=60)
            ack = started.ack
            assert ack is not None and started.deltas, started.error
            streamed += started.deltas
        if moment == MID:  # the watcher's renewals have saved more than the first token
            _until(lambda: int(_answer_item(stack, user, ack)["seq"]) > 1, "a renewal saved more text")
        held = _answer_item(stack, user, ack)  # what the lease holds at the kill (nothing renews after it)
        seen = len(stack.output)
        if moment == AT_THE_END:
            # DynamoDB Local answers nothing while the model sends the rest: the worker reads the answer to its
            # end and waits on its last save, which then dies with DynamoDB Local (a frozen process would
            # still apply a request already in its socket once thawed), and the stack restarts it.
            frozen = dynamodb
            os.kill(frozen, signal.SIGSTOP)
            _until(lambda: _model_idle(stack), "the model sent the answer's last token")
        killed_wall_ms = time.time() * 1000
        killed_at = _kill_workers(stack)
        if moment == AT_THE_END:
            os.kill(dynamodb, signal.SIGKILL)
    finally:
        # A process killed above needs no thaw: the stack may already have reaped it, and its pid is gone.
        if frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(frozen, signal.SIGCONT)
    if moment == AT_THE_END:
        wait_for_output(stack, "DynamoDB Local restarted (pid ", start=seen, timeout=END_WITHIN_SECONDS)
        restarted_after = time.monotonic() - killed_at

    error = _the_end(client, ack, killed_at, streamed)
    told_after = time.monotonic() - killed_at
    history = client.request(GetHistory(action="getHistory", conversation_id=ack.conversation_id))
    assert isinstance(history, History)
    stored = next(m for m in history.messages if m.message_id == ack.reply_id)
    first_lease = MODEL_TIMEOUT_SECONDS + LEASE_SECONDS
    bound = (first_lease if moment == BEFORE else LEASE_SECONDS) + SWEEP_SECONDS
    whole = "".join(d.text for d in streamed)
    restart = f", DynamoDB Local back after {restarted_after:.1f} s" if moment == AT_THE_END else ""
    figures.measure(SUITE, moment, f"told after {told_after:.1f} s (bound {bound} s: "
                                   f"{'model timeout + ' if moment == BEFORE else ''}lease + one sweep{restart}); "
                                   f"history {stored.status} with {len(stored.text)} of {len(whole)} characters "
                                   "streamed")
    print(f"\nend states, {moment}: told after {told_after:.1f} s (bound {bound} s{restart}), "
          f"history {stored.status}")

    assert error.code == "internal" and "try again" in error.message.lower()
    assert stored.status is (MessageStatus.FAILED if moment == BEFORE else MessageStatus.INTERRUPTED)
    assert stored.error_message == error.message  # history says what the client was told
    if moment == BEFORE:
        # Waiting for the model, the answer is under its first lease, which covers the model's timeout.
        assert int(held["leaseUntil"]) > killed_wall_ms + LEASE_SECONDS * 1000 and not streamed
        assert stored.text == ""
    else:
        # From the first token on, the answer is under its short lease, with the text the client has saved.
        assert int(held["leaseUntil"]) <= killed_wall_ms + LEASE_SECONDS * 1000
        assert stored.text and whole.startswith(stored.text)
        assert stored.text.startswith(streamed[0].text)
    if moment == MID:
        assert len(stored.text) > len(streamed[0].text)
    client.close()
