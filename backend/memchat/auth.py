"""Verifying the JWT a client connects with, against the issuer's JWKS (Cognito, or the local issuer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jwt

from memchat.errors import Unauthorized

ALGORITHMS = ["RS256"]
# Cognito subjects are UUIDs; '#' is refused because it separates the parts of DynamoDB keys.
USER_ID = re.compile(r"[A-Za-z0-9._@:+-]{1,128}")
# The app connects with its ID token (its `aud` is the app client id): Cognito's `token_use` claim says "id".
ID_TOKEN_USE = "id"  # noqa: S105 (a claim value, not a secret)


@dataclass(frozen=True)
class Identity:
    user_id: str


class TokenVerifier:
    """Checks signature, expiry, issuer, token use and (when configured) audience; keys are cached per process.

    Cognito signs ID and access tokens with the same keys and issuer; only the `token_use` claim ("id" or
    "access") tells them apart, so it is checked explicitly rather than left to the audience check (an
    access token carries `client_id`, not `aud`).
    """

    def __init__(
        self, *, jwks_url: str, issuer: str, audience: str | None = None, token_use: str = ID_TOKEN_USE
    ) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=5)
        self._issuer = issuer
        self._audience = audience
        self._token_use = token_use

    def verify(self, token: str | None) -> Identity:
        if not token:
            raise Unauthorized("A token is required: connect with ?token=<JWT>.")
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": self._audience is not None},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired: sign in again.") from exc
        except jwt.PyJWKClientConnectionError as exc:
            raise Unauthorized("The token could not be checked right now: try again.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"The token is not valid: {exc}") from exc
        if claims["token_use"] != self._token_use:
            raise Unauthorized(f"Connect with the {self._token_use} token, not the {claims['token_use']} token.")
        user_id = str(claims["sub"])
        if not USER_ID.fullmatch(user_id):
            raise Unauthorized("The token's subject is not a valid user id.")
        return Identity(user_id=user_id)
