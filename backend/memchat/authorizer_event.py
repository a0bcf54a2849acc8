"""The $connect REQUEST authorizer's event, parsed once at the authorizer's edge.

Apart from memchat.events on purpose: the authorizer runs before every connection, and importing the
WebSocket route models (Powertools' parser models) and the wire frames they refer to would add their
import time to its cold start for a model that needs neither.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AuthorizerEvent(BaseModel):
    """The REQUEST authorizer's input on $connect (identity source: route.request.querystring.token)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    type: Literal["REQUEST"] = "REQUEST"
    method_arn: str = Field(alias="methodArn")
    query_string_parameters: dict[str, str] | None = Field(None, alias="queryStringParameters")

    @property
    def token(self) -> str | None:
        return (self.query_string_parameters or {}).get("token")
