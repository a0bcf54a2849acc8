"""Fakes at the app's seams (the socket, the outbox, time) and builders for server frames.

Time is virtual: the client sleeps on `Clock.sleep`, and a test moves it with `Clock.advance`, so no test
waits on the wall clock or asserts on durations.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from memchat.frames import (
    Ack,
    ClientFrame,
    Delta,
    Done,
    FinishReason,
    History,
    MemorySource,
    MemoryView,
    MessageStatus,
    MessageView,
    RecalledMemory,
    Role,
    Usage,
)
from memchat_mobile.errors import ConnectionLost

CONVERSATION = "c0ffee00c0ffee00"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def mid(n: int) -> str:
    """Message ids that sort by age, as the server's do."""
    return f"0193{n:012x}"


async def until(condition: Callable[[], Any], *, turns: int = 2000) -> None:
    """Let other tasks run until `condition()` holds (a bounded number of loop turns, not a duration)."""
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def settle(turns: int = 50) -> None:
    """Give every ready task a few turns of the loop."""
    for _ in range(turns):
        await asyncio.sleep(0)


class FakeOutbox:
    def __init__(self) -> None:
        self.frames: list[ClientFrame] = []
        self.later: list[tuple[float, ClientFrame]] = []  # (delay, frame) asked with send_later

    def send(self, frame: ClientFrame) -> None:
        self.frames.append(frame)

    def send_later(self, delay: float, frame: ClientFrame) -> None:
        self.later.append((delay, frame))

    def of(self, kind: type) -> list:
        return [f for f in self.frames if isinstance(f, kind)]

    @property
    def last(self) -> ClientFrame:
        return self.frames[-1]


class Clock:
    """Virtual time for `sleep`: nothing wakes until a test advances the clock past its deadline."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, asyncio.Future]] = []

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + delay, future))
        await future

    async def advance(self, seconds: float) -> None:
        await settle()  # sleeps about to start are counted from the current time
        self.now += seconds
        for deadline, future in list(self._sleepers):
            if deadline <= self.now:
                self._sleepers.remove((deadline, future))
                if not future.done():
                    future.set_result(None)
        await settle()


class Timers:
    """A scheduler for the state's timers (`ChatState.schedule`): nothing runs until a test moves time on."""

    def __init__(self) -> None:
        self.now = 0.0
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._count = 0

    def __call__(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        self._count += 1
        entry = (self.now + delay, self._count, callback)
        self._due.append(entry)
        return lambda: entry in self._due and self._due.remove(entry)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for entry in sorted(e for e in self._due if e[0] <= self.now):
            if entry in self._due:
                self._due.remove(entry)
                entry[2]()

    @property
    def waiting(self) -> int:
        return len(self._due)


class FakeSocket:
    """One server-side view of a connection: what the app sent, and a way to push frames or drop it."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed = False
        self._inbox: asyncio.Queue[str | Exception] = asyncio.Queue()

    async def send(self, text: str) -> None:
        if self.closed:
            raise ConnectionLost("The connection is closed.")
        self.sent.append(json.loads(text))

    async def receive(self) -> str:
        item = await self._inbox.get()
        if isinstance(item, Exception):
            raise item
        return item

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._inbox.put_nowait(ConnectionLost("The connection is closed."))

    def push(self, frame: Any) -> None:
        self._inbox.put_nowait(frame if isinstance(frame, str) else frame.to_wire())

    def drop(self) -> None:
        self.closed = True
        self._inbox.put_nowait(ConnectionLost("The connection dropped.", code=1006))

    def actions(self) -> list[str]:
        return [frame["action"] for frame in self.sent]


class FakeServer:
    """The `connect` seam: records the URLs, hands out FakeSockets, or refuses with a scripted error."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.sockets: list[FakeSocket] = []
        self.refusals: list[Exception] = []

    async def connect(self, url: str) -> FakeSocket:
        self.urls.append(url)
        if self.refusals:
            raise self.refusals.pop(0)
        socket = FakeSocket()
        self.sockets.append(socket)
        return socket

    @property
    def socket(self) -> FakeSocket:
        return self.sockets[-1]


# ---------------------------------------------------------------- server frames


def ack(client_message_id: uuid.UUID, *, n: int, conversation_id: str = CONVERSATION) -> Ack:
    """The ack of message mid(n), whose answer is mid(n + 1)."""
    return Ack(client_message_id=client_message_id, conversation_id=conversation_id, message_id=mid(n),
               reply_id=mid(n + 1))


def delta(n: int, seq: int, text: str, *, conversation_id: str = CONVERSATION) -> Delta:
    return Delta(conversation_id=conversation_id, message_id=mid(n), seq=seq, text=text)


def done(n: int, reason: FinishReason = FinishReason.STOP, *, conversation_id: str = CONVERSATION,
         memories: list[MemoryView] | None = None) -> Done:
    return Done(conversation_id=conversation_id, message_id=mid(n), finish_reason=reason,
                usage=Usage(prompt_tokens=10, completion_tokens=5),
                memories=[RecalledMemory(memory_id=m.memory_id, text=m.text) for m in memories] if memories
                else None)


def view(n: int, text: str, *, role: Role | None = None, status: MessageStatus | None = None,
         recalled: list[str] | None = None) -> MessageView:
    """Even ids are the user's questions, odd ids their answers (as the server pairs them)."""
    role = role or (Role.USER if n % 2 == 0 else Role.ASSISTANT)
    status = status or (MessageStatus.SENT if role is Role.USER else MessageStatus.COMPLETE)
    return MessageView(message_id=mid(n), role=role, text=text, status=status, created_at=NOW,
                       reply_to=mid(n - 1) if role is Role.ASSISTANT else None, recalled=recalled)


def memory(n: int, text: str, *, conversation_id: str = CONVERSATION, message: int = 0) -> MemoryView:
    """Memory number n, learnt from message mid(message) of `conversation_id`."""
    return MemoryView(memory_id=f"aaaa{n:012x}", subject="note", text=text, created_at=NOW, updated_at=NOW,
                      sources=[MemorySource(conversation_id=conversation_id, message_id=mid(message))])


def turns(first: int, last: int) -> list[MessageView]:
    """Stored messages mid(first)..mid(last), questions and answers alternating."""
    return [view(n, f"message {n}") for n in range(first, last + 1)]


def history(messages: list[MessageView], *, before: str | None = None,
            conversation_id: str = CONVERSATION) -> History:
    return History(conversation_id=conversation_id, messages=messages, before=before)
