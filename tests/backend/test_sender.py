"""Posting frames over the @connections API, and answers streamed as coalesced, gapless deltas."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from memchat.frames import MAX_FRAME_BYTES, Delta, Done, FinishReason, Pong, Resumed, Usage
from memchat.sender import MAX_DELTA_CHARS, DeltaStream, catch_up, take_frame_text

from .fakes import aws_response, wait_until
from .recorded import CONNECTION

CONVERSATION = "9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c"
REPLY = "0193a1b2c3d41a1b2c3d4e5"
A_MINUTE = 60.0  # a flush interval no test waits for: anything posted before close() was not held back


@pytest.fixture
def stream_factory(poster) -> Iterator:
    streams: list[DeltaStream] = []

    def start(flush_interval: float = A_MINUTE) -> DeltaStream:
        stream = DeltaStream(poster, CONNECTION, conversation_id=CONVERSATION, message_id=REPLY,
                             flush_interval=flush_interval)
        streams.append(stream)
        return stream

    yield start
    for stream in streams:
        stream.close()


def _text(deltas: list[Delta]) -> str:
    return "".join(delta.text for delta in deltas)


# ---------------------------------------------------------------- Poster


def test_a_frame_is_posted_as_json_to_its_connection(poster, gateway):
    assert poster.send(CONNECTION, Pong()) is True
    assert gateway.frames(CONNECTION) == [Pong()]


def test_posting_to_a_client_that_has_gone_returns_false(poster, gateway):
    gateway.disconnect(CONNECTION)
    assert poster.send(CONNECTION, Pong()) is False


def test_a_410_without_an_error_code_also_means_gone(poster, gateway):
    gateway.client.meta.events.register_first(
        "before-send.apigatewaymanagementapi.PostToConnection",
        lambda request, **_: aws_response(request, 410, b'{"message":null}', {"Content-Type": "application/json"}),
    )
    assert poster.send(CONNECTION, Pong()) is False


def test_other_posting_errors_are_raised(poster, gateway):
    gateway.fail(CONNECTION, status=403, code="ForbiddenException")
    with pytest.raises(ClientError, match="ForbiddenException"):
        poster.send(CONNECTION, Pong())


# ---------------------------------------------------------------- DeltaStream


def test_the_first_delta_is_posted_at_once_by_the_caller(stream_factory, gateway):
    stream = stream_factory()
    stream.push("Hel")

    # Already posted when push returns: no hand-off to the thread, no waiting for the interval.
    assert gateway.frames(CONNECTION) == [Delta(conversation_id=CONVERSATION, message_id=REPLY, seq=0, text="Hel")]
    stream.close()
    assert stream.first_post_at is not None  # the time to first token the worker reports


def test_later_text_is_coalesced_into_one_delta(stream_factory, gateway):
    stream = stream_factory()
    stream.push("Once")
    gateway.wait_for_frames(CONNECTION, 1)
    for token in [" upon", " a", " time", ",", " there", " was", " a", " model"]:
        stream.push(token)
    stream.close()

    assert [d.text for d in gateway.frames(CONNECTION)] == ["Once", " upon a time, there was a model"]


def test_deltas_count_seq_without_gaps(stream_factory, gateway):
    stream = stream_factory(flush_interval=0)
    tokens = [f"t{i} " for i in range(300)]
    for token in tokens:
        stream.push(token)
    stream.close()
    deltas = gateway.frames(CONNECTION)

    assert [d.seq for d in deltas] == list(range(len(deltas)))
    assert stream.frames_sent == len(deltas)
    assert _text(deltas) == "".join(tokens)


def test_long_text_is_split_into_deltas_under_the_frame_limit(stream_factory, gateway):
    # Control characters cost six bytes each in JSON: the worst case for the frame size.
    text = ("\x01é你👋" * 6000)[:20_000]
    stream = stream_factory()
    stream.push(text)
    stream.close()
    deltas = gateway.frames(CONNECTION)

    assert len(deltas) == 5
    assert max(gateway.sizes(CONNECTION)) < MAX_FRAME_BYTES
    assert all(len(d.text) <= MAX_DELTA_CHARS for d in deltas)
    assert _text(deltas) == text
    assert [d.seq for d in deltas] == [0, 1, 2, 3, 4]


def test_a_full_frame_is_posted_without_waiting_for_the_interval(stream_factory, gateway):
    stream = stream_factory()
    stream.push("a")
    gateway.wait_for_frames(CONNECTION, 1)
    stream.push("b" * MAX_DELTA_CHARS)

    second = gateway.wait_for_frames(CONNECTION, 2)[1]  # while the stream is still open
    assert second.text == "b" * MAX_DELTA_CHARS


def test_a_gone_client_stops_the_posting(stream_factory, gateway):
    gateway.disconnect(CONNECTION)
    stream = stream_factory()
    stream.push("Hel")
    gateway.wait_for_refusal(CONNECTION)
    for token in ["lo", " there", "!"]:
        stream.push(token)
    stream.close()

    assert stream.gone
    assert gateway.refused(CONNECTION) == 1  # one refused post, then nothing more was tried
    assert stream.first_post_at is None
    assert stream.snapshot() == ("Hello there!", stream.frames_sent)  # kept for a client that resumes


def test_a_client_that_leaves_mid_answer_keeps_the_deltas_it_got(stream_factory, gateway):
    gateway.disconnect(CONNECTION, after=1)
    stream = stream_factory(flush_interval=0)
    stream.push("Hel")
    gateway.wait_for_frames(CONNECTION, 1)
    stream.push("lo")
    gateway.wait_for_refusal(CONNECTION)
    stream.push(" there")
    stream.close()

    assert stream.gone
    assert [d.text for d in gateway.frames(CONNECTION)] == ["Hel"]


def test_a_posting_failure_is_kept_for_the_worker_and_stops_the_posting(stream_factory, gateway):
    gateway.fail(CONNECTION, status=403, code="ForbiddenException")
    stream = stream_factory()
    stream.push("Hel")
    gateway.wait_for_refusal(CONNECTION)
    stream.push("lo")
    stream.close()

    assert isinstance(stream.error, ClientError)
    assert not stream.gone
    assert gateway.refused(CONNECTION) == 1


def test_empty_text_posts_nothing(stream_factory, gateway):
    stream = stream_factory()
    stream.push("")
    stream.close()
    assert gateway.frames(CONNECTION) == []


def test_deltas_are_camel_case_json_on_the_wire(stream_factory, gateway):
    seen: list[bytes] = []
    gateway.client.meta.events.register_first(
        "before-send.apigatewaymanagementapi.PostToConnection", lambda request, **_: seen.append(request.body)
    )
    stream = stream_factory()
    stream.push("Hi")
    stream.close()
    assert json.loads(seen[0]) == {"type": "delta", "conversationId": CONVERSATION, "messageId": REPLY, "seq": 0,
                                   "text": "Hi"}


def test_a_frame_takes_every_pending_piece_up_to_the_limit():
    pending = ["ab", "cd", "ef"]
    assert take_frame_text(pending, max_chars=3) == "abc"
    assert pending == ["def"]
    assert take_frame_text(pending, max_chars=3) == "def"
    assert pending == []


# ---------------------------------------------------------------- following


TABLET = "TabletConn0AMCKdw="


def test_a_follower_gets_the_deltas_it_missed_in_one_frame_then_the_live_ones(stream_factory, gateway):
    stream = stream_factory(flush_interval=0)
    for count, piece in enumerate(["Once", " upon", " a"], start=1):
        stream.push(piece)
        gateway.wait_for_frames(CONNECTION, count)

    assert stream.follow(TABLET, 1)
    stream.push(" time")
    stream.close()

    assert gateway.frames(TABLET) == [
        Resumed(conversation_id=CONVERSATION, message_id=REPLY, from_seq=1, seq=3, text=" upon a"),
        Delta(conversation_id=CONVERSATION, message_id=REPLY, seq=3, text=" time"),
    ]
    assert [d.seq for d in gateway.frames(CONNECTION)] == [0, 1, 2, 3]


def test_a_follower_with_every_delta_is_told_where_the_live_ones_go_on(stream_factory, gateway):
    stream = stream_factory()
    stream.push("Once")
    gateway.wait_for_frames(CONNECTION, 1)
    assert stream.follow(TABLET, 5)  # a count past the end means all of them
    assert gateway.frames(TABLET) == [Resumed(conversation_id=CONVERSATION, message_id=REPLY, from_seq=1, seq=1,
                                              text="")]


def test_the_last_frame_goes_to_every_follower_still_there(stream_factory, gateway):
    stream = stream_factory()
    stream.push("Hi")
    gateway.wait_for_frames(CONNECTION, 1)
    stream.follow(TABLET, 0)
    gateway.disconnect(CONNECTION)
    stream.close()
    done = Done(conversation_id=CONVERSATION, message_id=REPLY, finish_reason=FinishReason.STOP,
                usage=Usage(prompt_tokens=1, completion_tokens=1))

    assert stream.send_all(done) == 1
    assert gateway.frames(TABLET)[-1] == done
    assert stream.followers == (TABLET,) and not stream.gone


def test_a_stream_whose_followers_all_left_is_gone_until_one_resumes(stream_factory, gateway):
    gateway.disconnect(CONNECTION)
    stream = stream_factory()
    stream.push("Hi")
    gateway.wait_for_refusal(CONNECTION)
    assert stream.gone and stream.gone_since is not None

    stream.follow(TABLET, 0)

    assert not stream.gone
    assert gateway.frames(TABLET)[0].text == "Hi"


def test_a_long_catch_up_is_cut_at_delta_boundaries_into_frames_that_fit():
    sent = ["a" * 1500, "b" * 1500, "c" * 1500, "d" * MAX_DELTA_CHARS, "e"]
    ranges = catch_up(sent, 1)
    assert ranges == [(1, 3), (3, 4), (4, 5)]
    assert all(sum(len(t) for t in sent[first:end]) <= MAX_DELTA_CHARS for first, end in ranges)
    assert catch_up(sent, 5) == []


def test_a_continued_answers_deltas_add_to_its_text(poster, gateway):
    stream = DeltaStream(poster, CONNECTION, conversation_id=CONVERSATION, message_id=REPLY,
                         flush_interval=A_MINUTE, prefix="Canberra is")
    stream.push(" the capital.")
    stream.close()
    assert gateway.frames(CONNECTION)[0].seq == 0
    assert stream.snapshot() == ("Canberra is the capital.", 1)


def test_the_text_so_far_is_read_without_waiting_for_a_slow_post(poster, gateway, monkeypatch):
    release, released = threading.Event(), []
    send = poster.send

    def slow(connection_id, frame):
        released.append(release.wait(5))  # API Gateway taking its time, until the test has read the text
        return send(connection_id, frame)

    monkeypatch.setattr(poster, "send", slow)
    stream = DeltaStream(poster, CONNECTION, conversation_id=CONVERSATION, message_id=REPLY, flush_interval=0)
    pusher = threading.Thread(target=stream.push, args=("Once",), daemon=True)
    pusher.start()
    wait_until(lambda: stream.frames_sent == 1, "the delta was recorded before its post")

    text = stream.snapshot()  # what the lease's renewal saves
    release.set()
    pusher.join(10)
    stream.close()

    assert text == ("Once", 1)
    assert released == [True]  # read while the post was still waiting, not after it gave up
