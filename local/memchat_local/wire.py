"""What the two model servers' chat APIs share on the wire, and the `Wire` each one implements for the endpoint.

The local endpoint serves one server's exact format (`--model-server tgi|vllm`): its request body (parsed into
the engine's `GenerationRequest`), its refusals before the stream, its chunks and their SSE framing, and its
in-band error after the stream began. `tgi.py` and `vllm.py` hold the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import pydantic
from pydantic import BaseModel

from memchat_local.engine import FinishReason, GenerationRequest

ServerName = Literal["tgi", "vllm"]
SSE_CONTENT_TYPE = "text/event-stream"
JSON_CONTENT_TYPE = "application/json"


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class StreamOptions(BaseModel):
    include_usage: bool = False


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


def usage(prompt_tokens: int, completion_tokens: int) -> Usage:
    return Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                 total_tokens=prompt_tokens + completion_tokens)


class ChatRequest(Protocol):
    """A parsed request body, whichever server's."""

    stream: bool

    @property
    def include_usage(self) -> bool: ...

    def generation(self) -> GenerationRequest: ...


class ChunkWriter(Protocol):
    """One response's bytes in the server's format: SSE events while streaming, or one document."""

    def token(self, text: str) -> bytes: ...

    def finish(self, reason: FinishReason) -> bytes: ...

    def usage(self, prompt_tokens: int, completion_tokens: int) -> bytes: ...

    def done(self) -> bytes: ...

    def failure(self, message: str) -> bytes:
        """What the server sends when generation fails after the stream began, through to its end."""
        ...

    def completion(self, pieces: Sequence[str], reason: FinishReason, prompt_tokens: int,
                   completion_tokens: int) -> bytes: ...


class Wire(Protocol):
    name: ServerName

    def parse(self, raw: bytes) -> ChatRequest:
        """The request body; a body the server would refuse raises `Refused` with the server's answer."""
        ...

    def error_body(self, message: str, *, status: int, kind: str) -> str:
        """The server's own error document for a request it refuses before streaming."""
        ...

    def writer(self, *, model: str, fingerprint: str) -> ChunkWriter: ...


class Refused(Exception):
    """A request the server refuses before generating: its HTTP status and its own error document."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def problems(exc: pydantic.ValidationError) -> str:
    """A validation failure in one line, field by field, as both servers word it roughly."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}" for error in exc.errors()
    )

