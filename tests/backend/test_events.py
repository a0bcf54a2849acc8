"""The events Lambda receives: recorded API Gateway WebSocket events parse, and the worker's job round-trips."""

from __future__ import annotations

import json

import pytest

from memchat.errors import Unauthorized
from memchat.events import AuthorizerEvent, ConnectEvent, DisconnectEvent, GenerationJob, MessageEvent, parse

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


def test_a_recorded_authorizer_event_parses_with_its_token_and_method_arn():
    request = parse(AuthorizerEvent, event("authorizer", token="header.claims.signature"))
    assert request.token == "header.claims.signature"
    assert request.method_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/$connect"


def test_an_authorizer_event_without_a_query_string_has_no_token():
    raw = event("authorizer")
    raw["queryStringParameters"] = None
    assert parse(AuthorizerEvent, raw).token is None


def test_a_route_reached_without_the_authorizer_is_unauthorized():
    context = parse(MessageEvent, event("send_message", authorized=False)).request_context
    with pytest.raises(Unauthorized):
        context.user_id()


def test_an_event_of_another_shape_is_a_clear_deployment_error():
    with pytest.raises(ValueError, match="Unexpected ConnectEvent shape"):
        parse(ConnectEvent, event("send_message"))


def test_a_generation_job_round_trips_through_its_camel_case_payload():
    job = GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c",
                        message_id="0193a1b2c3d40a1b2c3d4e5", reply_id="0193a1b2c3d41a1b2c3d4e5", received_ms=17)
    payload = json.loads(job.to_payload())

    assert payload["connectionId"] == CONNECTION and payload["replyId"] == job.reply_id
    assert parse(GenerationJob, payload) == job
