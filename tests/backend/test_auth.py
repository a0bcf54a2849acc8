"""Verifying the JWT a client connects with against the issuer's JWKS (served over loopback HTTP)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization

from memchat.auth import Identity, TokenVerifier
from memchat.errors import Unauthorized

from .recorded import ALICE


@pytest.fixture
def verifier(issuer) -> TokenVerifier:
    return TokenVerifier(jwks_url=issuer.jwks_url, issuer=issuer.ISSUER)


def test_a_valid_token_identifies_its_subject(verifier, issuer):
    assert verifier.verify(issuer.token(ALICE)) == Identity(user_id=ALICE)


@pytest.mark.parametrize("token", [None, ""])
def test_a_missing_token_is_unauthorized(verifier, token):
    with pytest.raises(Unauthorized, match="token is required"):
        verifier.verify(token)


def test_an_expired_token_is_unauthorized(verifier, issuer):
    with pytest.raises(Unauthorized, match="expired"):
        verifier.verify(issuer.token(ALICE, expires_in=-120))


def test_a_token_expired_within_the_clock_leeway_is_still_accepted(verifier, issuer):
    assert verifier.verify(issuer.token(ALICE, expires_in=-5)).user_id == ALICE


def test_a_token_from_another_issuer_is_unauthorized(verifier, issuer):
    with pytest.raises(Unauthorized, match="issuer"):
        verifier.verify(issuer.token(ALICE, iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"))


def test_a_token_signed_with_another_key_is_unauthorized(verifier, issuer):
    with pytest.raises(Unauthorized, match="not valid"):
        verifier.verify(issuer.token(ALICE, key=issuer.other_key))


def test_a_token_naming_an_unknown_key_is_unauthorized(verifier, issuer):
    with pytest.raises(Unauthorized, match="not valid"):
        verifier.verify(issuer.token(ALICE, key=issuer.other_key, kid="someone-elses-key"))


@pytest.mark.parametrize("garbage", ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_a_garbage_token_is_unauthorized(verifier, garbage):
    with pytest.raises(Unauthorized):
        verifier.verify(garbage)


def test_an_hmac_token_keyed_with_the_public_key_is_unauthorized(verifier, issuer):
    # The classic algorithm-confusion forgery: anyone can HMAC with the public key; only RS256 is accepted.
    public_pem = issuer.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": issuer.KEY_ID})
    claims = _b64({"sub": ALICE, "iss": issuer.ISSUER, "exp": int(time.time()) + 3600})
    signature = hmac.new(public_pem, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    forged = f"{header}.{claims}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"

    with pytest.raises(Unauthorized, match="not valid"):
        verifier.verify(forged)


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("claim", ["exp", "sub", "token_use"])
def test_a_token_without_a_required_claim_is_unauthorized(verifier, issuer, claim):
    with pytest.raises(Unauthorized, match=claim):
        verifier.verify(issuer.token(ALICE, **{claim: None}))


def test_a_subject_that_could_reach_into_another_users_keys_is_unauthorized(verifier, issuer):
    # '#' separates the parts of DynamoDB keys: 'U#{user}' must never be able to spell another user's key.
    with pytest.raises(Unauthorized, match="subject"):
        verifier.verify(issuer.token(f"{ALICE}#C#9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c"))


def test_an_audience_is_checked_when_one_is_configured(issuer):
    verifier = TokenVerifier(jwks_url=issuer.jwks_url, issuer=issuer.ISSUER, audience="memchat-app-client")
    assert verifier.verify(issuer.token(ALICE, aud="memchat-app-client")).user_id == ALICE
    with pytest.raises(Unauthorized, match=r"(?i)audience"):
        verifier.verify(issuer.token(ALICE, aud="another-app-client"))


def test_an_unreachable_jwks_is_unauthorized_without_leaking_the_cause(issuer):
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/.well-known/jwks.json", issuer=issuer.ISSUER)
    with pytest.raises(Unauthorized, match="could not be checked"):
        verifier.verify(issuer.token(ALICE))


def test_an_access_token_is_unauthorized_though_signed_by_the_same_issuer(verifier, issuer):
    # Cognito signs ID and access tokens with the same keys; only token_use tells them apart.
    with pytest.raises(Unauthorized, match="id token"):
        verifier.verify(issuer.token(ALICE, token_use="access"))
