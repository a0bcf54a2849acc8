"""The $connect REQUEST authorizer, driven by the recorded authorizer event."""

from __future__ import annotations

import json

import pytest

from memchat.auth import TokenVerifier
from memchat.handlers import authorizer

from ..recorded import ALICE, event

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/$connect"


@pytest.fixture
def verifier(issuer) -> TokenVerifier:
    return TokenVerifier(jwks_url=issuer.jwks_url, issuer=issuer.ISSUER)


def test_a_valid_token_is_allowed_with_the_user_id_in_the_context(verifier, issuer):
    response = authorizer.handle(event("authorizer", token=issuer.token(ALICE)), verifier)

    assert response == {
        "principalId": ALICE,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": METHOD_ARN}],
        },
        "context": {"userId": ALICE},
    }


def _deny():
    return {
        "principalId": authorizer.ANONYMOUS,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": METHOD_ARN}],
        },
    }


@pytest.mark.parametrize(
    "token",
    [
        lambda issuer: issuer.token(ALICE, expires_in=-3600),
        lambda issuer: issuer.token(ALICE, iss="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"),
        lambda issuer: issuer.token(ALICE, key=issuer.other_key),
        lambda issuer: issuer.token(ALICE, token_use="access"),
        lambda issuer: "garbage",
        lambda issuer: "",
    ],
    ids=["expired", "wrong-issuer", "wrong-key", "access-token", "garbage", "empty"],
)
def test_a_bad_token_gets_a_deny_policy_not_an_error(verifier, issuer, token):
    # API Gateway answers 403 to a Deny policy; raising would count as a Lambda error and page the on-call.
    response = authorizer.handle(event("authorizer", token=token(issuer)), verifier)
    assert response == _deny()
    assert "context" not in response


@pytest.mark.parametrize("query", [None, {}, {"tok": "x"}], ids=["no-query-string", "empty", "other-parameter"])
def test_a_connection_without_a_token_gets_a_deny_policy(verifier, query):
    raw = event("authorizer")
    raw["queryStringParameters"] = query
    assert authorizer.handle(raw, verifier) == _deny()


def test_a_refusal_is_logged_with_the_message_the_stack_counts(verifier, caplog):
    # The stack's metric filter matches the JSON line's "message"; format the record as the Logger writes it.
    authorizer.handle(event("authorizer", token="garbage"), verifier)
    formatter = authorizer.logger.registered_formatter
    lines = [json.loads(formatter.format(record)) for record in caplog.records if record.name == "memchat"]
    assert [line["message"] for line in lines] == [authorizer.REFUSED_LOG_MESSAGE]
    assert "garbage" not in json.dumps(lines)


def test_a_malformed_event_fails_without_repeating_the_token(verifier, issuer):
    token = issuer.token(ALICE)
    raw = event("authorizer", token=token)
    raw["methodArn"] = {"not": "a string"}
    with pytest.raises(ValueError, match="AuthorizerEvent") as failed:
        authorizer.handle(raw, verifier)
    assert token not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


def test_the_lambda_entry_point_checks_tokens_against_the_configured_issuer(cold_start, monkeypatch, issuer):
    monkeypatch.setenv("MEMCHAT_JWKS_URL", issuer.jwks_url)
    monkeypatch.setenv("MEMCHAT_JWT_ISSUER", issuer.ISSUER)

    response = authorizer.lambda_handler(event("authorizer", token=issuer.token(ALICE)), None)
    assert response["context"] == {"userId": ALICE}
