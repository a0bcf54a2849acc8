"""Posting frames to WebSocket clients: one-off frames, and answers streamed as coalesced deltas."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from memchat.frames import Delta, Frame

if TYPE_CHECKING:
    from mypy_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient

# Characters per delta frame: even if every character needed a 6-byte JSON escape, a frame stays far
# below API Gateway's 32 KB limit.
MAX_DELTA_CHARS = 4000


class Poster:
    """Sends frames through API Gateway's @connections API (post_to_connection)."""

    def __init__(self, client: ApiGatewayManagementApiClient) -> None:
        self._client = client

    def send(self, connection_id: str, frame: Frame) -> bool:
        """Post one frame; False when the client has gone away (GoneException), which is not an error."""
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=frame.to_wire().encode())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"GoneException", "410"}:
                return False
            raise
        return True


def take_frame_text(pending: list[str], max_chars: int = MAX_DELTA_CHARS) -> str:
    """Remove and return the text of the next delta: all pending pieces, up to `max_chars`."""
    text = "".join(pending)
    pending.clear()
    if len(text) > max_chars:
        pending.append(text[max_chars:])
        text = text[:max_chars]
    return text


class DeltaStream:
    """Streams one answer as `delta` frames from a background thread.

    The first text is posted at once, from the caller's thread: time to first token is what users feel,
    and handing it to the thread would add a thread switch (up to 5 ms in a busy interpreter). After
    that `push` never waits on the network, so reading the model is not slowed by posting: text that
    arrives while a post is in flight or within `flush_interval` of the last post is coalesced into one
    frame, posted from a background thread. When the client has gone, `gone` turns true and the rest is
    dropped.
    """

    def __init__(
        self,
        poster: Poster,
        connection_id: str,
        *,
        conversation_id: str,
        message_id: str,
        flush_interval: float,
    ) -> None:
        self._poster = poster
        self._connection_id = connection_id
        self._conversation_id = conversation_id
        self._message_id = message_id
        self._interval = flush_interval
        self._pending: list[str] = []
        self._pending_chars = 0
        self._closing = False
        self._started = False  # the first text was pushed
        self._last_post: float | None = None
        self._wake = threading.Condition()
        self.frames_sent = 0
        self.first_post_at: float | None = None  # wall-clock time of the first delta, for TTFT
        self.gone = False
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="delta-stream", daemon=True)
        self._thread.start()

    def push(self, text: str) -> None:
        if not text or self.gone:
            return
        if not self._started:
            self._started = True
            for frame_text in _frame_texts(text):
                self._post(frame_text)
            return
        with self._wake:
            self._pending.append(text)
            self._pending_chars += len(text)
            self._wake.notify()

    def close(self) -> None:
        """Post what is left and wait for the thread; the caller sends `done` after this."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._closing:
                    self._wake.wait()
                if not self._pending:
                    return
                if self._last_post is not None:
                    deadline = self._last_post + self._interval
                    while not self._closing and self._pending_chars < MAX_DELTA_CHARS:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            break
                        self._wake.wait(remaining)
                text = take_frame_text(self._pending)
                self._pending_chars = sum(len(piece) for piece in self._pending)
            self._post(text)

    def _post(self, text: str) -> None:
        if self.gone or self.error:
            return
        frame = Delta(conversation_id=self._conversation_id, message_id=self._message_id, seq=self.frames_sent,
                      text=text)
        try:
            delivered = self._poster.send(self._connection_id, frame)
        except Exception as exc:  # noqa: BLE001 - reported to the worker, which decides
            self.error = exc
            return
        self._last_post = time.monotonic()
        if not delivered:
            self.gone = True
            return
        if self.first_post_at is None:
            self.first_post_at = time.time()
        self.frames_sent += 1


def _frame_texts(text: str) -> list[str]:
    """`text` cut into pieces that each fit in one frame."""
    pending = [text]
    pieces = []
    while pending:
        pieces.append(take_frame_text(pending))
    return pieces
