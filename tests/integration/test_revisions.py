"""Durable answers on the real local stack: a socket that reconnects mid-answer resumes it with no gap and
no repeat, and the last exchange is regenerated, continued and edited through the gateway, DynamoDB
Local and the local model endpoint."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from memchat.frames import (
    Ack,
    ContinueAnswer,
    Delta,
    Done,
    EditMessage,
    ErrorFrame,
    GetHistory,
    History,
    MessageChanged,
    MessageStatus,
    RegenerateAnswer,
    ResumeAnswer,
    Resumed,
    SendMessage,
    Started,
    StopGeneration,
)
from tests.integration.stack import LocalStack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # Slow answers (20 tokens a second, up to 120 of them) leave time to reconnect in the middle of one.
    local = LocalStack(tmp_path_factory.mktemp("revisions"), mode="replay",
                       extra=("--replay-ttft-ms", "50", "--replay-tokens-per-second", "20",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=120"))
    local.start()
    yield local
    local.stop()


def _history(client, conversation_id: str) -> History:
    history = client.request(GetHistory(action="getHistory", conversation_id=conversation_id))
    assert isinstance(history, History)
    return history


CAUGHT_UP_AFTER: list[float] = []  # seconds from resumeAnswer to its first resumed frame


def _follow(client, *, have: int, timeout: float = 60) -> tuple[str, list[int], object]:
    """Read a resumed answer to its end: the text after the `have` deltas, the seqs seen, the last frame."""
    text, seqs, expected = "", [], have
    asked = time.monotonic()
    deadline = asked + timeout
    while time.monotonic() < deadline:
        frame = client.receive(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(frame, Resumed) and not seqs and not text:
            CAUGHT_UP_AFTER.append(time.monotonic() - asked)
        if isinstance(frame, Resumed):
            assert frame.from_seq == expected, "a catch-up starts where the client is"
            text, expected = text + frame.text, frame.seq
            seqs.extend(range(frame.from_seq, frame.seq))
        elif isinstance(frame, Delta):
            assert frame.seq == expected, "no gap, no repeat"
            text, expected = text + frame.text, frame.seq + 1
            seqs.append(frame.seq)
        elif isinstance(frame, Done | ErrorFrame | MessageChanged):
            return text, seqs, frame
    raise TimeoutError("the resumed answer did not end")


def test_a_socket_that_reconnects_mid_answer_resumes_it_with_no_gap_and_no_repeat(stack: LocalStack):
    phone = stack.connect("resume-alice")
    phone.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me a long story."))
    first = phone.read_answer(until_first_delta=True, timeout=60)
    got = list(first.deltas)
    while len(got) < 3:
        frame = phone.receive(timeout=30)
        assert isinstance(frame, Delta)
        got.append(frame)
    phone.close()  # the network drops mid-answer; the worker goes on generating for nobody meanwhile

    again = stack.connect("resume-alice")  # a new socket, the same user
    again.send(ResumeAnswer(action="resumeAnswer", conversation_id=first.ack.conversation_id,
                            message_id=first.ack.reply_id, seq=len(got)))
    rest, seqs, last = _follow(again, have=len(got))

    assert isinstance(last, Done), last
    assert seqs == list(range(len(got), len(got) + len(seqs)))
    stored = _history(again, first.ack.conversation_id).messages[-1]
    assert stored.status is MessageStatus.COMPLETE
    assert "".join(d.text for d in got) + rest == stored.text  # every character once, in order
    print(f"\nresume: {len(got)} deltas before the drop, {len(seqs)} after; caught up "
          f"{CAUGHT_UP_AFTER[-1] * 1000:.0f} ms after resumeAnswer (stop poll every 400 ms)")
    again.close()


def test_a_second_device_follows_an_answer_from_its_saved_text(stack: LocalStack):
    phone, tablet = stack.connect("resume-bob"), stack.connect("resume-bob")
    phone.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Tell me another story."))
    first = phone.read_answer(until_first_delta=True, timeout=60)
    # Read at once: the answer (120 tokens at 20 a second) has some 6 s to go after its first token.
    shown = _history(tablet, first.ack.conversation_id).messages[-1]  # what the tablet shows from history
    assert shown.status in (MessageStatus.STREAMING, MessageStatus.PENDING)

    tablet.send(ResumeAnswer(action="resumeAnswer", conversation_id=first.ack.conversation_id,
                             message_id=first.ack.reply_id, seq=shown.seq or 0))
    rest, _, last = _follow(tablet, have=shown.seq or 0)
    phone_answer = phone.read_answer(timeout=60)

    assert isinstance(last, Done) and phone_answer.done is not None
    stored = _history(tablet, first.ack.conversation_id).messages[-1]
    assert (shown.text if shown.seq else "") + rest == stored.text
    # Asked again once it ended, the answer comes back whole.
    ended = tablet.request(ResumeAnswer(action="resumeAnswer", conversation_id=first.ack.conversation_id,
                                        message_id=first.ack.reply_id, seq=0))
    assert isinstance(ended, MessageChanged) and ended.message.text == stored.text
    phone.close()
    tablet.close()


def _stopped_answer(client) -> Ack:
    client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="Count slowly."))
    answer = client.read_answer(until_first_delta=True, timeout=60)
    client.send(StopGeneration(action="stopGeneration", conversation_id=answer.ack.conversation_id,
                               message_id=answer.ack.reply_id))
    rest = client.read_answer(timeout=60)
    assert rest.done is not None and rest.done.finish_reason == "stopped"
    return answer.ack


def test_a_stopped_answer_is_continued_and_then_regenerated(stack: LocalStack):
    client = stack.connect("revise-carol")
    ack = _stopped_answer(client)
    stopped = _history(client, ack.conversation_id).messages[-1]

    client.send(ContinueAnswer(action="continueAnswer", conversation_id=ack.conversation_id,
                               message_id=ack.reply_id))
    started = client.receive(timeout=30)
    assert started == Started(conversation_id=ack.conversation_id, message_id=ack.reply_id, reply_to=ack.message_id)
    more = client.read_answer(timeout=60)
    assert more.done is not None and [d.seq for d in more.deltas] == list(range(len(more.deltas)))
    continued = _history(client, ack.conversation_id).messages[-1]
    assert continued.text == stopped.text + "".join(d.text for d in more.deltas)

    client.send(RegenerateAnswer(action="regenerateAnswer", conversation_id=ack.conversation_id,
                                 message_id=ack.reply_id))
    started = client.receive(timeout=30)
    assert isinstance(started, Started) and started.replaces == ack.reply_id
    again = client.read_answer(timeout=60)
    assert again.done is not None and again.deltas[0].message_id == started.message_id

    messages = {m.message_id: m for m in _history(client, ack.conversation_id).messages}
    assert messages[ack.reply_id].superseded and messages[ack.reply_id].text == continued.text  # kept
    assert not messages[started.message_id].superseded
    assert messages[started.message_id].reply_to == ack.message_id
    client.close()


def test_the_last_message_is_edited_and_answered_anew(stack: LocalStack):
    client = stack.connect("revise-dave")
    first = client.say("What is the capital of Austria?")
    assert first.done is not None
    edit = EditMessage(action="editMessage", conversation_id=first.ack.conversation_id,
                       message_id=first.ack.message_id, client_message_id=uuid.uuid4(),
                       text="What is the capital of Australia?")
    client.send(edit)
    answer = client.read_answer(timeout=60)

    assert answer.ack is not None and answer.done is not None
    messages = _history(client, first.ack.conversation_id).messages
    current = [m for m in messages if not m.superseded]
    assert current[0].text == "What is the capital of Australia?"
    assert {m.message_id for m in messages if m.superseded} == {first.ack.message_id, first.ack.reply_id}
    client.close()
