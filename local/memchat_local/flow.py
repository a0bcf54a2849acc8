"""Holding the local endpoint's streams in the middle of an answer, for tests that act there.

A test that does something while an answer is being written (a second phone opens the conversation, a
worker is killed) must find the answer still being written however slow the machine is: an answer that
merely lasts long enough is a race against the machine's load. `POST /local/pause?after=N` holds every
answer's stream, in flight or not yet started, once it has sent N events (the model's tokens, one an event)
until `POST /local/resume`; `GET /local/flow` says how many are held. The digest's calls (background ones)
are never held: what it learns is not what these tests wait for. AWS has no such control: nothing in the
backend knows of it, and a stream held here looks to the worker like a model that is slow to go on.
"""

from __future__ import annotations

import asyncio


class Flow:
    def __init__(self) -> None:
        self._running = asyncio.Event()
        self._running.set()
        self.after = 0  # events a stream sends before a pause holds it
        self.held = 0  # streams waiting for the resume now

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def pause(self, *, after: int = 0) -> None:
        self.after = after
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    async def gate(self, sent: int) -> None:
        """Before a stream sends its next event, having sent `sent`: wait while a pause holds it."""
        if self._running.is_set() or sent < self.after:
            return
        self.held += 1
        try:
            await self._running.wait()
        finally:
            self.held -= 1

    def view(self) -> dict[str, object]:
        return {"paused": self.paused, "after": self.after, "held": self.held}
