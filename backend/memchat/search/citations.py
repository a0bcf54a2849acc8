"""The earlier exchanges answers recalled, as history shows them: read from the live items when shown.

An answer's item keeps only references to the exchanges its prompt carried (conversation id, the user's
message id), never their words. Each time answers are shown, their exchanges are read in one consistent
BatchGetItem (each exchange's conversation item and message), with keys built from the caller's user id
only, so an id stored on an item can never reach another user's data. An exchange whose conversation or
message is gone is left out, and its excerpt is the message's live text: a word deleted or forgotten
(redacted) since never comes back through an answer that once recalled it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from memchat.frames import RecalledExchange, Role
from memchat.memory.codec import message_sk
from memchat.memory.reads import StoredMessage
from memchat.search.finder import ASKED_CHARS, EXCHANGES
from memchat.search.index import BATCH_GET, Index
from memchat.search.snippets import snippet
from memchat.search.words import Query

Reference = tuple[str, str]  # (conversation id, the user's message id)

__all__ = ["cite", "cited", "citing", "held"]


def _references(message: StoredMessage) -> tuple[Reference, ...]:
    # A prompt carries at most EXCHANGES: what an item says beyond that is not read (the read stays bounded).
    return message.exchanges[:EXCHANGES] if message.role is Role.ASSISTANT else ()


def _keys(references: Sequence[Reference]) -> list[tuple[str, str]]:
    """The live items the exchanges are read from: each one's conversation item and message, once each."""
    return list(dict.fromkeys(key for conversation, message in references
                              for key in ((conversation, "META"), (conversation, message_sk(message)))))


def citing(messages: Sequence[StoredMessage]) -> int:
    """How many of a page's messages (oldest first), counted from the newest, can be shown with their
    exchanges read in one BatchGetItem; the older ones wait for the next page. Every message of a page
    fits unless it holds dozens of answers that each recalled two exchanges from different conversations."""
    references: list[Reference] = []
    for count, message in enumerate(reversed(messages)):
        references += _references(message)
        if len(_keys(references)) > BATCH_GET:
            return count
    return len(messages)


def cite(index: Index, user_id: str, messages: Sequence[StoredMessage]) -> dict[str, list[RecalledExchange]]:
    """The earlier exchanges of each answer among `messages` that recalled any (by message id), as the live
    items say them now; no read at all when none did. The caller keeps the page within one read (`citing`)."""
    references = [reference for message in messages for reference in _references(message)]
    if not references:
        return {}
    return cited(messages, index.live_items(user_id, _keys(references)))


def cited(messages: Sequence[StoredMessage], live: Mapping[tuple[str, str], Mapping[str, Any]]
          ) -> dict[str, list[RecalledExchange]]:
    """The earlier exchanges of each answer among `messages` that recalled any, as `live` (items by
    (conversation id, sort key), as Index.live_items gives them) says them; those it has not are left out."""
    found = {}
    for message in messages:
        exchanges = [exchange for exchange in (_exchange(reference, live) for reference in _references(message))
                     if exchange is not None]
        if exchanges:
            found[message.message_id] = exchanges
    return found


def held(conversation_id: str, messages: Iterable[StoredMessage]) -> dict[tuple[str, str], dict[str, Any]]:
    """A conversation's messages, already read (an export reads them all), as `cited` reads live items."""
    return {(conversation_id, "META"): {}} | {
        (conversation_id, message_sk(m.message_id)): {"role": m.role.value, "text": m.text} for m in messages}


def _exchange(reference: Reference, live: Mapping[tuple[str, str], Mapping[str, Any]]) -> RecalledExchange | None:
    """The exchange as its live items say it, or None: its conversation or message is gone, or says nothing."""
    conversation_id, message_id = reference
    message = live.get((conversation_id, message_sk(message_id)))
    if (conversation_id, "META") not in live or message is None or message.get("role") != Role.USER.value:
        return None
    text = str(message.get("text", ""))
    if not text.strip():
        return None
    # Cut from its start, as `done` cut it around the words that matched (the query is not kept).
    return RecalledExchange(conversation_id=conversation_id, message_id=message_id,
                            excerpt=snippet(text, Query(()), width=ASKED_CHARS)[0])
