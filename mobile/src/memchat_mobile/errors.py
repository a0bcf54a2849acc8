"""The app's one error tree; every foreign exception (OSError, ssl, urllib, JSON) is translated where it is caught.

    AppError                    base: `message` is written for people
    ├── ConnectionLost          the socket could not open, or closed (code, reason)
    │   └── HandshakeRefused    the server answered the upgrade with an HTTP status (401: the token)
    ├── SignInFailed            Cognito refused the credentials, or could not be reached
    └── InvalidSetting          a setting the user typed cannot work (say, the server address)

Protocol errors the server reports arrive as `error` frames and stay frames (`memchat.frames.ErrorFrame`):
they belong to a message or a request, not to the connection.
"""

from __future__ import annotations

__all__ = ["AppError", "ConnectionLost", "HandshakeRefused", "InvalidSetting", "SignInFailed"]


class AppError(Exception):
    """Base of every error the app raises; `message` can be shown as is."""

    @property
    def message(self) -> str:
        return str(self)


class ConnectionLost(AppError):
    """The WebSocket is not usable: it did not open, or it closed (with the close code when there was one)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class HandshakeRefused(ConnectionLost):
    """The server answered the WebSocket upgrade with an HTTP status instead of 101."""

    def __init__(self, status: int) -> None:
        super().__init__(self.words(status))
        self.status = status

    @staticmethod
    def words(status: int) -> str:
        if status in (401, 403):
            return "The server did not accept your sign-in."
        if status in (404, 400, 405, 426):
            return f"That address answers, but it is not a memchat server (HTTP {status})."
        if status >= 500:
            return f"The server is having trouble (HTTP {status})."
        return f"The server refused the connection (HTTP {status})."

    @property
    def unauthorized(self) -> bool:
        # API Gateway answers 401 for a bad token and 403 when the authorizer denies.
        return self.status in (401, 403)


class SignInFailed(AppError):
    """Signing in did not give a token. `refused`: the identity provider said no (wrong password, revoked
    refresh token), so trying again will not help; otherwise it could not be reached."""

    def __init__(self, message: str, *, refused: bool = True) -> None:
        super().__init__(message)
        self.refused = refused


class InvalidSetting(AppError):
    """A setting the user typed cannot work; the message says what a valid one looks like."""
