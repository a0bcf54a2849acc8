"""The chat routes' domain: what each client action does, given who is asking and on which socket."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from memchat.errors import AnswerNotStarted, BadRequest, ChatError, NotFound, TooLarge
from memchat.events import GenerationJob, PurgeJob, RememberedMessage
from memchat.frames import (
    MAX_FRAME_BYTES,
    Ack,
    ClearMemories,
    ClientFrame,
    ContinueAnswer,
    ConversationChanged,
    Conversations,
    CreateProject,
    DeleteConversation,
    Deleted,
    DeleteMemory,
    DeleteProject,
    Done,
    EditMessage,
    ExportData,
    FinishReason,
    GetHistory,
    GetInstructions,
    GetLimits,
    History,
    ImportMemories,
    Limits,
    ListConversations,
    ListMemories,
    ListProjects,
    Memories,
    MemoriesCleared,
    MemoryDeleted,
    MessageChanged,
    MessageStatus,
    MoveConversation,
    PinConversation,
    Ping,
    Pong,
    RegenerateAnswer,
    RenameConversation,
    RenameProject,
    ResumeAnswer,
    Role,
    SearchConversations,
    SendMessage,
    SetInstructions,
    SetMemory,
    SetProjectInstructions,
    ShareConversation,
    Started,
    StopGeneration,
    Usage,
    wire_size,
)
from memchat.handoff import WorkerInvoker
from memchat.memory import Exchange, Memory, estimate_tokens, memory_budget, new_turn_ids, quality
from memchat.memory.projects import known
from memchat.portability import PortabilityRoutes
from memchat.projects import ProjectRoutes
from memchat.recollection import Recollection, recollect
from memchat.search import Finder, Index
from memchat.search.citations import cite, citing
from memchat.sender import Poster
from memchat.settings import Settings
from memchat.waking import resumed_waking

logger = logging.getLogger(__name__)
# For the memory read made beside storing a message (a Lambda environment serves one route at a time;
# the local gateway runs many on threads), and the reads that one makes side by side: two pools, so a
# read never waits for a thread held by the read that waits for it.
_background = ThreadPoolExecutor(max_workers=32, thread_name_prefix="chat")
_reads = ThreadPoolExecutor(max_workers=64, thread_name_prefix="chat-read")


def _result_or_none(read: Future[Recollection]) -> Recollection | None:
    try:
        return read.result()
    except Exception:  # the worker reads memory itself
        logger.warning("Reading memory beside the message failed", exc_info=True)
        return None


@dataclass(frozen=True)
class Caller:
    """Who sent a frame: the user from the authorizer, and the connection to answer on."""

    user_id: str
    connection_id: str


class Chat:
    def __init__(self, *, memory: Memory, poster: Poster, worker: WorkerInvoker, settings: Settings,
                 count: Callable[[str], None] = lambda _: None, clock: Callable[[], float] = time.time,
                 finder: Finder | None = None) -> None:
        self._memory = memory
        self._finder = finder or Finder(Index.beside(memory))
        self._index = self._finder.index  # the live items answers' earlier exchanges are read from
        self.poster = poster
        self._worker = worker
        self._settings = settings
        self._count = count  # a metric by name, +1 (the handler's CloudWatch metrics)
        self._clock = clock
        self._projects = ProjectRoutes(memory=memory, poster=poster, settings=settings, clock=clock,
                                       delete_conversation=lambda caller, conversation_id: self.delete_conversation(
                                           caller, DeleteConversation(action="deleteConversation",
                                                                      conversation_id=conversation_id)))
        self._portability = PortabilityRoutes(memory=memory, poster=poster, worker=worker, settings=settings,
                                              clock=clock)

    def handle(self, caller: Caller, frame: ClientFrame) -> None:
        match frame:
            case SendMessage() | EditMessage():
                self.send_message(caller, frame)
            case GetHistory():
                self.get_history(caller, frame)
            case ListConversations():
                self.list_conversations(caller, frame)
            case DeleteConversation():
                self.delete_conversation(caller, frame)
            case StopGeneration():
                self.stop_generation(caller, frame)
            case RenameConversation():
                view = self._memory.rename_conversation(caller.user_id, frame.conversation_id,
                                                        " ".join(frame.title.split()))
                self.poster.send(caller.connection_id, ConversationChanged(conversation=view))
            case ListMemories():
                self.list_memories(caller)
            case DeleteMemory():
                deleted = self._memory.delete_memory(caller.user_id, frame.memory_id)
                if self._clock() * 1000 - deleted.created_ms < quality.SOON_MS:
                    self._count(quality.DELETED_SOON)
                self.poster.send(caller.connection_id, MemoryDeleted(memory_id=frame.memory_id))
            case ClearMemories():
                deleted = self._memory.clear_memories(caller.user_id)
                self.poster.send(caller.connection_id, MemoriesCleared(deleted=deleted))
            case SetMemory():
                self._memory.set_memory_enabled(caller.user_id, frame.enabled)
                self.list_memories(caller)
            case ResumeAnswer():
                self.resume_answer(caller, frame)
            case RegenerateAnswer() | ContinueAnswer():
                self.revise_answer(caller, frame)
            case (GetInstructions() | SetInstructions() | ListProjects() | CreateProject() | RenameProject()
                  | SetProjectInstructions() | DeleteProject() | MoveConversation()):
                self._projects.handle(caller, frame)
            case PinConversation():
                view = self._memory.pin_conversation(caller.user_id, frame.conversation_id, pinned=frame.pinned,
                                                     limit=self._settings.max_pins)
                self.poster.send(caller.connection_id, ConversationChanged(conversation=known(
                    [view], self._memory.projects(caller.user_id))[0]))
            case SearchConversations():
                self.poster.send(caller.connection_id, self._finder.search(caller.user_id, frame.query,
                                                                           cursor=frame.cursor))
            case ExportData():
                self._portability.export_data(caller, frame)
            case ShareConversation():
                self._portability.share_conversation(caller, frame)
            case ImportMemories():
                self._portability.import_memories(caller, frame)
            case GetLimits():
                self.poster.send(caller.connection_id, self.limits())
            case Ping():
                self.poster.send(caller.connection_id, Pong())

    def send_message(self, caller: Caller, frame: SendMessage | EditMessage) -> None:
        self.check_text(frame.text)
        temporary = isinstance(frame, SendMessage) and frame.temporary
        if temporary and frame.conversation_id is not None:
            raise BadRequest("temporary: only a new conversation can be temporary (leave out conversationId).")
        project_id = frame.project_id if isinstance(frame, SendMessage) else None
        if project_id is not None and (temporary or frame.conversation_id is not None):
            raise BadRequest("projectId: only a new conversation that is not temporary can start in a project "
                             "(use moveConversation for one that exists).")
        replaces = self._edited(caller, frame) if isinstance(frame, EditMessage) else None
        now_ms = int(time.time() * 1000)
        ids = new_turn_ids(now_ms)
        # What the prompt remembers does not depend on storing this message: read it beside the write
        # and hand it to the worker, which then calls the model without reading memory first. An edit's
        # read waits for its write instead: the window must not hold the message it replaces.
        earlier = None if replaces else _background.submit(
            recollect, self._memory, self._settings, _reads, user_id=caller.user_id,
            conversation_id=frame.conversation_id, before=ids[0], text=frame.text, temporary=temporary,
            project_id=project_id, finder=self._finder)
        turn = self._memory.store_user_message(
            caller.user_id,
            conversation_id=frame.conversation_id,
            client_message_id=frame.client_message_id,
            text=frame.text,
            now_ms=now_ms,
            ids=ids,
            temporary=temporary,
            connection_id=caller.connection_id,
            start_grace_ms=int(self._settings.start_grace_seconds * 1000),
            replaces=replaces,
            project_id=project_id,
        )
        # Acked only now that the message is durably stored; the answer follows on the same socket.
        ack = Ack(
            client_message_id=frame.client_message_id,
            conversation_id=turn.conversation_id,
            message_id=turn.message_id,
            reply_id=turn.reply_id,
        )
        if not turn.created and frame.conversation_id not in (None, turn.conversation_id):
            raise BadRequest("clientMessageId: already used for a message of another conversation.")
        if not self.poster.send(caller.connection_id, ack):
            return  # the client left: its answer starts when it sends the message again
        if not turn.created and not self._restartable(caller, turn.conversation_id, turn.reply_id):
            return  # a retry of a message whose answer already started, or ended with text
        job = GenerationJob(
            connection_id=caller.connection_id,
            user_id=caller.user_id,
            conversation_id=turn.conversation_id,
            message_id=turn.message_id,
            reply_id=turn.reply_id,
            received_ms=now_ms,
        )
        if turn.created and earlier is not None:  # a retry's ids are the first attempt's: the read is not its own
            recalled = _result_or_none(earlier)
            if recalled is not None:
                window = [*recalled.window, RememberedMessage(
                    message_id=turn.message_id, role=Role.USER, text=frame.text, tokens=estimate_tokens(frame.text))]
                job = job.model_copy(update={"window": window, "memories": recalled.memories,
                                             "summary": recalled.summary, "instructions": recalled.instructions,
                                             "exchanges": recalled.exchanges})
        self._start(job)

    def _start(self, job: GenerationJob) -> None:
        """Start the worker on a stored answer; it claims the pending answer before it posts anything,
        so a job delivered twice generates once."""
        try:
            self._worker.start(job)
        except ChatError as exc:
            # The message is stored and acked: its answer ends as failed now, and the error names it, so
            # every client shows a failed answer with Retry rather than one waiting for a worker.
            self._memory.abandon_reply(job.user_id, job.conversation_id, job.reply_id or "",
                                       error_code=exc.code.value, error_message=exc.message)
            raise AnswerNotStarted(exc.message, conversation_id=job.conversation_id,
                                   message_id=job.reply_id) from exc

    def _edited(self, caller: Caller, frame: EditMessage) -> tuple[str, str] | None:
        """The message an edit replaces and its answer; None for a retried edit, which stored its turn."""
        if self._memory.stored_turn(caller.user_id, frame.client_message_id) is not None:
            return None  # a retried edit: the store below finds the same turn again (and checks it)
        exchange = self._memory.last_exchange(caller.user_id, frame.conversation_id)
        if exchange.message.message_id != frame.message_id:
            raise BadRequest("Only the conversation's last message can be edited.")
        if exchange.answer.status in (MessageStatus.PENDING, MessageStatus.STREAMING):
            raise BadRequest("The answer is still being written: stop it or wait for it to end.")
        return exchange.message.message_id, exchange.answer.message_id

    def stop_generation(self, caller: Caller, frame: StopGeneration) -> None:
        """Ask the answer's worker to stop it; an answer waiting for the model has no worker to ask, so it
        ends here, stopped, and every client following it gets its `done`."""
        user, conversation = caller.user_id, frame.conversation_id
        self._memory.request_stop(user, conversation, frame.message_id)
        told = self._memory.stop_waiting(user, conversation, frame.message_id)
        if told is None:
            return  # its worker stops it at its next poll (or it ended)
        done = Done(conversation_id=conversation, message_id=frame.message_id, finish_reason=FinishReason.STOPPED,
                    usage=Usage(prompt_tokens=0, completion_tokens=0))
        for connection_id in dict.fromkeys((caller.connection_id, *told)):
            self.poster.send(connection_id, done)

    def resume_answer(self, caller: Caller, frame: ResumeAnswer) -> None:
        """Follow an answer in flight on this connection (its worker catches it up at its next poll), or
        send the state of one that ended; one waiting for the model to wake gets a `waking` frame now."""
        user, conversation = caller.user_id, frame.conversation_id
        if self._memory.follow_reply(user, conversation, frame.message_id, connection_id=caller.connection_id,
                                     seq=frame.seq):
            wait = self._memory.waiting(user, conversation, frame.message_id)
            if wait is not None:
                self.poster.send(caller.connection_id, resumed_waking(
                    self._memory, self._settings, (conversation, frame.message_id), wait.since_ms,
                    now_ms=int(self._clock() * 1000)))
            return
        message = self._memory.message(user, conversation, frame.message_id)
        if message is None or message.role is not Role.ASSISTANT:
            raise NotFound("No such answer in this conversation.")
        exchanges = cite(self._index, user, [message]).get(message.message_id)
        self.poster.send(caller.connection_id, MessageChanged(conversation_id=conversation,
                                                              message=message.view(exchanges)))

    def revise_answer(self, caller: Caller, frame: RegenerateAnswer | ContinueAnswer) -> None:
        """Answer the last message again, or go on with its answer: `started`, then the answer streams."""
        now_ms = int(time.time() * 1000)
        revise = self._memory.regenerate_reply if isinstance(frame, RegenerateAnswer) else self._memory.continue_reply
        exchange: Exchange = revise(caller.user_id, frame.conversation_id, frame.message_id, now_ms=now_ms,
                                    connection_id=caller.connection_id,
                                    start_grace_ms=int(self._settings.start_grace_seconds * 1000))
        answer = exchange.answer
        regenerated = answer.message_id != frame.message_id
        started = Started(conversation_id=frame.conversation_id, message_id=answer.message_id,
                          reply_to=exchange.message.message_id, replaces=frame.message_id if regenerated else None)
        self.poster.send(caller.connection_id, started)  # gone: the answer streams to whoever resumes it
        self._start(GenerationJob(
            connection_id=caller.connection_id, user_id=caller.user_id, conversation_id=frame.conversation_id,
            message_id=exchange.message.message_id, reply_id=answer.message_id, received_ms=now_ms,
            prefix="" if regenerated else answer.text))

    def _restartable(self, caller: Caller, conversation_id: str, reply_id: str) -> bool:
        """Whether a resent message's answer should start: it never did, or it failed without any text
        (the client's Retry), in which case it is pending again under a fresh lease."""
        status = self._memory.reply_status(caller.user_id, conversation_id, reply_id)
        if status is MessageStatus.FAILED:
            return self._memory.reopen_reply(caller.user_id, conversation_id, reply_id, now_ms=int(time.time() * 1000),
                                             start_grace_ms=int(self._settings.start_grace_seconds * 1000))
        return status is MessageStatus.PENDING

    def list_memories(self, caller: Caller) -> None:
        told_over = _reads.submit(self._memory.told_over, caller.user_id)  # read beside the current ones
        state = self._memory.recall_state(caller.user_id, limit=self._settings.max_memories, consistent=True)
        current = {m.memory_id for m in state.memories}
        past = [m.view() for m in told_over.result() if m.memory_id not in current]
        frame = Memories(enabled=state.enabled, memories=[m.view() for m in state.memories], past=past,
                         limit=self._settings.max_memories)
        # Many long memories could pass one frame's size: the oldest past facts are left out first, then the
        # oldest memories (the limit keeps it rare).
        while wire_size(frame) > MAX_FRAME_BYTES and (frame.past or frame.memories):
            cut = "past" if frame.past else "memories"
            frame = frame.model_copy(update={cut: getattr(frame, cut)[:-1]})
        self.poster.send(caller.connection_id, frame)

    def limits(self) -> Limits:
        settings = self._settings
        # The longest text whose estimate fits the model's budget, in one-byte characters (estimate_tokens).
        readable = (memory_budget(settings) - estimate_tokens("")) * 2
        return Limits(max_message_chars=min(settings.max_message_chars, readable),
                      messages_per_minute=settings.rate_limit_per_minute, max_memories=settings.max_memories)

    def check_text(self, text: str) -> None:
        settings = self._settings
        if not text.strip():
            raise BadRequest("The message is empty.")
        limit = self.limits().max_message_chars
        if len(text) > limit:
            raise TooLarge(f"The message is {len(text)} characters long; the limit is {limit}.")
        cost, budget, overhead = estimate_tokens(text), memory_budget(settings), estimate_tokens("")
        if cost > budget:  # fewer characters in scripts that cost more tokens each
            about = len(text) * (budget - overhead) // (cost - overhead)
            raise TooLarge(f"The message is too long for the assistant to read at once: keep it under about "
                           f"{about} characters in this script.")

    def get_history(self, caller: Caller, frame: GetHistory) -> None:
        limit = frame.limit or self._settings.history_page_size
        page = self._memory.history(caller.user_id, frame.conversation_id, before=frame.before, limit=limit)
        messages, before = page.items, page.cursor
        # The answers' earlier exchanges are read in one BatchGetItem: a page that would need more shows its
        # newest messages, and the older ones come with the page before it.
        fitting = citing(messages)
        if fitting < len(messages):
            messages = messages[len(messages) - fitting:]
            before = messages[0].message_id
        cited = cite(self._index, caller.user_id, messages)
        history = History(conversation_id=frame.conversation_id,
                          messages=[m.view(cited.get(m.message_id)) for m in messages], before=before)
        # Long answers can make a page too big for one frame: drop its oldest messages, which then
        # come with the next page.
        while wire_size(history) > MAX_FRAME_BYTES and len(history.messages) > 1:
            kept = history.messages[1:]
            history = History(conversation_id=frame.conversation_id, messages=kept, before=kept[0].message_id)
        self.poster.send(caller.connection_id, history)

    def list_conversations(self, caller: Caller, frame: ListConversations) -> None:
        projects = _reads.submit(self._memory.projects, caller.user_id)
        pins = None if frame.cursor else _reads.submit(self._memory.pinned_conversations, caller.user_id,
                                                       limit=self._settings.max_pins)
        page = self._memory.list_conversations(
            caller.user_id, cursor=frame.cursor, limit=self._settings.conversations_page_size
        )
        # The first page starts with every pin (no later page has one); every page reads the projects, so a
        # conversation whose project is gone shows outside any; the first page also carries them, for a
        # client to group the conversations under their projects.
        found = projects.result()
        pinned = [] if pins is None else pins.result()
        self.poster.send(caller.connection_id, Conversations(
            conversations=known(pinned + page.items, found), cursor=page.cursor,
            projects=None if frame.cursor else [p.view() for p in found]))

    def delete_conversation(self, caller: Caller, frame: DeleteConversation) -> None:
        self._memory.delete_conversation(caller.user_id, frame.conversation_id)
        self.poster.send(caller.connection_id, Deleted(conversation_id=frame.conversation_id))
        # Messages go in the background: a conversation of any length is deleted within the route timeout.
        self._worker.start(
            PurgeJob(
                connection_id=caller.connection_id,
                user_id=caller.user_id,
                conversation_id=frame.conversation_id,
            )
        )
