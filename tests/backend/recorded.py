"""Recorded inputs: API Gateway WebSocket events as API Gateway sends them, and long stored conversations.

The events under events/ were captured from a WebSocket API with a REQUEST authorizer on $connect; ids,
addresses and the token are replaced with stable fictional ones. `event()` returns a fresh copy, with the
few values a test varies swapped in.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from memchat.memory import estimate_tokens, new_message_id

EVENTS = Path(__file__).parent / "events"

ALICE = "6c1f0b7e-2d4a-4f39-9a51-3e8b2c7d9f10"  # the user in the recorded events (a Cognito sub)
BOB = "0a9e3d55-7b1c-4e2f-8d6a-5c4b3a291e08"
CONNECTION = "BxU2kfGZoAMCJTQ="  # Alice's connection in the recorded events
BOB_CONNECTION = "BxVAp3nKoAMCKdw="


@cache
def _load(name: str) -> str:
    return (EVENTS / f"{name}.json").read_text()


def event(
    name: str,
    *,
    body: str | dict | None = None,
    connection_id: str | None = None,
    user_id: str | None = None,
    token: str | None = None,
    authorized: bool = True,
) -> dict[str, Any]:
    """A recorded event; `body` (a frame, as a dict or raw text), connection, user and token swapped in."""
    data = json.loads(_load(name))
    context = data.get("requestContext", {})
    if body is not None:
        data["body"] = body if isinstance(body, str) else json.dumps(body)
    if connection_id is not None:
        context["connectionId"] = connection_id
    if user_id is not None:
        context["authorizer"].update(userId=user_id, principalId=user_id)
    if not authorized:
        context.pop("authorizer", None)
    if token is not None:
        data["queryStringParameters"]["token"] = token
        data["multiValueQueryStringParameters"]["token"] = [token]
    return copy.deepcopy(data)


def seed_conversation(
    client: Any,
    table: str,
    user_id: str,
    *,
    messages: int,
    text: Callable[[int], str] = lambda i: f"message {i}: " + "lorem ipsum dolor sit amet " * 8,
    start_ms: int = 1_732_000_000_000,
) -> tuple[str, list[str]]:
    """Write a finished conversation of `messages` alternating user/assistant messages, 25 per BatchWriteItem.

    Items have the layout tables.py documents (and Memory writes), so a long history costs a few
    batch writes instead of one transaction per turn. Returns the conversation id and the message ids.
    """
    conversation_id = uuid.uuid4().hex
    pk = f"U#{user_id}#C#{conversation_id}"
    last_ms = start_ms + (messages - 1) * 1000
    items = [{
        "pk": {"S": pk}, "sk": {"S": "META"}, "userId": {"S": user_id}, "conversationId": {"S": conversation_id},
        "title": {"S": text(0)[:60]}, "messageCount": {"N": str(messages)}, "createdMs": {"N": str(start_ms)},
        "updatedMs": {"N": str(last_ms)}, "updatedKey": {"S": f"{last_ms:013d}#{conversation_id}"},
    }]
    ids = []
    for i in range(messages):
        now_ms = start_ms + i * 1000
        message_id = new_message_id(now_ms, i % 2)
        ids.append(message_id)
        words = text(i)
        item = {
            "pk": {"S": pk}, "sk": {"S": f"M#{message_id}"}, "role": {"S": "assistant" if i % 2 else "user"},
            "text": {"S": words}, "createdMs": {"N": str(now_ms)}, "tokens": {"N": str(estimate_tokens(words))},
            "status": {"S": "complete" if i % 2 else "sent"},
        }
        if i % 2:
            item["replyTo"] = {"S": ids[i - 1]}
        items.append(item)
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        while requests:
            result = client.batch_write_item(RequestItems={table: requests})
            requests = result.get("UnprocessedItems", {}).get(table, [])
    return conversation_id, ids
