"""The one settings object, read from MEMCHAT_* environment variables and validated at cold start.

The CDK stack and the local stack set exactly these names; AWS endpoints themselves come from boto3's
own variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME, AWS_ENDPOINT_URL_LAMBDA),
so laptop and cloud differ only in settings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The model container the endpoint runs: Hugging Face's TGI image (huggingface-llm) or its vLLM image
# (huggingface-vllm, vLLM's own OpenAI server); memchat.model builds each one's request.
ModelServer = Literal["tgi", "vllm"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEMCHAT_", frozen=True, extra="ignore")

    # Storage
    table_name: str = "memchat-chat"
    connections_table_name: str = "memchat-connections"

    # Model (a SageMaker real-time endpoint speaking TGI's Messages API or vLLM's chat API)
    endpoint_name: str = "memchat-llm"
    model_server: ModelServer = "tgi"
    # Set where the model is served as an inference component (the night switch scales it to zero).
    inference_component_name: str | None = None
    # The model's whole window, prompt plus answer (TGI's MAX_TOTAL_TOKENS).
    model_max_tokens: int = Field(2048, gt=0)
    max_new_tokens: int = Field(512, gt=0)
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    # Multiplies down the odds of tokens already in the prompt or answer (1.0: off), sent with answers as
    # each server takes it (memchat.model.request_body); TGI's Messages API reaches it only through
    # presence_penalty, whose range (-2, 2) bounds it to (0, 4). 1.1 ends the embedded model's loops on
    # the seeded prompts of `python -m memchat_local.repetition` without cutting its answers short.
    repetition_penalty: float = Field(1.1, gt=0.0, lt=4.0)
    system_prompt: str = "You are memchat, a helpful and concise assistant. You remember this conversation."
    model_timeout_seconds: float = Field(60.0, gt=0)
    # A model scaled to zero (the night schedule, or scale-to-zero) wakes while the answer waits
    # (memchat.waking): the copies asked for, the estimate until a wake has been measured (AWS documents
    # "several minutes"), how often a waiting answer is tried again, and the bound after which it ends as
    # model_unavailable. Off: an answer that finds no copy fails at once (model_unavailable), and the night
    # schedule alone starts copies (docs/deploy.md says what a wake costs).
    model_wake: bool = True
    model_wake_copies: int = Field(1, gt=0)
    model_wake_default_seconds: float = Field(360.0, gt=0)
    model_wake_retry_seconds: float = Field(20.0, gt=0)
    model_wake_max_seconds: float = Field(900.0, gt=0)

    # Generation hand-off: the worker Lambda invoked asynchronously by sendMessage
    worker_function_name: str = "memchat-worker"

    # The API Gateway @connections management endpoint (the stage's callback URL)
    callback_url: str = "http://127.0.0.1:8765/local"

    # Auth: tokens are JWTs checked against a JWKS (Cognito in AWS, the local issuer in development)
    jwks_url: str = "http://127.0.0.1:8765/.well-known/jwks.json"
    jwt_issuer: str = "memchat-local"
    jwt_audience: str | None = None

    # Limits
    max_message_chars: int = Field(4000, gt=0)
    rate_limit_per_minute: int = Field(30, gt=0)
    history_page_size: int = Field(50, gt=0, le=100)
    conversations_page_size: int = Field(20, gt=0, le=100)

    # Long-term memory; off, the prompt is the recent window alone (as before memory existed).
    long_term_memory: bool = True
    # The prompt's share for recalled memories plus the conversation's summary, the
    # summary's own bound, and how many memories a user keeps (past it the least recently confirmed go).
    recall_budget_tokens: int = Field(650, ge=0)
    summary_max_tokens: int = Field(300, gt=0)
    max_memories: int = Field(100, gt=0, le=400)
    # The user's own instructions ("What should memchat know about you?", "How should it answer?") and
    # each project's: every text is at most `instructions_max_chars` long, and at most a third of
    # `instructions_budget_tokens`, the prompt's share for all three (docs/memory.md, "The budget").
    instructions_max_chars: int = Field(300, gt=0, le=4000)
    instructions_budget_tokens: int = Field(540, ge=0)
    # Every project, its instructions at their longest, fits one frame beside a page of conversations.
    max_projects: int = Field(20, gt=0, le=30)
    # Pinned conversations come whole on the list's first page (one bounded read of a sparse index).
    max_pins: int = Field(10, gt=0, le=25)
    # importMemories: at most this many lines, of this many characters in all; the bounds keep a preview
    # (each kept line at most a memory's length, each dropped one a reason) inside one frame.
    import_max_lines: int = Field(50, gt=0, le=100)
    import_max_chars: int = Field(5000, gt=0, le=8000)
    # The model calls of the background path (titles, summaries, extraction): short and deterministic.
    digest_max_tokens: int = Field(400, gt=0)

    # Every answer ends in bounded time (memory/leases.py): a worker holds a lease on its answer, renewed
    # (with the text so far) every `lease_renew_seconds`; a placeholder gives its worker `start_grace`
    # to begin; the sweep ends an answer whose lease ran out. The worker stops `deadline_margin` before
    # its Lambda's deadline and saves the answer as interrupted.
    answer_lease_seconds: float = Field(30.0, gt=0)
    lease_renew_seconds: float = Field(5.0, gt=0)
    start_grace_seconds: float = Field(120.0, gt=0)
    deadline_margin_seconds: float = Field(10.0, ge=0)
    # An answer whose every client went away goes on this long for one to resume it (a phone that
    # changes network reconnects within seconds), then stops as interrupted: no GPU for nobody.
    resume_grace_seconds: float = Field(20.0, ge=0)

    # Streaming sender
    flush_interval_ms: int = Field(50, ge=0)
    stop_poll_interval_ms: int = Field(400, gt=0)

    log_level: str = "INFO"

    @model_validator(mode="after")
    def _budget_leaves_room_for_a_prompt(self) -> Settings:
        if self.max_new_tokens >= self.model_max_tokens:
            raise ValueError("MEMCHAT_MAX_NEW_TOKENS must be smaller than MEMCHAT_MODEL_MAX_TOKENS")
        if self.recall_budget_tokens >= self.prompt_budget // 2:
            raise ValueError("MEMCHAT_RECALL_BUDGET_TOKENS must leave at least half the prompt to the conversation")
        if self.lease_renew_seconds * 2 > self.answer_lease_seconds:
            raise ValueError("MEMCHAT_ANSWER_LEASE_SECONDS must be at least twice MEMCHAT_LEASE_RENEW_SECONDS")
        if self.recall_budget_tokens + self.instructions_budget_tokens >= self.prompt_budget:
            raise ValueError("MEMCHAT_RECALL_BUDGET_TOKENS plus MEMCHAT_INSTRUCTIONS_BUDGET_TOKENS must leave room "
                             "for the conversation")
        if self.summary_max_tokens > self.recall_budget_tokens:
            raise ValueError("MEMCHAT_SUMMARY_MAX_TOKENS must fit in MEMCHAT_RECALL_BUDGET_TOKENS")
        return self

    @property
    def prompt_budget(self) -> int:
        """Tokens the prompt may use: the model's window minus room for the longest answer."""
        return self.model_max_tokens - self.max_new_tokens


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
