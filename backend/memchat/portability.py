"""The data portability routes: exportData (the caller's data, in pages), shareConversation (one conversation
as Markdown, in pages) and importMemories (facts the user brings, each line read as extraction reads a
message, previewed, and stored only when confirmed)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from memchat import export, pages, transcript
from memchat.errors import BadRequest, TooLarge
from memchat.events import ExportJob
from memchat.frames import ExportData, ImportLine, ImportMemories, ImportPreview, ShareConversation, SharePage
from memchat.memory import Memory
from memchat.memory.consolidation import plan
from memchat.memory.extraction import Proposal, floor, sift
from memchat.memory.memories import LABELS, Source
from memchat.sender import Poster
from memchat.settings import Settings

if TYPE_CHECKING:
    from memchat.chat import Caller
    from memchat.handoff import WorkerInvoker

UNREAD = "unread"  # the line states no fact the rules read: nothing to keep


@dataclass(frozen=True)
class Reading:
    kept: list[tuple[int, Proposal]]
    dropped: list[tuple[int, str]]

    def preview(self, *, stored: bool) -> ImportPreview:
        return ImportPreview(
            kept=[ImportLine(line=n, subject=p.subject.value, text=f"{LABELS[p.subject]}: {p.value}")
                  for n, p in self.kept],
            dropped=[ImportLine(line=n, reason=reason) for n, reason in self.dropped], stored=stored)


def read_lines(lines: list[str]) -> Reading:
    """What each line states about the user, read as a message of theirs: the rules (`floor`) find the
    facts and extraction's check (`sift`) keeps a fact only if the line says it; no model is asked, so
    nothing a line does not say can be proposed. A line with nothing kept is dropped with the reason."""
    kept, dropped = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        proposals, drops = sift(floor(line), line)
        if proposals:
            kept.extend((number, proposal) for proposal in proposals)
        else:
            dropped.append((number, min(drops, key=lambda d: list(type(d)).index(d)).value if drops else UNREAD))
    return Reading(kept, dropped)


class PortabilityRoutes:
    def __init__(self, *, memory: Memory, poster: Poster, worker: WorkerInvoker, settings: Settings,
                 clock: Callable[[], float] = time.time) -> None:
        self._memory = memory
        self._poster = poster
        self._worker = worker
        self._settings = settings
        self._clock = clock

    def export_data(self, caller: Caller, frame: ExportData) -> None:
        """The first page hands the build to the worker, which posts that page once the document's parts are
        kept (a long history takes longer than the 29 s a route has: docs/protocol.md); a later page reads
        its part."""
        if frame.cursor is not None:
            self._next_page(caller, frame.cursor, export.page_frame)
            return
        now_ms = int(self._clock() * 1000)
        self._worker.start(ExportJob(connection_id=caller.connection_id, user_id=caller.user_id,
                                     export_id=pages.snapshot_id(now_ms), exported_ms=now_ms))

    def share_conversation(self, caller: Caller, frame: ShareConversation) -> None:
        """One conversation of the caller's as Markdown, in `sharePage` parts (paged as the export is)."""
        def page_frame(part: str, offset: int, total: int, cursor: str | None) -> SharePage:
            return SharePage(conversation_id=frame.conversation_id, part=part, offset=offset, total=total,
                             cursor=cursor)

        if frame.cursor is not None:
            self._next_page(caller, frame.cursor, page_frame)
            return
        now_ms = int(self._clock() * 1000)
        text = transcript.render(self._memory, caller.user_id, frame.conversation_id,
                                 alternatives=frame.alternatives, rendered_ms=now_ms)
        self._first_page(caller, text, page_frame, now_ms=now_ms)

    def _first_page(self, caller: Caller, text: str, page_frame: pages.PageFrame, *, now_ms: int) -> None:
        """Send the document's first part at once and keep the others for the cursor to read."""
        snapshot = pages.snapshot_id(now_ms)
        parts = pages.parts(text, snapshot, page_frame)
        if len(parts) > 1:
            self._memory.put_export(caller.user_id, snapshot, parts[1:], now_ms=now_ms, first=1)
        self._poster.send(caller.connection_id, pages.page(parts[0], snapshot, 0, page_frame))

    def _next_page(self, caller: Caller, cursor: str, page_frame: pages.PageFrame) -> None:
        snapshot, n = pages.read_cursor(cursor)
        part = self._memory.export_part(caller.user_id, snapshot, n)  # keyed by the caller: theirs only
        self._poster.send(caller.connection_id, pages.page(part, snapshot, n, page_frame))

    def import_memories(self, caller: Caller, frame: ImportMemories) -> None:
        settings = self._settings
        if len(frame.lines) > settings.import_max_lines:
            raise TooLarge(f"The import has {len(frame.lines)} lines; the limit is {settings.import_max_lines}: "
                           f"import them in parts.")
        chars = sum(len(line) for line in frame.lines)
        if chars > settings.import_max_chars:
            raise TooLarge(f"The import is {chars} characters long; the limit is {settings.import_max_chars}: "
                           f"import it in parts.")
        reading = read_lines(frame.lines)
        if frame.confirm and reading.kept:
            self._store(caller.user_id, [proposal for _, proposal in reading.kept])
        self._poster.send(caller.connection_id, reading.preview(stored=frame.confirm and bool(reading.kept)))

    def _store(self, user_id: str, proposals: list[Proposal]) -> None:
        state = self._memory.recall_state(user_id, limit=self._settings.max_memories, consistent=True)
        if not state.enabled:
            raise BadRequest("Memory is off: switch it on to import memories.")
        now_ms = int(self._clock() * 1000)
        changes = plan(state.memories, proposals, source=Source.imported(now_ms), now_ms=now_ms,
                       limit=self._settings.max_memories)
        for old, new in changes.supersedes:
            self._memory.supersede_memory(user_id, old, new, now_ms=now_ms)
        for saved in changes.puts:
            self._memory.put_memory(user_id, saved)
        self._memory.drop_memories(user_id, changes.evictions)
