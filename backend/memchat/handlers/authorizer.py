"""The $connect REQUEST authorizer: a valid JWT in ?token= becomes the user id every route receives.

A refused token is an answer, not a failure: the authorizer returns a Deny policy (API Gateway answers
403, which the app treats like 401), so the function's Errors metric counts only real faults and the
on-call is paged for those; refusals are counted from the log line REFUSED_LOG_MESSAGE instead.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import ValidationError

from memchat.auth import TokenVerifier
from memchat.authorizer_event import AuthorizerEvent
from memchat.errors import Unauthorized
from memchat.handlers import snapshotting
from memchat.settings import get_settings

logger = Logger(service="memchat")
# The stack counts this exact message (a CloudWatch Logs metric filter on the authorizer's log group).
REFUSED_LOG_MESSAGE = "Connection refused"
# A Deny policy still names a principal; no user is known for a refused token.
ANONYMOUS = "anonymous"


@cache
def verifier() -> TokenVerifier:
    settings = get_settings()
    return TokenVerifier(jwks_url=settings.jwks_url, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def parse_event(event: dict[str, Any]) -> AuthorizerEvent:
    """The authorizer event, or an error that names what is wrong but never a value (the token is one)."""
    try:
        return AuthorizerEvent.model_validate(event)
    except ValidationError as exc:
        problems = [
            {"loc": error["loc"], "type": error["type"]}
            for error in exc.errors(include_url=False, include_context=False, include_input=False)[:3]
        ]
        # `from None`: the ValidationError's own text repeats the input, token included.
        raise ValueError(f"Unexpected AuthorizerEvent shape: {problems}") from None


def policy(*, principal_id: str, effect: str, resource: str) -> dict[str, Any]:
    return {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


def handle(event: dict[str, Any], token_verifier: TokenVerifier) -> dict[str, Any]:
    request = parse_event(event)
    try:
        identity = token_verifier.verify(request.token)
    except Unauthorized as exc:
        logger.info(REFUSED_LOG_MESSAGE, extra={"reason": exc.message})
        return policy(principal_id=ANONYMOUS, effect="Deny", resource=request.method_arn)
    return policy(principal_id=identity.user_id, effect="Allow", resource=request.method_arn) | {
        "context": {"userId": identity.user_id}
    }


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, verifier())


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    verifier()
