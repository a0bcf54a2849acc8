"""vLLM's OpenAI-compatible chat API on the wire, as the Hugging Face vLLM image serves it on SageMaker.

Shapes follow vLLM's own server (vllm/entrypoints/openai/chat_completion/protocol.py and serving.py): events
are `data: {json}` with a space and end with `data: [DONE]`; the first chunk carries the role and empty
content, the others only their content, the last one its finish_reason; with include_usage one more chunk
has `choices: []` and the usage. A failure after the stream began is one event `{"error": {"message",
"type", "param", "code"}}`, then `[DONE]`. A request it refuses is answered 400 with the same error object.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from memchat_local.engine import FinishReason, GenerationRequest, Turn
from memchat_local.wire import ChatMessage, Refused, ServerName, StreamOptions, Usage, problems, usage

DONE = b"data: [DONE]\n\n"


class JsonSchema(BaseModel):
    name: str
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")


class JsonSchemaFormat(BaseModel):
    """OpenAI's `{"type": "json_schema", "json_schema": {"name", "schema"}}`."""

    type: Literal["json_schema"]
    json_schema: JsonSchema


class JsonObjectFormat(BaseModel):
    """Any JSON object."""

    type: Literal["json_object"]


class TextFormat(BaseModel):
    type: Literal["text"]


ResponseFormat = Annotated[JsonSchemaFormat | JsonObjectFormat | TextFormat, Field(discriminator="type")]


class ChatRequest(BaseModel):
    """The body of a chat completion request; unknown fields (the removed `guided_json` among them) are
    accepted and ignored, as vLLM does."""

    model_config = ConfigDict(extra="ignore")

    messages: list[ChatMessage] = Field(min_length=1)
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    stop: str | list[str] | None = None
    seed: int | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    response_format: ResponseFormat | None = None
    add_generation_prompt: bool = True
    continue_final_message: bool = False
    repetition_penalty: float | None = Field(default=None, gt=0.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)

    @model_validator(mode="after")
    def _as_vllm_validates(self) -> ChatRequest:
        if self.continue_final_message and self.add_generation_prompt:
            raise ValueError("Cannot set both `continue_final_message` and `add_generation_prompt` to True.")
        if self.stream_options is not None and not self.stream:
            raise ValueError("Stream options can only be defined when `stream=True`.")
        return self

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)

    def generation(self) -> GenerationRequest:
        stops = [self.stop] if isinstance(self.stop, str) else self.stop or []
        return GenerationRequest(
            messages=tuple(Turn(message.role, message.content) for message in self.messages),
            max_tokens=self.max_completion_tokens or self.max_tokens,
            temperature=1.0 if self.temperature is None else self.temperature,
            top_p=self.top_p,
            stop=tuple(stops),
            seed=self.seed,
            json_schema=self._schema(),
            continue_final_message=self.continue_final_message and self.messages[-1].role == "assistant",
            repetition_penalty=self.repetition_penalty or 1.0,
            frequency_penalty=self.frequency_penalty or 0.0,
            presence_penalty=self.presence_penalty or 0.0,
        )

    def _schema(self) -> dict[str, Any] | None:
        match self.response_format:
            case JsonSchemaFormat(json_schema=config):
                return config.schema_
            case JsonObjectFormat():
                return {"type": "object"}
            case _:
                return None


class ErrorInfo(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: int


class ErrorResponse(BaseModel):
    error: ErrorInfo


_ERROR_TYPES = {400: "BadRequestError", 404: "NotFoundError", 413: "BadRequestError", 422: "BadRequestError"}


def error_response(message: str, status: int) -> ErrorResponse:
    return ErrorResponse(error=ErrorInfo(message=message, type=_ERROR_TYPES.get(status, "InternalServerError"),
                                         code=status))


class Delta(BaseModel):
    content: str


class RoleDelta(Delta):
    """The first chunk's delta, the only one that names the role."""

    role: Literal["assistant"] = "assistant"


class ChunkChoice(BaseModel):
    index: int = 0
    delta: RoleDelta | Delta
    logprobs: None = None
    finish_reason: FinishReason | None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None


class Message(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: Message
    logprobs: None = None
    finish_reason: FinishReason
    stop_reason: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class ChunkWriter:
    """Renders one response's events; every chunk shares the request's id, `created` and `model`."""

    def __init__(self, *, model: str, fingerprint: str) -> None:
        # vLLM stamps a system_fingerprint only when its server is configured with one; memchat's is not.
        self._common = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": model}
        self._first = True

    def token(self, text: str) -> bytes:
        lead = b""
        if self._first:  # vLLM's first chunk announces the role, with no text
            lead = self._chunk(RoleDelta(content=""))
            self._first = False
        return lead + self._chunk(Delta(content=text))

    def finish(self, reason: FinishReason) -> bytes:
        return self._chunk(Delta(content=""), reason)

    def usage(self, prompt_tokens: int, completion_tokens: int) -> bytes:
        chunk = ChatCompletionChunk(**self._common, choices=[], usage=usage(prompt_tokens, completion_tokens))
        return self._event(chunk.model_dump_json(exclude_none=True))

    def done(self) -> bytes:
        return DONE

    def failure(self, message: str) -> bytes:
        """vLLM's streaming error (`create_streaming_error_response`), then `[DONE]`."""
        return self._event(error_response(message, 500).model_dump_json()) + DONE

    def completion(
        self, pieces: Sequence[str], reason: FinishReason, prompt_tokens: int, completion_tokens: int
    ) -> bytes:
        choice = Choice(message=Message(content="".join(pieces)), finish_reason=reason)
        body = ChatCompletion(**self._common, choices=[choice], usage=usage(prompt_tokens, completion_tokens))
        return body.model_dump_json().encode()

    def _chunk(self, delta: Delta, reason: FinishReason | None = None) -> bytes:
        chunk = ChatCompletionChunk(**self._common, choices=[ChunkChoice(delta=delta, finish_reason=reason)])
        return self._event(chunk.model_dump_json(exclude={"usage"}))

    @staticmethod
    def _event(json_text: str) -> bytes:
        return b"data: " + json_text.encode() + b"\n\n"


class VllmWire:
    """vLLM's chat API, for the endpoint."""

    name: ServerName = "vllm"

    def parse(self, raw: bytes) -> ChatRequest:
        try:
            return ChatRequest.model_validate_json(raw)
        except pydantic.ValidationError as exc:
            raise Refused(400, self.error_body(problems(exc), status=400, kind="validation")) from exc

    def error_body(self, message: str, *, status: int, kind: str) -> str:
        return error_response(message, status).model_dump_json()

    def writer(self, *, model: str, fingerprint: str) -> ChunkWriter:
        return ChunkWriter(model=model, fingerprint=fingerprint)


VLLM_WIRE = VllmWire()
