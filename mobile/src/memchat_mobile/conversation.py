"""The open conversation, one part of `state.ChatState`: its model (`Thread`, and the composer's `Draft`), and
the verbs that open, page through and close it; history pages merged into what the screen has; opening it at
one message (a search result, an earlier exchange an answer used), paging up until that message is loaded.

`OpenConversation` is mixed into ChatState: it works on the chat's fields (`thread`, `memory`, `outbox`,
`link`) and the answers it follows (`_live`, read and written by `outgoing.Outgoing` too). An answer still
being written that a page brings is followed from there (`Outgoing._resume`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from memchat.frames import (
    GetHistory,
    History,
    MemoryView,
    MessageView,
    RecalledExchange,
    Role,
    SearchResult,
)
from memchat_mobile.link import Link
from memchat_mobile.message import IN_PROGRESS, Message, Reassembly

__all__ = ["FLASH_SECONDS", "GONE", "HISTORY_PAGE", "NEW_CHAT_TITLE", "Draft", "OpenConversation", "Thread"]

HISTORY_PAGE = 30
NEW_CHAT_TITLE = "New chat"
FLASH_SECONDS = 3.0  # how long a message opened from a search glows (it stays marked as the found one)
GONE = "That message is no longer in this conversation."


@ft.observable
@dataclass(eq=False)
class Draft:
    """The composer's text, an observable of its own: a keystroke re-renders the composer, not the thread.
    `revision` counts the texts the app put in (cleared once sent, a refused message given back): each makes
    the composer a new field, which is how the field learns a text it was not typed."""

    text: str = ""
    revision: int = 0

    def type(self, text: str) -> None:
        """The user changed the text (the field has it already)."""
        self.text = text

    def put(self, text: str) -> None:
        """The app replaces the text."""
        self.text = text
        self.revision += 1


@ft.observable
@dataclass(eq=False)
class Thread:
    """The open conversation: its loaded messages, oldest first. conversation_id is None for a new chat."""

    conversation_id: str | None = None
    title: str = NEW_CHAT_TITLE
    temporary: bool = False  # neither reads nor writes memories; chosen before the first message
    project_id: str | None = None  # the project it is in (a new chat: the one it starts in)
    messages: list[Message] = field(default_factory=list)
    before: str | None = None  # cursor of the page older than the oldest loaded message
    loaded: bool = False  # the newest page arrived (a new chat has nothing to load)
    loading_older: bool = False
    sending: bool = False  # a message of this thread awaits its ack
    answering: Message | None = None  # the answer streaming into this thread on this connection
    draft: Draft = field(default_factory=Draft)  # kept here so that a refused message can come back to it
    seeking: str | None = None  # a message to open the conversation at, until a page brings it
    found: str | None = None  # that message, once loaded: the screen scrolls to it and marks it
    flashing: bool = False  # the found message glows, for FLASH_SECONDS

    @property
    def has_older(self) -> bool:
        return self.before is not None

    @property
    def started(self) -> bool:
        """A message was sent: too late to make the chat temporary or not."""
        return self.conversation_id is not None or bool(self.messages)

    def find(self, message_id: str) -> Message | None:
        return next((m for m in self.messages if m.message_id == message_id), None)

    @property
    def current(self) -> list[Message]:
        """The conversation as it now reads: without the alternatives that regenerate and edit replaced."""
        return [m for m in self.messages if not m.superseded]

    def alternatives(self, answer: Message) -> list[Message]:
        """The answers to the same message, oldest first (the current one among them)."""
        return [m for m in self.messages if m.role is Role.ASSISTANT and m.reply_to == answer.reply_to]

    def edited(self, message: Message) -> Message | None:
        """The earlier version of a user message that an edit replaced: the superseded one just before it."""
        index = self.messages.index(message) if message in self.messages else 0
        earlier = [m for m in self.messages[:index] if m.role is Role.USER]
        return earlier[-1] if earlier and earlier[-1].superseded else None

    @property
    def last_answer(self) -> Message | None:
        return next((m for m in reversed(self.current) if m.role is Role.ASSISTANT), None)

    @property
    def last_question(self) -> Message | None:
        return next((m for m in reversed(self.current) if m.role is Role.USER), None)


class OpenConversation:
    """Opening, paging and closing the conversation on screen (see the module's docstring)."""

    def new_chat(self, *, temporary: bool = False, project_id: str | None = None) -> None:
        """A new chat, temporary or inside a project (not both: a temporary chat keeps nothing, a project
        keeps its conversations)."""
        self.thread = Thread(loaded=True, temporary=temporary and project_id is None, project_id=project_id)

    def set_temporary(self, temporary: bool) -> None:
        """Make the new chat temporary (or not): possible until its first message is sent, outside a project."""
        if self.thread is not None and not self.thread.started and self.thread.project_id is None:
            self.thread.temporary = temporary

    def open_conversation(self, conversation_id: str, *, at: str | None = None, title: str | None = None) -> None:
        """Open a conversation at its end, or `at` one of its messages (read page by page back to it); `title`
        names it until the list does (a conversation found by a search may be far down the list)."""
        self.memories_on_top = False  # a memory's source opens over the Memory screen
        known = self.find_conversation(conversation_id)
        self.thread = Thread(conversation_id=conversation_id,
                             title=self.display_title(known) if known else title or "Conversation",
                             temporary=known.temporary if known else False,
                             project_id=known.project_id if known else None, seeking=at)
        self.outbox.send(GetHistory(action="getHistory", conversation_id=conversation_id, limit=HISTORY_PAGE))
        self._sync()

    def open_found(self, result: SearchResult) -> None:
        """A search result: its conversation, at the matched message (at the end, for a title that matched)."""
        self.open_conversation(result.conversation_id, at=result.message_id, title=result.conversation_title)

    def open_exchange(self, exchange: RecalledExchange) -> None:
        """An earlier exchange an answer used: its conversation, at the user's message of it."""
        self.open_conversation(exchange.conversation_id, at=exchange.message_id)

    def close_conversation(self) -> None:
        """Back to the list, read again when the conversation exists: an answer or a title may have changed it."""
        thread, self.thread = self.thread, None
        if thread is not None and thread.conversation_id is not None and self.link is Link.CONNECTED:
            self.refresh_conversations()

    def load_older(self) -> None:
        thread = self.thread
        if thread is None or thread.conversation_id is None or not thread.has_older or thread.loading_older:
            return
        thread.loading_older = True
        self.outbox.send(GetHistory(action="getHistory", conversation_id=thread.conversation_id,
                                    before=thread.before, limit=HISTORY_PAGE))

    def can_regenerate(self, answer: Message) -> bool:
        """The conversation's latest answer, ended: it can be answered again (Retry, for one that failed)."""
        thread = self.thread
        return (thread is not None and answer is thread.last_answer and answer.ended and thread.answering is None
                and not thread.sending and thread.conversation_id is not None)

    def can_continue(self, answer: Message) -> bool:
        return self.can_regenerate(answer) and answer.can_continue

    def can_edit(self, message: Message) -> bool:
        """The last message the user sent, once its answer ended."""
        thread = self.thread
        if thread is None or message is not thread.last_question or message.message_id is None:
            return False
        answer = thread.last_answer
        return (thread.answering is None and not thread.sending
                and (answer is None or answer.reply_to != message.message_id or answer.ended))

    def taught(self, answer: Message) -> list[MemoryView]:
        """The memories learnt from the message this answer replies to ("Memory updated" under it): only where a
        memory names that very message of this conversation as a source."""
        thread = self.thread
        if thread is None or thread.conversation_id is None or answer.role is not Role.ASSISTANT:
            return []
        return self.memory.taught_by(thread.conversation_id, answer.reply_to)

    def _on_history(self, page: History) -> None:
        thread = self.thread
        if thread is None or thread.conversation_id != page.conversation_id:
            return
        incoming = [self._adopt(view, thread) for view in page.messages]
        if page.before is None and page.messages and page.messages[0].role is Role.USER:
            self._first_messages[page.conversation_id] = page.messages[0].text  # the oldest page: its start
        opened = not thread.loaded and not thread.loading_older
        if not self.memory.loading and ((opened and not thread.temporary) or (
                any(view.recalled for view in page.messages) and not self.memory.loaded)):
            # To say what the answers' memories were, and which messages taught one ("Memory updated").
            self.memory.refresh()
        known = {m.message_id for m in thread.messages}
        overlaps = any(view.message_id in known for view in page.messages)
        if thread.loading_older and not overlaps:
            thread.messages[:0] = incoming
            thread.before = page.before
            thread.loading_older = False
        else:
            self._merge_page(thread, page, incoming)
        self._seek(thread)

    def _seek(self, thread: Thread) -> None:
        """Opened at a message: found once a page brings it (it glows a moment), else the page before is read;
        when no page is left, the message is gone (deleted since the search)."""
        target = thread.seeking
        if target is None or not thread.loaded or thread.loading_older:
            return
        if any(m.message_id == target for m in thread.current):
            thread.seeking, thread.found, thread.flashing = None, target, True
            self.schedule(FLASH_SECONDS, lambda: setattr(thread, "flashing", False))
        elif thread.has_older:
            self.load_older()
        else:
            thread.seeking = None
            self.notice = GONE

    def _merge_page(self, thread: Thread, page: History, incoming: list[Message]) -> None:
        """The newest page replaces what it covers; older pages already loaded stay above it, and what the
        server does not have yet (unacked messages, answers acked after the page was read) stays below."""
        ids = [m.message_id for m in thread.messages]
        first = page.messages[0].message_id if page.messages else None
        if first is not None and first in ids:
            above = thread.messages[: ids.index(first)]
        else:
            above = []
            thread.before = page.before
        covered = {view.message_id for view in page.messages}
        below = [m for m in thread.messages if m._local and m.message_id not in covered and m not in above]
        for message in incoming:
            message._local = False
        thread.messages = above + incoming + below
        thread.loaded = True

    def _adopt(self, view: MessageView, thread: Thread) -> Message:
        """The message object for a history entry: the live one while it is written, else the known one
        updated. An answer still being written that this screen does not follow yet is resumed from the
        deltas its saved text covers. A finished message is never replaced by an older, unfinished copy."""
        live = self._live.get(view.message_id)
        if live is not None:
            if view.status in IN_PROGRESS:
                return live
            self._live.pop(view.message_id)
            live.update_from(view)
            return live
        known = thread.find(view.message_id)
        if known is not None and known.ended and view.status in IN_PROGRESS:
            return known  # a stale read (the write that ended it not visible yet)
        message = Message.from_view(view) if known is None else known
        if known is not None:
            known.update_from(view)
        if view.status in IN_PROGRESS and view.role is Role.ASSISTANT:
            message._pieces = Reassembly(start=view.seq or 0)
            self._live[view.message_id] = message
            self._resume(message)
        return message
