"""TGI's Messages API on the wire: the request body, chat.completion(.chunk) payloads and their SSE framing."""

# Shapes follow TGI 3.x as its router writes them (router/src/server.rs, lib.rs) and its integration snapshots
# record them: `id` is "", every token chunk repeats `role`, the chunk with `finish_reason` carries empty content
# (TGI's EOS), and with include_usage one more chunk has `choices: []` and the usage, before `[DONE]`. Events
# are axum's `Event::json_data`, which writes `data:` and the JSON with no space between; `[DONE]` likewise.

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from memchat_local.engine import FinishReason, GenerationRequest, Turn
from memchat_local.wire import ChatMessage, Refused, ServerName, StreamOptions, Usage, problems, usage

# TGI's default --max-stop-sequences.
MAX_STOP_SEQUENCES = 4
DONE = b"data:[DONE]\n\n"


class JsonGrammar(BaseModel):
    """`{"type": "json", "value": <JSON Schema>}`; TGI takes `json_object` as another name for `json`."""

    type: Literal["json", "json_object"]
    value: dict[str, Any]

    @property
    def schema_(self) -> dict[str, Any]:
        return self.value


class JsonSchemaConfig(BaseModel):
    name: str | None = None
    schema_: dict[str, Any] = Field(alias="schema")


class JsonSchemaGrammar(BaseModel):
    """`{"type": "json_schema", "value": {"name": ..., "schema": <JSON Schema>}}` (TGI 3.3 and later)."""

    type: Literal["json_schema"]
    value: JsonSchemaConfig

    @property
    def schema_(self) -> dict[str, Any]:
        return self.value.schema_


# TGI's GrammarType is tagged by `type` with its content in `value`; its `regex` variant is not served here.
ResponseFormat = Annotated[JsonGrammar | JsonSchemaGrammar, Field(discriminator="type")]


class ChatRequest(BaseModel):
    """The body of a Messages API request; unknown fields are ignored, as TGI does (so a `repetition_penalty`
    or `continue_final_message` sent here has no effect, as on TGI)."""

    model_config = ConfigDict(extra="ignore")

    messages: list[ChatMessage] = Field(min_length=1)
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    stop: list[str] | None = Field(default=None, max_length=MAX_STOP_SEQUENCES)
    seed: int | None = Field(default=None, ge=0)
    stream: bool = False
    stream_options: StreamOptions | None = None
    response_format: ResponseFormat | None = None
    # TGI's router: repetition_penalty = presence_penalty + 2.0; frequency_penalty is its own processor.
    presence_penalty: float | None = Field(default=None, gt=-2.0, lt=2.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)

    def generation(self) -> GenerationRequest:
        return GenerationRequest(
            messages=tuple(Turn(message.role, message.content) for message in self.messages),
            max_tokens=self.max_tokens,
            temperature=1.0 if self.temperature is None else self.temperature,
            top_p=self.top_p,
            stop=tuple(self.stop or ()),
            seed=self.seed,
            json_schema=self.response_format.schema_ if self.response_format else None,
            # TGI's router cuts the template after a final assistant message's text: it always continues it.
            continue_final_message=self.messages[-1].role == "assistant",
            repetition_penalty=1.0 if self.presence_penalty is None else self.presence_penalty + 2.0,
            frequency_penalty=self.frequency_penalty or 0.0,
        )


class Delta(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    logprobs: None = None
    finish_reason: FinishReason | None = None


class ChatCompletionChunk(BaseModel):
    id: str = ""
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    system_fingerprint: str
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


class ChatCompletion(BaseModel):
    id: str = ""
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str
    choices: list[Choice]
    usage: Usage


class ErrorBody(BaseModel):
    """What TGI answers a request it rejects with."""

    error: str
    error_type: str


class StreamErrorDetail(BaseModel):
    message: str
    http_status_code: int = 422


class StreamErrorEvent(BaseModel):
    """TGI's in-band error event on the Messages API (2.4.1 and later, so every 3.x): a failure after the
    stream began arrives as one SSE event in OpenAI's error shape, always with status 422, then `[DONE]`."""

    error: StreamErrorDetail


class ChunkWriter:
    """Renders one response's SSE events; every chunk shares `created`, `model` and the fingerprint."""

    def __init__(self, *, model: str, fingerprint: str) -> None:
        self._common = {"created": int(time.time()), "model": model, "system_fingerprint": fingerprint}

    def token(self, text: str) -> bytes:
        return self._event(ChatCompletionChunk(**self._common, choices=[ChunkChoice(delta=Delta(content=text))]))

    def finish(self, reason: FinishReason) -> bytes:
        choice = ChunkChoice(delta=Delta(content=""), finish_reason=reason)
        return self._event(ChatCompletionChunk(**self._common, choices=[choice]))

    def usage(self, prompt_tokens: int, completion_tokens: int) -> bytes:
        return self._event(
            ChatCompletionChunk(**self._common, choices=[], usage=usage(prompt_tokens, completion_tokens))
        )

    def done(self) -> bytes:
        return DONE

    def failure(self, message: str) -> bytes:
        """The error event TGI sends when generation fails mid-stream (`InferError::into_openai_event`)."""
        return self._event(StreamErrorEvent(error=StreamErrorDetail(message=message))) + DONE

    def completion(
        self, pieces: Sequence[str], reason: FinishReason, prompt_tokens: int, completion_tokens: int
    ) -> bytes:
        """The non-streaming answer: the same generation as one chat.completion document."""
        choice = Choice(message=Message(content="".join(pieces)), finish_reason=reason)
        body = ChatCompletion(**self._common, choices=[choice], usage=usage(prompt_tokens, completion_tokens))
        return body.model_dump_json().encode()

    @staticmethod
    def _event(payload: BaseModel) -> bytes:
        return b"data:" + payload.model_dump_json().encode() + b"\n\n"


class TgiWire:
    """TGI's Messages API, for the endpoint."""

    name: ServerName = "tgi"

    def parse(self, raw: bytes) -> ChatRequest:
        try:
            return ChatRequest.model_validate_json(raw)
        except pydantic.ValidationError as exc:
            message = f"Failed to deserialize the JSON body into the target type: {problems(exc)}"
            raise Refused(400, self.error_body(message, status=400, kind="validation")) from exc

    def error_body(self, message: str, *, status: int, kind: str) -> str:
        return ErrorBody(error=message, error_type=kind).model_dump_json()

    def writer(self, *, model: str, fingerprint: str) -> ChunkWriter:
        return ChunkWriter(model=model, fingerprint=fingerprint)


TGI_WIRE = TgiWire()
