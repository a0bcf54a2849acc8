"""Signing in: development tokens, and Cognito's InitiateAuth over plain HTTPS (a fake at the HTTP seam)."""

from __future__ import annotations

import base64
import json
import time

import pytest

from memchat_mobile.auth import Cognito, CognitoCredentials, DevToken, claims, expired
from memchat_mobile.errors import SignInFailed


def jwt(**payload) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(payload)}.signature"


class Cognito200:
    """Cognito's endpoint: records each request and answers from a script."""

    def __init__(self, *answers: tuple[int, dict]) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[str, dict[str, str], dict]] = []

    def __call__(self, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        self.requests.append((url, headers, json.loads(body)))
        status, answer = self.answers.pop(0)
        return status, json.dumps(answer).encode()


def test_claims_are_read_without_verifying() -> None:
    assert claims(jwt(sub="alice", exp=2_000_000_000))["sub"] == "alice"
    with pytest.raises(SignInFailed, match="not a token"):
        claims("hello")


def test_a_token_about_to_expire_counts_as_expired() -> None:
    assert expired(jwt(exp=time.time() + 30))
    assert not expired(jwt(exp=time.time() + 3600))


async def test_a_development_token_is_used_as_is_and_cannot_be_refreshed() -> None:
    token = DevToken(jwt(sub="alice"))

    assert await token.token() == token.value
    assert not await token.refresh()


async def test_cognito_sign_in_posts_user_password_auth() -> None:
    post = Cognito200((200, {"AuthenticationResult": {"IdToken": "id-1", "RefreshToken": "refresh-1"}}))

    tokens = await Cognito(region="eu-west-1", client_id="client123", post=post).sign_in("alice", "pw")

    url, headers, body = post.requests[0]
    assert url == "https://cognito-idp.eu-west-1.amazonaws.com/"
    assert headers["X-Amz-Target"] == "AWSCognitoIdentityProviderService.InitiateAuth"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert body == {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "client123",
                    "AuthParameters": {"USERNAME": "alice", "PASSWORD": "pw"}}
    assert (tokens.id_token, tokens.refresh_token) == ("id-1", "refresh-1")


async def test_wrong_credentials_give_cognitos_own_message() -> None:
    post = Cognito200((400, {"__type": "NotAuthorizedException", "message": "Incorrect username or password."}))

    with pytest.raises(SignInFailed, match="Incorrect username or password") as failed:
        await Cognito(region="eu-west-1", client_id="client123", post=post).sign_in("alice", "nope")

    assert failed.value.refused


async def test_a_challenge_is_explained_not_ignored() -> None:
    post = Cognito200((200, {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s"}))

    with pytest.raises(SignInFailed, match="NEW_PASSWORD_REQUIRED"):
        await Cognito(region="eu-west-1", client_id="client123", post=post).sign_in("alice", "temporary")


async def test_no_network_is_not_a_refusal() -> None:
    def offline(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        raise OSError("Network is unreachable")

    with pytest.raises(SignInFailed, match="Cannot reach Cognito") as failed:
        await Cognito(region="eu-west-1", client_id="client123", post=offline).sign_in("alice", "pw")

    assert not failed.value.refused


def test_cognito_needs_a_region_and_a_client_id() -> None:
    with pytest.raises(SignInFailed, match="region and app client id"):
        Cognito(region="", client_id="")


async def test_an_expired_id_token_is_renewed_with_the_refresh_token() -> None:
    fresh = jwt(sub="alice", exp=time.time() + 3600)
    post = Cognito200((200, {"AuthenticationResult": {"IdToken": fresh}}))
    credentials = CognitoCredentials(Cognito(region="eu-west-1", client_id="c", post=post),
                                     refresh_token="refresh-1", id_token=jwt(sub="alice", exp=time.time() - 1))

    assert await credentials.token() == fresh
    assert await credentials.token() == fresh

    [(_, _, body)] = post.requests
    assert body["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    assert body["AuthParameters"] == {"REFRESH_TOKEN": "refresh-1"}
