"""The API Gateway WebSocket events the route handlers receive ($connect, $disconnect, every message route).

The models are Powertools' own, extended with the authorizer context that API Gateway passes to every
route after a Lambda authorizer ran. Apart from memchat.events so that only these handlers import
Powertools' parser models (the worker, rescue and authorizer start without them).
"""

from __future__ import annotations

from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayWebSocketConnectEventModel,
    APIGatewayWebSocketConnectEventRequestContext,
    APIGatewayWebSocketDisconnectEventModel,
    APIGatewayWebSocketMessageEventModel,
    APIGatewayWebSocketMessageEventRequestContext,
)
from pydantic import BaseModel, ConfigDict, Field

from memchat.errors import Unauthorized


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
