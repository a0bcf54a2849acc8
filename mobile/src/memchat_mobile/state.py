"""What the chat screens show, as observable objects, and the verbs that change it.

No I/O here: frames go out through an `Outbox` (the connection manager) and come back through `receive`.
Views subscribe to these objects (Flet re-renders a component when an observable it was given changes),
so a delta re-renders one bubble, not the conversation. A bubble's model is `message.Message`; the user's
memories live in `memories.MemoryList`.

`ChatState` is one observable object, written in parts a newcomer can read one at a time:
- here, its fields and the socket's lifecycle (connecting, connected, offline) and the frames' dispatch;
- `conversation.py`, the open conversation (`Thread`, `Draft`; open, page, close);
- `outgoing.py`, what is sent and the answers that come back for it;
- `listing.py`, the conversation list (grouped by project);
- `search.py`, the search across conversations (an observable of its own, `Search`);
- `pinning.py`, pinned conversations and the list's order.

The user's memories, instructions and projects are observables of their own (`memories.MemoryList`,
`instructions.YourInstructions`, `projects.ProjectList`), which the chat holds and hands their frames; so
are the files the user takes away (`downloads.Download`: their data, a shared conversation).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from uuid import UUID

import flet as ft

from memchat.frames import (
    Ack,
    ConversationChanged,
    Conversations,
    ConversationView,
    Deleted,
    Delta,
    Done,
    ErrorFrame,
    ExportPage,
    GetHistory,
    GetLimits,
    History,
    Instructions,
    Limits,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    MessageChanged,
    ProjectChanged,
    ProjectDeleted,
    Projects,
    Resumed,
    SearchResults,
    ServerFrame,
    SharePage,
    Started,
    Waking,
)
from memchat_mobile.conversation import HISTORY_PAGE, Draft, OpenConversation, Thread
from memchat_mobile.downloads import Download
from memchat_mobile.instructions import YourInstructions
from memchat_mobile.link import Link
from memchat_mobile.listing import ConversationListing
from memchat_mobile.memories import MemoryList, Schedule, call_later
from memchat_mobile.message import Message, Outbox, Reassembly
from memchat_mobile.outgoing import MAX_MESSAGE_CHARS, Outgoing, too_long
from memchat_mobile.pinning import ConversationPins
from memchat_mobile.projects import ProjectList
from memchat_mobile.search import Search

__all__ = ["ChatState", "Draft", "Link", "Message", "Outbox", "Reassembly", "Thread", "too_long"]


@ft.observable
@dataclass(eq=False)
class ChatState(OpenConversation, Outgoing, ConversationListing, ConversationPins):
    """The signed-in app: connection, conversation list, the open conversation, a notice for the user."""

    outbox: Outbox
    link: Link = Link.CONNECTING
    link_detail: str | None = None  # why it is offline, in plain words
    retry_at: float | None = None  # when the next attempt starts (time.monotonic()), for the countdown
    max_message_chars: int = MAX_MESSAGE_CHARS
    conversations: list[ConversationView] = field(default_factory=list)
    conversations_cursor: str | None = None
    conversations_loaded: bool = False
    refreshing: bool = False  # a new read of the list is on its way (the pull-to-refresh indicator)
    thread: Thread | None = None
    notice: str | None = None
    copied: str | None = None  # the text last copied to the clipboard: its Copy button says "Copied"
    memory: MemoryList = field(init=False)
    instructions: YourInstructions = field(init=False)
    projects: ProjectList = field(init=False)
    search: Search = field(init=False)
    data_export: Download = field(init=False)  # Settings' "Download my data"
    sharing: Download = field(init=False)  # the open conversation, shared as Markdown
    showing_memories: bool = False
    memories_on_top: bool = False  # the Memory screen was opened from the open conversation (over it)
    schedule: Schedule = call_later  # timers (the memory's undo window): tests drive their own

    def __post_init__(self) -> None:
        self.memory = MemoryList(outbox=self.outbox, schedule=self.schedule)
        self.instructions = YourInstructions(outbox=self.outbox)
        self.projects = ProjectList(outbox=self.outbox)
        self.search = Search(outbox=self.outbox, schedule=self.schedule)
        self.data_export = Download(outbox=self.outbox)
        self.sharing = Download(outbox=self.outbox)
        self._moving: dict[str, str | None] = {}  # conversations moved, not confirmed: the project they left
        self._pinning: dict[str, bool] = {}  # conversations pinned or unpinned, not confirmed: pinned before
        self._untitled: set[str] = set()  # new conversations whose first answer has not finished yet
        self._first_messages: dict[str, str] = {}  # a conversation's first message, where this device saw it
        self._pending: dict[UUID, Message] = {}  # user messages sent, not acked
        self._live: dict[str, Message] = {}  # answers being written that this screen follows, by id
        self._resumed: set[str] = set()  # answers followed with resumeAnswer on this connection
        self._heard_from: dict[str, int] = {}  # frames each followed answer has had (ANSWER_SILENCE_SECONDS)
        self._silence_watch = False  # a look at the followed answers is scheduled
        self._edits: dict[UUID, list[Message]] = {}  # an edit awaiting its ack: the messages it supersedes
        self._stop_after_ack: set[UUID] = set()
        self._more_conversations = False
        self._deleting_all = 0  # rounds left of "delete every conversation" (the list comes in pages)
        self._starting: Message | None = None  # an answer regenerated or continued, until `started` comes

    def on_connecting(self) -> None:
        self.link = Link.CONNECTING if self.link is Link.CONNECTING else Link.RECONNECTING
        self.link_detail = None
        self.retry_at = None

    def on_connected(self) -> None:
        self.link = Link.CONNECTED
        self.link_detail = None
        self.retry_at = None
        self._resumed.clear()
        self.outbox.send(GetLimits(action="getLimits"))
        self.memory.on_connected()
        self.search.on_connected()
        self.refresh_conversations()
        # Answers still being written that the open conversation shows go on on this socket, from the last
        # delta this screen has; the others are read from history when their conversation opens.
        thread = self.thread
        for answer_id, answer in list(self._live.items()):
            if thread is not None and answer in thread.messages:
                self._resume(answer)
            else:
                del self._live[answer_id]
        if self.thread is not None and self.thread.conversation_id is not None:
            # Whatever happened while the socket was down (answers finished, other devices) comes back here.
            self.outbox.send(GetHistory(action="getHistory", conversation_id=self.thread.conversation_id,
                                        limit=HISTORY_PAGE))
        if self.showing_memories:
            self.memory.refresh()

    def on_disconnected(self, detail: str | None = None, *, retry_in: float | None = None) -> None:
        """The socket is down: `detail` says why in plain words, `retry_in` seconds until the next attempt."""
        self.link = Link.OFFLINE
        self.link_detail = detail
        self.retry_at = None if retry_in is None else time.monotonic() + retry_in
        # Answers being written stay as they are: the next connection resumes them (resumeAnswer).
        for answer in self._live.values():
            answer.stopping = False
        self.memory.on_disconnected()
        self.search.on_disconnected()
        self.data_export.on_disconnected()
        self.sharing.on_disconnected()
        self._sync()

    def receive(self, frame: ServerFrame) -> None:
        self._heard(frame)
        match frame:
            case Ack():
                self._on_ack(frame)
                self._touched(frame.conversation_id)
            case Delta():
                self._on_delta(frame)
            case Done():
                self._on_done(frame)
            case ErrorFrame():
                self._on_refused(frame)
            case History():
                self._on_history(frame)
            case Conversations():
                self._on_conversations(frame)
            case Deleted():
                self._forget(frame.conversation_id)
            case ConversationChanged():
                self._on_changed(frame.conversation)
            case Memories():
                self.memory.on_memories(frame)
            case MemoryDeleted():
                self.memory.on_deleted(frame)
            case MemoriesCleared():
                self.memory.on_cleared(frame)
            case Resumed():
                self._on_resumed(frame)
            case MessageChanged():
                self._on_message(frame)
            case Started():
                self._on_started(frame)
            case Waking():
                self._on_waking(frame)
            case Limits():
                self.max_message_chars = frame.max_message_chars
            case Instructions():
                self.instructions.on_instructions(frame)
                self.projects.max_chars = frame.max_chars
            case Projects():
                self.projects.on_projects(frame.projects, frame.limit)
            case ProjectChanged():
                self.projects.on_project(frame.project)
            case ProjectDeleted():
                self._on_project_deleted(frame)
            case SearchResults():
                self.search.on_results(frame)
            case ExportPage():
                self.data_export.on_page(frame)
            case SharePage():
                self.sharing.on_page(frame)
        self._sync()

    def _on_refused(self, error: ErrorFrame) -> None:
        """An error frame: a refused move puts the conversation back (the project it named is gone, not the
        conversation); a refusal of no message or answer may be of instructions or a project: re-read them."""
        for download in (self.sharing, self.data_export):
            if download.claims(error):
                download.on_refused(error)
                return
        if error.conversation_id is not None and error.message_id is None and (
                self._on_move_refused(error.conversation_id) or self._on_pin_refused(error.conversation_id)):
            self.notice = error.message
            return
        bare = error.client_message_id is None and error.message_id is None and error.conversation_id is None
        if bare and self.search.on_refused(error):
            return
        self._on_error(error)
        if error.client_message_id is None and error.message_id is None and error.conversation_id is None:
            self.instructions.on_refused(error.message)
            self.projects.on_refused()

    def resume(self) -> None:
        """The app came back to the foreground: read the list again (and the open conversation) if online."""
        if self.link is Link.CONNECTED:
            self.refresh_conversations()

    def open_memories(self) -> None:
        self.showing_memories = True
        self.memories_on_top = self.thread is not None  # "Memory updated" under an answer: over the chat
        self.memory.refresh()

    def close_memories(self) -> None:
        self.showing_memories = False
        self.memories_on_top = False

    def note_copied(self, text: str) -> None:
        """`text` is on the clipboard: its Copy button says so, and a notice too."""
        self.copied = text
        self.notice = "Copied to the clipboard."

    def tell(self, notice: str) -> None:
        """A short notice for the user (the screens show it as a snack bar)."""
        self.notice = notice

    def dismiss_notice(self) -> None:
        self.notice = None
