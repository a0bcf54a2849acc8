"""The model servers' streamed chat output (TGI's, vLLM's and LMI's framings), cut into SageMaker PayloadParts.

The module-level helpers write TGI's stream, the stack's default server; `WIRES` holds one `Wire` per
framing for tests that run against each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from memchat_local.eventstream import payload_part


@dataclass(frozen=True)
class Wire:
    """One server's stream as its container writes it (sources in docs/protocol.md, "Model servers").

    TGI (axum's `Event::json_data`): `data:{json}` with no space, `data:[DONE]` last. vLLM's OpenAI server:
    `data: {json}`, `data: [DONE]`. AWS's LMI image (djl-lmi, async mode): vLLM's chunks as JSON lines, an
    empty line where vLLM said [DONE], and a failure as `{"code": 424, "error": ...}` with no newline.
    """

    name: str
    server: str  # the backend's model_server that reads it (LMI serves vLLM's request body)
    prefix: bytes
    end: bytes
    done: bytes

    def event(self, payload: dict[str, Any]) -> bytes:
        return self.prefix + json.dumps(payload, ensure_ascii=False).encode() + self.end

    def chunk(self, content: str, *, finish_reason: str | None = None) -> bytes:
        """One `chat.completion.chunk` carrying one token."""
        delta: dict[str, Any] = {"role": "assistant", "content": content} if self.name == "tgi" else {
            "content": content}
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return self.event({**self._common(), "choices": [choice], **({"usage": None} if self.name == "tgi" else {})})

    def usage_chunk(self, prompt_tokens: int, completion_tokens: int) -> bytes:
        """The last chunk when `stream_options.include_usage` is set: no choices, the token counts."""
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                 "total_tokens": prompt_tokens + completion_tokens}
        return self.event({**self._common(), "choices": [], "usage": usage})

    def error(self, message: str) -> bytes:
        """The server's in-band error after the stream began (each ends the stream after it)."""
        if self.name == "tgi":
            return self.event({"error": {"message": message, "http_status_code": 422}})
        if self.name == "vllm":
            return self.event({"error": {"message": message, "type": "InternalServerError", "param": None,
                                         "code": 500}})
        return json.dumps({"code": 424, "error": message}).encode()  # djl-serving's Request.addResponse

    def failed(self, message: str) -> bytes:
        """The error and whatever the server sends after it."""
        return self.error(message) + (b"" if self.name == "lmi" else self.done)

    def sse(self, tokens: Sequence[str], *, finish_reason: str = "stop", prompt_tokens: int = 42) -> bytes:
        """A whole answer: one chunk per token (the last one with finish_reason), usage, then the end."""
        body = b"".join(self.chunk(token, finish_reason=finish_reason if i == len(tokens) - 1 else None)
                        for i, token in enumerate(tokens))
        return body + self.usage_chunk(prompt_tokens, len(tokens)) + self.done

    def token_parts(self, tokens: Sequence[str], **kwargs: Any) -> list[bytes]:
        """One PayloadPart per event of `sse(tokens)`: how a server's flushes usually arrive."""
        *events, rest = self.sse(tokens, **kwargs).split(self.end)
        return [payload_part(event + self.end) for event in events] + ([payload_part(rest)] if rest else [])

    def _common(self) -> dict[str, Any]:
        if self.name == "tgi":
            return {"object": "chat.completion.chunk", "id": "", "created": 1732530000, "model": "tgi",
                    "system_fingerprint": "3.3.6-sha-8c87a2e"}
        return {"id": "chatcmpl-3f0c9e7d", "object": "chat.completion.chunk", "created": 1732530000,
                "model": "HuggingFaceTB/SmolLM2-135M-Instruct"}


TGI = Wire("tgi", "tgi", prefix=b"data:", end=b"\n\n", done=b"data:[DONE]\n\n")
VLLM = Wire("vllm", "vllm", prefix=b"data: ", end=b"\n\n", done=b"data: [DONE]\n\n")
LMI = Wire("lmi", "vllm", prefix=b"", end=b"\n", done=b"\n")
WIRES = (TGI, VLLM, LMI)

DONE = TGI.done
chunk = TGI.chunk
usage_chunk = TGI.usage_chunk
sse = TGI.sse
token_parts = TGI.token_parts


def cut(data: bytes, positions: Iterable[int]) -> list[bytes]:
    """`data` cut at the given byte offsets (anywhere: inside a UTF-8 character or an event's blank line)."""
    bounds = [0, *sorted(set(positions)), len(data)]
    return [data[a:b] for a, b in pairwise(bounds) if b > a]


def payload_parts(data: bytes, positions: Iterable[int] = ()) -> bytes:
    """`data` as consecutive PayloadPart events, cut at `positions`."""
    return b"".join(payload_part(piece) for piece in cut(data, positions))
