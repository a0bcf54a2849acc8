"""Reading back: the prompt window, history pages and the conversation list, each a bounded query."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import takewhile
from typing import Any, Generic, TypeVar

from memchat.errors import NotFound, explain
from memchat.frames import ConversationView, FinishReason, MessageStatus, MessageView, RecalledExchange, Role
from memchat.memory.codec import (
    conversation_pk,
    decode_cursor,
    dump,
    encode_cursor,
    load,
    message_sk,
    to_datetime,
)
from memchat.memory.table import Table
from memchat.tables import BY_USER_INDEX

T = TypeVar("T")


@dataclass(frozen=True)
class StoredMessage:
    message_id: str
    role: Role
    text: str
    status: MessageStatus
    created_ms: int
    tokens: int
    error_code: str | None = None
    reply_to: str | None = None
    recalled: tuple[str, ...] = ()
    # The earlier exchanges its prompt carried, as (conversation id, the user's message id): never their words.
    exchanges: tuple[tuple[str, str], ...] = ()
    finish_reason: FinishReason | None = None
    seq: int | None = None  # while streaming: the deltas its saved text covers
    superseded_by: str | None = None  # the message that replaced it (regenerated or edited)
    error_message: str | None = None  # why it failed, as its client was told

    @property
    def in_prompt(self) -> bool:
        """Whether a prompt or a summary reads it: not an answer without text, not a replaced message."""
        return self.superseded_by is None and (self.role is Role.USER or bool(self.text))

    def view(self, exchanges: list[RecalledExchange] | None = None) -> MessageView:
        """The message on the wire; `exchanges`: its earlier exchanges as the live items say them now
        (search/citations.py), since the item itself keeps only their references."""
        return MessageView(
            message_id=self.message_id,
            role=self.role,
            text=self.text,
            status=self.status,
            created_at=to_datetime(self.created_ms),
            error_code=self.error_code,
            error_message=self.error_message or (explain(self.error_code) if self.error_code else None),
            reply_to=self.reply_to,
            recalled=list(self.recalled) or None,
            exchanges=exchanges or None,
            finish_reason=self.finish_reason,
            seq=self.seq if self.status is MessageStatus.STREAMING else None,
            superseded=True if self.superseded_by else None,
        )

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredMessage:
        return cls.from_plain(load(item))

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> StoredMessage:
        return cls(
            message_id=plain["sk"].removeprefix("M#"),
            role=Role(plain["role"]),
            text=plain.get("text", ""),
            status=MessageStatus(plain["status"]),
            created_ms=int(plain["createdMs"]),
            tokens=int(plain.get("tokens", 0)),
            error_code=plain.get("errorCode"),
            reply_to=plain.get("replyTo"),
            recalled=tuple(plain.get("recalled") or ()),
            exchanges=tuple((str(e["conversationId"]), str(e["messageId"])) for e in plain.get("exchanges") or ()),
            finish_reason=FinishReason(plain["finishReason"]) if plain.get("finishReason") else None,
            seq=int(plain["seq"]) if "seq" in plain else None,
            superseded_by=plain.get("supersededBy"),
            error_message=plain.get("errorMessage"),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None


def conversation_view(plain: dict[str, Any]) -> ConversationView:
    return ConversationView(
        conversation_id=plain["conversationId"],
        title=plain["title"],
        message_count=int(plain["messageCount"]),
        created_at=to_datetime(int(plain["createdMs"])),
        updated_at=to_datetime(int(plain["updatedMs"])),
        temporary=bool(plain.get("temporary")),
        project_id=plain.get("projectId"),
        pinned=bool(plain.get("pinnedBy")),
    )


def fit(newest_first: Iterable[StoredMessage], budget: int) -> list[StoredMessage]:
    """The newest messages that go in a prompt (`StoredMessage.in_prompt`) and fit in `budget` tokens, oldest
    first; reading stops at the first one that does not fit."""
    window: list[StoredMessage] = []
    used = 0
    for message in newest_first:
        if not message.in_prompt:
            continue
        if used + message.tokens > budget:
            break
        window.append(message)
        used += message.tokens
    window.reverse()
    return window


class Reads(Table):
    def prompt_window(
        self, user_id: str, conversation_id: str, *, before: str, budget: int, page_size: int = 40,
        after: str | None = None,
    ) -> list[StoredMessage]:
        """The most recent messages before the message id `before` whose tokens fit in `budget`, oldest first.

        Reads newest first and stops as soon as the budget is full (or at `after`, the last message the
        summary covers), so the cost depends on the budget, never on the conversation's length. Answers
        that produced no text and replaced messages are left out (`StoredMessage.in_prompt`).
        """
        newest_first = self.messages_newest_first(user_id, conversation_id, before=before, page_size=page_size)
        return fit(takewhile(lambda m: after is None or m.message_id > after, newest_first), budget)

    def recent(self, user_id: str, conversation_id: str, *, before: str, budget: int,
               page_size: int = 40) -> tuple[dict[str, Any] | None, list[StoredMessage]]:
        """The conversation's item and its prompt window (as `prompt_window`), in one Query.

        'META' sorts right after every 'M#<id>', so reading down from it returns the conversation's item
        first and then its messages newest first: the summary costs no call of its own. Messages from
        `before` on (this turn's, or a later one's) are skipped.
        """
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :meta",
            "ExpressionAttributeValues": dump(
                {":pk": conversation_pk(user_id, conversation_id), ":first": "M#", ":meta": "META"}),
            "ScanIndexForward": False,
            "Limit": page_size,
            "ConsistentRead": True,
        }
        conversation: dict[str, Any] | None = None

        def newest_first() -> Iterator[StoredMessage]:
            nonlocal conversation
            for item in self._query_all(**kwargs):
                plain = load(item)
                if plain["sk"] == "META":  # the first item read
                    conversation = plain
                elif plain["sk"] < message_sk(before):
                    yield StoredMessage.from_plain(plain)

        window = fit(newest_first(), budget)
        return conversation, window

    def messages_newest_first(
        self, user_id: str, conversation_id: str, *, before: str, page_size: int = 40,
    ) -> Iterator[StoredMessage]:
        kwargs: dict[str, Any] = {
            # In a conversation's partition only message keys ('M#...') sort below 'M#<id>'.
            "KeyConditionExpression": "pk = :pk AND sk < :before",
            "ExpressionAttributeValues": dump(
                {":pk": conversation_pk(user_id, conversation_id), ":before": message_sk(before)}),
            "ScanIndexForward": False,
            "Limit": page_size,
            "ConsistentRead": True,
        }
        yield from (StoredMessage.from_item(item) for item in self._query_all(**kwargs))

    def message(self, user_id: str, conversation_id: str, message_id: str) -> StoredMessage | None:
        """One message, read consistently; None when it is not there."""
        item = self._message_item(user_id, conversation_id, message_id)
        return None if item is None else StoredMessage.from_item(item)

    def message_pair(self, user_id: str, conversation_id: str, message_id: str,
                     reply_id: str) -> tuple[StoredMessage, StoredMessage] | None:
        """A user's message and its answer, read consistently; None when either is gone."""
        message = self.message(user_id, conversation_id, message_id)
        reply = None if message is None else self.message(user_id, conversation_id, reply_id)
        return None if message is None or reply is None else (message, reply)

    def history(self, user_id: str, conversation_id: str, *, before: str | None, limit: int) -> Page[StoredMessage]:
        """A page of messages older than `before` (the newest page without it), oldest first.

        The cursor is the oldest message id of the page, absent when there is nothing older.
        """
        self.require_conversation(user_id, conversation_id)
        page = self._call(
            "query",
            # 'M$' sorts right after every 'M#<id>' and before 'META'.
            KeyConditionExpression="pk = :pk AND sk < :before",
            ExpressionAttributeValues=dump(
                {":pk": conversation_pk(user_id, conversation_id), ":before": message_sk(before) if before else "M$"}
            ),
            ScanIndexForward=False,
            Limit=limit + 1,  # one more than asked tells whether an older page exists
            # Read right after `done`, a page must never show a finished answer's older copy.
            ConsistentRead=True,
        )
        messages = [StoredMessage.from_item(item) for item in page.get("Items", [])]
        more = len(messages) > limit
        messages = messages[:limit][::-1]
        return Page(messages, messages[0].message_id if more else None)

    def conversation(self, user_id: str, conversation_id: str, *, consistent: bool = False) -> dict[str, Any]:
        """The conversation's item, plain; NotFound when there is none."""
        item = self._call(
            "get_item", Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            ConsistentRead=consistent,
        ).get("Item")
        if item is None:
            raise NotFound("No such conversation.")
        return load(item)

    def require_conversation(self, user_id: str, conversation_id: str) -> None:
        item = self._call(
            "get_item", Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            ProjectionExpression="pk",
        ).get("Item")
        if item is None:
            raise NotFound("No such conversation.")

    def list_conversations(self, user_id: str, *, cursor: str | None, limit: int) -> Page[ConversationView]:
        """A page of the conversations that are not pinned (the pins come whole from `pinned_conversations`);
        the filter reads after the limit, so a page may hold fewer than `limit`, and its cursor goes on."""
        kwargs: dict[str, Any] = {
            "IndexName": BY_USER_INDEX.name,
            "KeyConditionExpression": "userId = :u",
            "FilterExpression": "attribute_not_exists(pinnedBy)",
            "ExpressionAttributeValues": dump({":u": user_id}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = dump(decode_cursor(cursor, user_id))
        page = self._call("query", **kwargs)
        views = [conversation_view(load(item)) for item in page.get("Items", [])]
        last = page.get("LastEvaluatedKey")
        return Page(views, encode_cursor(load(last)) if last else None)
