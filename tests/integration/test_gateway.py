"""The local gateway behaves as API Gateway's WebSocket API where clients and tests rely on it: binary frames
are refused with close code 1003, a frame of exactly 32 KB is delivered and one byte more is closed with
1009, deeply nested JSON is routed like any other frame, and tokens must be for the app's audience."""

from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest
import websocket

from memchat.frames import MAX_FRAME_BYTES, ErrorFrame, Ping, Pong
from memchat_local.issuer import AUDIENCE, ISSUER, KEY_ID, LocalIssuer
from tests.integration.stack import LocalStack

pytestmark = pytest.mark.integration


def close_code(socket: websocket.WebSocket, timeout: float = 30) -> int | None:
    """Read until the server's close frame and return its code (None: the connection just dropped)."""
    socket.settimeout(timeout)
    while True:
        try:
            opcode, data = socket.recv_data(control_frame=True)
        except websocket.WebSocketConnectionClosedException:
            return None
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(data[:2], "big") if len(data) >= 2 else None


def send_message_of(size: int) -> str:
    prefix = json.dumps({"action": "sendMessage", "clientMessageId": str(uuid.uuid4()), "text": ""})[:-2]
    frame = prefix + "w" * (size - len(prefix) - 2) + '"}'
    assert len(frame.encode()) == size
    return frame


@pytest.mark.parametrize("payload", [b"\x00\x01\x02binary", b'{"action":"ping"}'], ids=["bytes", "json-as-binary"])
def test_a_binary_frame_closes_the_connection_with_1003(hostile_stack: LocalStack, payload: bytes) -> None:
    client = hostile_stack.connect("binary-sender")
    client.socket.send_binary(payload)
    assert close_code(client.socket) == 1003


def test_a_frame_of_exactly_32_kb_is_delivered(hostile_stack: LocalStack) -> None:
    client = hostile_stack.connect("frame-at-limit")
    client.send(send_message_of(MAX_FRAME_BYTES))
    error = client.receive(30)
    assert isinstance(error, ErrorFrame) and error.code == "too_large"  # the handler read it, and refused it
    assert isinstance(client.request(Ping(action="ping")), Pong)


def test_a_frame_one_byte_over_32_kb_closes_the_connection_with_1009(hostile_stack: LocalStack) -> None:
    client = hostile_stack.connect("frame-over-limit")
    try:
        client.send(send_message_of(MAX_FRAME_BYTES + 1))
    except (BrokenPipeError, ConnectionResetError):
        # The gateway closes as soon as the frame's header says it is too big, which can be while the
        # client is still writing its body: the close frame may then be lost with the reset.
        assert close_code(client.socket) in (1009, None)
        return
    assert close_code(client.socket) == 1009


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"action":' * 1000 + '"ping"' + "}" * 1000,
                                  '{"action":"ping","x":' + "[" * 1000 + "]" * 1000 + "}"],
                         ids=["array", "action-deep", "field-deep"])
def test_a_frame_nested_a_thousand_deep_is_answered_bad_request(hostile_stack: LocalStack, body: str) -> None:
    client = hostile_stack.connect("deep-nester")
    log_start = len(hostile_stack.output)
    client.send(body)
    frame = client.receive(30)
    assert isinstance(frame, ErrorFrame) and frame.code == "bad_request"
    assert isinstance(client.request(Ping(action="ping")), Pong)  # the connection stays usable
    assert not [line for line in hostile_stack.output[log_start:] if "Traceback" in line or "RecursionError" in line]


def _token(stack: LocalStack, **claims) -> str:
    key = LocalIssuer(stack.data_dir)._key
    now = int(time.time())
    body = {"sub": "audience-tester", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600,
            "token_use": "id", **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="RS256",
                      headers={"kid": KEY_ID})


# API Gateway answers 401 when the authorizer raises Unauthorized and 403 when its policy denies; the
# app treats both as "sign in again".
REFUSED = (401, 403)


def _status(stack: LocalStack, token: str) -> int:
    try:
        websocket.create_connection(f"{stack.url}/?token={token}", timeout=30).close()
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    return 101


def test_the_local_issuers_tokens_are_for_the_apps_audience(hostile_stack: LocalStack) -> None:
    claims = jwt.decode(hostile_stack.token("someone"), options={"verify_signature": False})
    assert claims["aud"] == AUDIENCE
    assert _status(hostile_stack, _token(hostile_stack)) == 101


@pytest.mark.parametrize("audience", ["another-app", ["another-app"], None], ids=["other", "other-list", "none"])
def test_a_token_for_another_audience_or_none_is_refused(hostile_stack: LocalStack, audience) -> None:
    assert _status(hostile_stack, _token(hostile_stack, aud=audience)) in REFUSED


