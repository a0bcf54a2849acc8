"""The model client: TGI's Messages API over SageMaker's InvokeEndpointWithResponseStream.

A stream is a generator of typed events (`TextPiece`, then one `Finish`), and every failure of the
endpoint, whether before or during the stream, is translated here, once, into the chat error tree.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, EventStreamError, ReadTimeoutError
from pydantic import BaseModel, ConfigDict, ValidationError
from urllib3.exceptions import ReadTimeoutError as StreamReadTimeoutError

from memchat.errors import ChatError, ModelFailed, ModelUnavailable, RateLimited
from memchat.sse import iter_sse_data

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class TextPiece:
    text: str


@dataclass(frozen=True)
class Finish:
    reason: str  # "stop" | "length" as the server reports it
    prompt_tokens: int | None
    completion_tokens: int | None


ModelEvent = TextPiece | Finish


class _Delta(BaseModel):
    model_config = ConfigDict(extra="ignore")
    content: str | None = None


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")
    delta: _Delta | None = None
    finish_reason: str | None = None


class _Usage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    prompt_tokens: int
    completion_tokens: int


class _Chunk(BaseModel):
    """One `chat.completion.chunk` as TGI (and vLLM) stream it."""

    model_config = ConfigDict(extra="ignore")
    choices: list[_Choice] = []
    usage: _Usage | None = None


# How each SageMaker Runtime error reaches the user; anything else is a model error.
_UNAVAILABLE = {
    "ServiceUnavailable",
    "ModelNotReadyException",
    "InternalFailure",
    "InternalDependencyException",
    "ValidationError",  # the endpoint does not exist (yet), or is not in service
}
_THROTTLED = {"ThrottlingException", "TooManyRequestsException"}


def translate(exc: Exception) -> ChatError:
    """Map a botocore failure of the endpoint to the chat error tree (the only place that does)."""
    if isinstance(exc, ChatError):
        return exc
    if isinstance(exc, EventStreamError):  # raised mid-stream: ModelStreamError, InternalStreamFailure
        return ModelFailed(f"The model stream broke: {_error_message(exc)}")
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _THROTTLED:
            return RateLimited("The assistant is busy: too many requests. Please try again shortly.")
        if code in _UNAVAILABLE:
            return ModelUnavailable()
        return ModelFailed(f"The model refused the request: {_error_message(exc)}")
    # Before the stream starts botocore raises its own ReadTimeoutError; mid-stream, urllib3 raises its own.
    if isinstance(exc, (ReadTimeoutError, StreamReadTimeoutError)):
        return ModelUnavailable("The assistant took too long to answer. Please try again.")
    if isinstance(exc, (ConnectionError, BotoCoreError)):
        return ModelUnavailable()
    return ModelFailed()


def _error_message(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return str(error.get("Message") or error.get("Code") or "unknown error")[:200]


class ModelStream:
    """One streaming generation. Iterate for events; `close()` from any thread ends it promptly."""

    def __init__(self, body: Any) -> None:
        self._body = body
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Stop reading and drop the HTTP connection, which ends the request on the endpoint too."""
        self._closed.set()
        try:
            self._body.close()
        except Exception:  # closing a stream that already broke is not an error
            logger.debug("Closing the model stream failed", exc_info=True)

    def __iter__(self) -> Iterator[ModelEvent]:
        finish: str | None = None
        usage: _Usage | None = None
        try:
            for data in iter_sse_data(self._payload_parts()):
                if data.strip() == "[DONE]":
                    break
                chunk = _Chunk.model_validate_json(data)
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        yield TextPiece(choice.delta.content)
                    finish = choice.finish_reason or finish
        except ValidationError as exc:
            raise ModelFailed("The model sent a response we could not read.") from exc
        except Exception as exc:
            if self.closed:
                return
            raise translate(exc) from exc
        if self.closed:
            return
        if finish is None and usage is None:
            raise ModelFailed("The model stream ended before the answer was complete.")
        yield Finish(
            reason=finish or "stop",
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
        )

    def _payload_parts(self) -> Iterator[bytes]:
        for event in self._body:
            if self.closed:
                return
            part = event.get("PayloadPart")
            if part:
                yield part["Bytes"]


class ModelClient:
    """Calls the SageMaker endpoint that serves the model through TGI's Messages API."""

    def __init__(self, client: SageMakerRuntimeClient, *, endpoint_name: str) -> None:
        self._client = client
        self._endpoint_name = endpoint_name

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> ModelStream:
        payload: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if temperature > 0:
            payload["temperature"] = temperature
        if stop:
            payload["stop"] = list(stop)
        try:
            response = self._client.invoke_endpoint_with_response_stream(
                EndpointName=self._endpoint_name,
                Body=json.dumps(payload).encode(),
                ContentType="application/json",
                Accept="text/event-stream",
            )
        except Exception as exc:
            raise translate(exc) from exc
        return ModelStream(response["Body"])
