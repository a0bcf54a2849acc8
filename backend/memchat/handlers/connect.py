"""$connect: record which user is on the new connection (the authorizer has already let it in)."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from memchat import clients
from memchat.events import parse
from memchat.handlers import snapshotting
from memchat.memory import Connections
from memchat.settings import get_settings
from memchat.socket_events import ConnectEvent


@cache
def connections() -> Connections:
    return Connections(clients.dynamodb(), table_name=get_settings().connections_table_name)


def handle(event: dict[str, Any], table: Connections) -> dict[str, Any]:
    request = parse(ConnectEvent, event).request_context
    table.add(request.connection_id, user_id=request.user_id(), now_ms=int(time.time() * 1000))
    return {"statusCode": 200}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, connections())


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    connections()
