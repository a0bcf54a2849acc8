"""The error tree of a measured turn; each error's `code` names the failure Locust counts.

    LoadTestError           base; code "client"
    ├── ConnectRefused      the WebSocket handshake failed (HTTP status, or no answer); code "connect"
    ├── TurnFailed          the server answered with an `error` frame; code = its wire code (rate_limited, ...)
    ├── GatewayError        API Gateway's own "Internal server error" frame; code "gateway"
    ├── ProtocolViolation   frames out of order, a gap in `seq`, ids that do not match; code "protocol"
    ├── TurnTimeout         no `done` or `error` within the turn's deadline; code "timeout"
    ├── ConnectionLost      the socket closed or broke mid-turn; code "closed"
    └── DirectFailed        the baseline's direct call to the model endpoint failed; code "direct_<chat code>"

Foreign exceptions (websocket-client, botocore, pydantic) are translated where they are caught,
with `raise ... from exc`.
"""

from __future__ import annotations


class LoadTestError(Exception):
    code = "client"


class ConnectRefused(LoadTestError):
    code = "connect"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the handshake's HTTP status, when the server answered

    @property
    def unauthorized(self) -> bool:
        """The token was refused: trying again with the same token cannot succeed."""
        return self.status in (401, 403)


class TurnFailed(LoadTestError):
    """The server's own refusal or failure; `code` is the wire code of its `error` frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class GatewayError(LoadTestError):
    code = "gateway"


class ProtocolViolation(LoadTestError):
    code = "protocol"


class TurnTimeout(LoadTestError):
    code = "timeout"


class ConnectionLost(LoadTestError):
    code = "closed"


class DirectFailed(LoadTestError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = f"direct_{code}"


__all__ = [
    "ConnectRefused",
    "ConnectionLost",
    "DirectFailed",
    "GatewayError",
    "LoadTestError",
    "ProtocolViolation",
    "TurnFailed",
    "TurnTimeout",
]
