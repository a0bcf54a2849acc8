"""Flet's web server, mended (memchat_mobile.web_server): a page reloaded while the app updates it goes on
being updated. Flet's own session and connection objects, no browser: the browser test reloads mid-answer."""

from __future__ import annotations

import asyncio

import msgpack
import pytest
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub
from flet_web.fastapi.flet_app import FletApp

from memchat_mobile import web_server

SEND_QUEUE = "_FletApp__send_queue"  # as FletApp.handle sets it while a socket is open, None once it has gone
UPDATES_READY = "_Session__updates_ready"  # set while updates wait for the session's scheduler


def connection() -> FletApp:
    """A web connection as FletApp.handle leaves it once its socket is open: a queue for what it sends."""
    loop = asyncio.get_running_loop()
    app = FletApp(loop, None, lambda page: None, None)
    app.pubsubhub = PubSubHub(loop)  # as handle sets it (a session's pub/sub: not used here)
    setattr(app, SEND_QUEUE, asyncio.Queue())
    return app


async def reload_while_updating() -> list[object]:
    old = connection()
    session = Session(old)
    session.start_updates_scheduler()
    # The reload: the old socket's send loop has ended (its queue dropped), and the session is not yet told.
    setattr(old, SEND_QUEUE, None)
    session.page.title = "an update in that moment"
    session.schedule_update(session.page)
    while getattr(session, UPDATES_READY).is_set():  # until the scheduler has sent it (a step of the loop)
        await asyncio.sleep(0)
    await session.disconnect(60)  # then it is told
    new = connection()
    session.attach_connection(new)  # the reloaded page reattaches to its session
    session.page.title = "the next update"
    session.schedule_update(session.page)
    queue: asyncio.Queue[bytes] = getattr(new, SEND_QUEUE)
    sent = await asyncio.wait_for(queue.get(), timeout=30)  # a bound on a hang, never a wait for a time
    session.close()
    return msgpack.unpackb(sent[1:], strict_map_key=False)


def test_a_page_reloaded_while_the_app_updates_it_is_updated_after_the_reload() -> None:
    assert web_server.mend() is True

    action, body = asyncio.run(reload_while_updating())

    assert "the next update" in str(body), (action, body)


def test_a_connection_whose_socket_is_open_still_sends_everything() -> None:
    web_server.mend()

    async def send() -> bytes:
        app = connection()
        session = Session(app)
        session.page.title = "sent"
        session.start_updates_scheduler()
        session.schedule_update(session.page)
        sent = await asyncio.wait_for(getattr(app, SEND_QUEUE).get(), timeout=30)
        session.close()
        return sent

    assert b"sent" in asyncio.run(send())


def test_without_flets_web_server_there_is_nothing_to_mend(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "flet_web.fastapi.flet_app", None)  # as on a phone: not installed

    assert web_server.mend() is False
