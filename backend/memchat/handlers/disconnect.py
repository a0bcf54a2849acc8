"""$disconnect: forget the connection."""

from __future__ import annotations

from typing import Any

from memchat.events import parse
from memchat.handlers import snapshotting
from memchat.handlers.connect import connections
from memchat.memory import Connections
from memchat.socket_events import DisconnectEvent


def handle(event: dict[str, Any], table: Connections) -> dict[str, Any]:
    table.remove(parse(DisconnectEvent, event).request_context.connection_id)
    return {"statusCode": 200}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, connections())


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    connections()
