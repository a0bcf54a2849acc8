"""Every answer reaches an end state in bounded time, and its client hears of it, whatever dies: here the
worker's execution environments are killed mid-answer on the real local stack, and the lease and the
sweep end the answer (interrupted, with the text saved so far) and tell the waiting socket."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator

import pytest

from memchat.frames import (
    Delta,
    ErrorFrame,
    GetHistory,
    History,
    MessageStatus,
    ResumeAnswer,
    Resumed,
    SendMessage,
)
from tests.integration.stack import LocalStack, children

pytestmark = pytest.mark.integration

LEASE_SECONDS, RENEW_SECONDS, SWEEP_SECONDS = 4, 1, 1
# The bound the design promises: the lease, plus one sweep, plus a renewal's slack and a loaded machine.
END_WITHIN_SECONDS = 60


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("end-states"), mode="replay",
                       extra=("--replay-ttft-ms", "50", "--replay-tokens-per-second", "10",
                              "--sweep-interval", str(SWEEP_SECONDS),
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=400",
                              "--set", f"MEMCHAT_ANSWER_LEASE_SECONDS={LEASE_SECONDS}",
                              "--set", f"MEMCHAT_LEASE_RENEW_SECONDS={RENEW_SECONDS}"))
    local.start()
    yield local
    local.stop()


def test_a_worker_killed_mid_answer_ends_interrupted_with_its_text_and_the_client_is_told(stack: LocalStack):
    client = stack.connect("ends-alice")
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    answer = client.read_answer(until_first_delta=True, timeout=60)
    assert answer.ack is not None and answer.deltas
    time.sleep(RENEW_SECONDS * 2.5)  # at least one renewal has saved text
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
