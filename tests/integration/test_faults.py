"""Faults on the real local stack: a process the answer depends on dies or hangs mid-answer.

After each, the client hears the answer's end (a `done`, or an `error` naming the answer) within the bound
docs/protocol.md gives ("Every answer ends"), history shows the answer ended (never `streaming`) with the
text it had, nothing is stored twice, and the stack serves the next turn once it has restarted what died.
The worker killed mid-answer is in test_end_states.py; the client leaving mid-answer and a message sent
twice on one socket in test_chat.py; faults no local process can produce (throttling, transaction
conflicts, in-band model errors, a job delivered twice) are injected at their seams in the unit tests.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websocket

from memchat.frames import (
    Ack,
    Delta,
    Done,
    ErrorFrame,
    GetHistory,
    History,
    MessageStatus,
    MessageView,
    SendMessage,
    ServerFrame,
)
from tests import figures
from tests.integration.stack import Client, LocalStack, children, wait_for_output

pytestmark = pytest.mark.integration

SUITE = "faults: what the client saw, and when"
# `make dev`'s lease and sweep, whose bounds docs/protocol.md states; a short model timeout for the hang.
LEASE_SECONDS, RENEW_SECONDS, SWEEP_SECONDS = 30, 5, 5
MODEL_TIMEOUT_SECONDS = 4
# An answer of about a second and a half: long enough to kill something in its middle, short enough to
# end while a killed DynamoDB Local (a JVM: a few seconds at least) is still starting again.
TOKENS_PER_SECOND, MAX_NEW_TOKENS = 20, 30
# A failure the worker sees (the model, a save) is told at once: within these seconds on a loaded machine.
TOLD_WITHIN_SECONDS = 30
# A restart of DynamoDB Local may itself take many seconds on a busy machine.
RESTART_WITHIN_SECONDS = 90
# An answer is ended in history within this of its end being told (or of the lease's end, plus a sweep).
ENDED_WITHIN_SECONDS = 30
ENDED = {MessageStatus.COMPLETE, MessageStatus.STOPPED, MessageStatus.INTERRUPTED, MessageStatus.FAILED}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("faults"), mode="replay",
                       extra=("--replay-ttft-ms", "50", "--replay-tokens-per-second", str(TOKENS_PER_SECOND),
                              "--sweep-interval", str(SWEEP_SECONDS),
                              "--set", f"MEMCHAT_MAX_NEW_TOKENS={MAX_NEW_TOKENS}",
                              "--set", f"MEMCHAT_MODEL_TIMEOUT_SECONDS={MODEL_TIMEOUT_SECONDS}",
                              "--set", f"MEMCHAT_ANSWER_LEASE_SECONDS={LEASE_SECONDS}",
                              "--set", f"MEMCHAT_LEASE_RENEW_SECONDS={RENEW_SECONDS}",
                              "--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=1000"))
    local.start()
    yield local
    local.stop()


@dataclass
class Ending:
    """What a socket heard of one answer after a fault, and when (seconds after the fault)."""

    answer: str
    fault_at: float
    deltas: list[Delta] = field(default_factory=list)
    ends: list[tuple[float, Done | ErrorFrame]] = field(default_factory=list)

    def streamed(self, before: list[Delta]) -> str:
        """The answer's whole text as the socket heard it: `before` the fault, then after."""
        return "".join(d.text for d in before + self.deltas)

    @property
    def first(self) -> tuple[float, Done | ErrorFrame]:
        assert self.ends, f"the client heard no end of {self.answer}"
        return self.ends[0]

    def describe(self) -> str:
        return ", then ".join(
            f"{f'done ({frame.finish_reason})' if isinstance(frame, Done) else f'error {frame.code} {frame.message!r}'}"
            f" after {after:.1f} s" for after, frame in self.ends)


def begin(stack: LocalStack, user: str) -> tuple[Client, Ack, list[Delta]]:
    """A new conversation whose answer has begun to stream."""
    client = stack.connect(user)
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    started = client.read_answer(until_first_delta=True, timeout=60)
    assert started.ack is not None and started.deltas, started.error
    return client, started.ack, started.deltas


def hear_the_end(client: Client, ack: Ack, fault_at: float, *, within: float, linger: float = 0) -> Ending:
    """Read until the answer's end (and `linger` seconds more, to catch a second end); fail past `within`."""
    ending = Ending(answer=ack.reply_id, fault_at=fault_at)
    deadline = fault_at + within
    while True:
        if ending.ends:
            deadline = min(deadline, ending.ends[0][0] + fault_at + linger)
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            frame: ServerFrame = client.receive(timeout=left)
        except websocket.WebSocketTimeoutException:
            break
        if isinstance(frame, Delta) and frame.message_id == ack.reply_id:
            ending.deltas.append(frame)
        elif isinstance(frame, Done | ErrorFrame) and frame.message_id == ack.reply_id:
            ending.ends.append((time.monotonic() - fault_at, frame))
        else:
            raise AssertionError(f"a frame of no answer in flight: {frame}")
    assert ending.ends, f"the client heard no end of the answer within {within} s of the fault"
    return ending


def ended(client: Client, ending: Ending, ack: Ack, *, within: float) -> tuple[float, MessageView, list[MessageView]]:
    """Poll history until the answer is in an end state: how long that took, the answer and the whole page.
    Any further end of the answer the socket hears meanwhile is added to `ending`."""
    began = time.monotonic()
    while True:
        client.send(GetHistory(action="getHistory", conversation_id=ack.conversation_id))
        while not isinstance(history := client.receive(timeout=30), History):
            assert isinstance(history, Done | ErrorFrame) and history.message_id == ack.reply_id, history
            ending.ends.append((time.monotonic() - ending.fault_at, history))
        answer = next(m for m in history.messages if m.message_id == ack.reply_id)
        if answer.status in ENDED:
            return time.monotonic() - began, answer, history.messages
        assert time.monotonic() - began < within, f"the answer is still {answer.status} after {within} s"
        time.sleep(0.25)


def the_only(stack: LocalStack, marker: str) -> int:
    pids = children(stack, marker)
    assert len(pids) == 1, f"the stack runs one {marker}: {pids}"
    return pids[0]


def assert_the_next_turn_is_answered(client: Client, ack: Ack) -> None:
    after = client.say("Are you still there?", ack.conversation_id, timeout=120)
    assert after.done is not None, after.error
    assert [d.seq for d in after.deltas] == list(range(len(after.deltas)))


@dataclass(frozen=True)
class Outage:
    """One answer through a kill of DynamoDB Local: what its socket heard, and what history shows after."""

    ending: Ending
    streamed: str
    restarted_after: float
    answer: MessageView
    messages: list[MessageView]


@pytest.fixture(scope="module")
def dynamodb_outage(stack: LocalStack) -> Outage:
    """DynamoDB Local killed just after an answer's first delta; the answer (under two seconds) ends while
    DynamoDB Local is down, so its last save fails; the worker retries it (within the lease) until the
    stack has restarted DynamoDB Local."""
    client, ack, before = begin(stack, "faults-dynamodb")
    pid = the_only(stack, "DynamoDBLocal.jar")
    seen = len(stack.output)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    ending = hear_the_end(client, ack, killed_at, within=TOLD_WITHIN_SECONDS)
    wait_for_output(stack, "DynamoDB Local restarted (pid ", start=seen, timeout=RESTART_WITHIN_SECONDS)
    restarted_after = time.monotonic() - killed_at
    waited, answer, messages = ended(client, ending, ack, within=LEASE_SECONDS + MODEL_TIMEOUT_SECONDS
                                     + SWEEP_SECONDS + ENDED_WITHIN_SECONDS)
    ending = hear_more(client, ending, seconds=2)  # a late second end, if any
    figures.measure(SUITE, "DynamoDB Local killed mid-answer",
                    f"{ending.describe()}; DynamoDB Local restarted after {restarted_after:.1f} s; history "
                    f"{answer.status} with {len(answer.text)} of {len(ending.streamed(before))} characters "
                    f"{waited:.1f} s later")
    assert_the_next_turn_is_answered(client, ack)
    client.close()
    return Outage(ending, ending.streamed(before), restarted_after, answer, messages)


def test_dynamodb_local_killed_mid_answer_its_end_is_saved_once_it_is_back_and_told_once(
        dynamodb_outage: Outage):
    outage = dynamodb_outage
    assert len(outage.ending.ends) == 1, outage.ending.describe()  # no second end from the sweep
    _, end = outage.ending.first
    assert isinstance(end, Done), end
    assert outage.answer.status is MessageStatus.COMPLETE  # never `streaming`
    assert outage.answer.text == outage.streamed  # every character that streamed
    assert [m.message_id for m in outage.messages] == [outage.messages[0].message_id, outage.ending.answer]


def hear_more(client: Client, ending: Ending, *, seconds: float) -> Ending:
    """Any further frames of the answer in the next `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = client.receive(timeout=left)
        except websocket.WebSocketTimeoutException:
            break
        if isinstance(frame, Done | ErrorFrame) and frame.message_id == ending.answer:
            ending.ends.append((time.monotonic() - ending.fault_at, frame))
        elif not (isinstance(frame, Delta) and frame.message_id == ending.answer):
            raise AssertionError(f"a frame of no answer in flight: {frame}")
    return ending


def test_the_model_endpoint_killed_mid_answer_fails_it_with_its_text_and_the_next_turn_is_answered(
        stack: LocalStack):
    client, ack, before = begin(stack, "faults-model")
    pid = the_only(stack, "memchat_local.endpoint")
    seen = len(stack.output)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    ending = hear_the_end(client, ack, killed_at, within=TOLD_WITHIN_SECONDS)
    waited, answer, messages = ended(client, ending, ack, within=ENDED_WITHIN_SECONDS)
    wait_for_output(stack, "The model endpoint restarted (pid ", start=seen, timeout=RESTART_WITHIN_SECONDS)

    figures.measure(SUITE, "model endpoint killed mid-answer",
                    f"{ending.describe()}; history {answer.status} {waited:.1f} s later")
    _, end = ending.first
    assert len(ending.ends) == 1, ending.ends
    assert isinstance(end, ErrorFrame) and end.code in ("model_error", "model_unavailable"), end
    assert answer.status is MessageStatus.FAILED and answer.error_code == end.code
    assert answer.text == "".join(d.text for d in before + ending.deltas)  # the text it had, all of it
    assert len(messages) == 2
    assert_the_next_turn_is_answered(client, ack)
    client.close()


def test_a_model_hanging_mid_answer_fails_it_after_the_model_timeout(stack: LocalStack):
    client, ack, before = begin(stack, "faults-hang")
    pid = the_only(stack, "memchat_local.endpoint")
    os.kill(pid, signal.SIGSTOP)  # alive, holding its connections, answering nothing
    stopped_at = time.monotonic()
    try:
        ending = hear_the_end(client, ack, stopped_at, within=MODEL_TIMEOUT_SECONDS + TOLD_WITHIN_SECONDS)
        waited, answer, messages = ended(client, ending, ack, within=ENDED_WITHIN_SECONDS)
    finally:
        os.kill(pid, signal.SIGCONT)

    figures.measure(SUITE, f"model hanging mid-answer (timeout {MODEL_TIMEOUT_SECONDS} s)",
                    f"{ending.describe()}; history {answer.status} {waited:.1f} s later")
    after, end = ending.first
    assert len(ending.ends) == 1, ending.ends
    assert isinstance(end, ErrorFrame) and end.code == "model_unavailable", end
    assert after >= MODEL_TIMEOUT_SECONDS - 1  # the worker waited for the model as long as it is told to
    assert answer.status is MessageStatus.FAILED
    assert answer.text == "".join(d.text for d in before + ending.deltas)
    assert len(messages) == 2
    assert_the_next_turn_is_answered(client, ack)
    client.close()


def test_the_same_message_sent_twenty_times_at_once_is_stored_and_answered_once(stack: LocalStack):
    user, copies = "faults-storm", 20
    clients = [stack.connect(user) for _ in range(copies)]
    frame = SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Only once, please.")
    go = threading.Barrier(copies)
    heard: list[list[ServerFrame]] = [[] for _ in clients]

    def send(index: int) -> None:
        go.wait()
        clients[index].send(frame)
        heard[index].append(clients[index].receive(timeout=60))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    first = [frames[0] for frames in heard if frames]
    acks = [f for f in first if isinstance(f, Ack)]
    refusals = [f for f in first if isinstance(f, ErrorFrame)]
    figures.measure(SUITE, f"one message sent {copies} times at once",
                    f"{len(acks)} acks naming {len({(a.message_id, a.reply_id) for a in acks})} message; "
                    f"{len(refusals)} refused")
    assert len(first) == copies
    assert not refusals, refusals  # a copy is a retry: acked again, never refused
    assert len({(a.conversation_id, a.message_id, a.reply_id) for a in acks}) == 1
    ack = acks[0]

    # One answer streams, to one of the sockets; the others hear nothing more of it.
    later: list[list[ServerFrame]] = [[] for _ in clients]
    stop_at = [time.monotonic() + TOLD_WITHIN_SECONDS + MAX_NEW_TOKENS / TOKENS_PER_SECOND]

    def listen(index: int) -> None:
        while time.monotonic() < stop_at[0]:
            try:
                received = clients[index].receive(timeout=0.5)
            except websocket.WebSocketTimeoutException:
                continue
            later[index].append(received)
            if isinstance(received, Done | ErrorFrame):
                stop_at[0] = min(stop_at[0], time.monotonic() + 2)  # and a little longer for any copy

    threads = [threading.Thread(target=listen, args=(i,)) for i in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    streamed = [frames for frames in later if frames]
    assert len(streamed) == 1, [len(frames) for frames in later]
    deltas = [f for f in streamed[0] if isinstance(f, Delta)]
    done = streamed[0][-1]
    assert isinstance(done, Done) and done.message_id == ack.reply_id, done
    assert all(d.message_id == ack.reply_id for d in deltas) and [d.seq for d in deltas] == list(range(len(deltas)))
    _, answer, messages = ended(clients[0], Ending(ack.reply_id, time.monotonic()), ack, within=ENDED_WITHIN_SECONDS)
    assert [m.message_id for m in messages] == [ack.message_id, ack.reply_id]
    assert answer.status is MessageStatus.COMPLETE and answer.text == "".join(d.text for d in deltas)
    for client in clients:
        client.close()


def test_a_ctrl_c_mid_answer_ends_the_answer_before_the_stack_exits(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    """The terminal's Ctrl-C reaches the whole process group: the stack must still stop DynamoDB Local
    last, so the answer in flight is saved ended, not left `streaming` for the next start's sweep."""
    # Its own session, as a terminal gives `make dev`: the Ctrl-C below reaches the stack's group, not pytest.
    monkeypatch.setattr(subprocess, "Popen", functools.partial(subprocess.Popen, start_new_session=True))
    extra = ("--replay-ttft-ms", "50", "--replay-tokens-per-second", "10", "--set", "MEMCHAT_MAX_NEW_TOKENS=200")
    first = LocalStack(tmp_path, mode="replay", extra=extra).start()
    try:
        client, ack, before = begin(first, "faults-ctrl-c")
        assert first.process is not None
        os.killpg(first.process.pid, signal.SIGINT)
        stopped_at = time.monotonic()
        assert first.process.wait(RESTART_WITHIN_SECONDS) == 0
        stopped_after = time.monotonic() - stopped_at
        client.close()
    finally:
        first.stop()
    monkeypatch.undo()
    second = LocalStack(tmp_path, mode="replay", extra=extra).start()
    try:
        returning = second.connect("faults-ctrl-c")
        history = returning.request(GetHistory(action="getHistory", conversation_id=ack.conversation_id))
        assert isinstance(history, History), history
        answer = next(m for m in history.messages if m.message_id == ack.reply_id)
        figures.measure(SUITE, "Ctrl-C to the whole stack mid-answer",
                        f"stopped in {stopped_after:.1f} s; history {answer.status} with {len(answer.text)} characters")
        assert answer.status in ENDED, answer.status
        assert answer.text.startswith("".join(d.text for d in before))
        returning.close()
    finally:
        second.stop()
