"""$disconnect forgets the connection."""

from __future__ import annotations

from memchat.handlers import connect, disconnect

from ..recorded import CONNECTION, event


def _recorded(dynamodb, settings) -> bool:
    key = {"connectionId": {"S": CONNECTION}}
    return "Item" in dynamodb.get_item(TableName=settings.connections_table_name, Key=key)


def test_a_disconnect_removes_the_connection(connections, dynamodb, settings):
    connect.handle(event("connect"), connections)
    assert disconnect.handle(event("disconnect"), connections) == {"statusCode": 200}
    assert not _recorded(dynamodb, settings)


def test_a_disconnect_of_an_unknown_connection_succeeds(connections):
    assert disconnect.handle(event("disconnect"), connections) == {"statusCode": 200}


def test_the_lambda_entry_point_removes_from_the_configured_table(cold_start, connections, dynamodb, settings):
    connect.handle(event("connect"), connections)
    disconnect.lambda_handler(event("disconnect"), None)
    assert not _recorded(dynamodb, settings)
