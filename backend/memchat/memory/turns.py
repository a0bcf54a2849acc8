"""Writing a turn: the user's message with its answer placeholder, then the answer's life until it ends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from memchat.errors import InternalError, NotFound, RateLimited
from memchat.frames import FinishReason, MessageStatus
from memchat.memory.budget import estimate_tokens
from memchat.memory.codec import conversation_pk, dump, load, message_sk, new_turn_ids, user_pk
from memchat.memory.leases import FOLLOW_ATTRIBUTES, LEASE_ATTRIBUTES, Followers, followers_of, lease_attributes
from memchat.memory.projects import project_sk
from memchat.memory.table import Table
from memchat.tables import TTL_ATTRIBUTE

IDEMPOTENCY_TTL_SECONDS = 24 * 3600
TITLE_CHARS = 60


def placeholder(pk: str, reply_id: str, *, reply_to: str, now_ms: int, connection_id: str | None,
                start_grace_ms: int) -> dict[str, Any]:
    """A pending answer (plain item). Its lease gives its worker `start_grace_ms` to claim it; past that
    the sweep ends it."""
    return {
        "pk": pk, "sk": message_sk(reply_id), "role": "assistant", "text": "", "status": "pending",
        "createdMs": now_ms, "tokens": 0, "replyTo": reply_to, "connectionId": connection_id,
        "followers": {}, **lease_attributes(reply_id, now_ms + start_grace_ms),
    }


@dataclass(frozen=True)
class AnswerPoll:
    stop: bool
    followers: Followers


@dataclass(frozen=True)
class Turn:
    """A stored user message and the answer placeholder stored with it."""

    conversation_id: str
    message_id: str
    reply_id: str
    created: bool  # False when this was a retry of an already stored message


def first_words_title(text: str) -> str:
    """The title a conversation has until the model writes one: its first message, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


class TurnWrites(Table):
    def store_user_message(
        self, user_id: str, *, conversation_id: str | None, client_message_id: uuid.UUID, text: str, now_ms: int,
        ids: tuple[str, str] | None = None, temporary: bool = False, connection_id: str | None = None,
        start_grace_ms: int = 120_000, replaces: tuple[str, str] | None = None, project_id: str | None = None,
    ) -> Turn:
        """Store the user's message and its answer placeholder atomically, once per clientMessageId.

        The same transaction counts the message against the user's per-minute allowance (RateLimited
        when it is spent), so a turn costs one round trip and a replayed frame costs no allowance.
        `temporary` applies to a new conversation only: it neither reads nor writes long-term memory.
        `replaces` (an edit) names the last user message and its ended answer, which the new ones
        supersede in the same transaction (NotFound when they are not that any more). `project_id` starts
        a new conversation inside that project, checked to be the user's in the same transaction.
        """
        new = conversation_id is None
        conversation_id = conversation_id or uuid.uuid4().hex
        message_id, reply_id = ids or new_turn_ids(now_ms)
        pk = conversation_pk(user_id, conversation_id)
        idempotency = {
            "pk": user_pk(user_id),
            "sk": f"IDEM#{client_message_id}",
            "conversationId": conversation_id,
            "messageId": message_id,
            "replyId": reply_id,
            TTL_ATTRIBUTE: now_ms // 1000 + IDEMPOTENCY_TTL_SECONDS,
        }
        user_message = {
            "pk": pk, "sk": message_sk(message_id), "role": "user", "text": text, "status": "sent",
            "createdMs": now_ms, "tokens": estimate_tokens(text), "clientMessageId": str(client_message_id),
            "replyId": reply_id,
        }
        reply = placeholder(pk, reply_id, reply_to=message_id, now_ms=now_ms, connection_id=connection_id,
                            start_grace_ms=start_grace_ms)
        updated_key = f"{now_ms:013d}#{conversation_id}"
        if new:
            conversation = {
                "Put": {
                    "TableName": self._table,
                    "Item": dump({
                        "pk": pk, "sk": "META", "userId": user_id, "conversationId": conversation_id,
                        "title": first_words_title(text), "messageCount": 2, "createdMs": now_ms,
                        "updatedMs": now_ms, "updatedKey": updated_key, "temporary": temporary or None,
                        "projectId": project_id,
                    }),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        else:
            conversation = self.touch(pk, conversation_id, now_ms=now_ms, added=2)
        rate = self.rate_count(user_id, now_ms)
        # The order matters to the cancellation reasons read below: a replay wins over the other two.
        items = [
            {"Put": {"TableName": self._table, "Item": dump(idempotency),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            conversation,
            rate,
            {"Put": {"TableName": self._table, "Item": dump(user_message)}},
            {"Put": {"TableName": self._table, "Item": dump(reply)}},
        ]
        if replaces is not None:
            items += [self.supersede(pk, replaced, by=message_id) for replaced in replaces]
        if new and project_id is not None:  # a new conversation is never an edit: this is item 5
            items.append({"ConditionCheck": {
                "TableName": self._table, "Key": dump({"pk": user_pk(user_id), "sk": project_sk(project_id)}),
                "ConditionExpression": "attribute_exists(pk)"}})
        reasons = self._transact(items)
        if reasons is None:
            return Turn(conversation_id, message_id, reply_id, created=True)
        failed = [reason == "ConditionalCheckFailed" for reason in reasons] + [False] * 7
        if failed[0]:
            return self._replayed_turn(user_id, client_message_id)
        if failed[1]:
            raise NotFound("No such conversation.")
        if failed[2]:
            raise RateLimited(f"You can send {self._rate_limit} messages a minute. Wait a moment and try again.")
        if new and project_id is not None and failed[5]:
            raise NotFound("No such project.")
        if any(failed[5:]):
            raise NotFound("That is no longer the conversation's last message and answer.")
        raise InternalError("Your message could not be stored. Please send it again.")

    def touch(self, pk: str, conversation_id: str, *, now_ms: int, added: int) -> dict[str, Any]:
        """A transaction item counting `added` messages into an existing conversation, now its newest."""
        return {
            "Update": {
                "TableName": self._table,
                "Key": dump({"pk": pk, "sk": "META"}),
                "UpdateExpression": "ADD messageCount :added SET updatedMs = :now, updatedKey = :key",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": dump({":added": added, ":now": now_ms,
                                                   ":key": f"{now_ms:013d}#{conversation_id}"}),
            }
        }

    def rate_count(self, user_id: str, now_ms: int) -> dict[str, Any]:
        """A transaction item counting one model call against the user's allowance for this minute."""
        minute = now_ms // 60_000
        return {
            "Update": {
                "TableName": self._table,
                "Key": dump({"pk": user_pk(user_id), "sk": f"RATE#{minute}"}),
                "UpdateExpression": "ADD #n :one SET #ttl = :ttl",
                "ConditionExpression": "attribute_not_exists(#n) OR #n < :limit",
                "ExpressionAttributeNames": {"#n": "count", "#ttl": TTL_ATTRIBUTE},
                "ExpressionAttributeValues": dump({":one": 1, ":limit": self._rate_limit, ":ttl": (minute + 2) * 60}),
            }
        }

    def supersede(self, pk: str, message_id: str, *, by: str) -> dict[str, Any]:
        """A transaction item marking a message as replaced by `by`; it must exist, not be replaced
        already, and not be an answer still being written."""
        return {
            "Update": {
                "TableName": self._table,
                "Key": dump({"pk": pk, "sk": message_sk(message_id)}),
                "UpdateExpression": "SET supersededBy = :by",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(supersededBy) "
                                       "AND NOT #s IN (:pending, :streaming)",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": dump({":by": by, ":pending": "pending", ":streaming": "streaming"}),
            }
        }

    def _replayed_turn(self, user_id: str, client_message_id: uuid.UUID) -> Turn:
        turn = self.stored_turn(user_id, client_message_id)
        if turn is None:  # expired between the write and this read: practically impossible
            raise InternalError("Your message could not be stored. Please send it again.")
        return turn

    def stored_turn(self, user_id: str, client_message_id: uuid.UUID) -> Turn | None:
        """The turn a clientMessageId stored (in the last 24 hours), if any."""
        item = self._call(
            "get_item",
            Key=dump({"pk": user_pk(user_id), "sk": f"IDEM#{client_message_id}"}),
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        plain = load(item)
        return Turn(plain["conversationId"], plain["messageId"], plain["replyId"], created=False)

    def reply_status(self, user_id: str, conversation_id: str, reply_id: str) -> MessageStatus | None:
        item = self._message_item(user_id, conversation_id, reply_id, ("status",))
        return MessageStatus(load(item)["status"]) if item else None

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
        error_message: str | None = None,
        recalled: list[str] | None = None,
        exchanges: list[tuple[str, str]] | None = None,
        finish_reason: FinishReason | None = None,
        owner: str | None = None,
    ) -> Followers | None:
        """Save the answer as it ended: complete, or partial and marked with why it stopped; returns the
        connections that resumed it (read in the same write, so none is missed: a later resumeAnswer
        finds the answer ended), or None when nothing was saved: the conversation was deleted meanwhile,
        or (with `owner`, the worker's lease token) the answer is no longer that worker's to end.

        `recalled` lists the ids of the memories its prompt carried, so the user can see why it knows;
        `exchanges` the earlier exchanges it carried, as (conversation id, the user's message id) only: their
        words are read from the live items whenever the answer is shown (search/citations.py), so a word
        deleted or forgotten since never comes back through the answer.
        """
        values = {":text": text, ":status": status.value, ":tokens": tokens, ":prompt": prompt_tokens,
                  ":error": error_code, ":why": error_message, ":recalled": recalled or None,
                  ":exchanges": [{"conversationId": c, "messageId": m} for c, m in exchanges] if exchanges else None,
                  ":finish": finish_reason.value if finish_reason else None}
        sets = ["#t = :text", "#s = :status", "tokens = :tokens"]
        if prompt_tokens is not None:
            sets.append("promptTokens = :prompt")
        if error_code is not None:
            sets.append("errorCode = :error")
        if error_message is not None:
            sets.append("errorMessage = :why")
        if recalled:
            sets.append("recalled = :recalled")
        if exchanges:
            sets.append("exchanges = :exchanges")
        if finish_reason is not None:
            sets.append("finishReason = :finish")
        # A conversation deleted and purged while the answer streamed stays deleted; an answer the sweep
        # ended or another delivery took over meanwhile is theirs (and its client was told by them).
        condition, names = "attribute_exists(pk)", {"#t": "text", "#s": "status"}
        if owner is not None:
            condition += " AND #s = :streaming AND #o = :owner"
            names["#o"] = "owner"
            values |= {":streaming": "streaming", ":owner": owner}
        response = self._write_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(reply_id)}),
            UpdateExpression="SET " + ", ".join(sets) + " REMOVE " + ", ".join((*LEASE_ATTRIBUTES,
                                                                                 *FOLLOW_ATTRIBUTES)),
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=dump({k: v for k, v in values.items() if v is not None}),
            ReturnValues="ALL_OLD",
        )
        return None if response is None else followers_of(response)

    def abandon_reply(self, user_id: str, conversation_id: str, reply_id: str, *,
                      error_code: str, error_message: str | None = None) -> Followers | None:
        """End an answer no worker will finish as `failed`; the connections that resumed it, or None when
        it had already ended (or is gone)."""
        why = ("errorMessage = :why", {":why": error_message}) if error_message else ("", {})
        response = self._write_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(reply_id)}),
            UpdateExpression="SET #s = :failed, errorCode = :error" + (f", {why[0]}" if why[0] else "")
                             + " REMOVE " + ", ".join((*LEASE_ATTRIBUTES, *FOLLOW_ATTRIBUTES)),
            ConditionExpression="#s IN (:pending, :streaming)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=dump({":failed": "failed", ":error": error_code, ":pending": "pending",
                                            ":streaming": "streaming", **why[1]}),
            ReturnValues="ALL_OLD",
        )
        return None if response is None else followers_of(response)

    def request_stop(self, user_id: str, conversation_id: str, message_id: str) -> None:
        """Ask the worker to stop an answer (harmless once it ended); NotFound when there is none."""
        if not self._call_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(message_id)}),
            UpdateExpression="SET stopRequested = :yes",
            ConditionExpression="attribute_exists(pk) AND #r = :assistant",
            ExpressionAttributeNames={"#r": "role"},
            ExpressionAttributeValues=dump({":yes": True, ":assistant": "assistant"}),
        ):
            raise NotFound("No such answer in this conversation.")

    def poll_answer(self, user_id: str, conversation_id: str, reply_id: str) -> AnswerPoll:
        """What the worker reads beside its stream (one GetItem every poll, none per delta): whether the
        user asked to stop, and which connections resumed the answer from which delta."""
        item = self._message_item(user_id, conversation_id, reply_id, ("stopRequested", "followers"))
        plain = load(item) if item else {}
        return AnswerPoll(stop=bool(plain.get("stopRequested")), followers=followers_of({"Attributes": item or {}}))
