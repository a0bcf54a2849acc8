"""Pinned conversations, one part of `state.ChatState`: pin and unpin from the list, and the list's order, pinned
ones first (newest-updated first among themselves, as the server sends them), then the rest, newest first.

`ConversationPins` is mixed into ChatState beside `listing.ConversationListing`: it works on the chat's
`conversations` and `outbox`, and keeps the pins sent and not confirmed (`_pinning`, set by
ChatState.__post_init__). The server's answer is a `conversation` frame (`_on_changed`, then listing's
`_on_conversation_changed`); a refusal (too many pins) comes back as an error naming the conversation, and puts
the pin back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from memchat.frames import ConversationView, PinConversation

__all__ = ["ConversationPins", "pinned_first"]


def pinned_first(conversations: Iterable[ConversationView]) -> list[ConversationView]:
    """Pinned conversations first, then the others, each group newest-updated first (the order the server lists
    them in, kept when a conversation changes on this device before the list is read again)."""
    return sorted(conversations, key=lambda c: (not c.pinned, -c.updated_at.timestamp()))


class ConversationPins:
    """Pin, unpin, and the list in its order (see the module's docstring for the fields they share)."""

    def pin(self, conversation_id: str, pinned: bool = True) -> bool:
        """Pin a conversation to the top of the list, or unpin it; it moves at once. False, nothing sent, when it
        is not in the list or already so."""
        known = self.find_conversation(conversation_id)
        if known is None or known.pinned == pinned:
            return False
        self.outbox.send(PinConversation(action="pinConversation", conversation_id=conversation_id, pinned=pinned))
        self._pinning.setdefault(conversation_id, known.pinned)
        self._set_pinned(conversation_id, pinned)
        return True

    @property
    def listed(self) -> list[ConversationView]:
        """The conversations as the list shows them: pinned first."""
        return pinned_first(self.conversations)

    def _touched(self, conversation_id: str, when: datetime | None = None) -> None:
        """A message of this conversation was stored (its ack): it is the newest of its group now, as the next
        read of the list will say."""
        moment = when or datetime.now(UTC)
        self.conversations = pinned_first(
            c.model_copy(update={"updated_at": max(moment, c.updated_at)}) if c.conversation_id == conversation_id
            else c for c in self.conversations)

    def _on_changed(self, conversation: ConversationView) -> None:
        """A conversation as the server now has it (renamed, moved or pinned): in its place in the order."""
        self._pinning.pop(conversation.conversation_id, None)
        self._on_conversation_changed(conversation)
        self.conversations = pinned_first(self.conversations)

    def _on_pin_refused(self, conversation_id: str) -> bool:
        """A pin the server refused (too many pins): the conversation is back as it was. False: no pin of this
        conversation was waiting."""
        if conversation_id not in self._pinning:
            return False
        self._set_pinned(conversation_id, self._pinning.pop(conversation_id))
        return True

    def _set_pinned(self, conversation_id: str, pinned: bool) -> None:
        self.conversations = pinned_first(
            c.model_copy(update={"pinned": pinned}) if c.conversation_id == conversation_id else c
            for c in self.conversations)
