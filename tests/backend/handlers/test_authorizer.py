"""The $connect REQUEST authorizer, driven by the recorded authorizer event."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    "token",
    [
        lambda issuer: issuer.token(ALICE, expires_in=-3600),
        lambda issuer: issuer.token(ALICE, iss="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"),
        lambda issuer: issuer.token(ALICE, key=issuer.other_key),
        lambda issuer: "garbage",
        lambda issuer: "",
    ],
    ids=["expired", "wrong-issuer", "wrong-key", "garbage", "empty"],
)
def test_a_bad_token_is_refused_with_exactly_unauthorized(verifier, issuer, token):
    # API Gateway answers 401 only to an exception whose message is exactly "Unauthorized".
    with pytest.raises(Exception, match=r"^Unauthorized$") as refused:
        authorizer.handle(event("authorizer", token=token(issuer)), verifier)
    assert type(refused.value) is Exception


@pytest.mark.parametrize("query", [None, {}, {"tok": "x"}], ids=["no-query-string", "empty", "other-parameter"])
def test_a_connection_without_a_token_is_refused_with_exactly_unauthorized(verifier, query):
    raw = event("authorizer")
    raw["queryStringParameters"] = query
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorizer.handle(raw, verifier)


def test_the_lambda_entry_point_checks_tokens_against_the_configured_issuer(cold_start, monkeypatch, issuer):
    monkeypatch.setenv("MEMCHAT_JWKS_URL", issuer.jwks_url)
    monkeypatch.setenv("MEMCHAT_JWT_ISSUER", issuer.ISSUER)

    response = authorizer.lambda_handler(event("authorizer", token=issuer.token(ALICE)), None)
    assert response["context"] == {"userId": ALICE}
