"""ChatClient: connecting, reconnecting with backoff, pings, and resending what was not acked.

A FakeServer stands at the socket seam and a virtual Clock stands in for time: a test pushes frames, drops
the socket, and advances the clock; nothing waits on the wall clock.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from memchat.errors import ErrorCode
from memchat.frames import ErrorFrame, ListConversations, MessageStatus, Pong, SendMessage
from memchat_mobile.auth import DevToken
from memchat_mobile.client import ACK_TIMEOUT, PING_EVERY, UNCONFIRMED, Backoff, ChatClient
from memchat_mobile.errors import ConnectionLost, HandshakeRefused
from memchat_mobile.state import ChatState, Link
from tests.mobile.fakes import CONVERSATION, Clock, FakeServer, ack, delta, done, history, turns, until

ADDRESS = "ws://127.0.0.1:8765"


class Refreshable:
    """Credentials whose first token the server refuses; `refresh` gives a good one."""

    def __init__(self) -> None:
        self.current = "old-token"
        self.refreshed = 0

    async def token(self) -> str:
        return self.current

    async def refresh(self) -> bool:
        self.refreshed += 1
        self.current = "new-token"
        return True


@asynccontextmanager
async def running(server: FakeServer, clock: Clock, *, credentials=None,
                  signed_out: list[str] | None = None) -> AsyncIterator[tuple[ChatClient, ChatState]]:
    client = ChatClient(address=ADDRESS, credentials=credentials or DevToken("dev-token"),
                        on_signed_out=(signed_out if signed_out is not None else []).append,
                        connect=server.connect, sleep=clock.sleep, backoff=Backoff(random=lambda: 1.0))
    state = ChatState(outbox=client)
    task = asyncio.ensure_future(client.run(state))
    try:
        yield client, state
    finally:
        await client.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def connected(server: FakeServer, count: int = 1) -> None:
    await until(lambda: len(server.sockets) >= count and server.sockets[count - 1].sent)


async def test_it_connects_with_the_token_in_the_query_string(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)

        assert server.urls == [f"{ADDRESS}?token=dev-token"]
        assert state.link is Link.CONNECTED
        assert server.socket.actions() == ["getLimits", "listConversations"]


async def test_frames_from_the_server_reach_the_state(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)
        state.open_conversation(CONVERSATION)
        server.socket.push(history(turns(0, 1)))
        await until(lambda: state.thread.loaded)

        state.send("Hi")
        await until(lambda: server.socket.actions()[-1] == "sendMessage")
        server.socket.push(ack(state.thread.messages[-1].client_message_id, n=2))
        server.socket.push(delta(3, 0, "Hello"))
        server.socket.push(done(3))
        await until(lambda: state.thread.messages[-1].status is MessageStatus.COMPLETE)

        assert [m.text for m in state.thread.messages] == ["message 0", "message 1", "Hi", "Hello"]


async def test_a_drop_reconnects_after_a_backoff_and_resends_what_was_not_acked(server: FakeServer,
                                                                                 clock: Clock) -> None:
    async with running(server, clock) as (client, state):
        await connected(server)
        state.new_chat()
        state.send("Are you there?")
        await until(lambda: "sendMessage" in server.socket.actions())
        first = server.socket.sent[-1]

        server.socket.drop()
        await until(lambda: state.link is Link.OFFLINE)
        assert state.link_detail == "The connection dropped."
        assert 0 < state.retry_at - time.monotonic() <= 1.0, "the banner counts down to the next attempt"
        assert state.thread.messages[0].sending
        await clock.advance(1.0)
        await connected(server, 2)
        await until(lambda: "sendMessage" in server.socket.actions())

        assert server.socket.sent[-1] == first, "the same frame: the same clientMessageId, stored once"
        assert state.link is Link.CONNECTED
        assert len(client.unacked) == 1


async def test_acked_or_refused_messages_are_not_resent(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (client, state):
        await connected(server)
        state.new_chat()
        state.send("First")
        await until(lambda: server.socket.actions().count("sendMessage") == 1)
        first = state.thread.messages[0]
        server.socket.push(ack(first.client_message_id, n=0))
        server.socket.push(done(1))
        await until(lambda: state.can_send)
        state.send("Second")
        await until(lambda: server.socket.actions().count("sendMessage") == 2)
        second = state.thread.messages[-1]
        server.socket.push(ErrorFrame(code=ErrorCode.RATE_LIMITED, message="Slow down.",
                                      client_message_id=second.client_message_id, conversation_id=CONVERSATION))
        await until(lambda: second.not_sent)

        server.socket.drop()
        await until(lambda: state.link is Link.OFFLINE)
        await clock.advance(1.0)
        await connected(server, 2)

        assert "sendMessage" not in server.socket.actions()
        assert client.unacked == []


async def test_a_message_left_unanswered_is_sent_once_more_then_fails_with_a_retry(server: FakeServer,
                                                                                  clock: Clock) -> None:
    # The chat route failed: API Gateway answers with a bare "Internal server error", no ack, no error frame.
    async with running(server, clock) as (client, state):
        await connected(server)
        state.new_chat()
        state.send("Anyone there?")
        await until(lambda: server.socket.actions().count("sendMessage") == 1)
        first = server.socket.sent[-1]
        server.socket.push('{"message": "Internal server error", "connectionId": "x", "requestId": "y"}')

        await clock.advance(ACK_TIMEOUT)
        await until(lambda: server.socket.actions().count("sendMessage") == 2)
        assert server.socket.sent[-1] == first, "the same frame: stored at most once"
        message = state.thread.messages[0]
        assert message.sending and message.error is None

        await clock.advance(ACK_TIMEOUT)
        await until(lambda: message.not_sent)
        assert message.error == UNCONFIRMED and client.unacked == []

        state.retry(message)  # the user taps retry: the same frame a third time
        await until(lambda: server.socket.actions().count("sendMessage") == 3)
        server.socket.push(ack(message.client_message_id, n=0))
        await until(lambda: not state.thread.sending)
        assert server.socket.sent[-1] == first and message.error is None


async def test_an_acked_message_is_not_sent_again_after_the_timeout(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (client, state):
        await connected(server)
        state.new_chat()
        state.send("Quick one")
        await until(lambda: server.socket.actions().count("sendMessage") == 1)
        server.socket.push(ack(state.thread.messages[0].client_message_id, n=0))
        await until(lambda: client.unacked == [])

        await clock.advance(2 * ACK_TIMEOUT)

        assert server.socket.actions().count("sendMessage") == 1
        assert state.thread.messages[0].error is None


async def test_the_backoff_grows_while_the_server_stays_away(server: FakeServer, clock: Clock) -> None:
    server.refusals = [ConnectionLost("Cannot reach 127.0.0.1:8765") for _ in range(7)]
    async with running(server, clock) as (_, state):
        for _ in range(7):
            await until(lambda: state.link is Link.OFFLINE)
            await clock.advance(60)
        await connected(server)

        assert clock.sleeps[:7] == [1, 2, 4, 8, 15, 15, 15]
        assert state.link is Link.CONNECTED


def test_the_backoff_is_jittered_down_to_half() -> None:
    backoff = Backoff(random=lambda: 0.0)

    assert [backoff.next() for _ in range(3)] == [0.5, 1.0, 2.0]
    backoff.reset()
    assert backoff.next() == 0.5


async def test_reconnect_now_skips_the_wait(server: FakeServer, clock: Clock) -> None:
    server.refusals = [ConnectionLost("Cannot reach 127.0.0.1:8765")]
    async with running(server, clock) as (client, state):
        await until(lambda: state.link is Link.OFFLINE)

        client.reconnect_now()
        await connected(server)

        assert clock.now == 0


async def test_a_ping_goes_out_every_interval(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock):
        await connected(server)

        await clock.advance(PING_EVERY)
        assert server.socket.actions()[-1] == "ping"
        server.socket.push(Pong())
        await clock.advance(PING_EVERY)

        assert server.socket.actions().count("ping") == 2
        assert len(server.sockets) == 1
        assert PING_EVERY < 10 * 60, "inside API Gateway's idle timeout"


async def test_a_ping_left_unanswered_for_an_interval_means_a_dead_socket(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)

        await clock.advance(PING_EVERY)
        await clock.advance(PING_EVERY)
        await until(lambda: state.link is Link.OFFLINE)

        assert "stopped answering" in state.link_detail
        assert server.sockets[0].closed


async def test_a_refused_token_is_refreshed_once(server: FakeServer, clock: Clock) -> None:
    credentials = Refreshable()
    server.refusals = [HandshakeRefused(401)]
    async with running(server, clock, credentials=credentials):
        await connected(server)

        assert server.urls == [f"{ADDRESS}?token=old-token", f"{ADDRESS}?token=new-token"]
        assert credentials.refreshed == 1


async def test_a_token_refused_for_good_signs_the_user_out(server: FakeServer, clock: Clock) -> None:
    signed_out: list[str] = []
    server.refusals = [HandshakeRefused(401)]
    async with running(server, clock, signed_out=signed_out):
        await until(lambda: signed_out)

        assert "sign in again" in signed_out[0]
        assert len(server.urls) == 1


async def test_a_frame_this_app_does_not_know_is_ignored(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)
        state.open_conversation(CONVERSATION)

        server.socket.push('{"type": "somethingNew", "detail": 1}')
        server.socket.push(history(turns(0, 1)))
        await until(lambda: state.thread.loaded)

        assert state.link is Link.CONNECTED


async def test_a_message_sent_offline_goes_out_on_connect(server: FakeServer, clock: Clock) -> None:
    server.refusals = [ConnectionLost("Cannot reach 127.0.0.1:8765")]
    async with running(server, clock) as (client, state):
        await until(lambda: state.link is Link.OFFLINE)
        client.send(SendMessage(action="sendMessage", client_message_id=uuid.uuid4(), text="queued"))

        await clock.advance(1.0)
        await until(lambda: server.sockets and "sendMessage" in server.socket.actions())

        assert server.socket.sent[-1]["text"] == "queued"


async def test_a_frame_sent_later_goes_when_its_time_comes(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (client, _):
        await connected(server)

        client.send_later(3.0, ListConversations(action="listConversations"))
        await clock.advance(2.0)
        assert server.socket.actions() == ["getLimits", "listConversations"]
        await clock.advance(1.0)

        assert server.socket.actions() == ["getLimits", "listConversations", "listConversations"]


async def test_a_frame_sent_later_is_dropped_when_offline_then(server: FakeServer, clock: Clock) -> None:
    """The state asks for the list again on connect: nothing needs keeping."""
    async with running(server, clock) as (client, state):
        await connected(server)
        client.send_later(3.0, ListConversations(action="listConversations"))
        server.refusals = [HandshakeRefused(503)] * 5
        server.socket.drop()
        await until(lambda: state.link is Link.OFFLINE)

        await clock.advance(3.0)

        assert server.sockets[0].actions() == ["getLimits", "listConversations"] and len(server.sockets) == 1


async def test_a_message_written_offline_is_sent_when_the_connection_is_back(server: FakeServer,
                                                                             clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)
        state.new_chat()
        server.socket.drop()
        await until(lambda: state.link is Link.OFFLINE)

        assert state.send("Written in the tunnel")
        await clock.advance(1.0)
        await connected(server, 2)
        await until(lambda: "sendMessage" in server.socket.actions())

        sent = next(frame for frame in server.socket.sent if frame["action"] == "sendMessage")
        assert sent["text"] == "Written in the tunnel"
        assert "sendMessage" not in server.sockets[0].actions()


async def test_an_edit_is_sent_again_after_a_drop_until_acked(server: FakeServer, clock: Clock) -> None:
    async with running(server, clock) as (_, state):
        await connected(server)
        state.open_conversation(CONVERSATION)
        server.socket.push(history(turns(0, 3)))
        await until(lambda: state.thread.loaded)
        assert state.edit(state.thread.messages[2], "Better")
        await until(lambda: "editMessage" in server.socket.actions())
        first = server.socket.sent[-1]

        server.socket.drop()
        await clock.advance(1.0)
        await connected(server, 2)
        await until(lambda: "editMessage" in server.socket.actions())

        assert next(f for f in server.socket.sent if f["action"] == "editMessage") == first, "same clientMessageId"
