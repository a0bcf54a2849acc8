"""The wire protocol: typed client and server frames, one discriminated union for each direction.

Client frames carry `action` (API Gateway routes on `$request.body.action`); server frames carry `type`.
Fields are snake_case in Python and camelCase on the wire. This module is the contract for the mobile
app, the load test and every test; `docs/protocol.md` and `docs/schemas/` are generated from it.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel

from memchat.errors import BadRequest, ChatError, ErrorCode

# API Gateway refuses WebSocket frames over 32 KB; every frame we send stays under this.
MAX_FRAME_BYTES = 32 * 1024
TITLE_MAX_CHARS = 80
PROJECT_NAME_MAX_CHARS = 80
SEARCH_QUERY_MAX_CHARS = 200
EXPORT_CURSOR_MAX_CHARS = 64

# Ids we mint are lowercase hex; the pattern also keeps key separators ('#') out of DynamoDB keys.
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8,64}$")]
ID: TypeAdapter[str] = TypeAdapter(Id)


class Frame(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    def to_wire(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)


# ---------------------------------------------------------------- client -> server


class ClientFrameBase(Frame):
    """Client frames are strict: `true` or `"10"` is no number and an empty string is no cursor."""

    model_config = ConfigDict(strict=True)


class SendMessage(ClientFrameBase):
    """Send a user message; without conversationId a new conversation starts."""

    action: Literal["sendMessage"]
    conversation_id: Id | None = None
    client_message_id: UUID = Field(description="Chosen by the client: a retried frame with this id is stored once.")
    text: str = Field(min_length=1, description="The message; over the documented maximum it is refused: too_large.")
    temporary: bool = Field(
        False, description="Only when starting a conversation: a temporary chat neither reads nor writes memories.")
    project_id: Id | None = Field(
        None, description="Only when starting a conversation (not a temporary one): start it inside this project.")


class GetHistory(ClientFrameBase):
    """Read a conversation back, newest page first; pass the returned `before` cursor for older pages."""

    action: Literal["getHistory"]
    conversation_id: Id
    before: Id | None = None
    limit: int | None = Field(None, ge=1, le=100)


class ListConversations(ClientFrameBase):
    """List the user's conversations, most recently active first."""

    action: Literal["listConversations"]
    cursor: str | None = Field(None, min_length=1, max_length=2048)


class DeleteConversation(ClientFrameBase):
    action: Literal["deleteConversation"]
    conversation_id: Id


class StopGeneration(ClientFrameBase):
    """Stop the answer being streamed; it ends with a `done` frame whose finishReason is `stopped`."""

    action: Literal["stopGeneration"]
    conversation_id: Id
    message_id: Id


class RenameConversation(ClientFrameBase):
    """Give a conversation a title of the user's own; the model's title never replaces it."""

    action: Literal["renameConversation"]
    conversation_id: Id
    title: str = Field(min_length=1, max_length=TITLE_MAX_CHARS)


class ListMemories(ClientFrameBase):
    """List what memchat remembers about the user, newest first, each with where it came from."""

    action: Literal["listMemories"]


class DeleteMemory(ClientFrameBase):
    """Forget one memory: it, its earlier values and every copy in summaries and titles are removed."""

    action: Literal["deleteMemory"]
    memory_id: Id


class ClearMemories(ClientFrameBase):
    """Forget every memory (as deleteMemory does, for all of them)."""

    action: Literal["clearMemories"]


class SetMemory(ClientFrameBase):
    """Switch memory on or off: off, no memory is read into a prompt or learnt from a message."""

    action: Literal["setMemory"]
    enabled: bool


class ResumeAnswer(ClientFrameBase):
    """Follow an answer still being written, on this socket: after a reconnect, or from another device.

    `seq` is how many of its deltas the client has (its own count, or `seq` of the answer in history).
    The missing text comes at once in `resumed` frames, then live deltas from where they end; an answer
    that has already ended comes back as one `message` frame instead.
    """

    action: Literal["resumeAnswer"]
    conversation_id: Id
    message_id: Id
    seq: int = Field(0, ge=0)


class RegenerateAnswer(ClientFrameBase):
    """Answer the conversation's last message again: a new answer replaces the latest one, which ended;
    the earlier one stays in history as an alternative (`superseded`). Answered with `started`."""

    action: Literal["regenerateAnswer"]
    conversation_id: Id
    message_id: Id = Field(description="The conversation's latest answer.")


class ContinueAnswer(ClientFrameBase):
    """Go on with the conversation's latest answer where it was stopped, interrupted or cut at the length
    limit. Answered with `started` (same messageId); its deltas restart at seq 0 and add to its text."""

    action: Literal["continueAnswer"]
    conversation_id: Id
    message_id: Id = Field(description="The conversation's latest answer.")


class EditMessage(ClientFrameBase):
    """Replace the conversation's last user message with new text and answer it: answered as sendMessage
    (`ack`, then the answer); the earlier message and its answer stay in history as `superseded`."""

    action: Literal["editMessage"]
    conversation_id: Id
    message_id: Id = Field(description="The conversation's last user message.")
    client_message_id: UUID = Field(description="Chosen by the client: a retried frame with this id is stored once.")
    text: str = Field(min_length=1)


class GetInstructions(ClientFrameBase):
    """Read the user's own instructions, which go into every prompt after the system prompt."""

    action: Literal["getInstructions"]


class SetInstructions(ClientFrameBase):
    """Write the user's instructions; a field left out stays as it is, an empty one clears it. Each is at
    most `instructions.maxChars` characters. Memory never learns from them."""

    action: Literal["setInstructions"]
    about: str | None = Field(None, description="What should memchat know about you?")
    style: str | None = Field(None, description="How should it answer?")


class ListProjects(ClientFrameBase):
    """List the user's projects, most recently changed first."""

    action: Literal["listProjects"]


class CreateProject(ClientFrameBase):
    """Create a project: a named group of conversations whose instructions go into each of their prompts."""

    action: Literal["createProject"]
    name: str = Field(min_length=1, max_length=PROJECT_NAME_MAX_CHARS)
    instructions: str = Field("", description="At most `instructions.maxChars` characters.")


class RenameProject(ClientFrameBase):
    action: Literal["renameProject"]
    project_id: Id
    name: str = Field(min_length=1, max_length=PROJECT_NAME_MAX_CHARS)


class SetProjectInstructions(ClientFrameBase):
    """Replace a project's instructions (empty: none)."""

    action: Literal["setProjectInstructions"]
    project_id: Id
    instructions: str = Field(description="At most `instructions.maxChars` characters.")


class DeleteProject(ClientFrameBase):
    """Delete a project; its conversations move out of it (keepConversations) or are deleted with it, as
    deleteConversation deletes one (with the memories learnt only there)."""

    action: Literal["deleteProject"]
    project_id: Id
    keep_conversations: bool = Field(description="true: its conversations stay, outside any project; false: "
                                                 "they are deleted.")


class MoveConversation(ClientFrameBase):
    """Move a conversation into a project, or out of its project (projectId absent or null)."""

    action: Literal["moveConversation"]
    conversation_id: Id
    project_id: Id | None = None
class PinConversation(ClientFrameBase):
    """Pin a conversation to the top of the list, or unpin it: answered with `conversation`. Pinned
    conversations come whole on the list's first page, before the rest; a user pins at most `max_pins`."""

    action: Literal["pinConversation"]
    conversation_id: Id
    pinned: bool


class SearchConversations(ClientFrameBase):
    """Find words in the user's own messages, answers and conversation titles: answered with a
    `searchResults` page, most relevant first. Words match by their dictionary form ("ran" finds "run");
    words in double quotes match as a phrase. Pass the page's `cursor` for the next one."""

    action: Literal["searchConversations"]
    query: str = Field(min_length=1, max_length=SEARCH_QUERY_MAX_CHARS)
    cursor: str | None = Field(None, min_length=1, max_length=512)


class ExportData(ClientFrameBase):
    """Ask for everything memchat keeps about the user, as one JSON document (docs/schemas/export.schema.json)
    sent in `exportPage` frames: the client concatenates their `part`s in order, asking for the next with the
    page's `cursor`, until a page comes without one."""

    action: Literal["exportData"]
    cursor: str | None = Field(None, min_length=1, max_length=EXPORT_CURSOR_MAX_CHARS)


class ShareConversation(ClientFrameBase):
    """Ask for one conversation as Markdown, to share or keep: its title as a heading, then each message with
    who wrote it and when, code blocks as written. With `alternatives`, the answers a regeneration replaced
    and the messages an edit replaced are included too, each marked as such. Sent in `sharePage` frames,
    joined and paged as `exportPage`'s are. Another user's conversation is not found, as a missing one is."""

    action: Literal["shareConversation"]
    conversation_id: Id
    alternatives: bool = Field(False, description="Include replaced answers and earlier edits, marked.")
    cursor: str | None = Field(None, min_length=1, max_length=EXPORT_CURSOR_MAX_CHARS,
                               description="The previous `sharePage`'s cursor, for the next part.")


class ImportMemories(ClientFrameBase):
    """Bring memories from elsewhere, one fact a line ("I live in Graz."): each line is read as a message
    would be, and only what a line states is kept. Without `confirm` nothing is stored: the answer is an
    `importPreview` of what would be kept and what not (and why); sent again with `confirm`, the kept ones are
    stored, with the import as their source. At most `import_max_lines` lines of `import_max_chars` in all
    (settings)."""

    action: Literal["importMemories"]
    lines: list[str] = Field(min_length=1)
    confirm: bool = False


class GetLimits(ClientFrameBase):
    """Ask for the limits a client shows: how long a message may be, how many a minute."""

    action: Literal["getLimits"]


class Ping(ClientFrameBase):
    action: Literal["ping"]


ClientFrame = Annotated[
    SendMessage | GetHistory | ListConversations | DeleteConversation | StopGeneration | RenameConversation
    | ListMemories | DeleteMemory | ClearMemories | SetMemory | ResumeAnswer | RegenerateAnswer | ContinueAnswer
    | EditMessage | GetInstructions | SetInstructions | ListProjects | CreateProject | RenameProject
    | SetProjectInstructions | DeleteProject | MoveConversation | PinConversation | SearchConversations | ExportData
    | ShareConversation | ImportMemories | GetLimits | Ping,
    Field(discriminator="action"),
]
CLIENT_FRAME: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


def parse_client_frame(body: str | bytes | None) -> ClientFrame:
    """Parse one client frame, turning every malformation into a BadRequest that says what is wrong."""
    if not body:
        raise BadRequest("Empty frame: send a JSON object with an 'action'.")
    try:
        return CLIENT_FRAME.validate_json(body)
    except ValidationError as exc:
        raise BadRequest(_describe(exc)) from exc
    except RecursionError as exc:  # nesting deeper than any frame of ours, sent to hurt
        raise BadRequest("Invalid frame: nested too deeply.") from exc


def _describe(exc: ValidationError) -> str:
    """What is wrong, in words that never repeat what the client sent (the reason is logged)."""
    problems = []
    for error in exc.errors(include_url=False)[:3]:
        where = ".".join(str(part) for part in error["loc"] if part not in CLIENT_ACTIONS) or "frame"
        if error["type"] == "union_tag_invalid":
            message = f"unknown action; expected one of {', '.join(CLIENT_ACTIONS)}"
        elif error["type"] == "extra_forbidden":  # the name is the client's text: not repeated
            where, message = "frame", "a field this action does not take"
        else:
            message = error["msg"]
        problems.append(f"{where}: {message}")
    return "Invalid frame: " + "; ".join(problems)


# Every action, derived from the union: the routes of the gateways and the infra come from here.
CLIENT_ACTIONS: tuple[str, ...] = tuple(
    member.model_fields["action"].annotation.__args__[0]  # type: ignore[union-attr]
    for member in ClientFrame.__origin__.__args__  # type: ignore[attr-defined]
)


# ---------------------------------------------------------------- server -> client


class FinishReason(StrEnum):
    STOP = "stop"  # the model ended its answer
    LENGTH = "length"  # the answer reached the maximum number of new tokens
    STOPPED = "stopped"  # the user asked to stop


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    SENT = "sent"  # a stored user message
    PENDING = "pending"  # an answer not yet started
    STREAMING = "streaming"  # an answer being generated
    COMPLETE = "complete"
    STOPPED = "stopped"  # stopped by the user; the partial answer is kept
    INTERRUPTED = "interrupted"  # the client went away; the partial answer is kept
    FAILED = "failed"  # the model failed; errorCode says how, the partial answer is kept


class Usage(Frame):
    prompt_tokens: int
    completion_tokens: int


class Ack(Frame):
    """The user's message is durably stored; `replyId` is the answer that will stream."""

    type: Literal["ack"] = "ack"
    client_message_id: UUID
    conversation_id: Id
    message_id: Id
    reply_id: Id


class Delta(Frame):
    """A piece of the answer; seq counts 0, 1, 2, ... per answer with no gaps."""

    type: Literal["delta"] = "delta"
    conversation_id: Id
    message_id: Id
    seq: int = Field(ge=0)
    text: str


class RecalledMemory(Frame):
    """A memory an answer's prompt carried: why the assistant knows what it knows."""

    memory_id: Id
    text: str


class RecalledExchange(Frame):
    """An earlier exchange from another conversation that an answer's prompt carried."""

    conversation_id: Id
    message_id: Id = Field(description="The user's message of that exchange.")
    excerpt: str = Field(description="What the user said then, shortened.")


class Done(Frame):
    type: Literal["done"] = "done"
    conversation_id: Id
    message_id: Id
    finish_reason: FinishReason
    usage: Usage
    memories: list[RecalledMemory] | None = Field(
        None, description="The memories the answer's prompt carried (absent when none).")
    exchanges: list[RecalledExchange] | None = Field(
        None, description="Earlier exchanges from other conversations the answer's prompt carried, because the "
                          "message referred to them (absent when none).")


class ErrorFrame(Frame):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: str
    client_message_id: UUID | None = None
    conversation_id: Id | None = None
    message_id: Id | None = None


class MessageView(Frame):
    message_id: Id
    role: Role
    text: str
    status: MessageStatus
    created_at: datetime
    error_code: ErrorCode | None = None
    error_message: str | None = Field(
        None, description="On an answer that failed or was cut short by a failure: what happened and what to do, "
                          "in plain words (the `error` frame's message).")
    reply_to: Id | None = Field(None, description="On an answer: the user message it answers.")
    recalled: list[Id] | None = Field(None, description="On an answer: the ids of the memories its prompt carried.")
    exchanges: list[RecalledExchange] | None = Field(
        None, description="On an answer: the earlier exchanges from other conversations its prompt carried (as "
                          "`done` listed them), each excerpt read from the message as it is now; one whose message or "
                          "conversation was deleted since is left out (absent when none).")
    finish_reason: FinishReason | None = Field(None, description="On an answer that ended complete or stopped.")
    seq: int | None = Field(
        None, description="On an answer being written: how many deltas its saved text covers (for resumeAnswer).")
    superseded: bool | None = Field(
        None, description="True on a message replaced by regenerateAnswer or editMessage: an alternative, kept.")


class History(Frame):
    """One page of a conversation, oldest first; `before` fetches the page before it (absent at the start)."""

    type: Literal["history"] = "history"
    conversation_id: Id
    messages: list[MessageView]
    before: Id | None = None


class ConversationView(Frame):
    conversation_id: Id
    title: str
    message_count: int
    created_at: datetime
    updated_at: datetime
    temporary: bool = False
    project_id: Id | None = Field(None, description="The project it belongs to (absent: none).")
    pinned: bool = Field(False, description="Pinned to the top of the list (pinConversation).")


class ProjectView(Frame):
    project_id: Id
    name: str
    instructions: str
    created_at: datetime
    updated_at: datetime


class Conversations(Frame):
    """A page of conversations, newest-updated first; the first page (no cursor asked) starts with every
    pinned conversation (newest-updated first among themselves, none of them on a later page) and also has
    every project, so a client can group the conversations under their projects."""

    type: Literal["conversations"] = "conversations"
    conversations: list[ConversationView]
    cursor: str | None = None
    projects: list[ProjectView] | None = Field(None, description="On the first page: the user's projects.")


class Deleted(Frame):
    type: Literal["deleted"] = "deleted"
    conversation_id: Id


class ConversationChanged(Frame):
    """A conversation's new state, after renameConversation, moveConversation or pinConversation."""

    type: Literal["conversation"] = "conversation"
    conversation: ConversationView


class SourceKind(StrEnum):
    MESSAGE = "message"  # learnt from one of the user's messages
    IMPORT = "import"  # brought by the user with importMemories


class MemorySource(Frame):
    kind: SourceKind = SourceKind.MESSAGE
    conversation_id: Id | None = Field(None, description="A message source's conversation (absent for an import).")
    message_id: Id | None = Field(None, description="A message source's message (absent for an import).")
    imported_at: datetime | None = Field(None, description="When an import brought it (absent for a message).")


class MemoryView(Frame):
    memory_id: Id
    subject: str = Field(description="What the memory is about: name, home, diet, work, family, ...")
    text: str = Field(description="The memory as it goes into a prompt.")
    created_at: datetime
    updated_at: datetime
    sources: list[MemorySource] = Field(description="The user's messages it was learnt from, newest first.")
    ended_at: datetime | None = Field(None, description="A fact the user told as over (\"I used to live in "
                                      "Oslo\"): when they did. Absent for a current memory.")
    until: str | None = Field(None, description="A fact told as over: the year it ended, when the user said one.")


class Memories(Frame):
    """Every current memory, newest first, the facts the user told as over, and whether memory is on."""

    type: Literal["memories"] = "memories"
    enabled: bool
    memories: list[MemoryView]
    past: list[MemoryView] = Field(default_factory=list, description="The facts the user told as over, most "
                                   "recently ended first: kept as history, never recalled into a prompt.")
    limit: int = Field(description="How many memories are kept; past it the least recently confirmed go.")


class MemoryDeleted(Frame):
    type: Literal["memoryDeleted"] = "memoryDeleted"
    memory_id: Id


class MemoriesCleared(Frame):
    type: Literal["memoriesCleared"] = "memoriesCleared"
    deleted: int


class Resumed(Frame):
    """The text of an answer's deltas fromSeq..seq-1, for a client that resumed it; live deltas go on
    from `seq`. A long catch-up comes as several `resumed` frames, each starting where the last ended."""

    type: Literal["resumed"] = "resumed"
    conversation_id: Id
    message_id: Id
    from_seq: int = Field(ge=0)
    seq: int = Field(ge=0)
    text: str


class MessageChanged(Frame):
    """A message's current state: the reply to resumeAnswer when that answer has already ended."""

    type: Literal["message"] = "message"
    conversation_id: Id
    message: MessageView


class Started(Frame):
    """An answer starts again: regenerateAnswer's new answer (`replaces` the earlier one), or the same
    answer for continueAnswer (its deltas restart at seq 0 and add to the text it has)."""

    type: Literal["started"] = "started"
    conversation_id: Id
    message_id: Id
    reply_to: Id
    replaces: Id | None = None


class Waking(Frame):
    """The model is waking (no copy of it was running): the answer is kept and streams as soon as a copy is
    up, or ends with `model_unavailable` at the bound. Sent when the answer first waits, and again to a
    client that resumes it."""

    type: Literal["waking"] = "waking"
    conversation_id: Id
    message_id: Id
    ready_in_seconds: int = Field(ge=0, description="About how long until the answer starts, from the last "
                                                     "measured wake (0: any moment now).")
    waited_seconds: int = Field(ge=0, description="How long the answer has waited so far.")


class Limits(Frame):
    """The server's limits, for a client to show before anything is refused."""

    type: Literal["limits"] = "limits"
    max_message_chars: int = Field(description="The longest message, in characters, that the model can read "
                                               "(fewer in scripts that take more bytes per character).")
    messages_per_minute: int = Field(description="Messages, regenerations and continues a minute.")
    max_memories: int = Field(description="Memories kept; past it the least recently confirmed go.")


class Instructions(Frame):
    """The user's own instructions, and how long each may be."""

    type: Literal["instructions"] = "instructions"
    about: str = Field(description="What should memchat know about you?")
    style: str = Field(description="How should it answer?")
    max_chars: int = Field(description="The longest each text (and each project's instructions) may be.")


class Projects(Frame):
    """Every project of the user, most recently changed first."""

    type: Literal["projects"] = "projects"
    projects: list[ProjectView]
    limit: int = Field(description="How many projects a user may have.")


class ProjectChanged(Frame):
    """A project's new state, after createProject, renameProject or setProjectInstructions."""

    type: Literal["project"] = "project"
    project: ProjectView


class ProjectDeleted(Frame):
    """A project is gone; its conversations moved out of it, or were deleted (each also answered by `deleted`)."""

    type: Literal["projectDeleted"] = "projectDeleted"
    project_id: Id
    kept_conversations: bool
    conversations: int = Field(description="How many conversations moved out, or were deleted.")
class Highlight(Frame):
    """A matched word (or quoted phrase) in a snippet: characters [start, end), counted in Unicode code points."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class SearchResult(Frame):
    conversation_id: Id
    conversation_title: str
    message_id: Id | None = Field(None, description="The matched message; absent when the title matched.")
    role: Role | None = Field(None, description="Who wrote the matched message; absent when the title matched.")
    created_at: datetime = Field(description="When the message was written (the conversation began, for a title).")
    snippet: str = Field(description="A short piece of the text around the match; an ellipsis marks a cut.")
    highlights: list[Highlight] = Field(description="Where the matched words are in the snippet.")


class SearchResults(Frame):
    """One page of a search, most relevant first (newest first among equals); `cursor` fetches the next
    page (absent on the last)."""

    type: Literal["searchResults"] = "searchResults"
    query: str
    results: list[SearchResult]
    cursor: str | None = None


class ExportPage(Frame):
    """A piece of the export document: the client concatenates the `part`s in order (`cursor` asks for the
    next; absent on the last page, whose concatenation is the whole JSON document)."""

    type: Literal["exportPage"] = "exportPage"
    part: str
    offset: int = Field(ge=0, description="Where this part starts in the document, in characters.")
    total: int = Field(ge=0, description="The document's length in characters.")
    cursor: str | None = None


class SharePage(Frame):
    """A piece of a shared conversation's Markdown: the client concatenates the `part`s in order (`cursor`
    asks for the next with shareConversation; absent on the last page)."""

    type: Literal["sharePage"] = "sharePage"
    conversation_id: Id
    part: str
    offset: int = Field(ge=0, description="Where this part starts in the Markdown, in characters.")
    total: int = Field(ge=0, description="The Markdown's length in characters.")
    cursor: str | None = None


class ImportLine(Frame):
    line: int = Field(ge=1, description="The line's number, from 1.")
    subject: str | None = Field(None, description="What a kept line is about: name, home, diet, ...")
    text: str | None = Field(None, description="A kept line as memory will hold it.")
    reason: str | None = Field(None, description="Why a line is not kept: malformed, not_stated, not_introduced, "
                                                 "someone_else, past, no_cue, negated, or unread (no fact found).")


class ImportPreview(Frame):
    """What an import keeps and drops; `stored` is true once a confirmed import wrote the kept ones."""

    type: Literal["importPreview"] = "importPreview"
    kept: list[ImportLine]
    dropped: list[ImportLine]
    stored: bool


class Pong(Frame):
    type: Literal["pong"] = "pong"


ServerFrame = Annotated[
    Ack | Delta | Done | ErrorFrame | History | Conversations | Deleted | ConversationChanged | Memories
    | MemoryDeleted | MemoriesCleared | Resumed | MessageChanged | Started | Waking | Limits | Instructions
    | Projects | ProjectChanged | ProjectDeleted | SearchResults | ExportPage | SharePage | ImportPreview | Pong,
    Field(discriminator="type"),
]
SERVER_FRAME: TypeAdapter[ServerFrame] = TypeAdapter(ServerFrame)


def parse_server_frame(data: str | bytes) -> ServerFrame:
    """Parse a frame the server sent (for clients: the mobile app, the load test, the terminal chat)."""
    return SERVER_FRAME.validate_json(data)


def error_frame(
    error: ChatError,
    *,
    client_message_id: UUID | None = None,
    conversation_id: str | None = None,
    message_id: str | None = None,
) -> ErrorFrame:
    """The one place a domain error becomes a wire frame."""
    return ErrorFrame(
        code=error.code,
        message=error.message,
        client_message_id=client_message_id,
        conversation_id=error.conversation_id or conversation_id,
        message_id=error.message_id or message_id,
    )


def wire_size(frame: Frame) -> int:
    return len(frame.to_wire().encode())


def json_schemas() -> dict[str, dict]:
    """JSON Schemas of both directions, for docs/schemas/."""
    return {
        "client-frame.schema.json": CLIENT_FRAME.json_schema(by_alias=True),
        "server-frame.schema.json": SERVER_FRAME.json_schema(by_alias=True, mode="serialization"),
    }


def dumps_schema(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
