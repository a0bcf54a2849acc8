"""The app's own WebSocket client, against a real WebSocket server (aiohttp's, as the local gateway uses)."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from memchat_mobile import websocket
from memchat_mobile.errors import ConnectionLost, HandshakeRefused


async def talk(request: web.Request) -> web.StreamResponse:
    """Echoes text; `ping-me` pings the client and reports the pong; `close-me` closes with code 4000."""
    if request.query.get("token") != "good":
        return web.Response(status=401, text="Unauthorized")
    socket = web.WebSocketResponse(autoping=False)
    await socket.prepare(request)
    async for message in socket:
        if message.type is WSMsgType.PONG:
            await socket.send_str(f"pong:{message.data.decode()}")
        elif message.type is WSMsgType.TEXT and message.data == "ping-me":
            await socket.ping(b"are-you-there")
        elif message.type is WSMsgType.TEXT and message.data == "close-me":
            await socket.close(code=4000, message=b"bye")
        elif message.type is WSMsgType.TEXT:
            await socket.send_str(message.data)
    return socket


@asynccontextmanager
async def serving() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/", talk)
    async with TestServer(app, host="127.0.0.1") as server:
        yield f"ws://127.0.0.1:{server.port}/"


async def test_text_goes_both_ways_at_every_length_encoding() -> None:
    async with serving() as url:
        socket = await websocket.connect(url + "?token=good")
        for text in ["hi", "x" * 300, "é" * 40_000]:  # 7-bit, 16-bit and 64-bit lengths
            await socket.send(text)
            assert await socket.receive() == text
        await socket.close()


async def test_a_server_ping_is_answered_with_its_payload() -> None:
    async with serving() as url:
        socket = await websocket.connect(url + "?token=good")

        await socket.send("ping-me")

        assert await socket.receive() == "pong:are-you-there"
        await socket.close()


async def test_a_refused_handshake_reports_the_http_status() -> None:
    async with serving() as url:
        with pytest.raises(HandshakeRefused) as refused:
            await websocket.connect(url + "?token=bad")

    assert refused.value.status == 401 and refused.value.unauthorized


async def test_a_close_from_the_server_ends_receive_with_its_code() -> None:
    async with serving() as url:
        socket = await websocket.connect(url + "?token=good")
        await socket.send("close-me")

        with pytest.raises(ConnectionLost) as closed:
            await socket.receive()

    assert closed.value.code == 4000
    with pytest.raises(ConnectionLost):
        await socket.send("after the close")


async def test_nobody_listening_is_a_connection_lost() -> None:
    async with serving() as url:
        pass  # the server is gone; its port is free again

    with pytest.raises(ConnectionLost, match="Cannot reach"):
        await websocket.connect(url)


async def test_only_websocket_addresses_are_accepted() -> None:
    with pytest.raises(ConnectionLost, match="Not a WebSocket address"):
        await websocket.connect("https://example.com/?token=secret")


def test_client_frames_are_masked_and_final() -> None:
    frame = websocket.encode_frame(0x1, b"Hello", key=b"\x01\x02\x03\x04")

    first, second = frame[0], frame[1]
    assert (first & 0x80, first & 0x0F, second & 0x80, second & 0x7F) == (0x80, 0x1, 0x80, 5)
    assert websocket.mask(frame[6:], frame[2:6]) == b"Hello"
    assert struct.unpack("!H", websocket.encode_frame(0x1, b"a" * 200)[2:4]) == (200,)


def test_the_accept_key_is_rfc_6455s_example() -> None:
    assert websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
