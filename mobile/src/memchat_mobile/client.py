"""The connection manager: keeps one WebSocket open for the chat state, whatever the network does.

It connects with a fresh token, reconnects with capped exponential backoff and jitter, sends an app-level
`ping` well inside API Gateway's 10-minute idle timeout (and treats a ping left unanswered for a whole
interval as a dead socket), and sends every `sendMessage` again after a reconnect until it is acked or
refused — with the same clientMessageId, so the server stores it once. A message the server neither acks
nor refuses within ACK_TIMEOUT on an open socket (its route failed: API Gateway then sends only a bare
"Internal server error") is sent once more, then shown as failed with a retry. It only calls ChatState's
methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode
from uuid import UUID

from pydantic import ValidationError

from memchat.errors import ErrorCode
from memchat.frames import Ack, ClientFrame, EditMessage, ErrorFrame, Ping, SendMessage, parse_server_frame
from memchat_mobile import websocket
from memchat_mobile.auth import Credentials
from memchat_mobile.errors import AppError, ConnectionLost, HandshakeRefused, SignInFailed
from memchat_mobile.state import ChatState

__all__ = ["ACK_TIMEOUT", "PING_EVERY", "Backoff", "ChatClient", "probe"]

logger = logging.getLogger(__name__)

PING_EVERY = 4 * 60.0  # seconds; API Gateway closes a socket idle for 10 minutes
ACK_TIMEOUT = 20.0  # seconds for the server to ack or refuse a message (it stores it in milliseconds)
PROBE_TIMEOUT = 10.0  # seconds for the server to open a socket when signing in
UNCONFIRMED = "The server did not confirm your message. Tap retry to send it again."

Connect = Callable[[str], Awaitable[websocket.Socket]]
# The frames that store a message, answered by `ack` (or `error`) with their clientMessageId: kept until then.
Acked = SendMessage | EditMessage
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Backoff:
    """Capped exponential backoff with jitter: 1, 2, 4, 8, 15 s, each scaled by a random 0.5 to 1. The cap is
    low because the user waits on it; the app also tries at once when it comes back to the foreground or the
    network returns."""

    base: float = 1.0
    cap: float = 15.0
    random: Callable[[], float] = field(default=random.random)
    attempts: int = 0

    def next(self) -> float:
        delay = min(self.cap, self.base * 2**self.attempts) * (0.5 + self.random() / 2)
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0


def socket_url(address: str, token: str) -> str:
    return f"{address}{'&' if '?' in address else '?'}{urlencode({'token': token})}"


async def probe(address: str, token: str, *, connect: Connect = websocket.connect,
                timeout: float = PROBE_TIMEOUT) -> None:
    """Open and close one socket, so that signing in says what is wrong with the address or the token
    instead of leaving the user in front of a connection that never opens. Raises SignInFailed."""
    try:
        socket = await asyncio.wait_for(connect(socket_url(address, token)), timeout)
    except HandshakeRefused as exc:
        if exc.unauthorized:
            raise SignInFailed("The server did not accept this sign-in: it may have expired, or be for another "
                               "server.") from exc
        raise SignInFailed(f"{exc.message} Check the server address.") from exc
    except TimeoutError as exc:
        raise SignInFailed(f"The server at {address} did not answer within {timeout:.0f} s. Check the address, "
                           "and that the server is running.", refused=False) from exc
    except ConnectionLost as exc:
        raise SignInFailed(f"{exc.message} Check the address, and that the server is running.",
                           refused=False) from exc
    with contextlib.suppress(AppError):
        await socket.close()


class ChatClient:
    """The state's outbox; `run(state)` is the connection's lifetime, `stop()` ends it."""

    def __init__(
        self,
        *,
        address: str,
        credentials: Credentials,
        on_signed_out: Callable[[str], None] = lambda reason: None,
        connect: Connect = websocket.connect,
        sleep: Sleep = asyncio.sleep,
        backoff: Backoff | None = None,
        ping_every: float = PING_EVERY,
        ack_timeout: float = ACK_TIMEOUT,
    ) -> None:
        self.address = address
        self._credentials = credentials
        self._on_signed_out = on_signed_out
        self._connect = connect
        self._sleep = sleep
        self._backoff = backoff or Backoff()
        self._ping_every = ping_every
        self._ack_timeout = ack_timeout
        self._unacked: dict[UUID, Acked] = {}
        self._sent_again: set[UUID] = set()  # sent a second time on the same socket after ACK_TIMEOUT
        self._ack_timers: set[asyncio.Future] = set()
        self._later: set[asyncio.Future] = set()
        self._outgoing: asyncio.Queue[ClientFrame] | None = None
        self._socket: websocket.Socket | None = None
        self._wake: asyncio.Event | None = None
        self._stopped = False
        self._pong_due = False

    # ------------------------------------------------------------ the outbox

    def send(self, frame: ClientFrame) -> None:
        """Queue a frame for the open socket. Offline, only the frames that store a message are kept (they go on
        connect: a message written offline is sent when the connection is back);
        everything else is asked again by the state when the connection comes back."""
        if isinstance(frame, Acked):
            self._unacked[frame.client_message_id] = frame
        if self._outgoing is not None:
            self._outgoing.put_nowait(frame)

    def send_later(self, delay: float, frame: ClientFrame) -> None:
        """Send `frame` in `delay` seconds if a socket is open then; offline it is dropped (as `send` drops
        everything but messages: the state asks again on connect)."""
        async def later() -> None:
            await self._sleep(delay)
            if self._outgoing is not None:
                self._outgoing.put_nowait(frame)

        task = asyncio.ensure_future(later())
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    @property
    def unacked(self) -> list[Acked]:
        return list(self._unacked.values())

    def reconnect_now(self) -> None:
        """Skip the rest of the backoff wait (the user tapped retry)."""
        if self._wake is not None:
            self._wake.set()

    async def stop(self) -> None:
        self._stopped = True
        for task in self._later:
            task.cancel()
        if self._wake is not None:
            self._wake.set()
        if self._socket is not None:
            await self._socket.close()

    # ------------------------------------------------------------ the lifetime

    async def run(self, state: ChatState) -> None:
        self._wake = asyncio.Event()
        refreshed = False
        while not self._stopped:
            state.on_connecting()
            try:
                token = await self._credentials.token()
                socket = await self._connect(socket_url(self.address, token))
            except HandshakeRefused as exc:
                if exc.unauthorized:
                    if not refreshed and await self._credentials.refresh():
                        refreshed = True
                        continue
                    self._sign_out("The server did not accept your sign-in. Please sign in again.")
                    return
                await self._wait(state, exc.message)
                continue
            except SignInFailed as exc:
                if exc.refused:
                    self._sign_out(f"{exc.message} Please sign in again.")
                    return
                await self._wait(state, exc.message)
                continue
            except AppError as exc:
                await self._wait(state, exc.message)
                continue
            refreshed = False
            self._backoff.reset()
            reason = await self._serve(state, socket)
            if not self._stopped:
                await self._wait(state, reason)

    def _sign_out(self, reason: str) -> None:
        self._stopped = True
        self._on_signed_out(reason)

    async def _wait(self, state: ChatState, reason: str) -> None:
        delay = self._backoff.next()
        state.on_disconnected(reason, retry_in=delay)
        assert self._wake is not None
        self._wake.clear()
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()

    async def _serve(self, state: ChatState, socket: websocket.Socket) -> str:
        """Run one open socket until it fails; returns why, for the connection banner."""
        self._socket = socket
        self._outgoing = asyncio.Queue()
        self._pong_due = False
        state.on_connected()
        for frame in self._unacked.values():
            self._outgoing.put_nowait(frame)
        self._sent_again.clear()
        tasks = [asyncio.ensure_future(job) for job in (self._read(state, socket), self._write(state, socket),
                                                         self._ping(socket))]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in [*tasks, *self._ack_timers]:
                task.cancel()
            self._ack_timers.clear()
            self._outgoing = None
            self._socket = None
            with contextlib.suppress(ConnectionLost):
                await socket.close()
        failure = next((t.exception() for t in done if not t.cancelled() and t.exception()), None)
        if isinstance(failure, AppError):
            return failure.message
        if failure is not None:
            logger.error("The connection failed", exc_info=failure)
        return "The connection dropped."

    async def _read(self, state: ChatState, socket: websocket.Socket) -> None:
        while True:
            text = await socket.receive()
            self._pong_due = False  # any frame proves the socket is alive
            try:
                frame = parse_server_frame(text)
            except ValidationError:
                logger.warning("Ignored a frame this app does not understand: %.200s", text)
                continue
            if isinstance(frame, Ack | ErrorFrame) and frame.client_message_id is not None:
                self._unacked.pop(frame.client_message_id, None)
            state.receive(frame)

    async def _write(self, state: ChatState, socket: websocket.Socket) -> None:
        assert self._outgoing is not None
        queue = self._outgoing
        while True:
            frame = await queue.get()
            await socket.send(frame.to_wire())
            if isinstance(frame, Acked):
                timer = asyncio.ensure_future(self._expect_ack(state, frame))
                self._ack_timers.add(timer)
                timer.add_done_callback(self._ack_timers.discard)

    async def _expect_ack(self, state: ChatState, frame: Acked) -> None:
        """Send a message once more if the server has not answered it in time; fail it after that."""
        await self._sleep(self._ack_timeout)
        key = frame.client_message_id
        if self._unacked.get(key) is not frame:
            return  # acked or refused meanwhile
        if key not in self._sent_again:
            self._sent_again.add(key)
            self.send(frame)
            return
        del self._unacked[key]
        state.receive(ErrorFrame(code=ErrorCode.INTERNAL, message=UNCONFIRMED, client_message_id=key))

    async def _ping(self, socket: websocket.Socket) -> None:
        while True:
            await self._sleep(self._ping_every)
            if self._pong_due:
                raise ConnectionLost("The server stopped answering.")
            self._pong_due = True
            await socket.send(Ping(action="ping").to_wire())
