"""The model client: an OpenAI-style chat API (TGI's Messages API or vLLM's) over SageMaker's streaming invoke.

The two servers take the same messages but differ in the request's details, so the body is built per
server here (`request_body`): structured output, continuing an answer and the repetition control. Their
streams differ only in framing, which one reader takes apart (`memchat.sse`). A stream is a generator of
typed events (`TextPiece`, then one `Finish`), and every failure of the endpoint, before or during the
stream, is translated here, once, into the chat error tree: a botocore error, SageMaker's stream exception
events, and the server's own in-band error (a payload whose `error` replaces a chunk, sent when generation
fails after the stream began). `complete` joins one stream into a `Completion`, optionally constrained to a
JSON Schema.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, EventStreamError, ReadTimeoutError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from urllib3.exceptions import ReadTimeoutError as StreamReadTimeoutError

from memchat.errors import ChatError, ModelAsleep, ModelFailed, ModelUnavailable, RateLimited
from memchat.settings import ModelServer
from memchat.sse import iter_payloads

# SageMaker hands an invoke's CustomAttributes to the container as this header, verbatim (up to 1,024
# visible ASCII characters). The digest's calls carry BACKGROUND in it: the local endpoint serves answers
# ahead of them; TGI and vLLM ignore it (their continuous batching never makes an answer wait for one).
CUSTOM_ATTRIBUTES_HEADER = "X-Amzn-SageMaker-Custom-Attributes"
BACKGROUND = "memchat-priority=background"

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

    from memchat.settings import Settings

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


@dataclass(frozen=True)
class Completion:
    """One whole answer: its text, why it ended ("stop", or "length" when cut at max_tokens) and its
    token counts (None when the server sent no usage)."""

    text: str
    finish_reason: str
    prompt_tokens: int | None
    completion_tokens: int | None


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


class _ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = ""
    http_status_code: int | None = None  # TGI's name for the status
    code: int | None = None  # vLLM's
    type: str | None = None  # vLLM's error class, e.g. "BadRequestError"


class _StreamError(BaseModel):
    """A server's in-band error, in any of the shapes the three servers send.

    TGI 2.4.1 and later (3.x included) send `{"error": {"message": ..., "http_status_code": 422}}` on the
    Messages API, then `[DONE]`; earlier TGI, and its `/generate_stream` route, `{"error": "...",
    "error_type": "generation"}`. vLLM sends `{"error": {"message", "type", "param", "code"}}`, then
    `[DONE]`. AWS's LMI image ends its JSON lines with `{"code": 424, "error": "..."}`.
    """

    model_config = ConfigDict(extra="ignore")
    error: str | _ErrorDetail
    error_type: str | None = None
    code: int | None = None

    @property
    def message(self) -> str:
        return self.error if isinstance(self.error, str) else self.error.message

    @property
    def status(self) -> int | None:
        if isinstance(self.error, _ErrorDetail):
            return self.error.http_status_code or self.error.code or self.code
        return self.code

    @property
    def kind(self) -> str:
        """TGI's error_type, or what TGI's message says it is, or vLLM's error class."""
        if self.error_type:
            return self.error_type
        for prefix, kind in _ERROR_KINDS:
            if self.message.startswith(prefix):
                return kind
        if isinstance(self.error, _ErrorDetail) and self.error.type:
            return self.error.type
        return "unknown"


# The messages of TGI's InferError variants and their error_type (router/src/infer/mod.rs).
_ERROR_KINDS = (
    ("Request failed during generation", "generation"),
    ("Model is overloaded", "overloaded"),
    ("Input validation error", "validation"),
    ("Incomplete generation", "incomplete_generation"),
    ("Template error", "template_error"),
)

# An error event is tried first: a chunk never carries `error`, and every field of a chunk has a default.
_EVENT: TypeAdapter[_StreamError | _Chunk] = TypeAdapter(
    Annotated[_StreamError | _Chunk, Field(union_mode="left_to_right")]
)


# How each SageMaker Runtime error reaches the user; anything else is a model error.
_UNAVAILABLE = {
    "ServiceUnavailable",
    "ModelNotReadyException",
    "InternalFailure",
    "InternalDependencyException",
    "ValidationError",  # the endpoint does not exist (yet), or is not in service
}
_THROTTLED = {"ThrottlingException", "TooManyRequestsException"}
# An inference component with no copy running (scaled to zero) refuses an invoke with a ValidationError
# (HTTP 400) whose message begins "Inference Component has no capacity to process this request.
# ApplicationAutoScaling may be in-progress (if configured) or try to increase the capacity by invoking
# UpdateInferenceComponentRuntimeConfig API." (AWS Machine Learning Blog, "Unlock cost savings with the new
# scale down to zero feature in SageMaker Inference", 2024-12-03). SageMaker counts it in the
# NoCapacityInvocationFailures metric. Told apart by its message: the code is the one of a missing endpoint.
NO_CAPACITY = "has no capacity to process this request"


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
        if code == "ValidationError" and NO_CAPACITY in _error_message(exc):
            return ModelAsleep()
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
            for data in iter_payloads(self._payload_parts()):
                if data.strip() == "[DONE]":
                    break
                chunk = _EVENT.validate_json(data)
                if isinstance(chunk, _StreamError):
                    raise _failure(chunk)
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        yield TextPiece(choice.delta.content)
                    finish = choice.finish_reason or finish
        except ValidationError as exc:
            raise ModelFailed("The model sent a response we could not read.") from exc
        except ChatError:
            raise
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


def _failure(event: _StreamError) -> ChatError:
    """A server's in-band error as a chat error; its message goes to the log, never to the user, who is
    told only that the answer failed (the message can name the server's internals)."""
    logger.warning("The model reported an error mid-stream", extra={
        "error_type": event.kind, "error_status": event.status, "model_error": event.message[:500],
    })
    if event.kind == "overloaded":
        return RateLimited("The assistant is busy: too many requests. Please try again shortly.")
    return ModelFailed()


class ModelClient:
    """Calls the SageMaker endpoint that serves the model through TGI's or vLLM's chat API."""

    def __init__(self, client: SageMakerRuntimeClient, *, endpoint_name: str,
                 inference_component_name: str | None = None, server: ModelServer = "tgi",
                 repetition_penalty: float = 1.0, background: bool = False) -> None:
        self._client = client
        # Memory work after an answer (titles, summaries, extraction): marked so answers come first.
        self._attributes = {"CustomAttributes": BACKGROUND} if background else {}
        self._endpoint_name = endpoint_name
        # An endpoint hosting inference components serves an invoke only when it names one.
        self._target = {"InferenceComponentName": inference_component_name} if inference_component_name else {}
        self._server = server
        self._repetition_penalty = repetition_penalty

    @classmethod
    def from_settings(cls, client: SageMakerRuntimeClient, settings: Settings, *,
                      background: bool = False) -> ModelClient:
        return cls(client, endpoint_name=settings.endpoint_name,
                   inference_component_name=settings.inference_component_name,
                   server=settings.model_server, repetition_penalty=settings.repetition_penalty,
                   background=background)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
        json_schema: dict[str, Any] | None = None,
        continue_final_message: bool = False,
        penalise_repetition: bool = True,
    ) -> ModelStream:
        """Start one generation; with `json_schema` the answer is constrained to JSON matching it. With
        `continue_final_message` the last message is an assistant's unfinished answer, which the model
        goes on with instead of starting a new turn. The client's repetition penalty applies unless
        `penalise_repetition` is false."""
        payload = request_body(
            self._server, messages, max_tokens=max_tokens, temperature=temperature, stop=stop,
            json_schema=json_schema, continue_final_message=continue_final_message,
            repetition_penalty=self._repetition_penalty if penalise_repetition else 1.0,
        )
        try:
            response = self._client.invoke_endpoint_with_response_stream(
                EndpointName=self._endpoint_name,
                Body=json.dumps(payload).encode(),
                ContentType="application/json",
                Accept="text/event-stream",
                **self._target,
                **self._attributes,
            )
        except Exception as exc:
            raise translate(exc) from exc
        return ModelStream(response["Body"])

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """One whole answer from the same streaming call, its text joined.

        With `json_schema` the server constrains decoding to JSON matching the schema; an answer cut at
        `max_tokens` (finish_reason "length") can still be incomplete JSON, so check finish_reason before
        parsing. Failures raise the same chat errors as `stream`. No repetition penalty: titles, summaries
        and extracted memories copy the conversation's own words, which the penalty (applied to the
        prompt's tokens too) would steer the model away from.
        """
        stream = self.stream(messages, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema,
                             penalise_repetition=False)
        pieces: list[str] = []
        try:
            for event in stream:
                if isinstance(event, TextPiece):
                    pieces.append(event.text)
                else:
                    return Completion("".join(pieces), event.reason, event.prompt_tokens, event.completion_tokens)
        finally:
            stream.close()
        raise ModelFailed("The model stream ended before the answer was complete.")


def request_body(
    server: ModelServer,
    messages: Sequence[ChatMessage],
    *,
    max_tokens: int,
    temperature: float,
    stop: Sequence[str] = (),
    json_schema: dict[str, Any] | None = None,
    continue_final_message: bool = False,
    repetition_penalty: float = 1.0,
) -> dict[str, Any]:
    """The streamed chat request as `server` takes it; where the two differ, the difference is here.

    - Continuing an answer: TGI goes on with a final assistant message by itself (its router cuts the
      rendered template after that message's text) and has no parameter for it; vLLM starts a new turn
      unless told `continue_final_message: true` with `add_generation_prompt: false` (it refuses both true).
    - Repetition: TGI's Messages API has no `repetition_penalty` field (an unknown field is ignored); it
      derives its repetition penalty from `presence_penalty + 2.0`. vLLM takes `repetition_penalty` as is.
      Both multiply down the logits of tokens already in the prompt or the answer; 1.0 is off.
    """
    payload: dict[str, Any] = {
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "max_tokens": max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
        # Always sent: TGI decodes greedily only when told temperature 0; without one it samples.
        "temperature": temperature,
    }
    if stop:
        payload["stop"] = list(stop)
    if json_schema is not None:
        payload["response_format"] = response_format(server, json_schema)
    if server == "vllm":
        if continue_final_message:
            payload["continue_final_message"] = True
            payload["add_generation_prompt"] = False
        if repetition_penalty != 1.0:
            payload["repetition_penalty"] = repetition_penalty
    elif repetition_penalty != 1.0:
        payload["presence_penalty"] = round(repetition_penalty - 2.0, 6)
    return payload


def response_format(server: ModelServer, json_schema: dict[str, Any]) -> dict[str, Any]:
    """The `response_format` that constrains `server`'s answer to JSON matching `json_schema`.

    TGI's grammar is tagged by `type` with its content in `value`: `json_object` (an alias of `json`,
    taking the bare schema) is accepted from TGI 2.1 on, its `json_schema` variant (`value: {"name",
    "schema"}`) only from 3.3, so the former serves every TGI image. vLLM takes OpenAI's shape,
    `{"type": "json_schema", "json_schema": {"name", "schema"}}`; its old `guided_json` field was removed
    in 0.12 and is ignored without an error, so it is never sent.
    """
    if server == "vllm":
        return {"type": "json_schema", "json_schema": {"name": "answer", "schema": json_schema}}
    return {"type": "json_object", "value": json_schema}
