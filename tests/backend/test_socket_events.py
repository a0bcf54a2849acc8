"""The API Gateway WebSocket events the routes receive: recorded events parse, with the authorizer's user."""

from __future__ import annotations

import json

import pytest

from memchat.errors import Unauthorized
from memchat.events import parse
from memchat.socket_events import ConnectEvent, DisconnectEvent, MessageEvent

from .recorded import ALICE, CONNECTION, event


def test_a_recorded_message_event_parses_with_the_authorizers_user():
    request = parse(MessageEvent, event("send_message"))
    context = request.request_context

    assert (context.route_key, context.event_type, context.connection_id) == ("sendMessage", "MESSAGE", CONNECTION)
    assert context.user_id() == ALICE
    assert json.loads(request.body)["action"] == "sendMessage"


def test_a_recorded_default_route_event_parses_with_its_raw_body():
    request = parse(MessageEvent, event("default_route"))
    assert (request.request_context.route_key, request.body) == ("$default", "hello?")


def test_a_recorded_connect_event_parses_with_the_authorizers_user():
    context = parse(ConnectEvent, event("connect")).request_context
    assert (context.route_key, context.event_type, context.connection_id) == ("$connect", "CONNECT", CONNECTION)
    assert context.user_id() == ALICE


def test_a_recorded_disconnect_event_parses_with_its_close_code():
    context = parse(DisconnectEvent, event("disconnect")).request_context
    assert (context.connection_id, context.disconnect_status_code, context.disconnect_reason) == (
        CONNECTION, 1001, "Going away")


def test_a_route_reached_without_the_authorizer_is_unauthorized():
    context = parse(MessageEvent, event("send_message", authorized=False)).request_context
    with pytest.raises(Unauthorized):
        context.user_id()


def test_an_event_of_another_shape_is_a_clear_deployment_error():
    with pytest.raises(ValueError, match="Unexpected ConnectEvent shape"):
        parse(ConnectEvent, event("send_message"))
