"""The one error tree of the chat domain; each error carries the wire code it becomes.

    ChatError                  internal
    ├── BadRequest             bad_request
    ├── Unauthorized           unauthorized
    ├── NotFound               not_found
    ├── TooLarge               too_large
    ├── RateLimited            rate_limited
    ├── ModelUnavailable       model_unavailable
    │   └── ModelAsleep        model_unavailable, no copy of the model runs: the answer waits for a wake
    ├── ModelFailed            model_error
    └── InternalError          internal
        └── AnswerNotStarted   internal, naming the answer that failed

Foreign exceptions (botocore, pydantic, PyJWT) are translated where they are caught, with `from exc`,
and errors become `error` frames in exactly one place: `frames.error_frame`. Every message says, in plain
words, what happened and what the user can do; an answer that failed keeps its message in history, and
one stored without a message is explained by its code (`explain`).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    MODEL_UNAVAILABLE = "model_unavailable"
    MODEL_ERROR = "model_error"
    INTERNAL = "internal"


class ChatError(Exception):
    """Base of every error the chat domain reports to a client."""

    code: ErrorCode = ErrorCode.INTERNAL
    default_message = "Something went wrong on our side. Please try again."
    # The answer an error is about, when the error itself knows it better than the frame that caused it.
    conversation_id: str | None = None
    message_id: str | None = None

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class BadRequest(ChatError):
    code = ErrorCode.BAD_REQUEST
    default_message = "The app sent a request the server could not read. Reload the conversation and try again."


class Unauthorized(ChatError):
    code = ErrorCode.UNAUTHORIZED
    default_message = "Sign in again: the token is missing, expired or not valid."


class NotFound(ChatError):
    code = ErrorCode.NOT_FOUND
    default_message = "That conversation or message is not there any more (it may have been deleted). Reload the list."


class TooLarge(ChatError):
    code = ErrorCode.TOO_LARGE
    default_message = "The message is too long. Shorten it and send it again."


class RateLimited(ChatError):
    code = ErrorCode.RATE_LIMITED
    default_message = "Too many messages: wait a moment and try again."


class ModelUnavailable(ChatError):
    code = ErrorCode.MODEL_UNAVAILABLE
    default_message = "The assistant is not available right now. Please try again shortly."


class ModelAsleep(ModelUnavailable):
    """The endpoint has no copy of the model running (scaled to zero): the worker wakes it and waits."""

    default_message = "The assistant is switched off for now (no copy of the model is running). Please try again later."


class ModelFailed(ChatError):
    code = ErrorCode.MODEL_ERROR
    default_message = "The assistant failed while answering. Please try again."


class InternalError(ChatError):
    code = ErrorCode.INTERNAL


class AnswerNotStarted(InternalError):
    """A stored message whose answer could not be started: the error frame names the failed answer."""

    def __init__(self, message: str | None = None, *, conversation_id: str, message_id: str) -> None:
        super().__init__(message)
        self.conversation_id = conversation_id
        self.message_id = message_id


def explain(code: ErrorCode | str) -> str:
    """What an error of this code means to the user, for a stored answer that failed without its own message."""
    classes = [ChatError]
    while classes:
        kind = classes.pop(0)
        if kind.code == code:
            return kind.default_message
        classes += kind.__subclasses__()
    return ChatError.default_message
