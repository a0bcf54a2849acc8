"""Reading a turn: each phase timed from the moment the message was sent, and the protocol checked."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from loadtest.client import TimedFrame, connect_url, read_turn
from loadtest.errors import ConnectionLost, GatewayError, ProtocolViolation, TurnFailed, TurnTimeout
from memchat.frames import Ack, Delta, Done, ErrorFrame, FinishReason, Pong, Usage

CLIENT_ID = uuid.UUID("9b1c7a0e-0000-4000-8000-000000000001")
CONVERSATION = "3f2a00000000"
MESSAGE = "0193000000a0"
REPLY = "0193000000b0"
ACK = Ack(client_message_id=CLIENT_ID, conversation_id=CONVERSATION, message_id=MESSAGE, reply_id=REPLY)


def delta(seq: int, text: str = "word ") -> Delta:
    return Delta(conversation_id=CONVERSATION, message_id=REPLY, seq=seq, text=text)


DONE = Done(conversation_id=CONVERSATION, message_id=REPLY, finish_reason=FinishReason.STOP,
            usage=Usage(prompt_tokens=40, completion_tokens=12))


def timed(*frames: tuple[float, object]) -> Iterator[TimedFrame]:
    for at, frame in frames:
        yield at, frame if isinstance(frame, str) else frame.to_wire()


def test_each_phase_is_timed_from_the_send() -> None:
    result = read_turn(10.0, CLIENT_ID, timed((10.020, ACK), (10.180, delta(0)), (10.230, delta(1)),
                                              (10.290, delta(2)), (10.300, DONE)))
    assert result.error is None
    assert result.ack_ms == pytest.approx(20)
    assert result.ttft_ms == pytest.approx(180)
    assert result.answer_ms == pytest.approx(300)
    assert result.stream_ms == pytest.approx(120)
    assert result.gaps_ms == pytest.approx([50, 60, 10])
    assert (result.completion_tokens, result.deltas, result.conversation_id) == (12, 3, CONVERSATION)
    assert result.finish_reason == "stop"


def test_time_to_first_token_waits_for_a_delta_with_text() -> None:
    result = read_turn(0.0, CLIENT_ID, timed((0.01, ACK), (0.1, delta(0, "")), (0.2, delta(1)), (0.3, DONE)))
    assert result.ttft_ms == pytest.approx(200)
    assert result.gaps_ms == pytest.approx([100, 100])


def test_frames_for_other_requests_are_not_part_of_the_turn() -> None:
    other = Ack(client_message_id=uuid.uuid4(), conversation_id=CONVERSATION, message_id=MESSAGE, reply_id=REPLY)
    result = read_turn(0.0, CLIENT_ID, timed((0.005, Pong()), (0.008, other), (0.01, ACK), (0.1, delta(0)),
                                             (0.2, DONE)))
    assert result.error is None and result.ack_ms == pytest.approx(10)


def test_a_gap_in_seq_is_a_protocol_violation() -> None:
    result = read_turn(0.0, CLIENT_ID, timed((0.01, ACK), (0.1, delta(0)), (0.2, delta(2))))
    assert isinstance(result.error, ProtocolViolation) and result.error.code == "protocol"
    assert result.ttft_ms == pytest.approx(100)  # what was measured before stays


def test_a_delta_before_its_ack_is_a_protocol_violation() -> None:
    result = read_turn(0.0, CLIENT_ID, timed((0.1, delta(0))))
    assert isinstance(result.error, ProtocolViolation)


def test_an_error_frame_fails_the_turn_with_its_wire_code() -> None:
    refusal = ErrorFrame(code="rate_limited", message="Wait a moment.", client_message_id=CLIENT_ID)
    result = read_turn(0.0, CLIENT_ID, timed((0.012, refusal)))
    assert isinstance(result.error, TurnFailed) and result.error.code == "rate_limited"
    assert result.ended_ms == pytest.approx(12)


def test_an_error_during_the_answer_fails_the_turn_after_its_deltas() -> None:
    failure = ErrorFrame(code="model_error", message="The model failed.", conversation_id=CONVERSATION,
                         message_id=REPLY)
    result = read_turn(0.0, CLIENT_ID, timed((0.01, ACK), (0.1, delta(0)), (0.5, failure)))
    assert result.error is not None and result.error.code == "model_error"
    assert result.ttft_ms == pytest.approx(100) and result.answer_ms is None


def test_api_gateways_own_internal_error_frame_is_reported_as_such() -> None:
    frame = json.dumps({"message": "Internal server error", "connectionId": "L0SM9cOFvHcCIhw=", "requestId": "x"})
    result = read_turn(0.0, CLIENT_ID, timed((0.01, ACK), (0.02, frame)))
    assert isinstance(result.error, GatewayError) and result.error.code == "gateway"


def test_a_frame_that_is_not_in_the_protocol_is_a_violation() -> None:
    result = read_turn(0.0, CLIENT_ID, timed((0.01, '{"type": "surprise"}')))
    assert isinstance(result.error, ProtocolViolation)


def test_a_timeout_ends_the_turn_at_the_moment_it_happened_and_keeps_what_was_measured() -> None:
    def frames() -> Iterator[TimedFrame]:
        yield 0.01, ACK.to_wire()
        raise TurnTimeout("no done")

    result = read_turn(0.0, CLIENT_ID, frames(), clock=lambda: 120.0)
    assert isinstance(result.error, TurnTimeout) and result.error.code == "timeout"
    assert result.ack_ms == pytest.approx(10)
    assert result.ended_ms == pytest.approx(120_000)


def test_frames_that_end_before_the_turn_mean_the_connection_was_lost() -> None:
    result = read_turn(0.0, CLIENT_ID, timed((0.01, ACK)), clock=lambda: 0.5)
    assert isinstance(result.error, ConnectionLost) and result.error.code == "closed"


def test_the_token_goes_in_the_query_string_of_the_local_and_the_aws_url() -> None:
    assert connect_url("ws://127.0.0.1:8765", "a.b.c") == "ws://127.0.0.1:8765/?token=a.b.c"
    assert (connect_url("wss://abc.execute-api.eu-west-1.amazonaws.com/prod", "a.b.c")
            == "wss://abc.execute-api.eu-west-1.amazonaws.com/prod?token=a.b.c")


def test_a_refused_token_is_told_apart_from_a_gateway_that_is_down() -> None:
    from loadtest.errors import ConnectRefused

    assert ConnectRefused("HTTP 401", status=401).unauthorized
    assert ConnectRefused("HTTP 403", status=403).unauthorized
    assert not ConnectRefused("HTTP 500", status=500).unauthorized
    assert not ConnectRefused("no connection").unauthorized
