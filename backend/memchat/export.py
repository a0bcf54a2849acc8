"""The user's data to take away: everything memchat keeps about them as one JSON document, sent in pages.

The document (`ExportDocument`, schema in docs/schemas/export.schema.json) holds the settings, projects,
every conversation (temporary ones too, while they exist) with all its messages and their alternatives
(superseded ones marked), and every memory with its sources and earlier values. API Gateway caps a frame
at 32 KB, so the document's text goes out in `exportPage` parts, cut and kept as pages.py does for every
document longer than a frame. The export's first request hands the build to the worker (`prepare`: a long
history takes longer than the 29 s API Gateway gives a route), which builds the document once, keeps its
parts as a snapshot and posts the first page; each later page reads one part. So the parts always join into
the document as it was when the export started, though answers, titles and memories go on changing in the
background, and a page costs one read, whatever the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from memchat import pages
from memchat.errors import NotFound
from memchat.events import ExportJob
from memchat.frames import (
    ConversationView,
    ExportPage,
    MemorySource,
    MessageView,
    ProjectView,
)
from memchat.memory import Memory
from memchat.memory.codec import to_datetime
from memchat.memory.memories import SavedMemory, Source, history_memory_id
from memchat.memory.reads import StoredMessage
from memchat.search.citations import cited, held
from memchat.settings import Settings

EXPORT_VERSION = 1
_PAGE = 100  # messages and conversations read per query


class Document(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class ExportSettings(Document):
    memory_enabled: bool = Field(description="Whether memory is on.")
    about: str = Field(description="The user's instruction: what memchat should know about them.")
    style: str = Field(description="The user's instruction: how it should answer.")


class ExportConversation(Document):
    conversation: ConversationView
    messages: list[MessageView] = Field(description="Every message, oldest first; alternatives that a "
                                                    "regenerated answer or an edit replaced are `superseded`.")


class ExportEarlierValue(Document):
    """A value a memory had before a newer one superseded it, or that the user told as over."""

    memory_id: str
    subject: str
    value: str
    created_at: datetime
    superseded_at: datetime
    superseded_by: str | None = Field(
        None, description="The memory id of the value that replaced it; none when the user told it as over "
                          "(\"I used to live in Oslo\").")
    until: str | None = Field(None, description="The year it ended, as the user told it (\"until 2019\").")
    sources: list[MemorySource]


class ExportMemory(Document):
    memory_id: str
    subject: str
    value: str
    text: str = Field(description="The memory as it goes into a prompt.")
    when: str | None = Field(None, description="A plan's date, YYYY-MM-DD or YYYY-MM.")
    created_at: datetime
    updated_at: datetime
    sources: list[MemorySource] = Field(description="Where it was learnt: the user's messages, or an import.")
    history: list[ExportEarlierValue] = Field(description="Its earlier values, newest first.")


class ExportDocument(Document):
    """Everything memchat keeps about one user."""

    format: Literal["memchat-export"] = "memchat-export"
    version: Literal[1] = EXPORT_VERSION
    exported_at: datetime
    settings: ExportSettings
    projects: list[ProjectView]
    conversations: list[ExportConversation] = Field(description="Most recently active first; temporary chats "
                                                                 "are included while they exist.")
    memories: list[ExportMemory] = Field(description="Current memories, newest first.")
    earlier_values: list[ExportEarlierValue] = Field(
        description="Earlier values whose memory is no longer current (none is lost).")


def export_schema() -> dict:
    return ExportDocument.model_json_schema(by_alias=True, mode="serialization")


def build(memory: Memory, user_id: str, settings: Settings, *, exported_ms: int) -> ExportDocument:
    """The caller's document: every read is keyed by their own user id."""
    state = memory.recall_state(user_id, limit=settings.max_memories * 4, consistent=True)
    read: list[tuple[ConversationView, list[StoredMessage]]] = []
    cursor: str | None = None
    while True:
        page = memory.list_conversations(user_id, cursor=cursor, limit=_PAGE)
        for view in page.items:
            try:
                read.append((view, stored(memory, user_id, view.conversation_id)))
            except NotFound:  # deleted meanwhile: no longer kept
                continue
        if page.cursor is None:
            break
        cursor = page.cursor
    # An answer's earlier exchanges, as the document itself holds their messages (none read again): one whose
    # conversation or message is no longer kept is left out, as history leaves it out.
    live: dict[tuple[str, str], dict] = {}
    for view, found in read:
        live |= held(view.conversation_id, found)
    conversations = []
    for view, found in read:
        exchanges = cited(found, live)
        conversations.append(ExportConversation(conversation=view, messages=[
            m.view(exchanges.get(m.message_id)) for m in found]))
    memories, earlier = _memories(state.memories, memory.memory_history(user_id))
    return ExportDocument(
        exported_at=to_datetime(exported_ms),
        settings=ExportSettings(memory_enabled=state.enabled, about=state.instructions.about,
                                style=state.instructions.style),
        projects=[p.view() for p in memory.projects(user_id, consistent=True)],
        conversations=conversations, memories=memories, earlier_values=earlier)


def prepare(memory: Memory, settings: Settings, job: ExportJob) -> ExportPage:
    """Build the job's document (the worker's part of exportData), keep every part after the first, and
    return the first page: each later page is read back when the client asks for it with the cursor."""
    document = build(memory, job.user_id, settings, exported_ms=job.exported_ms)
    cut = pages.parts(document.model_dump_json(by_alias=True, exclude_none=True), job.export_id, page_frame)
    if len(cut) > 1:
        memory.put_export(job.user_id, job.export_id, cut[1:], now_ms=job.exported_ms, first=1)
    return pages.page(cut[0], job.export_id, 0, page_frame)  # type: ignore[return-value]


def messages(memory: Memory, user_id: str, conversation_id: str) -> list[MessageView]:
    """Every message of the caller's conversation, oldest first, alternatives included (NotFound: none)."""
    return [m.view() for m in stored(memory, user_id, conversation_id)]


def stored(memory: Memory, user_id: str, conversation_id: str) -> list[StoredMessage]:
    """Every message of the caller's conversation as stored, oldest first, alternatives included (NotFound: none)."""
    chunks: list[list[StoredMessage]] = []
    before = None
    while True:
        page = memory.history(user_id, conversation_id, before=before, limit=_PAGE)
        chunks.append(page.items)
        if page.cursor is None:
            return [m for chunk in reversed(chunks) for m in chunk]
        before = page.cursor


def _memories(current: list[SavedMemory], history: list[dict]) -> tuple[list[ExportMemory], list[ExportEarlierValue]]:
    """Each current memory with its earlier values (walking `supersededBy` back); the rest apart."""
    values = [ExportEarlierValue(
        memory_id=history_memory_id(item), subject=item["subject"],
        value=item["value"], created_at=to_datetime(int(item["createdMs"])),
        superseded_at=to_datetime(int(item["supersededMs"])), superseded_by=item.get("supersededBy") or None,
        until=item.get("until"),
        sources=[Source.parse(entry).view() for entry in item.get("sources") or ()],
    ) for item in history]
    replaced_by = {value.memory_id: value.superseded_by for value in values}
    current_ids = {m.memory_id for m in current}

    def head(memory_id: str) -> str | None:
        seen = set()
        while memory_id not in current_ids and replaced_by.get(memory_id) and memory_id not in seen:
            seen.add(memory_id)
            memory_id = replaced_by[memory_id] or ""  # (a fact told as over has no successor: the loop ends)
        return memory_id if memory_id in current_ids else None

    chains: dict[str, list[ExportEarlierValue]] = {}
    orphans = []
    for value in sorted(values, key=lambda v: v.superseded_at, reverse=True):
        owner = head(value.superseded_by)
        (chains.setdefault(owner, []) if owner else orphans).append(value)
    return [ExportMemory(
        memory_id=m.memory_id, subject=m.subject.value, value=m.value, text=m.text, when=m.when,
        created_at=to_datetime(m.created_ms), updated_at=to_datetime(m.updated_ms),
        sources=[s.view() for s in m.sources], history=chains.get(m.memory_id, []),
    ) for m in current], orphans


def page_frame(part: str, offset: int, total: int, cursor: str | None) -> ExportPage:
    return ExportPage(part=part, offset=offset, total=total, cursor=cursor)
