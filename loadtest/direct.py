"""The baseline: the model endpoint called directly, as the worker calls it, with the backend's own parser.

`DirectModel` goes through `memchat.model.ModelClient` and `ModelStream` (InvokeEndpointWithResponseStream,
TGI's or vLLM's chat API, SSE in PayloadParts), so the baseline measures the endpoint and not a different
client. `DirectConversation` builds the prompt the way the worker does: the system prompt, then the
newest turns that fit the prompt budget, then the new message.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from loadtest.errors import DirectFailed
from memchat.errors import ChatError
from memchat.memory import MESSAGE_OVERHEAD_TOKENS, estimate_tokens
from memchat.model import ChatMessage, Finish, ModelClient, ModelStream, TextPiece
from memchat.settings import ModelServer, Settings

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

LOCAL_ENDPOINT_NAME = "memchat-local-llm"
SYSTEM_PROMPT: str = Settings.model_fields["system_prompt"].default
REPETITION_PENALTY: float = Settings.model_fields["repetition_penalty"].default  # as the worker sends it
MODEL_MAX_TOKENS: int = 2048  # the local stack's MEMCHAT_MODEL_MAX_TOKENS


def endpoint_client(endpoint_url: str | None, *, region: str = "us-east-1", pool: int = 64) -> SageMakerRuntimeClient:
    """One sagemaker-runtime client per process. Local: dummy credentials; deployed: boto3's default chain."""
    config = Config(connect_timeout=5, read_timeout=120, retries={"mode": "standard", "total_max_attempts": 1},
                    max_pool_connections=pool, tcp_keepalive=True)
    if endpoint_url:
        return boto3.client("sagemaker-runtime", endpoint_url=endpoint_url, region_name=region,
                            aws_access_key_id="local", aws_secret_access_key="local", config=config)
    return boto3.client("sagemaker-runtime", config=config)  # region and credentials: boto3's default chain


@dataclass
class DirectResult:
    """One generation, timed from the call. Milliseconds throughout."""

    ttft_ms: float | None = None
    answer_ms: float | None = None  # to the end of the stream (usage and [DONE] read)
    stream_ms: float | None = None  # first token to the end of the stream
    completion_tokens: int = 0
    text: str = ""
    error: DirectFailed | None = None


class DirectModel:
    def __init__(self, client: SageMakerRuntimeClient, *, endpoint_name: str, max_tokens: int,
                 temperature: float = 0.7, server: ModelServer = "tgi") -> None:
        self._model = ModelClient(client, endpoint_name=endpoint_name, server=server,
                                  repetition_penalty=REPETITION_PENALTY)
        self._max_tokens = max_tokens
        self._temperature = temperature

    def generate(self, messages: Sequence[ChatMessage]) -> DirectResult:
        result = DirectResult()
        pieces: list[str] = []
        finish: Finish | None = None
        started = time.perf_counter()
        first_at: float | None = None
        stream: ModelStream | None = None
        try:
            stream = self._model.stream(messages, max_tokens=self._max_tokens, temperature=self._temperature)
            for event in stream:
                if isinstance(event, TextPiece):
                    if first_at is None:
                        first_at = time.perf_counter()
                        result.ttft_ms = (first_at - started) * 1000
                    pieces.append(event.text)
                elif isinstance(event, Finish):
                    finish = event
        except ChatError as exc:
            result.error = DirectFailed(exc.code.value, exc.message)
            result.answer_ms = (time.perf_counter() - started) * 1000  # to the failure
            return result
        finally:
            if stream is not None:
                stream.close()  # as the worker does after every answer
        ended = time.perf_counter()
        result.text = "".join(pieces)
        result.answer_ms = (ended - started) * 1000
        result.stream_ms = (ended - first_at) * 1000 if first_at is not None else None
        if finish is not None and finish.completion_tokens is not None:
            result.completion_tokens = finish.completion_tokens
        else:
            result.completion_tokens = len(pieces)
        return result


class DirectConversation:
    """The prompt the worker would build for this conversation, kept by the baseline user itself."""

    def __init__(self, *, max_new_tokens: int, system_prompt: str = SYSTEM_PROMPT,
                 model_max_tokens: int = MODEL_MAX_TOKENS) -> None:
        self._system = ChatMessage("system", system_prompt)
        self._budget = model_max_tokens - max_new_tokens - estimate_tokens(system_prompt)
        self._turns: list[tuple[ChatMessage, int]] = []  # newest last, with the tokens the backend counts

    def prompt(self, text: str) -> list[ChatMessage]:
        window = [(ChatMessage("user", text), estimate_tokens(text))]
        used = window[0][1]
        for message, tokens in reversed(self._turns):
            if used + tokens > self._budget:
                break
            window.append((message, tokens))
            used += tokens
        return [self._system] + [message for message, _ in reversed(window)]

    def remember(self, text: str, answer: DirectResult) -> None:
        self._turns.append((ChatMessage("user", text), estimate_tokens(text)))
        if answer.text:
            self._turns.append((ChatMessage("assistant", answer.text),
                                answer.completion_tokens + MESSAGE_OVERHEAD_TOKENS))


__all__ = ["DirectConversation", "DirectModel", "DirectResult", "endpoint_client"]
