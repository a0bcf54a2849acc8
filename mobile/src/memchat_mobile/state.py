"""What the chat screens show, as observable objects, and the verbs that change it.

No I/O here: frames go out through an `Outbox` (the connection manager) and come back through `receive`.
Views subscribe to these objects (Flet re-renders a component when an observable it was given changes),
so a delta re-renders one bubble, not the conversation. A bubble's model is `message.Message`; the user's
memories live in `memories.MemoryList`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

import flet as ft

from memchat.errors import ErrorCode
from memchat.frames import (
    TITLE_MAX_CHARS,
    Ack,
    ContinueAnswer,
    ConversationChanged,
    Conversations,
    ConversationView,
    DeleteConversation,
    Deleted,
    Delta,
    Done,
    EditMessage,
    ErrorFrame,
    FinishReason,
    GetHistory,
    GetLimits,
    History,
    Limits,
    ListConversations,
    ListMemories,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    MemoryView,
    MessageChanged,
    MessageStatus,
    MessageView,
    RegenerateAnswer,
    RenameConversation,
    ResumeAnswer,
    Resumed,
    Role,
    SendMessage,
    ServerFrame,
    Started,
    StopGeneration,
)
from memchat_mobile.memories import MemoryList, Schedule, call_later
from memchat_mobile.message import IN_PROGRESS, Message, Outbox, Reassembly

__all__ = ["ChatState", "Draft", "Link", "Message", "Outbox", "Reassembly", "Thread"]

HISTORY_PAGE = 30
NEW_CHAT_TITLE = "New chat"
# The server replaces a new conversation's first words by a model-written title shortly after the first
# answer, in the background: the list is read again this many seconds after that answer's `done`.
TITLE_CHECKS = (3.0, 10.0)
# The server learns from a message in the background after its answer (no frame says so): the memories are
# read again this many seconds after an answer's `done`, to say "Memory updated" under the answers that taught
# one. A few reads, spread: seconds on AWS, longer behind a busy local model.
LEARN_CHECKS = (8.0, 30.0, 90.0)

# The longest message the server takes (its MEMCHAT_MAX_MESSAGE_CHARS, documented in docs/protocol.md). The
# protocol does not carry it yet: this is the app's one copy, which the composer's counter reads through
# ChatState.max_message_chars; a refusal (too_large) still keeps the text, so a server with a lower limit loses
# nothing. The prompt budget (tokens) has no fixed number of characters: the server refuses and says so.
MAX_MESSAGE_CHARS = 4000
TOO_LONG_TEXT = ("Too long for memchat to read in one message. Shorten it or split it in two, then send it "
                 "again.")


def first_words(text: str, limit: int = 60) -> str:
    """A text's first line as a title: whole words, with an ellipsis when it goes on (never cut mid-word)."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,;:.-") + "\u2026"


def shown_title(title: str, first_message: str | None) -> str:
    """A title as the list shows it. When the model's title fails, the server names the conversation by the
    first words of its first message ("What is my name and where"): where this device knows that message, a
    title that stops part-way through it says so with an ellipsis."""
    if not first_message or title.endswith("\u2026"):
        return title
    words, said = title.split(), " ".join(first_message.split())
    cut = " ".join(words)
    if words and said.startswith(cut) and len(said) > len(cut) and said[len(cut)] in " ,;:":
        return cut + "\u2026"
    return title


def too_long(over: int, limit: int) -> str:
    """What the composer says of a text past the limit: kept whole, for the user to shorten or split."""
    return (f"{over:,} character{'s' if over != 1 else ''} too long (the limit is {limit:,}). Shorten it or split "
            "it in two.")


class Link(StrEnum):
    CONNECTING = "connecting"  # the first attempt since the app started
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # trying again after a drop
    OFFLINE = "offline"  # waiting before the next attempt


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
    messages: list[Message] = field(default_factory=list)
    before: str | None = None  # cursor of the page older than the oldest loaded message
    loaded: bool = False  # the newest page arrived (a new chat has nothing to load)
    loading_older: bool = False
    sending: bool = False  # a message of this thread awaits its ack
    answering: Message | None = None  # the answer streaming into this thread on this connection
    draft: Draft = field(default_factory=Draft)  # kept here so that a refused message can come back to it

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


@ft.observable
@dataclass(eq=False)
class ChatState:
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
    showing_memories: bool = False
    memories_on_top: bool = False  # the Memory screen was opened from the open conversation (over it)
    schedule: Schedule = call_later  # timers (the memory's undo window): tests drive their own

    def __post_init__(self) -> None:
        self.memory = MemoryList(outbox=self.outbox, schedule=self.schedule)
        self._untitled: set[str] = set()  # new conversations whose first answer has not finished yet
        self._first_messages: dict[str, str] = {}  # a conversation's first message, where this device saw it
        self._pending: dict[UUID, Message] = {}  # user messages sent, not acked
        self._live: dict[str, Message] = {}  # answers being written that this screen follows, by id
        self._resumed: set[str] = set()  # answers followed with resumeAnswer on this connection
        self._edits: dict[UUID, list[Message]] = {}  # an edit awaiting its ack: the messages it supersedes
        self._stop_after_ack: set[UUID] = set()
        self._more_conversations = False
        self._deleting_all = 0  # rounds left of "delete every conversation" (the list comes in pages)
        self._starting: Message | None = None  # an answer regenerated or continued, until `started` comes

    # ------------------------------------------------------------ what the connection manager calls

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
        self._sync()

    def receive(self, frame: ServerFrame) -> None:
        match frame:
            case Ack():
                self._on_ack(frame)
            case Delta():
                self._on_delta(frame)
            case Done():
                self._on_done(frame)
            case ErrorFrame():
                self._on_error(frame)
            case History():
                self._on_history(frame)
            case Conversations():
                self._on_conversations(frame)
            case Deleted():
                self._forget(frame.conversation_id)
            case ConversationChanged():
                self._on_conversation_changed(frame.conversation)
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
            case Limits():
                self.max_message_chars = frame.max_message_chars
        self._sync()

    # ------------------------------------------------------------ what the screens call

    @property
    def can_send(self) -> bool:
        """Offline too: the message waits, kept, and goes when the connection is back."""
        thread = self.thread
        return thread is not None and not thread.sending and thread.answering is None

    def new_chat(self, *, temporary: bool = False) -> None:
        self.thread = Thread(loaded=True, temporary=temporary)

    def set_temporary(self, temporary: bool) -> None:
        """Make the new chat temporary (or not): possible until its first message is sent."""
        if self.thread is not None and not self.thread.started:
            self.thread.temporary = temporary

    def open_conversation(self, conversation_id: str) -> None:
        self.memories_on_top = False  # a memory's source opens over the Memory screen
        known = self.find_conversation(conversation_id)
        self.thread = Thread(conversation_id=conversation_id,
                             title=self.display_title(known) if known else "Conversation",
                             temporary=known.temporary if known else False)
        self.outbox.send(GetHistory(action="getHistory", conversation_id=conversation_id, limit=HISTORY_PAGE))
        self._sync()

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

    def overflow(self, text: str) -> int:
        """How many characters `text` has past the longest message the server takes (0 when it fits)."""
        return max(0, len(text.strip()) - self.max_message_chars)

    def send(self, text: str) -> bool:
        """Send what the user typed; False (and nothing sent) when it is blank, too long (kept whole, to be
        shortened or split) or sending is not possible."""
        text = text.strip()
        thread = self.thread
        if thread is not None and text and thread.answering is not None:
            self.notice = "memchat is still answering: wait for the answer, or stop it first."
            return False
        if thread is not None and self.overflow(text):
            self.notice = too_long(self.overflow(text), self.max_message_chars)
            return False
        if not text or thread is None or not self.can_send:
            return False
        thread.draft.put("")
        message = Message(role=Role.USER, text=text, client_message_id=uuid.uuid4())
        if thread.conversation_id is None and not thread.messages:
            thread.title = first_words(text)
        thread.messages.append(message)
        self._send_message(message, thread)
        return True

    def retry(self, message: Message) -> None:
        """A message that was not sent goes again with the same clientMessageId (stored at most once); a
        failed or interrupted answer is answered again in place (regenerateAnswer)."""
        thread = self.thread
        if thread is None or message not in thread.messages:
            return
        if message.can_retry:
            message.error = message.error_code = None
            self._send_message(message, thread)
        elif message.role is Role.ASSISTANT:
            self.regenerate(message)
        self._sync()

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

    def regenerate(self, answer: Message) -> bool:
        """Answer the last message again; the earlier answer stays as an alternative."""
        thread = self.thread
        if thread is None or not self.can_regenerate(answer):
            return False
        answer.error = None
        self.outbox.send(RegenerateAnswer(action="regenerateAnswer", conversation_id=thread.conversation_id,
                                          message_id=answer.message_id))
        self._starting = answer
        return True

    def go_on(self, answer: Message) -> bool:
        """Continue an answer that was stopped or cut, where it ended."""
        thread = self.thread
        if thread is None or not self.can_continue(answer):
            return False
        self.outbox.send(ContinueAnswer(action="continueAnswer", conversation_id=thread.conversation_id,
                                        message_id=answer.message_id))
        self._starting = answer
        return True

    def edit(self, message: Message, text: str) -> bool:
        """Replace the last message with new text and have it answered; the earlier message and its answer
        stay as alternatives."""
        text = text.strip()
        thread = self.thread
        if thread is None or not text or text == message.text or not self.can_edit(message):
            return False
        if self.overflow(text):
            self.notice = too_long(self.overflow(text), self.max_message_chars)
            return False
        replaced = [message, *[m for m in thread.messages if m.reply_to == message.message_id and not m.superseded]]
        for old in replaced:
            old.superseded = True
        edited = Message(role=Role.USER, text=text, client_message_id=uuid.uuid4())
        thread.messages.append(edited)
        assert edited.client_message_id is not None
        self._edits[edited.client_message_id] = replaced
        self._pending[edited.client_message_id] = edited
        self._sync()
        self.outbox.send(EditMessage(action="editMessage", conversation_id=thread.conversation_id,
                                     message_id=message.message_id, client_message_id=edited.client_message_id,
                                     text=text))
        return True

    def edit_unsent(self, message: Message) -> None:
        """Take a message that was not sent back into the composer (replacing its draft) to change it."""
        thread = self.thread
        if thread is None or message not in thread.messages or not message.not_sent:
            return
        thread.messages.remove(message)
        thread.draft.put(message.text)
        self._sync()

    def stop(self) -> None:
        """Stop the answer streaming into the open conversation (or the one about to, once it is acked)."""
        thread = self.thread
        if thread is None:
            return
        answer = thread.answering
        if answer is not None and thread.conversation_id and answer.message_id:
            answer.stopping = True
            self.outbox.send(StopGeneration(action="stopGeneration", conversation_id=thread.conversation_id,
                                            message_id=answer.message_id))
            return
        self._stop_after_ack.update(m.client_message_id for m in thread.messages if m.sending and m.client_message_id)

    def delete(self, conversation_id: str) -> None:
        """Delete a conversation (the screen asked for confirmation); it leaves the list at once."""
        self.outbox.send(DeleteConversation(action="deleteConversation", conversation_id=conversation_id))
        self._forget(conversation_id)

    def delete_all(self) -> None:
        """Delete every conversation: each one loaded now, then whatever the next reads of the list bring
        (it comes in pages), a bounded number of rounds."""
        self._deleting_all = 20
        self._delete_listed()

    def _delete_listed(self) -> None:
        doomed = [c.conversation_id for c in self.conversations]
        for conversation_id in doomed:
            self.delete(conversation_id)
        self._deleting_all -= 1
        if doomed and self._deleting_all > 0:
            self.refresh_conversations()
        else:
            self._deleting_all = 0

    def rename(self, conversation_id: str, title: str) -> bool:
        """Give a conversation the user's own title; False (nothing sent) when it is blank or unchanged."""
        title = " ".join(title.split())[:TITLE_MAX_CHARS]
        known = self.find_conversation(conversation_id)
        if not title or (known is not None and known.title == title):
            return False
        self.outbox.send(RenameConversation(action="renameConversation", conversation_id=conversation_id,
                                            title=title))
        if known is not None:
            self._on_conversation_changed(known.model_copy(update={"title": title}))
        elif self.thread is not None and self.thread.conversation_id == conversation_id:
            self.thread.title = title
        return True

    def display_title(self, conversation: ConversationView) -> str:
        """The conversation's title as the screens show it (see `shown_title`)."""
        return shown_title(conversation.title, self._first_messages.get(conversation.conversation_id))

    def find_conversation(self, conversation_id: str) -> ConversationView | None:
        return next((c for c in self.conversations if c.conversation_id == conversation_id), None)

    def source_of(self, memory: MemoryView) -> ConversationView | None:
        """The newest conversation in the list that a memory was learnt from."""
        return next((c for s in memory.sources if (c := self.find_conversation(s.conversation_id))), None)

    def taught(self, answer: Message) -> list[MemoryView]:
        """The memories learnt from the message this answer replies to ("Memory updated" under it): only where a
        memory names that very message of this conversation as a source."""
        thread = self.thread
        if thread is None or thread.conversation_id is None or answer.role is not Role.ASSISTANT:
            return []
        return self.memory.taught_by(thread.conversation_id, answer.reply_to)

    @property
    def all_conversations_loaded(self) -> bool:
        """Every page of the list is here: a conversation not in it does not exist."""
        return self.conversations_loaded and self.conversations_cursor is None

    def open_memories(self) -> None:
        self.showing_memories = True
        self.memories_on_top = self.thread is not None  # "Memory updated" under an answer: over the chat
        self.memory.refresh()

    def close_memories(self) -> None:
        self.showing_memories = False
        self.memories_on_top = False

    def refresh_conversations(self) -> None:
        self._more_conversations = False
        self.refreshing = True
        self.outbox.send(ListConversations(action="listConversations"))

    def resume(self) -> None:
        """The app came back to the foreground: read the list again (and the open conversation) if online."""
        if self.link is Link.CONNECTED:
            self.refresh_conversations()

    def load_more_conversations(self) -> None:
        if self.conversations_cursor and not self._more_conversations:
            self._more_conversations = True
            self.outbox.send(ListConversations(action="listConversations", cursor=self.conversations_cursor))

    def note_copied(self, text: str) -> None:
        """`text` is on the clipboard: its Copy button says so, and a notice too."""
        self.copied = text
        self.notice = "Copied to the clipboard."

    def tell(self, notice: str) -> None:
        """A short notice for the user (the screens show it as a snack bar)."""
        self.notice = notice

    def dismiss_notice(self) -> None:
        self.notice = None

    # ------------------------------------------------------------ frames

    def _send_message(self, message: Message, thread: Thread) -> None:
        assert message.client_message_id is not None
        self._pending[message.client_message_id] = message
        self._sync()
        new = thread.conversation_id is None
        self.outbox.send(SendMessage(action="sendMessage", conversation_id=thread.conversation_id,
                                     client_message_id=message.client_message_id, text=message.text,
                                     temporary=new and thread.temporary))

    def _on_ack(self, ack: Ack) -> None:
        message = self._pending.pop(ack.client_message_id, None)
        self._edits.pop(ack.client_message_id, None)
        if message is None:
            return  # the ack of a resent frame that was already acked
        thread = self.thread
        in_thread = thread is not None and message in thread.messages
        if in_thread and thread.conversation_id is None:
            thread.conversation_id = ack.conversation_id
            self._first_messages[ack.conversation_id] = message.text
            self._untitled.add(ack.conversation_id)
            self.refresh_conversations()
        stored = thread.find(ack.message_id) if in_thread else None
        if in_thread and stored is not None and stored is not message:
            # A history page brought the stored copy first (a resend after a reconnect): keep that one.
            thread.messages.remove(message)
            answer = thread.find(ack.reply_id)
        else:
            message.message_id = ack.message_id
            message.status = MessageStatus.SENT
            message.created_at = message.created_at or datetime.now(UTC)
            answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING, message_id=ack.reply_id,
                             reply_to=ack.message_id, created_at=datetime.now(UTC))
            if in_thread:
                thread.messages.insert(thread.messages.index(message) + 1, answer)
        if answer is not None and answer.in_progress:
            self._live[ack.reply_id] = answer
            if ack.client_message_id in self._stop_after_ack:
                self._stop_after_ack.discard(ack.client_message_id)
                answer.stopping = True
                self.outbox.send(StopGeneration(action="stopGeneration", conversation_id=ack.conversation_id,
                                                message_id=ack.reply_id))

    def _on_delta(self, delta: Delta) -> None:
        answer = self._live.get(delta.message_id)
        if answer is None:
            return
        text = answer._pieces.push(delta.seq, delta.text)
        if text:
            answer.text += text
        if answer.status is MessageStatus.PENDING:
            answer.status = MessageStatus.STREAMING

    def _on_done(self, done: Done) -> None:
        if done.conversation_id in self._untitled:
            self._untitled.discard(done.conversation_id)
            for delay in TITLE_CHECKS:
                self.outbox.send_later(delay, ListConversations(action="listConversations"))
        answer = self._live.pop(done.message_id, None)
        if answer is None:
            return
        if done.memories:
            answer.recalled = [m.memory_id for m in done.memories]
            answer.recalled_texts = {m.memory_id: m.text for m in done.memories}
            self.memory.on_recalled(answer.recalled)
        answer.finish_reason = done.finish_reason
        answer.status = MessageStatus.STOPPED if done.finish_reason is FinishReason.STOPPED else MessageStatus.COMPLETE
        answer.stopping = False
        thread = self.thread
        if thread is not None and answer in thread.messages and not thread.temporary and \
                self.memory.enabled is not False:
            for delay in LEARN_CHECKS:  # what its message taught, once the background digest has read it
                self.outbox.send_later(delay, ListMemories(action="listMemories"))
        if not answer._pieces.complete and thread is not None and thread.conversation_id == done.conversation_id:
            # A delta never came: the stored answer is whole, so read it back.
            self.outbox.send(GetHistory(action="getHistory", conversation_id=done.conversation_id,
                                        limit=HISTORY_PAGE))
        self.refresh_conversations()  # the list is ordered by activity

    def _on_error(self, error: ErrorFrame) -> None:
        if error.client_message_id is not None and error.client_message_id in self._pending:
            message = self._pending.pop(error.client_message_id)
            message.error, message.error_code = error.message, error.code
            if error.code is ErrorCode.TOO_LARGE and "limit is" not in error.message:
                message.error = TOO_LONG_TEXT  # the prompt budget, in words a user understands
            self._stop_after_ack.discard(error.client_message_id)
            for old in self._edits.pop(error.client_message_id, []):
                old.superseded = False  # the edit was refused: the earlier message is current again
            return
        if error.message_id is not None and error.message_id in self._live:
            answer = self._live.pop(error.message_id)
            if error.code is ErrorCode.NOT_FOUND:
                # Nothing to resume (the server lost it): what this screen has is all there is.
                answer.status = MessageStatus.INTERRUPTED
            else:
                answer.status = MessageStatus.FAILED
                answer.error, answer.error_code = error.message, error.code
            answer.stopping = False
            thread = self.thread
            if thread is not None and thread.conversation_id is not None and answer in thread.messages:
                # History says how it ended (interrupted with its saved text, or failed): read it back.
                self.outbox.send(GetHistory(action="getHistory", conversation_id=thread.conversation_id,
                                            limit=HISTORY_PAGE))
            return
        if error.code is ErrorCode.NOT_FOUND and error.conversation_id and error.message_id is None:
            self._forget(error.conversation_id)
        if self.thread is not None and self.thread.loading_older:
            self.thread.loading_older = False
        self.notice = error.message

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
            return
        self._merge_page(thread, page, incoming)

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

    def _resume(self, answer: Message) -> None:
        """Follow an answer being written on this socket, from the deltas this screen has (resumeAnswer)."""
        thread = self.thread
        if (self.link is not Link.CONNECTED or answer.message_id is None or answer.message_id in self._resumed
                or thread is None or thread.conversation_id is None):
            return
        self._resumed.add(answer.message_id)
        self.outbox.send(ResumeAnswer(action="resumeAnswer", conversation_id=thread.conversation_id,
                                      message_id=answer.message_id, seq=answer._pieces.next_seq))

    def _on_resumed(self, frame: Resumed) -> None:
        answer = self._live.get(frame.message_id)
        if answer is None:
            return
        text = answer._pieces.resume(frame.from_seq, frame.seq, frame.text)
        if text:
            answer.text += text
        if text is not None and answer.status is MessageStatus.PENDING and answer.text:
            answer.status = MessageStatus.STREAMING

    def _on_message(self, frame: MessageChanged) -> None:
        """An answer's current state (it ended while this screen was away): replace the local copy."""
        self._live.pop(frame.message.message_id, None)
        thread = self.thread
        if thread is None or thread.conversation_id != frame.conversation_id:
            return
        known = thread.find(frame.message.message_id)
        if known is not None:
            known.update_from(frame.message)

    def _on_started(self, frame: Started) -> None:
        """regenerateAnswer's new answer (the old one becomes an alternative), or continueAnswer's answer
        going on: its text kept, its deltas counted from 0 again."""
        self._starting = None
        thread = self.thread
        if thread is None or thread.conversation_id != frame.conversation_id:
            return
        answer = thread.find(frame.message_id)
        if answer is None:
            answer = Message(role=Role.ASSISTANT, status=MessageStatus.PENDING, message_id=frame.message_id,
                             reply_to=frame.reply_to, created_at=datetime.now(UTC))
            old = thread.find(frame.replaces) if frame.replaces else None
            if old is not None:
                old.superseded = True
                thread.messages.insert(thread.messages.index(old) + 1, answer)
            else:
                thread.messages.append(answer)
        else:
            answer.status = MessageStatus.PENDING if not answer.text else MessageStatus.STREAMING
            answer.error = answer.error_code = answer.finish_reason = None
            answer._pieces = Reassembly()
        self._resumed.add(frame.message_id)  # this socket started it: its deltas come here
        self._live[frame.message_id] = answer

    def _on_conversations(self, page: Conversations) -> None:
        known = {c.conversation_id for c in self.conversations}
        if self._more_conversations and not any(c.conversation_id in known for c in page.conversations):
            self.conversations.extend(page.conversations)
        else:
            self.conversations = list(page.conversations)
        self._more_conversations = False
        self.refreshing = False
        self.conversations_cursor = page.cursor
        self.conversations_loaded = True
        if self._deleting_all:
            self._delete_listed()
        thread = self.thread
        known = self.find_conversation(thread.conversation_id) if thread and thread.conversation_id else None
        if known is not None:
            thread.title, thread.temporary = self.display_title(known), known.temporary

    def _on_conversation_changed(self, conversation: ConversationView) -> None:
        self.conversations = [conversation if c.conversation_id == conversation.conversation_id else c
                              for c in self.conversations]
        if self.thread is not None and self.thread.conversation_id == conversation.conversation_id:
            self.thread.title = conversation.title

    def _forget(self, conversation_id: str) -> None:
        self.conversations = [c for c in self.conversations if c.conversation_id != conversation_id]
        if self.thread is not None and self.thread.conversation_id == conversation_id:
            self.thread = None
            self.notice = "That conversation was deleted."

    def _sync(self) -> None:
        """Derived fields the composer shows: is a message of the open thread awaiting its ack, which answer
        streams into it."""
        thread = self.thread
        if thread is None:
            return
        thread.sending = any(m.client_message_id in self._pending for m in thread.messages if m.client_message_id)
        thread.answering = next(
            (m for m in reversed(thread.messages) if m.message_id in self._live and m.role is Role.ASSISTANT), None
        )
