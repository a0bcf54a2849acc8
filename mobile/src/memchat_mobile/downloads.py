"""Documents the user takes away as a file: "Download my data" (exportData's JSON document) and a shared
conversation (shareConversation's Markdown). Each comes in pages: a `Download` asks for the next page with
the last one's cursor, joins the parts, and is ready when the last has come; the screen then hands the file
to the user (a download in the browser, the share sheet on a phone: views/download.py) and says so.

No I/O here: frames go out through the chat's `Outbox`; `ChatState.receive` hands a `Download` its pages and
the errors that end it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import flet as ft

from memchat.frames import ErrorFrame, ExportData, ExportPage, ShareConversation, SharePage
from memchat_mobile.message import Outbox

__all__ = ["Download", "Phase", "conversation_file_name", "data_file_name"]

NAME_CHARS = 60  # a file name's title part: whole on a phone's save dialog
LOST = "The connection dropped before the file was complete. Try again."


class Phase(StrEnum):
    IDLE = "idle"
    FETCHING = "fetching"  # pages are coming
    READY = "ready"  # every part is here: the screen hands the file over
    SAVED = "saved"  # handed over (downloaded, or given to the share sheet)
    FAILED = "failed"  # `error` says why; the user can try again


def data_file_name(today: date) -> str:
    return f"memchat-data-{today.isoformat()}.json"


def conversation_file_name(title: str, *, alternatives: bool) -> str:
    """The conversation's title as a file name: letters, digits and a few marks kept, the rest a space."""
    name = " ".join(re.sub(r"[^\w\-' ]+", " ", title).split())[:NAME_CHARS].strip() or "Conversation"
    return f"{name} (with alternatives).md" if alternatives else f"{name}.md"


@ft.observable
@dataclass(eq=False)
class Download:
    outbox: Outbox
    phase: Phase = Phase.IDLE
    file_name: str = ""
    received: int = 0  # parts received
    characters: int = 0  # characters received, of `total`
    total: int = 0
    error: str | None = None
    alternatives: bool = False  # a shared conversation: with its alternatives
    _request: ExportData | ShareConversation | None = field(default=None, repr=False)
    _parts: list[str] = field(default_factory=list, repr=False)

    @property
    def busy(self) -> bool:
        return self.phase is Phase.FETCHING

    def data(self, *, today: date) -> None:
        """Ask for everything memchat keeps about the user."""
        self._start(ExportData(action="exportData"), data_file_name(today))

    def conversation(self, conversation_id: str, title: str, *, alternatives: bool) -> None:
        """Ask for a conversation as Markdown, with its alternatives or the current answers only."""
        self.alternatives = alternatives
        self._start(ShareConversation(action="shareConversation", conversation_id=conversation_id,
                                      alternatives=alternatives),
                    conversation_file_name(title, alternatives=alternatives))

    def _start(self, request: ExportData | ShareConversation, file_name: str) -> None:
        if self.busy:
            return
        self._request, self.file_name = request, file_name
        self._parts = []
        self.received = self.characters = self.total = 0
        self.error = None
        self.phase = Phase.FETCHING
        self.outbox.send(request)

    def on_page(self, frame: ExportPage | SharePage) -> None:
        """A page: kept, then the next asked for, or the document is ready after the last."""
        request = self._request
        if not self.busy or request is None or (
                isinstance(frame, SharePage) != isinstance(request, ShareConversation)
                or (isinstance(frame, SharePage) and frame.conversation_id != request.conversation_id)
                or frame.offset != self.characters):  # not the page this download waits for
            return
        self._parts.append(frame.part)
        self.received += 1
        self.characters += len(frame.part)
        self.total = frame.total
        if frame.cursor is not None:
            self.outbox.send(request.model_copy(update={"cursor": frame.cursor}))
            return
        heading = self.text().partition("\n")[0]
        if isinstance(request, ShareConversation) and heading.startswith("# "):
            # The file is named after the title the document carries: the one on screen when Share was
            # tapped may have changed since (a title the model wrote arriving in between).
            self.file_name = conversation_file_name(heading.removeprefix("# "), alternatives=self.alternatives)
        self.phase = Phase.READY

    def document(self) -> bytes:
        return "".join(self._parts).encode()

    def text(self) -> str:
        return "".join(self._parts)

    def claims(self, error: ErrorFrame) -> bool:
        """Whether `error` answers this download's request: a share's names its conversation and nothing
        else; the export's names nothing."""
        request = self._request
        if not self.busy or request is None or error.message_id is not None or error.client_message_id is not None:
            return False
        if isinstance(request, ShareConversation):
            return error.conversation_id == request.conversation_id
        return error.conversation_id is None

    def on_refused(self, error: ErrorFrame) -> None:
        self.fail(error.message)

    def on_disconnected(self) -> None:
        """The socket is down: the pages asked for will not come (a new connection starts it again)."""
        if self.busy:
            self.fail(LOST)

    def fail(self, message: str) -> None:
        self.phase, self.error = Phase.FAILED, message
        self._parts = []

    def saved(self) -> None:
        """The screen handed the file to the user."""
        if self.phase is Phase.READY:
            self.phase = Phase.SAVED

    def retry(self) -> None:
        if self._request is not None:
            self._start(self._request.model_copy(update={"cursor": None}), self.file_name)

    def dismiss(self) -> None:
        if not self.busy:
            self.phase, self.error = Phase.IDLE, None
