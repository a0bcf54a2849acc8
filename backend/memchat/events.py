"""The events Lambda receives: API Gateway WebSocket events, parsed once at the handler's edge.

The message and connect models are Powertools' own, extended with the authorizer context that API
Gateway passes to every route after a Lambda authorizer ran; the worker's job is ours.
"""

from __future__ import annotations

from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayWebSocketConnectEventModel,
    APIGatewayWebSocketConnectEventRequestContext,
    APIGatewayWebSocketDisconnectEventModel,
    APIGatewayWebSocketMessageEventModel,
    APIGatewayWebSocketMessageEventRequestContext,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from memchat.errors import Unauthorized
from memchat.frames import Role


class AuthorizerContext(BaseModel):
    model_config = ConfigDict(extra="ignore")
    user_id: str = Field(alias="userId", min_length=1)


class _WithAuthorizer(BaseModel):
    authorizer: AuthorizerContext | None = None

    def user_id(self) -> str:
        if self.authorizer is None:  # API Gateway always runs the authorizer first; this is a misconfiguration
            raise Unauthorized("This connection was not authorized.")
        return self.authorizer.user_id


class MessageContext(APIGatewayWebSocketMessageEventRequestContext, _WithAuthorizer):
    pass


class ConnectContext(APIGatewayWebSocketConnectEventRequestContext, _WithAuthorizer):
    pass


class MessageEvent(APIGatewayWebSocketMessageEventModel):
    request_context: MessageContext = Field(alias="requestContext")


class ConnectEvent(APIGatewayWebSocketConnectEventModel):
    request_context: ConnectContext = Field(alias="requestContext")


DisconnectEvent = APIGatewayWebSocketDisconnectEventModel


class AuthorizerEvent(BaseModel):
    """The REQUEST authorizer's input on $connect (identity source: route.request.querystring.token)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    type: Literal["REQUEST"] = "REQUEST"
    method_arn: str = Field(alias="methodArn")
    query_string_parameters: dict[str, str] | None = Field(None, alias="queryStringParameters")

    @property
    def token(self) -> str | None:
        return (self.query_string_parameters or {}).get("token")


class RememberedMessage(BaseModel):
    """One message of the prompt window, as sendMessage read it for the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    message_id: str
    role: Role
    text: str
    tokens: int


class RecalledMemoryJob(BaseModel):
    """A memory chosen for the prompt, as sendMessage read it for the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    memory_id: str
    text: str
    tokens: int


class GenerationJob(BaseModel):
    """What sendMessage hands to the generation worker (an asynchronous Lambda invoke)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
    task: Literal["generate", "purge"] = "generate"
    connection_id: str
    user_id: str
    conversation_id: str
    message_id: str | None = None
    reply_id: str | None = None
    received_ms: int = 0
    # The prompt window, oldest first and ending with the user's message, when sendMessage read it
    # beside its write; None: the worker reads it (and the memories and summary with it).
    window: list[RememberedMessage] | None = None
    memories: list[RecalledMemoryJob] = []
    summary: str = ""
    temporary: bool = False
    # continueAnswer: the answer's text so far, which the model goes on with; empty for a new answer.
    prefix: str = ""

    def to_payload(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode()


def parse(model: type[BaseModel], event: dict[str, Any]) -> Any:
    """Parse an event that API Gateway or our own code built; a mismatch is a deployment bug."""
    try:
        return model.model_validate(event)
    except ValidationError as exc:
        raise ValueError(f"Unexpected {model.__name__} shape: {exc.errors(include_url=False)[:3]}") from exc
