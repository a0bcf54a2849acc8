"""Answers that wait for the model to wake, and the model's own wake: its start and how long the last one took.

An answer whose worker found no copy of the model running goes back to `pending` with the wake's bound and
the job to run again (memchat.waking). Its lease then runs out at the next try, so the sweep finds it with
every other stale answer and tells them apart by `wakeUntil`: a waiting answer before its bound is handed
to a worker again, one past it ends as `model_unavailable`.

    wakeSince      <ms>        when the answer began to wait
    wakeUntil      <ms>        the bound: the sweep ends it from then on
    wakeJob        <json>      the worker's job, to run again (without its prompt window: the worker reads it)

The model's wake is one item per endpoint, outside every user's keys (no request names it):

    MODEL#{endpoint}  WAKE     since: when the current wake began (absent while awake);
                               lastWakeMs: how long the last measured wake took
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from memchat.memory.codec import conversation_pk, dump, load, message_sk
from memchat.memory.leases import FOLLOW_ATTRIBUTES, LEASE_ATTRIBUTES, LEASE_SET, followers_of, lease_values
from memchat.memory.table import Table

WAIT_ATTRIBUTES = ("wakeSince", "wakeUntil", "wakeJob")


@dataclass(frozen=True)
class Wait:
    """An answer waiting for the model: who to tell, and since and until when it waits."""

    since_ms: int
    until_ms: int
    connections: tuple[str, ...] = ()  # the one that sent the message, then those that resumed the answer


@dataclass(frozen=True)
class ModelWake:
    """The model's current wake: when it began, whether this caller began it, and the last one's length."""

    since_ms: int
    began: bool
    last_ms: int | None


def _connections(attributes: dict[str, Any]) -> tuple[str, ...]:
    plain = load(attributes)
    followers = followers_of({"Attributes": attributes})
    return tuple(dict.fromkeys(c for c in (plain.get("connectionId"), *followers) if c))


def model_key(endpoint: str) -> dict[str, Any]:
    return dump({"pk": f"MODEL#{endpoint}", "sk": "WAKE"})


class Waits(Table):
    def wait_for_model(self, user_id: str, conversation_id: str, reply_id: str, *, owner: str, since_ms: int,
                       until_ms: int, retry_at_ms: int, job: str) -> Wait | None:
        """Put the answer this worker claimed back to `pending` to wait for the model, its lease running out
        at the next try (never past the bound); None when it is no longer this worker's."""
        response = self._write_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(reply_id)}),
            UpdateExpression=f"SET #s = :pending, wakeSince = :since, wakeUntil = :until, wakeJob = :job, {LEASE_SET} "
                             "REMOVE #o",
            ConditionExpression="#s = :streaming AND #o = :owner",
            ExpressionAttributeNames={"#s": "status", "#o": "owner"},
            ExpressionAttributeValues=dump({":pending": "pending", ":streaming": "streaming", ":owner": owner,
                                            ":since": since_ms, ":until": until_ms, ":job": job,
                                            **lease_values(reply_id, min(retry_at_ms, until_ms))}),
            ReturnValues="ALL_NEW",
        )
        if response is None:
            return None
        return Wait(since_ms, until_ms, _connections(response.get("Attributes", {})))

    def retry_waiting(self, item: dict[str, Any], *, now_ms: int, lease_ms: int) -> bool:
        """Take a waiting answer whose try came (before its bound) for one new try, giving its worker
        `lease_ms` to claim it; False when another sweep took it, or it ended or changed meanwhile."""
        return self._call_if(
            "update_item",
            Key=dump({"pk": item["pk"], "sk": item["sk"]}),
            UpdateExpression=f"SET {LEASE_SET}",
            ConditionExpression="#s = :pending AND leaseUntil < :now AND wakeUntil > :now",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=dump({":pending": "pending", ":now": now_ms,
                                            **lease_values(str(item["sk"]).removeprefix("M#"), now_ms + lease_ms)}),
        )

    def stop_waiting(self, user_id: str, conversation_id: str, reply_id: str) -> tuple[str, ...] | None:
        """End a waiting answer the user stopped (no worker holds it to see the stop): `stopped`, with the
        text it had; the connections to tell, or None when it is not waiting (a worker has it, or it ended)."""
        response = self._write_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": message_sk(reply_id)}),
            UpdateExpression="SET #s = :stopped, finishReason = :stopped REMOVE "
                             + ", ".join((*LEASE_ATTRIBUTES, *FOLLOW_ATTRIBUTES, *WAIT_ATTRIBUTES)),
            ConditionExpression="#s = :pending AND attribute_exists(wakeUntil)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=dump({":pending": "pending", ":stopped": "stopped"}),
            ReturnValues="ALL_OLD",
        )
        return None if response is None else _connections(response.get("Attributes", {}))

    def waiting(self, user_id: str, conversation_id: str, reply_id: str) -> Wait | None:
        """The answer's wait, while it waits for the model; None otherwise."""
        item = self._message_item(user_id, conversation_id, reply_id, ("status", "wakeSince", "wakeUntil"))
        plain = load(item) if item else {}
        if plain.get("status") != "pending" or "wakeUntil" not in plain:
            return None
        return Wait(int(plain["wakeSince"]), int(plain["wakeUntil"]))

    def begin_wake(self, endpoint: str, *, now_ms: int, stale_ms: int) -> ModelWake:
        """The model's current wake, begun now unless one began less than `stale_ms` ago (a wake older
        than that never ended: the model never came up, and a new one begins)."""
        response = self._write_if(
            "update_item",
            Key=model_key(endpoint),
            UpdateExpression="SET since = :now",
            ConditionExpression="attribute_not_exists(since) OR since < :stale",
            ExpressionAttributeValues=dump({":now": now_ms, ":stale": now_ms - stale_ms}),
            ReturnValues="ALL_NEW",
        )
        if response is not None:
            plain = load(response.get("Attributes", {}))
            return ModelWake(now_ms, True, _int(plain.get("lastWakeMs")))
        item = self._call("get_item", Key=model_key(endpoint), ConsistentRead=True).get("Item") or {}
        plain = load(item)
        return ModelWake(_int(plain.get("since")) or now_ms, False, _int(plain.get("lastWakeMs")))

    def end_wake(self, endpoint: str, *, now_ms: int) -> int | None:
        """The model answered: the wake in progress ends, its length kept as the next estimate; the length,
        or None when no wake was in progress (another answer ended it first)."""
        response = self._write_if(
            "update_item",
            Key=model_key(endpoint),
            UpdateExpression="SET lastWakeMs = :now - since REMOVE since",
            ConditionExpression="attribute_exists(since) AND since <= :now",
            ExpressionAttributeValues=dump({":now": now_ms}),
            ReturnValues="ALL_NEW",
        )
        return None if response is None else _int(load(response.get("Attributes", {})).get("lastWakeMs"))

    def model_wake(self, endpoint: str) -> tuple[int | None, int | None]:
        """When the model's current wake began (None while awake), and how long the last one took."""
        item = self._call("get_item", Key=model_key(endpoint), ConsistentRead=True).get("Item") or {}
        plain = load(item)
        return _int(plain.get("since")), _int(plain.get("lastWakeMs"))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
