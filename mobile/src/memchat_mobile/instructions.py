"""The user's own instructions, as Settings shows them: "What should memchat know about you?" and "How should
it answer?". They go into every answer's prompt; memory never learns from them.

No I/O here: frames go out through the chat's `Outbox`; `ChatState.receive` hands this object the
`instructions` frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from memchat.frames import GetInstructions, Instructions, SetInstructions
from memchat_mobile.message import Outbox

__all__ = ["ABOUT_QUESTION", "DEFAULT_MAX_CHARS", "STYLE_QUESTION", "YourInstructions"]

ABOUT_QUESTION = "What should memchat know about you?"
STYLE_QUESTION = "How should it answer?"
DEFAULT_MAX_CHARS = 300  # until the server says (its `instructions.maxChars`)


@ft.observable
@dataclass(eq=False)
class YourInstructions:
    outbox: Outbox
    about: str = ""
    style: str = ""
    max_chars: int = DEFAULT_MAX_CHARS
    loaded: bool = False  # an `instructions` frame arrived
    loading: bool = False
    saving: bool = False  # a change is on its way: its `instructions` frame confirms it
    saved: bool = False  # the server confirmed the last change: the screen says "Saved"
    error: str | None = None  # why the server refused the last change (the typed text stays on the screen)

    def refresh(self) -> None:
        self.loading = True
        self.outbox.send(GetInstructions(action="getInstructions"))

    def ensure_loaded(self) -> None:
        if not self.loaded and not self.loading:
            self.refresh()

    def over(self, text: str) -> int:
        """How many characters `text` is over the limit (0: it fits); the screen says so and keeps the text."""
        return max(0, len(text.strip()) - self.max_chars)

    def save(self, *, about: str | None = None, style: str | None = None) -> bool:
        """Send what changed (None: left as it is); False, nothing sent, when a text is over the limit or
        nothing changed. Shown at once; the server's `instructions` frame then confirms it."""
        changed = {name: text.strip() for name, text in (("about", about), ("style", style))
                   if text is not None and text.strip() != getattr(self, name)}
        if not changed or any(self.over(text) for text in changed.values()):
            return False
        self.saved, self.error = False, None
        self.outbox.send(SetInstructions(action="setInstructions", **changed))
        for name, text in changed.items():
            setattr(self, name, text)
        self.saving = True
        return True

    def on_instructions(self, frame: Instructions) -> None:
        self.about, self.style, self.max_chars = frame.about, frame.style, frame.max_chars
        if self.saving:
            self.saved = True
        self.loaded, self.loading, self.saving = True, False, False

    def on_refused(self, message: str | None = None) -> None:
        """The server refused a change (too long in its script): say why, and read back what it keeps."""
        if self.saving:
            self.saving, self.saved, self.error = False, False, message
            self.refresh()

    def edited(self) -> None:
        """The user changed a text since the last save: no longer "Saved"."""
        if self.saved or self.error:
            self.saved, self.error = False, None
