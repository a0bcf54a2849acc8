"""The chat user's side of the wire: a blocking WebSocket client (websocket-client) that times each turn.

Blocking calls suit Locust: under gevent's monkey-patching every `recv` yields to the other users. The
frames are the backend's own typed models (`memchat.frames`), so the load test speaks the documented
protocol and nothing else. Reading a turn is a pure function of timestamped frames (`read_turn`), so
the timing rules are tested without a socket.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import websocket
from pydantic import ValidationError

from loadtest.errors import (
    ConnectionLost,
    ConnectRefused,
    GatewayError,
    LoadTestError,
    ProtocolViolation,
    TurnFailed,
    TurnTimeout,
)
from memchat.frames import Ack, Delta, Done, ErrorFrame, SendMessage, ServerFrame, parse_server_frame

# (perf_counter seconds when the frame was read, the frame's text)
TimedFrame = tuple[float, str]


def connect_url(url: str, token: str) -> str:
    """The API's URL with the token in the query string (`/?token=` locally, `/{stage}?token=` on AWS)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("token", token)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


@dataclass
class TurnResult:
    """One sendMessage, timed from the moment it was sent (`sent_at`, perf_counter). Milliseconds throughout."""

    sent_at: float = 0.0
    ack_ms: float | None = None
    ttft_ms: float | None = None  # to the first delta that carries text
    answer_ms: float | None = None  # to `done`
    stream_ms: float | None = None  # first text delta to `done`: how long delivery took
    gaps_ms: list[float] = field(default_factory=list)  # between successive frames from the first delta on
    completion_tokens: int = 0
    deltas: int = 0
    chars: int = 0
    conversation_id: str | None = None
    finish_reason: str | None = None
    ended_ms: float | None = None  # to the frame (or timeout) that ended the turn, whatever it was
    error: LoadTestError | None = None


def read_turn(
    sent_at: float,
    client_message_id: uuid.UUID,
    frames: Iterator[TimedFrame],
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> TurnResult:
    """Consume frames until the turn's `done` or `error`, checking the protocol and timing each phase.

    A failure of the frame source (timeout, closed socket) ends the turn with that error; what was
    measured before it is kept.
    """
    result = TurnResult(sent_at=sent_at)
    ack: Ack | None = None
    first_text_at: float | None = None
    last_frame_at: float | None = None

    def ms(at: float) -> float:
        return (at - sent_at) * 1000

    try:
        for at, raw in frames:
            result.ended_ms = ms(at)
            frame = _parse(raw)
            match frame:
                case Ack() if frame.client_message_id == client_message_id:
                    ack = frame
                    result.ack_ms = ms(at)
                    result.conversation_id = frame.conversation_id
                case Delta():
                    if ack is None or frame.message_id != ack.reply_id:
                        raise ProtocolViolation(f"a delta for {frame.message_id} before its ack")
                    if frame.seq != result.deltas:
                        raise ProtocolViolation(f"delta seq {frame.seq} where {result.deltas} was due")
                    if last_frame_at is not None:
                        result.gaps_ms.append((at - last_frame_at) * 1000)
                    last_frame_at = at
                    result.deltas += 1
                    result.chars += len(frame.text)
                    if first_text_at is None and frame.text:
                        first_text_at = at
                        result.ttft_ms = ms(at)
                case Done():
                    if ack is None or frame.message_id != ack.reply_id:
                        raise ProtocolViolation(f"a done for {frame.message_id} that is not this turn's answer")
                    if last_frame_at is not None:
                        result.gaps_ms.append((at - last_frame_at) * 1000)
                    result.answer_ms = ms(at)
                    result.stream_ms = (at - first_text_at) * 1000 if first_text_at is not None else None
                    result.completion_tokens = frame.usage.completion_tokens
                    result.finish_reason = frame.finish_reason.value
                    return result
                case ErrorFrame() if _is_ours(frame, client_message_id, ack):
                    raise TurnFailed(frame.code.value, frame.message)
                case _:
                    continue  # a frame for another request on this socket (pong, history, ...)
        raise ConnectionLost("the frames ended before the turn did")
    except LoadTestError as exc:
        result.error = exc
        if not isinstance(exc, (TurnFailed, GatewayError, ProtocolViolation)):
            result.ended_ms = ms(clock())  # the source failed: a timeout or a broken socket, now
        return result


def _parse(raw: str) -> ServerFrame:
    try:
        return parse_server_frame(raw)
    except ValidationError as exc:
        if _is_gateway_error(raw):
            raise GatewayError(raw[:200]) from exc
        raise ProtocolViolation(f"not a server frame: {raw[:200]}") from exc


def _is_gateway_error(raw: str) -> bool:
    """API Gateway answers an integration failure with its own frame: {"message": "Internal server error", ...}."""
    try:
        body = json.loads(raw)
    except ValueError:
        return False
    return isinstance(body, dict) and "type" not in body and body.get("message") == "Internal server error"


def _is_ours(frame: ErrorFrame, client_message_id: uuid.UUID, ack: Ack | None) -> bool:
    if frame.client_message_id is not None:
        return frame.client_message_id == client_message_id
    if frame.message_id is not None:
        return ack is not None and frame.message_id == ack.reply_id
    return True  # no ids: a refusal of the only request in flight on this socket


class ChatClient:
    """One user's WebSocket connection. Not shared between greenlets: one turn in flight at a time."""

    def __init__(self, url: str, token: str, *, timeout: float = 60.0) -> None:
        self._url = connect_url(url, token)
        self._timeout = timeout
        self._socket: websocket.WebSocket | None = None

    def connect(self) -> float:
        """Open the socket; returns the handshake time (authorizer and $connect included) in ms."""
        started = time.perf_counter()
        try:
            self._socket = websocket.create_connection(
                self._url, timeout=self._timeout, enable_multithread=False, skip_utf8_validation=True
            )
        except websocket.WebSocketBadStatusException as exc:
            raise ConnectRefused(f"handshake refused with HTTP {exc.status_code}", status=exc.status_code) from exc
        except (OSError, websocket.WebSocketException) as exc:
            raise ConnectRefused(f"no connection: {exc}") from exc
        return (time.perf_counter() - started) * 1000

    @property
    def connected(self) -> bool:
        return self._socket is not None and self._socket.connected

    def turn(self, text: str, *, conversation_id: str | None, timeout: float = 120.0) -> TurnResult:
        """Send one message and read its answer to the end."""
        if self._socket is None:
            raise ConnectionLost("not connected")
        client_message_id = uuid.uuid4()
        frame = SendMessage(
            action="sendMessage", conversation_id=conversation_id, client_message_id=client_message_id, text=text
        )
        sent_at = time.perf_counter()
        try:
            self._socket.send(frame.to_wire())
        except (OSError, websocket.WebSocketException) as exc:
            self.close()
            failed_ms = (time.perf_counter() - sent_at) * 1000
            return TurnResult(sent_at=sent_at, ended_ms=failed_ms, error=ConnectionLost(f"send failed: {exc}"))
        result = read_turn(sent_at, client_message_id, self._frames(sent_at + timeout))
        if isinstance(result.error, (ConnectionLost, TurnTimeout)):
            self.close()  # what is left on this socket belongs to a turn nobody waits for any more
        return result

    def _frames(self, deadline: float) -> Iterator[TimedFrame]:
        assert self._socket is not None
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TurnTimeout("no done or error frame in time")
            self._socket.settimeout(remaining)
            try:
                data = self._socket.recv()
            except websocket.WebSocketTimeoutException as exc:
                raise TurnTimeout("no done or error frame in time") from exc
            except (OSError, websocket.WebSocketException) as exc:
                raise ConnectionLost(f"the socket broke: {exc}") from exc
            at = time.perf_counter()
            if not data:
                raise ConnectionLost("the server closed the socket")
            yield at, data if isinstance(data, str) else data.decode("utf-8", "replace")

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close(timeout=1)
            except (OSError, websocket.WebSocketException):
                pass
            self._socket = None


__all__ = ["ChatClient", "TimedFrame", "TurnResult", "connect_url", "read_turn"]
