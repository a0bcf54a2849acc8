"""TGI's streamed Messages API output (server-sent events), cut into SageMaker PayloadParts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import pairwise

from memchat_local.eventstream import payload_part

DONE = b"data: [DONE]\n\n"


def chunk(content: str, *, finish_reason: str | None = None) -> bytes:
    """One `chat.completion.chunk` event carrying one token, as TGI 2.x/3.x stream it."""
    event = {
        "object": "chat.completion.chunk",
        "id": "",
        "created": 1732530000,
        "model": "tgi",
        "system_fingerprint": "3.0.1-sha-bb9095a",
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": None,
    }
    return b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n"


def usage_chunk(prompt_tokens: int, completion_tokens: int) -> bytes:
    """The last chunk when `stream_options.include_usage` is set: no choices, the token counts."""
    event = {
        "object": "chat.completion.chunk",
        "id": "",
        "created": 1732530000,
        "model": "tgi",
        "system_fingerprint": "3.0.1-sha-bb9095a",
        "choices": [],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
    return b"data: " + json.dumps(event).encode() + b"\n\n"


def sse(tokens: Sequence[str], *, finish_reason: str = "stop", prompt_tokens: int = 42) -> bytes:
    """A whole answer: one chunk per token (the last one with finish_reason), usage, then [DONE]."""
    body = b"".join(
        chunk(token, finish_reason=finish_reason if i == len(tokens) - 1 else None) for i, token in enumerate(tokens)
    )
    return body + usage_chunk(prompt_tokens, len(tokens)) + DONE


def cut(data: bytes, positions: Iterable[int]) -> list[bytes]:
    """`data` cut at the given byte offsets (anywhere: inside a UTF-8 character or an event's blank line)."""
    bounds = [0, *sorted(set(positions)), len(data)]
    return [data[a:b] for a, b in pairwise(bounds) if b > a]


def payload_parts(data: bytes, positions: Iterable[int] = ()) -> bytes:
    """`data` as consecutive PayloadPart events, cut at `positions`."""
    return b"".join(payload_part(piece) for piece in cut(data, positions))


def token_parts(tokens: Sequence[str], **kwargs) -> list[bytes]:
    """One PayloadPart per SSE event of `sse(tokens)`: how TGI's flushes usually arrive."""
    events = sse(tokens, **kwargs).split(b"\n\n")[:-1]
    return [payload_part(event + b"\n\n") for event in events]
