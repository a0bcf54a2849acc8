"""The generation engines' interface: requests, the items a stream yields, the errors, and the `Engine` protocol.

An engine turns a `GenerationRequest` into an async stream of `TextPiece`s closed by one `Finish`. Errors
raised before the first piece mean the request was refused; errors after it mean the stream broke. The two
engines live apart, so that replay mode never loads llama.cpp or numpy: `memchat_local.llama` (a real GGUF
model) and `memchat_local.replay` (the load-test mode).

    EngineError            base, carries the HTTP status the model container would have answered
    ├── PromptTooLong      prompt (plus max_tokens) does not fit the model's window: 422, as TGI validates
    └── EngineFailure      the model itself failed: 500
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from memchat_local.llama import LlamaEngine

Role = Literal["system", "user", "assistant"]


class FinishReason(StrEnum):
    STOP = "stop"
    LENGTH = "length"


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


@dataclass(frozen=True, kw_only=True)
class GenerationRequest:
    messages: tuple[Turn, ...]
    max_tokens: int | None = None
    temperature: float = 0.7
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    json_schema: dict[str, Any] | None = None  # the answer is JSON matching this schema (response_format)
    # The final message is an assistant's unfinished answer, to go on with (each wire says when).
    continue_final_message: bool = False
    # Repetition controls as HF's processors define them, which TGI and vLLM share: the repetition penalty
    # divides the logits of every token already in the prompt or answer (1.0: off); the frequency and
    # presence penalties subtract from them per occurrence or once (0.0: off).
    repetition_penalty: float = 1.0
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    # Memory work after an answer (the invoke's CustomAttributes say so): answers are served first.
    background: bool = False


@dataclass(frozen=True)
class TextPiece:
    text: str


@dataclass(frozen=True)
class Finish:
    reason: FinishReason
    prompt_tokens: int
    completion_tokens: int


GenerationItem = TextPiece | Finish


class EngineError(Exception):
    """Base of the engine's errors; `status` is what a model container would answer with."""

    status = 500
    error_type = "generation"


class PromptTooLong(EngineError):
    status = 422
    error_type = "validation"


class EngineFailure(EngineError):
    pass


class Engine(Protocol):
    mode: str
    model: str

    def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        """Text pieces, then one Finish, which comes only once the engine has let go of the model: a
        client that has read the end of its answer finds the slot free (`in_use`), as a caller of /stats
        or the next request expects."""
        ...

    @property
    def queue_depth(self) -> int: ...

    @property
    def in_use(self) -> int: ...

    async def close(self) -> None: ...



class TtftLog:
    """Recent time-to-first-token samples (milliseconds), kept raw so percentiles are exact."""

    def __init__(self, keep: int = 1000) -> None:
        self._samples: deque[float] = deque(maxlen=keep)
        self.count = 0

    def record(self, ms: float) -> None:
        self._samples.append(ms)
        self.count += 1

    def percentiles(self) -> dict[str, float | None]:
        samples = sorted(self._samples)
        if not samples:
            return {"p50": None, "p95": None}
        if len(samples) == 1:
            return {"p50": samples[0], "p95": samples[0]}
        cuts = statistics.quantiles(samples, n=20, method="inclusive")
        return {"p50": round(cuts[9], 1), "p95": round(cuts[18], 1)}


def __getattr__(name: str) -> type[LlamaEngine]:
    """`LlamaEngine` stays importable from here for callers that name it so, loaded only on first use."""
    if name == "LlamaEngine":
        from memchat_local.llama import LlamaEngine

        return LlamaEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
