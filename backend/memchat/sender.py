"""Posting frames to WebSocket clients: one-off frames, and answers streamed as coalesced deltas."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from memchat.frames import Delta, Frame, Resumed

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
    """Streams one answer as `delta` frames from a background thread, to every connection following it.

    The first text is posted at once, from the caller's thread: time to first token is what users feel,
    and handing it to the thread would add a thread switch (up to 5 ms in a busy interpreter). After
    that `push` never waits on the network, so reading the model is not slowed by posting: text that
    arrives while a post is in flight or within `flush_interval` of the last post is coalesced into one
    frame, posted from a background thread.

    Every delta is kept (`seq` is its index), so a connection that resumes the answer (`follow`) gets the
    ones it missed in `resumed` frames and then the live ones, with no gap and no repeat. A connection
    that has gone is dropped; with none left, `gone` turns true and deltas are still kept for one that
    may resume. `prefix` is the text a continued answer already had: deltas add to it.
    """

    def __init__(
        self,
        poster: Poster,
        connection_id: str,
        *,
        conversation_id: str,
        message_id: str,
        flush_interval: float,
        prefix: str = "",
    ) -> None:
        self._poster = poster
        self._conversation_id = conversation_id
        self._message_id = message_id
        self._interval = flush_interval
        self._prefix = prefix
        self._pending: list[str] = []
        self._pending_chars = 0
        self._closing = False
        self._started = False  # the first text was pushed
        self._last_post: float | None = None
        self._wake = threading.Condition()
        # Held while a delta is recorded and posted, and while a follower is caught up: a follower
        # joins between two deltas, never in the middle of one.
        self._delivery = threading.Lock()
        # Held only to record a delta or read them all, never across a post: the lease's renewal reads
        # the text so far without waiting behind a slow post (it would starve, and the lease run out).
        self._record = threading.Lock()
        self._sent: list[str] = []  # the text of every delta, by seq
        self._followers: list[str] = [connection_id]
        self.gone_since: float | None = None  # monotonic time the last follower went
        self.first_post_at: float | None = None  # wall-clock time of the first delta, for TTFT
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="delta-stream", daemon=True)
        self._thread.start()

    @property
    def gone(self) -> bool:
        """No connection follows the answer now (one may still resume it)."""
        return self.gone_since is not None

    @property
    def frames_sent(self) -> int:
        """How many deltas the answer has had (their seq runs 0 .. frames_sent - 1)."""
        return len(self._sent)

    @property
    def followers(self) -> tuple[str, ...]:
        return tuple(self._followers)

    def snapshot(self) -> tuple[str, int]:
        """The answer's text as its deltas have carried it (after the prefix), and how many there were."""
        with self._record:
            return self._prefix + "".join(self._sent), len(self._sent)

    def push(self, text: str) -> None:
        if not text or self.error:
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

    def follow(self, connection_id: str, from_seq: int) -> bool:
        """Catch a resuming connection up from its `from_seq`-th delta and post it the live ones from
        now on; False when it has gone already."""
        with self._delivery:
            start = min(max(from_seq, 0), len(self._sent))
            for first, end in catch_up(self._sent, start):
                frame = Resumed(conversation_id=self._conversation_id, message_id=self._message_id,
                                from_seq=first, seq=end, text="".join(self._sent[first:end]))
                if not self._deliver(connection_id, frame):
                    return False
            if start == len(self._sent):  # nothing missed: still say where live deltas go on
                frame = Resumed(conversation_id=self._conversation_id, message_id=self._message_id,
                                from_seq=start, seq=start, text="")
                if not self._deliver(connection_id, frame):
                    return False
            if connection_id not in self._followers:
                self._followers.append(connection_id)
            self.gone_since = None
            return True

    def send_all(self, frame: Frame) -> int:
        """Post one frame to every follower; how many got it."""
        with self._delivery:
            return sum(self._deliver(connection_id, frame) for connection_id in list(self._followers))

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
        if self.error:
            return
        with self._delivery:
            with self._record:
                frame = Delta(conversation_id=self._conversation_id, message_id=self._message_id,
                              seq=len(self._sent), text=text)
                self._sent.append(text)
            delivered = sum(self._deliver(connection_id, frame) for connection_id in list(self._followers))
        self._last_post = time.monotonic()
        if delivered and self.first_post_at is None:
            self.first_post_at = time.time()

    def _deliver(self, connection_id: str, frame: Frame) -> bool:
        """Post to one connection (the delivery lock held); a gone one stops being a follower."""
        try:
            if self._poster.send(connection_id, frame):
                return True
        except Exception as exc:  # noqa: BLE001 - reported to the worker, which decides
            self.error = exc
            return False
        if connection_id in self._followers:
            self._followers.remove(connection_id)
            if not self._followers:
                self.gone_since = time.monotonic()
        return False


def catch_up(sent: list[str], start: int) -> list[tuple[int, int]]:
    """The delta ranges [first, end) from `start` to resend, each at most MAX_DELTA_CHARS long (one delta
    never is longer), so every `resumed` frame fits in one WebSocket frame."""
    ranges = []
    first, chars = start, 0
    for seq in range(start, len(sent)):
        if seq > first and chars + len(sent[seq]) > MAX_DELTA_CHARS:
            ranges.append((first, seq))
            first, chars = seq, 0
        chars += len(sent[seq])
    if first < len(sent):
        ranges.append((first, len(sent)))
    return ranges


def _frame_texts(text: str) -> list[str]:
    """`text` cut into pieces that each fit in one frame."""
    pending = [text]
    pieces = []
    while pending:
        pieces.append(take_frame_text(pending))
    return pieces
