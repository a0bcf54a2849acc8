"""The events our functions hand each other: the worker's jobs (an asynchronous invoke) and what they carry,
and `parse`, which every handler uses to read its event once at its edge.

API Gateway's own events live apart, each where only its handlers import it: the WebSocket routes' in
memchat.socket_events (Powertools' models), the authorizer's in memchat.authorizer_event; the worker and
the rescue function do not pay for Powertools' parser models at cold start.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel

from memchat.frames import Role


class RememberedMessage(BaseModel):
    """One message of the prompt window, as sendMessage read it for the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    message_id: str
    role: Role
    text: str
    tokens: int


class RecalledMemoryJob(BaseModel):
    """A memory chosen for the prompt, as sendMessage read it for the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    memory_id: str
    text: str
    tokens: int


class RecalledInstructions(BaseModel):
    """The instructions a prompt carries, in its order: the user's own two, then the conversation's project's
    (each empty when there is none, or when it did not fit beside a long message)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    about: str = ""
    style: str = ""
    project: str = ""

    @property
    def texts(self) -> list[str]:
        return [text for text in (self.about, self.style, self.project) if text]
class RecalledExchangeJob(BaseModel):
    """An earlier exchange from another conversation chosen for the prompt, as sendMessage read it."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    conversation_id: str
    message_id: str  # the user's message of that exchange
    excerpt: str  # what the user said then, shortened (shown under the answer)
    text: str  # the exchange as the prompt carries it
    tokens: int


class GenerationJob(BaseModel):
    """An answer to generate: what sendMessage (and regenerate, continue) hands the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
    task: Literal["generate"] = "generate"
    connection_id: str
    user_id: str
    conversation_id: str
    message_id: str  # the user's message
    reply_id: str  # the answer, stored pending before the job starts
    received_ms: int = 0
    # The prompt window, oldest first and ending with the user's message, when sendMessage read it
    # beside its write; None: the worker reads it (and the memories and summary with it).
    window: list[RememberedMessage] | None = None
    memories: list[RecalledMemoryJob] = []
    exchanges: list[RecalledExchangeJob] = []
    summary: str = ""
    instructions: RecalledInstructions = Field(default_factory=RecalledInstructions)
    temporary: bool = False
    # continueAnswer: the answer's text so far, which the model goes on with; empty for a new answer.
    prefix: str = ""
    # A retry of an answer that waited for the model to wake (memchat.waking): when its wait began.
    waiting_since_ms: int | None = None

    def to_payload(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode()


class PurgeJob(BaseModel):
    """A deleted conversation's messages and memories to remove: what deleteConversation hands the worker."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    task: Literal["purge"] = "purge"
    connection_id: str
    user_id: str
    conversation_id: str

    def to_payload(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode()


class ExportJob(BaseModel):
    """An export to build (exportData's first page): the worker reads the user's data, keeps the document's
    parts and posts the first page; the chat function's 29 s would not cover a long history."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)
    task: Literal["export"] = "export"
    connection_id: str
    user_id: str
    export_id: str
    exported_ms: int

    def to_payload(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode()


def _task(value: Any) -> str:
    # Every job is sent with its task; a payload without one is a generation, as before the union.
    task = value.get("task", "generate") if isinstance(value, dict) else getattr(value, "task", None)
    return task if task in ("generate", "purge", "export") else "unknown"


# The worker's event: one model per task, told apart by `task`.
WorkerJob = Annotated[
    Annotated[GenerationJob, Tag("generate")] | Annotated[PurgeJob, Tag("purge")]
    | Annotated[ExportJob, Tag("export")],
    Discriminator(_task),
]
WORKER_JOB: TypeAdapter[GenerationJob | PurgeJob | ExportJob] = TypeAdapter(WorkerJob)


def parse_job(event: dict[str, Any]) -> GenerationJob | PurgeJob | ExportJob:
    """The worker's job, whichever task; a mismatch is a deployment bug."""
    try:
        return WORKER_JOB.validate_python(event)
    except ValidationError as exc:
        raise ValueError(f"Unexpected WorkerJob shape: {exc.errors(include_url=False)[:3]}") from exc


def parse(model: type[BaseModel], event: dict[str, Any]) -> Any:
    """Parse an event that API Gateway or our own code built; a mismatch is a deployment bug."""
    try:
        return model.model_validate(event)
    except ValidationError as exc:
        raise ValueError(f"Unexpected {model.__name__} shape: {exc.errors(include_url=False)[:3]}") from exc
