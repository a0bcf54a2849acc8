"""Verifying the JWT a client connects with, against the issuer's JWKS (Cognito, or the local issuer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jwt

from memchat.errors import Unauthorized

ALGORITHMS = ["RS256"]
# Cognito subjects are UUIDs; '#' is refused because it separates the parts of DynamoDB keys.
USER_ID = re.compile(r"[A-Za-z0-9._@:+-]{1,128}")


@dataclass(frozen=True)
class Identity:
    user_id: str


class TokenVerifier:
    """Checks signature, expiry, issuer and (when configured) audience; keys are cached per process."""

    def __init__(self, *, jwks_url: str, issuer: str, audience: str | None = None) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=5)
        self._issuer = issuer
        self._audience = audience

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
                options={"require": ["exp", "iss", "sub"], "verify_aud": self._audience is not None},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired: sign in again.") from exc
        except jwt.PyJWKClientConnectionError as exc:
            raise Unauthorized("The token could not be checked right now: try again.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"The token is not valid: {exc}") from exc
        user_id = str(claims["sub"])
        if not USER_ID.fullmatch(user_id):
            raise Unauthorized("The token's subject is not a valid user id.")
        return Identity(user_id=user_id)
