"""What memchat remembers about the user, as the Memory screen shows it, and the verbs that change it.

No I/O here either: frames go out through the chat's `Outbox`; `ChatState.receive` hands this object the
memory frames. It also answers which memories an answer used: by the texts its `done` frame carried, or,
for an answer read from history, by the ids resolved against this list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from memchat.frames import (
    ClearMemories,
    DeleteMemory,
    ListMemories,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    MemoryView,
    SetMemory,
)
from memchat_mobile.message import Message, Outbox

__all__ = ["FORGOTTEN", "UNDO_SECONDS", "MemoryList", "Schedule", "call_later"]

# What an answer's "Used N memories" says for a memory that is gone: deleted, or replaced by a newer value
# (a memory's id follows from what it says, so an updated memory has a new id).
FORGOTTEN = "A memory since deleted or updated"
# How long a deleted memory can be brought back: deleting redacts the chats it came from ("[forgotten]"),
# which nothing undoes, so the frame waits until this window has passed.
UNDO_SECONDS = 6.0

# Run a callback in so many seconds; returns what cancels it. Injected so that tests move time themselves.
Schedule = Callable[[float, Callable[[], None]], Callable[[], None]]


def call_later(delay: float, callback: Callable[[], None]) -> Callable[[], None]:
    """The app's scheduler: the running loop's timer. The callback runs in the context it was scheduled from,
    which is how Flet knows which page the observable changes it makes are for."""
    return asyncio.get_running_loop().call_later(delay, callback).cancel


def learnt_only_in(memory: MemoryView, conversation_id: str) -> bool:
    """Whether deleting `conversation_id` deletes this memory: the server's rule (forget_conversation) is that
    a memory none of whose sources is another conversation goes with it; one also said elsewhere stays."""
    return not any(s.conversation_id != conversation_id for s in memory.sources)


@ft.observable
@dataclass(eq=False)
class MemoryList:
    """The user's memories, newest first, then the facts they told as over (`past`), and whether memory is on
    (None until the server said)."""

    outbox: Outbox
    schedule: Schedule = call_later
    memories: list[MemoryView] = field(default_factory=list)  # current ones, then past ones: one list to delete from
    enabled: bool | None = None
    limit: int | None = None
    loaded: bool = False  # a `memories` frame arrived
    loading: bool = False  # a `listMemories` is on its way
    undoable: MemoryView | None = None  # deleted, not sent yet: Undo brings it back until the window passes
    online: bool = False  # the chat's connection is up (a frame sent offline is dropped)

    def __post_init__(self) -> None:
        self._gone: set[str] = set()  # deleted or cleared on this device: never shown as still known
        self._undo_at = 0  # where the undoable memory was in the list
        self._cancel: Callable[[], None] | None = None
        self._unsent: list[str] = []  # deletions whose window passed while offline: sent on reconnect

    @property
    def current(self) -> list[MemoryView]:
        """What memchat uses in answers, newest first."""
        return [m for m in self.memories if m.ended_at is None]

    @property
    def past(self) -> list[MemoryView]:
        """The facts the user told as over ("I used to live in Oslo"), most recently ended first: history only."""
        return [m for m in self.memories if m.ended_at is not None]

    # ------------------------------------------------------------ what the screens call

    def refresh(self) -> None:
        self.loading = True
        self.outbox.send(ListMemories(action="listMemories"))

    def ensure_loaded(self) -> None:
        """Read the list unless it is here or on its way (a dialog or a screen needs it). Offline the frame would
        be dropped and the list marked as coming for good: it is asked for only on a connection."""
        if self.online and not self.loaded and not self.loading:
            self.refresh()

    def delete(self, memory_id: str) -> None:
        """Forget one memory (the screen asked for confirmation): it leaves the list at once, and the server
        is told once UNDO_SECONDS have passed without `undo_delete`. Deleting another one meanwhile sends the
        first at once: only the latest can be undone."""
        memory = self.find(memory_id)
        if memory is None:
            return
        self.finish_delete()
        self._undo_at = self.memories.index(memory)
        self._gone.add(memory_id)
        self.memories = [m for m in self.memories if m.memory_id != memory_id]
        self.undoable = memory
        self._cancel = self.schedule(UNDO_SECONDS, self.finish_delete)

    def undo_delete(self) -> None:
        """Bring the memory just deleted back, before anything was sent."""
        memory = self.undoable
        if memory is None:
            return
        self._stop_timer()
        self.undoable = None
        self._gone.discard(memory.memory_id)
        self.memories = [*self.memories[: self._undo_at], memory, *self.memories[self._undo_at:]]

    def clear(self) -> None:
        """Forget every memory (the screen asked for confirmation); a deletion waiting for its window goes
        with them."""
        self._stop_timer()
        self.undoable, self._unsent = None, []
        self._gone.update(m.memory_id for m in self.memories)
        self.memories = []
        self.outbox.send(ClearMemories(action="clearMemories"))

    def learnt_only_in(self, conversation_id: str) -> list[MemoryView]:
        """The memories that deleting this conversation deletes with it (see `learnt_only_in`)."""
        return [m for m in self.memories if learnt_only_in(m, conversation_id)]

    def taught_by(self, conversation_id: str, message_id: str | None) -> list[MemoryView]:
        """The memories one of whose sources is this message (a user's message, in this conversation)."""
        return [m for m in self.memories if message_id is not None and any(
            s.conversation_id == conversation_id and s.message_id == message_id for s in m.sources)]

    def on_connected(self) -> None:
        self.online = True
        for memory_id in self._unsent:
            self.outbox.send(DeleteMemory(action="deleteMemory", memory_id=memory_id))
        self._unsent = []

    def on_disconnected(self) -> None:
        self.online = False
        self.loading = False  # a list asked for on the old connection will not come

    def finish_delete(self) -> None:
        """The undo window passed, or closed (another deletion, the notice with Undo dismissed): tell the
        server."""
        memory = self.undoable
        self._stop_timer()
        if memory is None:
            return
        self.undoable = None
        if self.online:
            self.outbox.send(DeleteMemory(action="deleteMemory", memory_id=memory.memory_id))
        else:
            self._unsent.append(memory.memory_id)

    def _stop_timer(self) -> None:
        cancel, self._cancel = self._cancel, None
        if cancel is not None:
            cancel()

    def set_enabled(self, enabled: bool) -> None:
        if self.enabled is enabled:
            return
        self.enabled = enabled
        self.outbox.send(SetMemory(action="setMemory", enabled=enabled))

    def find(self, memory_id: str) -> MemoryView | None:
        return next((m for m in self.memories if m.memory_id == memory_id), None)

    def used(self, answer: Message) -> list[str | None]:
        """The texts of the memories an answer used (None for one not known until the list is read)."""
        return [self.recalled_text(i, answer.recalled_texts.get(i)) for i in answer.recalled]

    def recalled_text(self, memory_id: str, live: str | None = None) -> str | None:
        """What to show for a memory an answer used: `live` is the text its `done` frame carried. None while
        the list has not been read yet (the id may well be known)."""
        if memory_id in self._gone:
            return FORGOTTEN
        if live is not None:
            return live
        known = self.find(memory_id)
        if known is not None:
            return known.text
        return FORGOTTEN if self.loaded else None

    # ------------------------------------------------------------ frames

    def on_memories(self, frame: Memories) -> None:
        # Newest first, as the server orders them; a deletion not sent yet (or sent, not done) stays hidden.
        waiting = {m.memory_id for m in (self.undoable,) if m is not None} | set(self._unsent)
        self.memories = [m for m in (*frame.memories, *frame.past) if m.memory_id not in waiting]
        self._gone.difference_update(m.memory_id for m in self.memories)  # learnt again: same fact, same id
        self.enabled = frame.enabled
        self.limit = frame.limit
        self.loaded = True
        self.loading = False

    def on_deleted(self, frame: MemoryDeleted) -> None:
        self._gone.add(frame.memory_id)
        self.memories = [m for m in self.memories if m.memory_id != frame.memory_id]

    def on_cleared(self, frame: MemoriesCleared) -> None:
        self._gone.update(m.memory_id for m in self.memories)
        self.memories = []
        self.loaded = True  # nothing is left: any id an answer names is gone

    def on_recalled(self, memory_ids: list[str]) -> None:
        """A new answer used these: they exist (again, if they were deleted here before)."""
        self._gone.difference_update(memory_ids)
