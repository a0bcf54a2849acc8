"""One bubble's model: a message as the screens show it, its answer's pieces put back in order, and the
outbox frames leave by. The chat state and the memory list both build on it (neither on the other)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

import flet as ft

from memchat.errors import ErrorCode
from memchat.frames import ClientFrame, FinishReason, MessageStatus, MessageView, RecalledExchange, Role

__all__ = ["FAILURE_TEXT", "IN_PROGRESS", "REFUSED", "Message", "Outbox", "Reassembly", "waking_text"]

IN_PROGRESS = frozenset({MessageStatus.PENDING, MessageStatus.STREAMING})
# Refusals that sending the same text again cannot fix: the message is kept for the user to edit instead.
REFUSED = frozenset({ErrorCode.TOO_LARGE, ErrorCode.BAD_REQUEST})
# What a bubble says when history reports an answer that failed (the live error frame has its own text).
FAILURE_TEXT = {
    ErrorCode.MODEL_UNAVAILABLE: "The model is not available right now.",
    ErrorCode.MODEL_ERROR: "The model failed while answering.",
    ErrorCode.RATE_LIMITED: "Too many requests: wait a moment.",
}


class Outbox(Protocol):
    def send(self, frame: ClientFrame) -> None: ...

    def send_later(self, delay: float, frame: ClientFrame) -> None:
        """Send `frame` after `delay` seconds if the connection is open then (else it is dropped)."""


class Reassembly:
    """Puts an answer's deltas back in `seq` order: duplicates are dropped, early pieces wait for the gap."""

    def __init__(self, start: int = 0) -> None:
        self.next_seq = start  # how many pieces the text has (a resumed answer starts with its saved ones)
        self._early: dict[int, str] = {}

    def push(self, seq: int, text: str) -> str:
        """The text that became contiguous with this piece ('' when it is early or a duplicate)."""
        if seq < self.next_seq or seq in self._early:
            return ""
        self._early[seq] = text
        ready = []
        while self.next_seq in self._early:
            ready.append(self._early.pop(self.next_seq))
            self.next_seq += 1
        return "".join(ready)

    def resume(self, from_seq: int, seq: int, text: str) -> str | None:
        """Apply a catch-up holding the text of pieces from_seq..seq-1: None (ignored) unless it starts where
        the contiguous text ends; else that text and any early pieces it made contiguous."""
        if from_seq != self.next_seq or seq < from_seq:
            return None
        self.next_seq = seq
        self._early = {n: piece for n, piece in self._early.items() if n >= seq}
        ready = [text]
        while self.next_seq in self._early:
            ready.append(self._early.pop(self.next_seq))
            self.next_seq += 1
        return "".join(ready)

    @property
    def complete(self) -> bool:
        """False while a piece is missing before one that arrived."""
        return not self._early


@ft.observable
@dataclass(eq=False)
class Message:
    """One bubble. `status` is the server's; None means the user's message is not stored yet."""

    role: Role
    text: str = ""
    status: MessageStatus | None = None
    message_id: str | None = None
    client_message_id: UUID | None = None
    reply_to: str | None = None
    created_at: datetime | None = None
    error: str | None = None
    error_code: ErrorCode | None = None
    finish_reason: FinishReason | None = None
    stopping: bool = False
    superseded: bool = False  # replaced by a regenerated answer or an edited message: an alternative, kept
    recalled: list[str] = field(default_factory=list)  # ids of the memories the answer's prompt carried
    recalled_texts: dict[str, str] = field(default_factory=dict)  # their texts, when `done` said them
    # Earlier exchanges from other conversations the answer's prompt carried: `done` says them, and history says them
    # again as they are now (one deleted since is left out).
    exchanges: list[RecalledExchange] = field(default_factory=list)
    # The model was asleep and wakes for this answer: time.monotonic() when the server expects it up (the
    # `waking` frame's estimate); None once the answer's first words come, or it ends.
    waking_until: float | None = None

    def __post_init__(self) -> None:
        self._pieces = Reassembly()
        # True until a history page has shown the server has this message (see ChatState._merge_page).
        self._local = self.status is None or self.status in IN_PROGRESS

    @classmethod
    def from_view(cls, view: MessageView) -> Message:
        message = cls(role=view.role)
        message.update_from(view)
        message._local = False
        return message

    def update_from(self, view: MessageView) -> None:
        self.text = view.text
        self.status = view.status
        self.message_id = view.message_id
        self.reply_to = view.reply_to
        self.created_at = view.created_at
        self.error_code = view.error_code
        self.finish_reason = view.finish_reason or (self.finish_reason if view.status in IN_PROGRESS else None)
        self.superseded = bool(view.superseded)
        if view.recalled is not None:
            self.recalled = list(view.recalled)
        if view.status not in IN_PROGRESS:  # the server's word on an ended answer: what is left of them
            self.exchanges = list(view.exchanges or [])
        self.error = FAILURE_TEXT.get(view.error_code, "The answer failed.") if view.status is MessageStatus.FAILED \
            else None
        self.stopping = False
        if view.status not in IN_PROGRESS or view.text:
            self.waking_until = None

    @property
    def key(self) -> str:
        """Stable across the ack (which adds the message id), for list reconciliation."""
        return str(self.client_message_id) if self.client_message_id else str(self.message_id)

    @property
    def sending(self) -> bool:
        return self.role is Role.USER and self.status is None and self.error is None

    @property
    def not_sent(self) -> bool:
        return self.role is Role.USER and self.status is None and self.error is not None

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def refused(self) -> bool:
        """Not sent because of what it says (too long, invalid): sending it again as is would fail again."""
        return self.not_sent and self.error_code in REFUSED

    @property
    def can_retry(self) -> bool:
        """A message not sent that may go again as it is (an answer's retry is ChatState.can_regenerate)."""
        return self.not_sent and not self.refused

    @property
    def ended(self) -> bool:
        return self.role is Role.ASSISTANT and self.status is not None and self.status not in IN_PROGRESS

    @property
    def shows_recalled(self) -> bool:
        """Say which memories and earlier exchanges the answer used: only under an answer there is (a failed one
        has nothing to explain, though its prompt carried them)."""
        return bool(self.recalled or self.exchanges) and bool(self.text) and self.status in (
            MessageStatus.COMPLETE, MessageStatus.STOPPED, MessageStatus.INTERRUPTED)

    @property
    def can_continue(self) -> bool:
        """Stopped or cut (with text to go on from), or cut at the length limit."""
        return (self.status in (MessageStatus.STOPPED, MessageStatus.INTERRUPTED) and bool(self.text)) or (
            self.status is MessageStatus.COMPLETE and self.finish_reason is FinishReason.LENGTH)


def waking_text(message: Message, now: float) -> str | None:
    """What a bubble says while the model wakes for its answer (`now`: time.monotonic()): the estimate in
    whole minutes, rounded up, counting down; None when the answer is not waiting for a wake."""
    if message.waking_until is None or not message.in_progress or message.text:
        return None
    left = message.waking_until - now
    if left <= 0:
        return "Waking the assistant, any moment now"
    return f"Waking the assistant, about {math.ceil(left / 60)} min"
