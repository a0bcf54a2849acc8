"""Revising the end of a conversation: answering its last message again, or going on with its last answer.

Only the conversation's last exchange can be revised (as in the chat apps users know): an earlier turn
changed would leave the answers after it answering something else. A regenerated answer and an edited
message are kept, marked `supersededBy` the message that replaced them: history shows them as
alternatives, and neither a prompt nor a summary reads them (`StoredMessage.in_prompt`). Each revision
calls the model, so it counts against the user's allowance in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from memchat.errors import BadRequest, InternalError, NotFound, RateLimited
from memchat.frames import FinishReason, MessageStatus, Role
from memchat.memory.codec import conversation_pk, dump, message_sk, new_turn_ids
from memchat.memory.leases import LEASE_SET, lease_values
from memchat.memory.reads import Reads, StoredMessage
from memchat.memory.turns import TurnWrites, placeholder

IN_FLIGHT = (MessageStatus.PENDING, MessageStatus.STREAMING)
# What continueAnswer goes on with: an answer cut short, by the user, a failure or the length limit.
CONTINUABLE = (MessageStatus.STOPPED, MessageStatus.INTERRUPTED)


@dataclass(frozen=True)
class Exchange:
    """The conversation's last user message and its current answer."""

    message: StoredMessage
    answer: StoredMessage


class Revisions(TurnWrites, Reads):
    def last_exchange(self, user_id: str, conversation_id: str) -> Exchange:
        """Read consistently, newest first, past the messages replaced by revisions; NotFound when the
        conversation has none (or is not the user's)."""
        kwargs: dict[str, Any] = {
            # 'M$' sorts right after every 'M#<id>' and before 'META'.
            "KeyConditionExpression": "pk = :pk AND sk < :end",
            "ExpressionAttributeValues": dump({":pk": conversation_pk(user_id, conversation_id), ":end": "M$"}),
            "ScanIndexForward": False,
            "Limit": 10,
            "ConsistentRead": True,
        }
        answer: StoredMessage | None = None
        for item in self._query_all(**kwargs):
            message = StoredMessage.from_item(item)
            if message.superseded_by:
                continue
            if answer is None:
                answer = message
                continue
            if message.role is not Role.USER or answer.role is not Role.ASSISTANT:
                raise BadRequest("The conversation's last message has no answer to change.")
            return Exchange(message, answer)
        raise NotFound("No such conversation.")

    def latest_answer(self, user_id: str, conversation_id: str, answer_id: str) -> Exchange:
        """The last exchange, whose answer must be `answer_id` and have ended."""
        exchange = self.last_exchange(user_id, conversation_id)
        if exchange.answer.message_id != answer_id:
            raise BadRequest("Only the conversation's latest answer can be changed.")
        if exchange.answer.status in IN_FLIGHT:
            raise BadRequest("The answer is still being written: stop it or wait for it to end.")
        return exchange

    def regenerate_reply(self, user_id: str, conversation_id: str, answer_id: str, *, now_ms: int,
                         connection_id: str, start_grace_ms: int) -> Exchange:
        """Store a new answer to the message `answer_id` answered, superseding it; returns the exchange
        with the new (pending) answer."""
        exchange = self.latest_answer(user_id, conversation_id, answer_id)
        pk = conversation_pk(user_id, conversation_id)
        _, reply_id = new_turn_ids(now_ms)
        reply = placeholder(pk, reply_id, reply_to=exchange.message.message_id, now_ms=now_ms,
                            connection_id=connection_id, start_grace_ms=start_grace_ms)
        self._revise([
            self.supersede(pk, answer_id, by=reply_id),
            self.touch(pk, conversation_id, now_ms=now_ms, added=1),
            {"Put": {"TableName": self._table, "Item": dump(reply)}},
        ], user_id=user_id, now_ms=now_ms)
        return Exchange(exchange.message, StoredMessage.from_plain(reply))

    def continue_reply(self, user_id: str, conversation_id: str, answer_id: str, *, now_ms: int,
                       connection_id: str, start_grace_ms: int) -> Exchange:
        """Make the latest answer, cut short, pending again with its text kept; returns the exchange with
        the answer as it was (its text is what the model continues)."""
        exchange = self.latest_answer(user_id, conversation_id, answer_id)
        answer = exchange.answer
        cut = answer.status in CONTINUABLE or (
            answer.status is MessageStatus.COMPLETE and answer.finish_reason is FinishReason.LENGTH)
        if not cut or not answer.text:
            raise BadRequest("Only an answer that was stopped or cut short can be continued.")
        self._revise([
            {"Update": {
                "TableName": self._table,
                "Key": dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(answer_id)}),
                "UpdateExpression": f"SET #s = :pending, connectionId = :connection, followers = :none, {LEASE_SET}"
                                    " REMOVE stopRequested, errorCode, finishReason",
                # Unchanged since it was read: two continues of one answer start one worker.
                "ConditionExpression": "#s = :was AND #t = :text AND attribute_not_exists(supersededBy)",
                "ExpressionAttributeNames": {"#s": "status", "#t": "text"},
                "ExpressionAttributeValues": dump({
                    ":pending": "pending", ":connection": connection_id, ":none": {}, ":was": answer.status.value,
                    ":text": answer.text, **lease_values(answer_id, now_ms + start_grace_ms)}),
            }},
        ], user_id=user_id, now_ms=now_ms)
        return exchange

    def _revise(self, items: list[dict[str, Any]], *, user_id: str, now_ms: int) -> None:
        """Write a revision with its count against the allowance, in one transaction."""
        reasons = self._transact([*items, self.rate_count(user_id, now_ms)])
        if reasons is None:
            return
        failed = [reason == "ConditionalCheckFailed" for reason in reasons]
        if failed[-1]:
            raise RateLimited(f"You can send {self._rate_limit} messages a minute. Wait a moment and try again.")
        if any(failed):
            raise BadRequest("The conversation changed meanwhile: reload it and try again.")
        raise InternalError("The answer could not be started. Please try again.")
