"""Fuzz through the real gateway: hostile frames over real sockets into `memchat dev` (the gateway, the chat
function, DynamoDB Local), several connections at once.

Every frame gets its documented answer or API Gateway's documented close (1003 for binary, 1009 over 32 KB);
a connection the gateway keeps still answers `ping`; the stack logs no traceback; and no refused frame's
canary is found in DynamoDB afterwards. The bulk of the frames runs in-process in
tests/backend/handlers/test_chat_fuzz.py; this is the share that crosses the process boundary.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
import websocket
from botocore.config import Config
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from memchat.frames import Delta, Done, ErrorFrame, Ping, Pong, parse_server_frame
from memchat.settings import Settings
from tests import figures
from tests.hostile import STRICT_TYPES_PENDING, Case, gateway_cases
from tests.integration.stack import LocalStack

pytestmark = pytest.mark.integration

FRAMES = int(os.environ.get("MEMCHAT_FUZZ_GATEWAY_FRAMES", "1600"))
SOCKETS = 4  # connections fuzzed at once, one user each
BATCH = 40  # frames per hypothesis example, spread over the sockets
TIMEOUT = 30  # seconds any one answer may take


class Connection:
    """One user's socket, reopened after the gateway closes it."""

    def __init__(self, stack: LocalStack, user: str) -> None:
        self._stack = stack
        self._user = user
        self.socket = self._open()

    def _open(self) -> websocket.WebSocket:
        return websocket.create_connection(f"{self._stack.url}/?token={self._stack.token(self._user)}",
                                           timeout=TIMEOUT)

    def exchange(self, case: Case) -> str:
        """Send one frame and return its outcome: the answer's type or error code, or the close code."""
        if isinstance(case.body, bytes):
            self.socket.send_binary(case.body)
        else:
            self.socket.send(case.body)
        outcome = self._answer()
        if outcome.startswith("close:"):
            self.socket = self._open()
        return outcome

    def still_usable(self) -> bool:
        self.socket.send(Ping(action="ping").to_wire())
        return self._answer() == "pong"

    def _answer(self) -> str:
        while True:
            try:
                opcode, data = self.socket.recv_data(control_frame=True)
            except websocket.WebSocketConnectionClosedException:
                return "close:none"
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return f"close:{int.from_bytes(data[:2], 'big')}" if len(data) >= 2 else "close:none"
            if opcode not in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                continue
            frame = parse_server_frame(data)
            if isinstance(frame, Delta | Done):
                continue  # the answer to an earlier, acked message streaming in
            return f"error:{frame.code}" if isinstance(frame, ErrorFrame) else frame.type

    def close(self) -> None:
        self.socket.close()


def _stored(stack: LocalStack) -> str:
    client = boto3.client("dynamodb", endpoint_url=stack.dynamodb_url, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local",
                          config=Config(retries={"total_max_attempts": 1}))
    pages = client.get_paginator("scan").paginate(TableName=Settings.model_fields["table_name"].default)
    return json.dumps([item for page in pages for item in page["Items"]], ensure_ascii=False)


def _through_the_gateway(case: Case) -> bool:
    """All but two kinds: frames whose strict typing is pending, and well-formed messages. Those are stored
    and answered, at most a few a second on two cores beside the answers' generation; the in-process suite
    and tests/integration/test_chat.py send them."""
    return not case.strict_pending and not (case.action == "sendMessage" and "ack" in case.expect)


@pytest.mark.timeout(900)
def test_hostile_frames_through_the_gateway_get_documented_answers_or_closes(hostile_stack: LocalStack) -> None:
    connections = [Connection(hostile_stack, f"fuzzer-{index}") for index in range(SOCKETS)]
    log_start = len(hostile_stack.output)
    canaries: list[str] = []
    lock = threading.Lock()

    def run(connection: Connection, cases: list[Case]) -> list[tuple[Case, str]]:
        results = [(case, connection.exchange(case)) for case in cases]
        assert connection.still_usable(), "a connection the gateway kept no longer answers ping"
        return results

    @hypothesis_settings(max_examples=max(1, FRAMES // BATCH), deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(batch=st.lists(gateway_cases().filter(_through_the_gateway), min_size=BATCH, max_size=BATCH))
    def one_batch(batch: list[Case]) -> None:
        shares = [batch[index::SOCKETS] for index in range(SOCKETS)]
        with ThreadPoolExecutor(SOCKETS) as pool:
            results = [pair for part in pool.map(run, connections, shares) for pair in part]
        for case, outcome in results:
            figures.count("fuzz: frames through the gateway, by outcome", outcome)
            figures.count("fuzz: frames through the gateway, by fault", case.kind)
            body = case.body[:200] if isinstance(case.body, str) else case.body[:50]
            assert outcome in case.expect, f"{case.kind}: {body!r} got {outcome}"
            if case.refused and case.canary:
                with lock:
                    canaries.append(case.canary)

    try:
        one_batch()
    finally:
        for connection in connections:
            connection.close()

    stored = _stored(hostile_stack)
    assert canaries and not [mark for mark in canaries if mark in stored], "a refused frame's text was stored"
    tracebacks = [line for line in hostile_stack.output[log_start:] if "Traceback" in line]
    assert not tracebacks, "".join(hostile_stack.output[log_start:])[-3000:]


LOOSE_TYPES = [
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":true}',
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":"10"}',
    '{"action":"listConversations","cursor":""}',
]


@pytest.mark.parametrize("body", LOOSE_TYPES)
def test_a_loosely_typed_field_through_the_gateway_is_answered_bad_request(hostile_stack: LocalStack,
                                                                             body: str) -> None:
    client = hostile_stack.connect("loose-typer")
    frame = client.request(body)
    outcome = f"error:{frame.code}" if isinstance(frame, ErrorFrame) else frame.type
    figures.count("fuzz: frames through the gateway, by outcome", outcome)
    figures.count("fuzz: frames through the gateway, by fault", "loose_type")
    assert outcome == "error:bad_request", STRICT_TYPES_PENDING
    assert isinstance(client.request(Ping(action="ping")), Pong)
