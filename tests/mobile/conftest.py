"""Fixtures for the mobile app's tests: async tests run on a fresh event loop, fakes at the socket seam."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from memchat_mobile.state import ChatState
from tests.mobile.fakes import Clock, FakeOutbox, FakeServer, Timers


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests to completion on their own loop (no plugin needed for that)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture
def outbox() -> FakeOutbox:
    return FakeOutbox()


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timers() -> Timers:
    return Timers()


@pytest.fixture
def state(outbox: FakeOutbox, timers: Timers) -> ChatState:
    """The chat state, connected, with nothing sent yet."""
    chat = ChatState(outbox=outbox, schedule=timers)
    chat.on_connected()
    outbox.frames.clear()
    return chat
