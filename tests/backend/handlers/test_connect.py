"""$connect records who is on the new connection."""

from __future__ import annotations

from memchat.handlers import connect

from ..recorded import ALICE, BOB, CONNECTION, event


def _record(dynamodb, settings, connection_id: str = CONNECTION):
    key = {"connectionId": {"S": connection_id}}
    return dynamodb.get_item(TableName=settings.connections_table_name, Key=key).get("Item")


def test_a_connection_is_recorded_with_the_authorizers_user(connections, dynamodb, settings):
    assert connect.handle(event("connect"), connections) == {"statusCode": 200}

    item = _record(dynamodb, settings)
    assert item["userId"] == {"S": ALICE}
    assert int(item["connectedMs"]["N"]) > 0 and "expiresAt" in item


def test_each_connection_is_recorded_for_its_own_user(connections, dynamodb, settings):
    connect.handle(event("connect"), connections)
    connect.handle(event("connect", connection_id="BxVAp3nKoAMCKdw=", user_id=BOB), connections)

    assert _record(dynamodb, settings)["userId"] == {"S": ALICE}
    assert _record(dynamodb, settings, "BxVAp3nKoAMCKdw=")["userId"] == {"S": BOB}


def test_the_lambda_entry_point_writes_to_the_configured_table(cold_start, dynamodb, settings):
    connect.lambda_handler(event("connect"), None)
    assert _record(dynamodb, settings)["userId"] == {"S": ALICE}
