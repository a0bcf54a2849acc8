"""A conversation as Markdown, to share or keep: its title as a heading, then each message with who wrote it
and when, its text as written (code blocks intact). With alternatives, the answers a regeneration replaced and
the messages an edit replaced are included where they were, each marked."""

from __future__ import annotations

import re
from datetime import datetime

from memchat.export import messages
from memchat.frames import MessageStatus, MessageView, Role
from memchat.memory import Memory
from memchat.memory.codec import to_datetime
from memchat.memory.reads import conversation_view

AUTHORS = {Role.USER: "You", Role.ASSISTANT: "memchat"}
REPLACED = {Role.USER: "earlier edit, replaced", Role.ASSISTANT: "replaced answer, an alternative"}
_NOTES = {
    MessageStatus.STOPPED: "stopped before the end",
    MessageStatus.INTERRUPTED: "cut short",
    MessageStatus.PENDING: "not written yet",
    MessageStatus.STREAMING: "still being written",
}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def render(memory: Memory, user_id: str, conversation_id: str, *, alternatives: bool, rendered_ms: int) -> str:
    """The caller's conversation as Markdown (NotFound for one they do not have, another user's included)."""
    view = conversation_view(memory.conversation(user_id, conversation_id, consistent=True))
    return markdown(view.title, messages(memory, user_id, conversation_id), alternatives=alternatives,
                    rendered_at=to_datetime(rendered_ms))


def markdown(title: str, history: list[MessageView], *, alternatives: bool, rendered_at: datetime) -> str:
    shown = [m for m in history if alternatives or not m.superseded]
    which = ("with the replaced answers and earlier edits, each marked" if alternatives
             else "current answers only")
    lines = [f"# {' '.join(title.split()) or 'Conversation'}", "",
             f"*Shared from memchat on {_when(rendered_at)}: {len(shown)} messages, {which}.*"]
    for message in shown:
        lines += ["", "---", "", _heading(message), "", _body(message)]
    return "\n".join(lines) + "\n"


def _heading(message: MessageView) -> str:
    marks = [_when(message.created_at)]
    if message.superseded:
        marks.append(f"*{REPLACED[message.role]}*")
    return f"**{AUTHORS[message.role]}** · " + " · ".join(marks)


def _body(message: MessageView) -> str:
    text = message.text.rstrip()
    # A fence left open (an answer stopped inside a code block) would swallow every message after it.
    if len(_FENCE.findall(text)) % 2:
        text += "\n" + _FENCE.findall(text)[-1]
    note = (f"failed: {message.error_message}" if message.status is MessageStatus.FAILED
            else _NOTES.get(message.status))
    parts = [text] if text else []
    if note:
        parts.append(f"*({note})*")
    return "\n\n".join(parts) or "*(no text)*"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
