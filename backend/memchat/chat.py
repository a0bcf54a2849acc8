"""The chat routes' domain: what each client action does, given who is asking and on which socket."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from memchat.errors import BadRequest, TooLarge
from memchat.events import GenerationJob, RememberedMessage
from memchat.frames import (
    MAX_FRAME_BYTES,
    Ack,
    ClientFrame,
    Conversations,
    DeleteConversation,
    Deleted,
    GetHistory,
    History,
    ListConversations,
    MessageStatus,
    Ping,
    Pong,
    Role,
    SendMessage,
    StopGeneration,
    wire_size,
)
from memchat.handoff import WorkerInvoker
from memchat.memory import Memory, estimate_tokens, memory_budget, new_turn_ids
from memchat.sender import Poster
from memchat.settings import Settings

logger = logging.getLogger(__name__)
# For the memory read made beside storing a message (a Lambda environment serves one route at a time;
# the local gateway runs many on threads).
_background = ThreadPoolExecutor(max_workers=32, thread_name_prefix="chat")


def _result_or_none(read: Future[list[RememberedMessage]]) -> list[RememberedMessage] | None:
    try:
        return read.result()
    except Exception:  # the worker reads memory itself
        logger.warning("Reading the prompt window beside the message failed", exc_info=True)
        return None


@dataclass(frozen=True)
class Caller:
    """Who sent a frame: the user from the authorizer, and the connection to answer on."""

    user_id: str
    connection_id: str


class Chat:
    def __init__(self, *, memory: Memory, poster: Poster, worker: WorkerInvoker, settings: Settings) -> None:
        self._memory = memory
        self.poster = poster
        self._worker = worker
        self._settings = settings

    def handle(self, caller: Caller, frame: ClientFrame) -> None:
        match frame:
            case SendMessage():
                self.send_message(caller, frame)
            case GetHistory():
                self.get_history(caller, frame)
            case ListConversations():
                self.list_conversations(caller, frame)
            case DeleteConversation():
                self.delete_conversation(caller, frame)
            case StopGeneration():
                self._memory.request_stop(caller.user_id, frame.conversation_id, frame.message_id)
            case Ping():
                self.poster.send(caller.connection_id, Pong())

    def send_message(self, caller: Caller, frame: SendMessage) -> None:
        self.check_text(frame.text)
        now_ms = int(time.time() * 1000)
        ids = new_turn_ids(now_ms)
        # The history before this message does not depend on storing it: read the prompt window beside
        # the write and hand it to the worker, which then calls the model without reading memory first.
        earlier = None if frame.conversation_id is None else _background.submit(
            self._earlier_window, caller.user_id, frame.conversation_id, before=ids[0], text=frame.text)
        turn = self._memory.store_user_message(
            caller.user_id,
            conversation_id=frame.conversation_id,
            client_message_id=frame.client_message_id,
            text=frame.text,
            now_ms=now_ms,
            ids=ids,
        )
        # Acked only now that the message is durably stored; the answer follows on the same socket.
        ack = Ack(
            client_message_id=frame.client_message_id,
            conversation_id=turn.conversation_id,
            message_id=turn.message_id,
            reply_id=turn.reply_id,
        )
        if not self.poster.send(caller.connection_id, ack):
            return  # the client left: its answer starts when it sends the message again
        if not turn.created and self._memory.reply_status(
            caller.user_id, turn.conversation_id, turn.reply_id
        ) is not MessageStatus.PENDING:
            return  # a retry of a message whose answer already started (or ended)
        job = GenerationJob(
            connection_id=caller.connection_id,
            user_id=caller.user_id,
            conversation_id=turn.conversation_id,
            message_id=turn.message_id,
            reply_id=turn.reply_id,
            received_ms=now_ms,
        )
        if turn.created:  # a retry's ids are the first attempt's: the window read above is not its own
            window = [] if earlier is None else _result_or_none(earlier)
            if window is not None:
                window.append(RememberedMessage(message_id=turn.message_id, role=Role.USER, text=frame.text,
                                                tokens=estimate_tokens(frame.text)))
                job = job.model_copy(update={"window": window})
        # Started at most once: the worker claims the pending answer before it posts anything.
        self._worker.start(job)

    def _earlier_window(self, user_id: str, conversation_id: str, *, before: str,
                        text: str) -> list[RememberedMessage]:
        """The remembered messages that fit in the prompt beside the system prompt and `text`."""
        budget = memory_budget(self._settings) - estimate_tokens(text)
        window = self._memory.prompt_window(user_id, conversation_id, before=before, budget=budget)
        return [RememberedMessage(message_id=m.message_id, role=m.role, text=m.text, tokens=m.tokens)
                for m in window]

    def check_text(self, text: str) -> None:
        settings = self._settings
        if not text.strip():
            raise BadRequest("The message is empty.")
        if len(text) > settings.max_message_chars:
            raise TooLarge(f"The message is {len(text)} characters long; the limit is {settings.max_message_chars}.")
        if estimate_tokens(text) > memory_budget(settings):
            raise TooLarge("The message is too long for the model to read: please shorten it.")

    def get_history(self, caller: Caller, frame: GetHistory) -> None:
        limit = frame.limit or self._settings.history_page_size
        page = self._memory.history(caller.user_id, frame.conversation_id, before=frame.before, limit=limit)
        messages = page.items
        history = History(conversation_id=frame.conversation_id, messages=[m.view() for m in messages],
                          before=page.cursor)
        # Long answers can make a page too big for one frame: drop its oldest messages, which then
        # come with the next page.
        while wire_size(history) > MAX_FRAME_BYTES and len(history.messages) > 1:
            kept = history.messages[1:]
            history = History(conversation_id=frame.conversation_id, messages=kept, before=kept[0].message_id)
        self.poster.send(caller.connection_id, history)

    def list_conversations(self, caller: Caller, frame: ListConversations) -> None:
        page = self._memory.list_conversations(
            caller.user_id, cursor=frame.cursor, limit=self._settings.conversations_page_size
        )
        self.poster.send(caller.connection_id, Conversations(conversations=page.items, cursor=page.cursor))

    def delete_conversation(self, caller: Caller, frame: DeleteConversation) -> None:
        self._memory.delete_conversation(caller.user_id, frame.conversation_id)
        self.poster.send(caller.connection_id, Deleted(conversation_id=frame.conversation_id))
        # Messages go in the background: a conversation of any length is deleted within the route timeout.
        self._worker.start(
            GenerationJob(
                task="purge",
                connection_id=caller.connection_id,
                user_id=caller.user_id,
                conversation_id=frame.conversation_id,
            )
        )
