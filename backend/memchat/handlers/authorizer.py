"""The $connect REQUEST authorizer: a valid JWT in ?token= becomes the user id every route receives."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from memchat.auth import TokenVerifier
from memchat.errors import Unauthorized
from memchat.events import AuthorizerEvent, parse
from memchat.settings import get_settings

logger = Logger(service="memchat")


@cache
def verifier() -> TokenVerifier:
    settings = get_settings()
    return TokenVerifier(jwks_url=settings.jwks_url, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def handle(event: dict[str, Any], token_verifier: TokenVerifier) -> dict[str, Any]:
    request = parse(AuthorizerEvent, event)
    try:
        identity = token_verifier.verify(request.token)
    except Unauthorized as exc:
        logger.info("Connection refused", extra={"reason": exc.message})
        # API Gateway answers 401 to exactly this error message.
        raise Exception("Unauthorized") from exc
    return {
        "principalId": identity.user_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": request.method_arn}],
        },
        "context": {"userId": identity.user_id},
    }


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, verifier())
