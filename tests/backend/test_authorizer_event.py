"""The $connect authorizer's event: the recorded event parses with its token and method ARN."""

from __future__ import annotations

from memchat.authorizer_event import AuthorizerEvent

from .recorded import event


def test_a_recorded_authorizer_event_parses_with_its_token_and_method_arn():
    request = AuthorizerEvent.model_validate(event("authorizer", token="header.claims.signature"))
    assert request.token == "header.claims.signature"
    assert request.method_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/$connect"


def test_an_authorizer_event_without_a_query_string_has_no_token():
    raw = event("authorizer")
    raw["queryStringParameters"] = None
    assert AuthorizerEvent.model_validate(raw).token is None
