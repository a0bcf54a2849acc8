"""Keys and codecs of the chat table: every key is built here, from the caller's user id, and items
move between Python values and DynamoDB's typed JSON in one place. `tables.py` draws the layout."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from memchat.errors import BadRequest

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


# The user's settings item: the memory setting (memories.py) and the user's instructions (instructions.py).
SETTINGS_SK = "MEMCFG"
# The terms of the user's newest messages (search/recent.py): a fixed few items right after the settings item and
# before the memories' history ('C' < 'E' < 'H'), so the Query that reads the memories for a prompt reads them
# too when the message refers to the past, and never otherwise.
RECENT_PREFIX = "MEMEX#"
RECENT_LAST = "MEMEX$"  # after every item of the prefix


def conversation_pk(user_id: str, conversation_id: str) -> str:
    return f"U#{user_id}#C#{conversation_id}"


def user_pk(user_id: str) -> str:
    return f"U#{user_id}"


def message_sk(message_id: str) -> str:
    return f"M#{message_id}"


def memory_sk(memory_id: str) -> str:
    return f"MEM#{memory_id}"


def new_message_id(now_ms: int, sequence: int = 0, nonce: str | None = None) -> str:
    """Ids sort by creation time (the sort key), then by a random nonce, then by sequence."""
    return f"{now_ms:012x}{nonce or secrets.token_hex(5)}{sequence:x}"


def message_ms(message_id: str) -> int | None:
    """When a message was stored, read from its id (`new_message_id`); None for an id of another form."""
    try:
        return int(message_id[:12], 16) if len(message_id) > 12 else None
    except ValueError:
        return None


def new_turn_ids(now_ms: int) -> tuple[str, str]:
    """The ids of a user message and of its answer, which sorts right after it: they share their time
    and nonce, so two turns of one conversation begun in the same millisecond never interleave."""
    nonce = secrets.token_hex(5)
    return new_message_id(now_ms, 0, nonce), new_message_id(now_ms, 1, nonce)


def to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def dump(item: dict[str, Any]) -> dict[str, Any]:
    """A plain item as DynamoDB's typed JSON; None values are left out (DynamoDB has no null here)."""
    return {key: _serializer.serialize(value) for key, value in item.items() if value is not None}


def load(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


_CURSOR_KEYS = {"pk", "sk", "userId", "updatedKey"}


def decode_cursor(cursor: str, user_id: str) -> dict[str, Any]:
    """A conversations cursor back to its key; BadRequest unless it is one of this user's."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        valid = (
            isinstance(key, dict) and key.get("userId") == user_id and set(key) == _CURSOR_KEYS
            # Key attributes are strings: another type would reach DynamoDB as a ValidationException.
            and all(isinstance(value, str) for value in key.values())
        )
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        valid = False
    if not valid:
        raise BadRequest("The cursor is not valid: pass the cursor of a previous conversations frame.")
    return key
