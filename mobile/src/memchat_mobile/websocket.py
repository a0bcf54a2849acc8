"""A small RFC 6455 WebSocket client on asyncio streams: text frames in and out, nothing more.

The app may import only flet, pydantic and the protocol frames on a phone (every package must be pure
Python or have a Flet mobile wheel), so the socket is written here on the standard library rather than
taken from a WebSocket package. It speaks what API Gateway speaks: one text message per frame from us,
masked; fragmented or unfragmented messages from the server; ping answered with pong; close echoed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import ssl
import struct
from typing import Protocol
from urllib.parse import urlsplit

from memchat_mobile.errors import ConnectionLost, HandshakeRefused

__all__ = ["Socket", "WebSocket", "connect"]

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_CONTINUATION, _TEXT, _BINARY, _CLOSE, _PING, _PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
# API Gateway never sends a frame over 32 KB; anything far larger is a broken or hostile peer.
MAX_MESSAGE_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024


class Socket(Protocol):
    """What the connection manager needs from a socket (the seam tests replace)."""

    async def send(self, text: str) -> None: ...

    async def receive(self) -> str: ...

    async def close(self) -> None: ...


def mask(payload: bytes, key: bytes) -> bytes:
    """XOR the payload with the 4-byte masking key, as every client-to-server frame must be."""
    if not payload:
        return payload
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def encode_frame(opcode: int, payload: bytes, *, key: bytes | None = None) -> bytes:
    """One final, masked frame."""
    key = key if key is not None else os.urandom(4)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return header + key + mask(payload, key)


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()  # noqa: S324 - RFC 6455


def tls_context() -> ssl.SSLContext:
    """Verified TLS; certifi's bundle where it is installed (it comes with flet's httpx), because Python
    on Android and iOS finds no system CA store of its own."""
    try:
        import certifi
    except ImportError:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


async def connect(url: str, *, timeout: float = 15.0) -> WebSocket:
    """Open a WebSocket to a ws:// or wss:// URL; raises ConnectionLost (HandshakeRefused for an HTTP answer)."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ConnectionLost(f"Not a WebSocket address: {url.split('?')[0]}")
    secure = parts.scheme == "wss"
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                parts.hostname, port, ssl=tls_context() if secure else None, limit=MAX_HEADER_BYTES
            ),
            timeout,
        )
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        # The cause ("[Errno 111] Connect call failed ...") stays on the exception, for the log; people read this.
        raise ConnectionLost(f"Cannot reach the server at {host_header}.") from exc
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: memchat-mobile\r\n\r\n"
    )
    try:
        writer.write(request.encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        writer.close()
        raise ConnectionLost(f"The server at {host_header} closed the connection before it opened.") from exc
    status, headers = _parse_response(head)
    if status != 101:
        writer.close()
        raise HandshakeRefused(status)
    if headers.get("sec-websocket-accept") != accept_key(key):
        writer.close()
        raise ConnectionLost("That address answers, but it is not a memchat server.")
    return WebSocket(reader, writer)


def _parse_response(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise ConnectionLost("That address answers, but it is not a memchat server.") from exc
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return status, headers


class WebSocket:
    """An open client socket. `receive` is for one reader task; `send` may be called from any task."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._closed = False

    async def send(self, text: str) -> None:
        await self._write(_TEXT, text.encode())

    async def receive(self) -> str:
        """The next text message; raises ConnectionLost when the socket closes."""
        parts: list[bytes] = []
        size = 0
        while True:
            fin, opcode, payload = await self._read_frame()
            if opcode == _PING:
                await self._write(_PONG, payload)
            elif opcode == _PONG:
                continue
            elif opcode == _CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                reason = payload[2:].decode("utf-8", "replace")
                with contextlib.suppress(ConnectionLost):
                    await self._write(_CLOSE, payload[:2])
                await self._shut()
                raise ConnectionLost(f"The server closed the connection ({code}{': ' + reason if reason else ''}).",
                                     code=code)
            elif opcode in (_TEXT, _BINARY, _CONTINUATION):
                size += len(payload)
                if size > MAX_MESSAGE_BYTES:
                    await self._shut()
                    raise ConnectionLost("The server sent a message that is too big.", code=1009)
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode("utf-8", "replace")
            else:
                await self._shut()
                raise ConnectionLost(f"Unknown WebSocket opcode {opcode}.", code=1002)

    async def close(self) -> None:
        if not self._closed:
            with contextlib.suppress(ConnectionLost):
                await self._write(_CLOSE, struct.pack("!H", 1000))
            await self._shut()

    async def _read_frame(self) -> tuple[bool, int, bytes]:
        try:
            first, second = await self._reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self._reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self._reader.readexactly(8))
            if length > MAX_MESSAGE_BYTES:
                raise ConnectionLost("The server sent a frame that is too big.", code=1009)
            key = await self._reader.readexactly(4) if second & 0x80 else None
            payload = await self._reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError) as exc:
            await self._shut()
            raise ConnectionLost("The connection dropped.", code=1006) from exc
        return bool(first & 0x80), first & 0x0F, mask(payload, key) if key else payload

    async def _write(self, opcode: int, payload: bytes) -> None:
        if self._closed:
            raise ConnectionLost("The connection is closed.")
        async with self._write_lock:
            try:
                self._writer.write(encode_frame(opcode, payload))
                await self._writer.drain()
            except OSError as exc:
                await self._shut()
                raise ConnectionLost("The connection dropped.", code=1006) from exc

    async def _shut(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await self._writer.wait_closed()
