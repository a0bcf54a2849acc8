"""Conversation memory in DynamoDB: conversations, one item per message, idempotency and rate limits.

Every key is built from the caller's user id (from the verified token), so a request can only ever
reach its own user's items; `tables.py` draws the key layout. Costs stay flat as a conversation grows:
each read is a bounded query on one partition, newest first.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from memchat.errors import BadRequest, ChatError, InternalError, NotFound, RateLimited
from memchat.frames import ConversationView, MessageStatus, MessageView, Role
from memchat.tables import BY_USER_INDEX, TTL_ATTRIBUTE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from memchat.settings import Settings

IDEMPOTENCY_TTL_SECONDS = 24 * 3600
TITLE_CHARS = 60
# Template tokens around each message (role markers, separators): generous for common chat templates.
MESSAGE_OVERHEAD_TOKENS = 8

T = TypeVar("T")

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def estimate_tokens(text: str) -> int:
    """A conservative token count for text the model has not measured for us.

    Subword tokenizers spend about four UTF-8 bytes per token on English and fewer on other scripts;
    half the byte count stays above the real count for natural language in any script we have seen.
    """
    return math.ceil(len(text.encode()) / 2) + MESSAGE_OVERHEAD_TOKENS


def memory_budget(settings: Settings) -> int:
    """Tokens the remembered messages may use: the prompt's budget less the system prompt."""
    return settings.prompt_budget - estimate_tokens(settings.system_prompt)


def new_message_id(now_ms: int, sequence: int = 0, nonce: str | None = None) -> str:
    """Ids sort by creation time (the sort key), then by a random nonce, then by sequence."""
    return f"{now_ms:012x}{nonce or secrets.token_hex(5)}{sequence:x}"


def new_turn_ids(now_ms: int) -> tuple[str, str]:
    """The ids of a user message and of its answer, which sorts right after it: they share their time
    and nonce, so two turns of one conversation begun in the same millisecond never interleave."""
    nonce = secrets.token_hex(5)
    return new_message_id(now_ms, 0, nonce), new_message_id(now_ms, 1, nonce)


def _datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _conv_pk(user_id: str, conversation_id: str) -> str:
    return f"U#{user_id}#C#{conversation_id}"


def _user_pk(user_id: str) -> str:
    return f"U#{user_id}"


def _msg_sk(message_id: str) -> str:
    return f"M#{message_id}"


def _dump(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in item.items() if value is not None}


def _load(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


@dataclass(frozen=True)
class Turn:
    """A stored user message and the answer placeholder stored with it."""

    conversation_id: str
    message_id: str
    reply_id: str
    created: bool  # False when this was a retry of an already stored message


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

    def view(self) -> MessageView:
        return MessageView(
            message_id=self.message_id,
            role=self.role,
            text=self.text,
            status=self.status,
            created_at=_datetime(self.created_ms),
            error_code=self.error_code,
            reply_to=self.reply_to,
        )

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredMessage:
        plain = _load(item)
        return cls(
            message_id=plain["sk"].removeprefix("M#"),
            role=Role(plain["role"]),
            text=plain.get("text", ""),
            status=MessageStatus(plain["status"]),
            created_ms=int(plain["createdMs"]),
            tokens=int(plain.get("tokens", 0)),
            error_code=plain.get("errorCode"),
            reply_to=plain.get("replyTo"),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None


class Memory:
    """The chat table. Create one per process and share it; methods are safe to call from threads."""

    def __init__(self, client: DynamoDBClient, *, table_name: str, rate_limit_per_minute: int) -> None:
        self._client = client
        self._table = table_name
        self._rate_limit = rate_limit_per_minute
        self.calls = 0  # DynamoDB calls made through this object, for benchmarks

    @classmethod
    def from_settings(cls, client: DynamoDBClient, settings: Settings) -> Memory:
        return cls(client, table_name=settings.table_name, rate_limit_per_minute=settings.rate_limit_per_minute)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        try:
            return getattr(self._client, operation)(TableName=self._table, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}:
                raise RateLimited("The service is busy right now. Please try again in a moment.") from exc
            raise

    def _call_if(self, operation: str, **kwargs: Any) -> bool:
        """A conditional write; False when its condition did not hold (nothing was written)."""
        try:
            self._call(operation, **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # ------------------------------------------------------------ writing a turn

    def store_user_message(
        self, user_id: str, *, conversation_id: str | None, client_message_id: uuid.UUID, text: str, now_ms: int,
        ids: tuple[str, str] | None = None,
    ) -> Turn:
        """Store the user's message and its answer placeholder atomically, once per clientMessageId.

        The same transaction counts the message against the user's per-minute allowance (RateLimited
        when it is spent), so a turn costs one round trip and a replayed frame costs no allowance.
        """
        new = conversation_id is None
        conversation_id = conversation_id or uuid.uuid4().hex
        message_id, reply_id = ids or new_turn_ids(now_ms)
        pk = _conv_pk(user_id, conversation_id)
        tokens = estimate_tokens(text)
        idempotency = {
            "pk": _user_pk(user_id),
            "sk": f"IDEM#{client_message_id}",
            "conversationId": conversation_id,
            "messageId": message_id,
            "replyId": reply_id,
            TTL_ATTRIBUTE: now_ms // 1000 + IDEMPOTENCY_TTL_SECONDS,
        }
        user_message = {
            "pk": pk, "sk": _msg_sk(message_id), "role": "user", "text": text, "status": "sent",
            "createdMs": now_ms, "tokens": tokens, "clientMessageId": str(client_message_id), "replyId": reply_id,
        }
        reply = {
            "pk": pk, "sk": _msg_sk(reply_id), "role": "assistant", "text": "", "status": "pending",
            "createdMs": now_ms, "tokens": 0, "replyTo": message_id,
        }
        updated_key = f"{now_ms:013d}#{conversation_id}"
        if new:
            conversation = {
                "Put": {
                    "TableName": self._table,
                    "Item": _dump({
                        "pk": pk, "sk": "META", "userId": user_id, "conversationId": conversation_id,
                        "title": _title(text), "messageCount": 2, "createdMs": now_ms, "updatedMs": now_ms,
                        "updatedKey": updated_key,
                    }),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        else:
            conversation = {
                "Update": {
                    "TableName": self._table,
                    "Key": _dump({"pk": pk, "sk": "META"}),
                    "UpdateExpression": "ADD messageCount :two SET updatedMs = :now, updatedKey = :key",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": _dump({":two": 2, ":now": now_ms, ":key": updated_key}),
                }
            }
        minute = now_ms // 60_000
        rate = {
            "Update": {
                "TableName": self._table,
                "Key": _dump({"pk": _user_pk(user_id), "sk": f"RATE#{minute}"}),
                "UpdateExpression": "ADD #n :one SET #ttl = :ttl",
                "ConditionExpression": "attribute_not_exists(#n) OR #n < :limit",
                "ExpressionAttributeNames": {"#n": "count", "#ttl": TTL_ATTRIBUTE},
                "ExpressionAttributeValues": _dump({":one": 1, ":limit": self._rate_limit, ":ttl": (minute + 2) * 60}),
            }
        }
        # The order matters to the cancellation reasons read below: a replay wins over the other two.
        items = [
            {"Put": {"TableName": self._table, "Item": _dump(idempotency),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            conversation,
            rate,
            {"Put": {"TableName": self._table, "Item": _dump(user_message)}},
            {"Put": {"TableName": self._table, "Item": _dump(reply)}},
        ]
        self.calls += 1
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
            failed = [reason == "ConditionalCheckFailed" for reason in reasons] + [False] * 3
            if failed[0]:
                return self._replayed_turn(user_id, client_message_id)
            if failed[1]:
                raise NotFound("No such conversation.") from exc
            if failed[2]:
                raise RateLimited(
                    f"You can send {self._rate_limit} messages a minute. Wait a moment and try again."
                ) from exc
            raise InternalError("Your message could not be stored. Please send it again.") from exc
        return Turn(conversation_id, message_id, reply_id, created=True)

    def _replayed_turn(self, user_id: str, client_message_id: uuid.UUID) -> Turn:
        item = self._call(
            "get_item",
            Key=_dump({"pk": _user_pk(user_id), "sk": f"IDEM#{client_message_id}"}),
            ConsistentRead=True,
        ).get("Item")
        if item is None:  # expired between the write and this read: practically impossible
            raise InternalError("Your message could not be stored. Please send it again.")
        plain = _load(item)
        return Turn(plain["conversationId"], plain["messageId"], plain["replyId"], created=False)

    # ------------------------------------------------------------ the generation worker

    def prompt_window(
        self, user_id: str, conversation_id: str, *, before: str, budget: int, page_size: int = 40
    ) -> list[StoredMessage]:
        """The most recent messages before the message id `before` whose tokens fit in `budget`, oldest first.

        Reads newest first and stops as soon as the budget is full, so the cost depends on the
        budget, never on the conversation's length. Answers that produced no text are left out.
        """
        window: list[StoredMessage] = []
        used = 0
        for message in self._messages_newest_first(user_id, conversation_id, before=before, page_size=page_size):
            if message.role is Role.ASSISTANT and not message.text:
                continue
            if used + message.tokens > budget:
                break
            window.append(message)
            used += message.tokens
        window.reverse()
        return window

    def _messages_newest_first(
        self, user_id: str, conversation_id: str, *, before: str, page_size: int
    ) -> Iterator[StoredMessage]:
        kwargs: dict[str, Any] = {
            # In a conversation's partition only message keys ('M#...') sort below 'M#<id>'.
            "KeyConditionExpression": "pk = :pk AND sk < :before",
            "ExpressionAttributeValues": _dump({":pk": _conv_pk(user_id, conversation_id), ":before": _msg_sk(before)}),
            "ScanIndexForward": False,
            "Limit": page_size,
            "ConsistentRead": True,
        }
        while True:
            page = self._call("query", **kwargs)
            yield from (StoredMessage.from_item(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def claim_reply(self, user_id: str, conversation_id: str, reply_id: str) -> bool:
        """Move a pending answer to streaming; False when it is not pending (it already started, or
        ended): Lambda may deliver the worker's event twice, and an answer is generated once."""
        return self._call_if(
            "update_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": _msg_sk(reply_id)}),
            UpdateExpression="SET #s = :streaming",
            ConditionExpression="#s = :pending",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_dump({":streaming": "streaming", ":pending": "pending"}),
        )

    def reply_status(self, user_id: str, conversation_id: str, reply_id: str) -> MessageStatus | None:
        item = self._call(
            "get_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": _msg_sk(reply_id)}),
            ProjectionExpression="#s",
            ExpressionAttributeNames={"#s": "status"},
            ConsistentRead=True,
        ).get("Item")
        return MessageStatus(_load(item)["status"]) if item else None

    def finish_reply(
        self,
        user_id: str,
        conversation_id: str,
        reply_id: str,
        *,
        text: str,
        status: MessageStatus,
        tokens: int,
        prompt_tokens: int | None = None,
        error_code: str | None = None,
    ) -> None:
        """Save the answer as it ended: complete, or partial and marked with why it stopped."""
        values = {":text": text, ":status": status.value, ":tokens": tokens, ":prompt": prompt_tokens,
                  ":error": error_code}
        sets = ["#t = :text", "#s = :status", "tokens = :tokens"]
        if prompt_tokens is not None:
            sets.append("promptTokens = :prompt")
        if error_code is not None:
            sets.append("errorCode = :error")
        # False when the conversation was deleted and purged while the answer streamed: there is nothing
        # left to save it into, and a conversation deleted meanwhile stays deleted.
        self._call_if(
            "update_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": _msg_sk(reply_id)}),
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#t": "text", "#s": "status"},
            ExpressionAttributeValues=_dump({k: v for k, v in values.items() if v is not None}),
        )

    def request_stop(self, user_id: str, conversation_id: str, message_id: str) -> None:
        """Ask the worker to stop an answer (harmless once it ended); NotFound when there is none."""
        if not self._call_if(
            "update_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": _msg_sk(message_id)}),
            UpdateExpression="SET stopRequested = :yes",
            ConditionExpression="attribute_exists(pk) AND #r = :assistant",
            ExpressionAttributeNames={"#r": "role"},
            ExpressionAttributeValues=_dump({":yes": True, ":assistant": "assistant"}),
        ):
            raise NotFound("No such answer in this conversation.")

    def stop_requested(self, user_id: str, conversation_id: str, reply_id: str) -> bool:
        item = self._call(
            "get_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": _msg_sk(reply_id)}),
            ProjectionExpression="stopRequested",
            ConsistentRead=True,
        ).get("Item")
        return bool(item and _load(item).get("stopRequested"))

    # ------------------------------------------------------------ reading back

    def history(self, user_id: str, conversation_id: str, *, before: str | None, limit: int) -> Page[StoredMessage]:
        """A page of messages older than `before` (the newest page without it), oldest first.

        The cursor is the oldest message id of the page, absent when there is nothing older.
        """
        self.require_conversation(user_id, conversation_id)
        page = self._call(
            "query",
            # 'M$' sorts right after every 'M#<id>' and before 'META'.
            KeyConditionExpression="pk = :pk AND sk < :before",
            ExpressionAttributeValues=_dump(
                {":pk": _conv_pk(user_id, conversation_id), ":before": _msg_sk(before) if before else "M$"}
            ),
            ScanIndexForward=False,
            Limit=limit + 1,  # one more than asked tells whether an older page exists
        )
        messages = [StoredMessage.from_item(item) for item in page.get("Items", [])]
        more = len(messages) > limit
        messages = messages[:limit][::-1]
        return Page(messages, messages[0].message_id if more else None)

    def require_conversation(self, user_id: str, conversation_id: str) -> None:
        item = self._call(
            "get_item", Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": "META"}), ProjectionExpression="pk"
        ).get("Item")
        if item is None:
            raise NotFound("No such conversation.")

    def list_conversations(self, user_id: str, *, cursor: str | None, limit: int) -> Page[ConversationView]:
        kwargs: dict[str, Any] = {
            "IndexName": BY_USER_INDEX.name,
            "KeyConditionExpression": "userId = :u",
            "ExpressionAttributeValues": _dump({":u": user_id}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = _dump(_decode_cursor(cursor, user_id))
        page = self._call("query", **kwargs)
        views = []
        for item in page.get("Items", []):
            plain = _load(item)
            views.append(
                ConversationView(
                    conversation_id=plain["conversationId"],
                    title=plain["title"],
                    message_count=int(plain["messageCount"]),
                    created_at=_datetime(int(plain["createdMs"])),
                    updated_at=_datetime(int(plain["updatedMs"])),
                )
            )
        last = page.get("LastEvaluatedKey")
        return Page(views, _encode_cursor(_load(last)) if last else None)

    def delete_conversation(self, user_id: str, conversation_id: str) -> None:
        """Remove the conversation from the list at once; `purge_messages` removes its messages."""
        if not self._call_if(
            "delete_item",
            Key=_dump({"pk": _conv_pk(user_id, conversation_id), "sk": "META"}),
            ConditionExpression="attribute_exists(pk)",
        ):
            raise NotFound("No such conversation.")

    def purge_messages(self, user_id: str, conversation_id: str) -> int:
        """Delete every message of a (deleted) conversation, 25 at a time; returns how many."""
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": _dump({":pk": _conv_pk(user_id, conversation_id)}),
            "ProjectionExpression": "pk, sk",
            "ConsistentRead": True,
        }
        deleted = 0
        while True:
            page = self._call("query", **kwargs)
            keys = page.get("Items", [])
            for start in range(0, len(keys), 25):
                requests = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]
                while requests:
                    self.calls += 1
                    result = self._client.batch_write_item(RequestItems={self._table: requests})
                    requests = result.get("UnprocessedItems", {}).get(self._table, [])
                    if requests:
                        time.sleep(0.05)
            deleted += len(keys)
            if "LastEvaluatedKey" not in page:
                return deleted
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class Connections:
    """The connections table: which user is on which WebSocket connection."""

    # API Gateway closes every connection after two hours; keep the record a little longer.
    TTL_SECONDS = 2 * 3600 + 600

    def __init__(self, client: DynamoDBClient, *, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, connection_id: str, *, user_id: str, now_ms: int) -> None:
        self._client.put_item(
            TableName=self._table,
            Item=_dump({
                "connectionId": connection_id, "userId": user_id, "connectedMs": now_ms,
                TTL_ATTRIBUTE: now_ms // 1000 + self.TTL_SECONDS,
            }),
        )

    def remove(self, connection_id: str) -> None:
        self._client.delete_item(TableName=self._table, Key=_dump({"connectionId": connection_id}))


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


_CURSOR_KEYS = {"pk", "sk", "userId", "updatedKey"}


def _decode_cursor(cursor: str, user_id: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        valid = (
            isinstance(key, dict) and key.get("userId") == user_id and set(key) == _CURSOR_KEYS
            # Key attributes are strings: another type would reach DynamoDB as a ValidationException.
            and all(isinstance(value, str) for value in key.values())
        )
    except (ValueError, binascii.Error, UnicodeDecodeError):
        valid = False
    if not valid:
        raise BadRequest("The cursor is not valid: pass the cursor of a previous conversations frame.")
    return key


__all__ = ["ChatError", "Connections", "Memory", "Page", "StoredMessage", "Turn", "estimate_tokens", "memory_budget",
           "new_message_id", "new_turn_ids"]
