"""What memchat remembers about the user, as the Memory screen shows it, and the verbs that change it.

No I/O here either: frames go out through the chat's `Outbox`; `ChatState.receive` hands this object the
memory frames. It also answers which memories an answer used: by the texts its `done` frame carried, or,
for an answer read from history, by the ids resolved against this list.
"""

from __future__ import annotations

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

__all__ = ["FORGOTTEN", "MemoryList"]

# What an answer's "Used N memories" says for a memory that is gone: deleted, or replaced by a newer value
# (a memory's id follows from what it says, so an updated memory has a new id).
FORGOTTEN = "A memory since deleted or updated"


@ft.observable
@dataclass(eq=False)
class MemoryList:
    """The user's memories, newest first, and whether memory is on (None until the server said)."""

    outbox: Outbox
    memories: list[MemoryView] = field(default_factory=list)
    enabled: bool | None = None
    limit: int | None = None
    loaded: bool = False  # a `memories` frame arrived
    loading: bool = False  # a `listMemories` is on its way

    def __post_init__(self) -> None:
        self._gone: set[str] = set()  # deleted or cleared on this device: never shown as still known

    # ------------------------------------------------------------ what the screens call

    def refresh(self) -> None:
        self.loading = True
        self.outbox.send(ListMemories(action="listMemories"))

    def delete(self, memory_id: str) -> None:
        """Forget one memory; it leaves the list at once."""
        self._gone.add(memory_id)
        self.memories = [m for m in self.memories if m.memory_id != memory_id]
        self.outbox.send(DeleteMemory(action="deleteMemory", memory_id=memory_id))

    def clear(self) -> None:
        """Forget every memory (the screen asked for confirmation)."""
        self._gone.update(m.memory_id for m in self.memories)
        self.memories = []
        self.outbox.send(ClearMemories(action="clearMemories"))

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
        self.memories = list(frame.memories)  # newest first, as the server orders them
        self._gone.difference_update(m.memory_id for m in frame.memories)  # learnt again: same fact, same id
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
