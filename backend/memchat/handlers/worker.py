"""The generation worker, invoked asynchronously by sendMessage (deleteConversation to purge, exportData to
build the export)."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit

from memchat import clients, export
from memchat.events import ExportJob, GenerationJob, PurgeJob, parse_job
from memchat.frames import MessageStatus
from memchat.generation import Generation
from memchat.handlers import snapshotting
from memchat.handlers.metering import Meter
from memchat.memory import Memory, language
from memchat.model import ModelClient
from memchat.sender import Poster
from memchat.settings import get_settings
from memchat.waking import Capacity, Wakes

logger = Logger(service="memchat")
meter = Meter()


@cache
def generation() -> Generation:
    settings = get_settings()
    memory = Memory.from_settings(clients.dynamodb(), settings)
    poster = Poster(clients.management_api())
    capacity = Capacity.from_settings(clients.sagemaker, settings)
    return Generation(
        memory=memory,
        model=ModelClient.from_settings(clients.sagemaker_runtime(), settings),
        poster=poster,
        settings=settings,
        # Where the model is an inference component it may be scaled to zero: an answer waits for a wake.
        wakes=Wakes(memory=memory, poster=poster, capacity=capacity, settings=settings) if capacity else None,
    )


def handle(event: dict[str, Any], worker: Generation, context: Any = None) -> dict[str, Any]:
    match parse_job(event):
        case PurgeJob() as job:
            return purge(job, worker.memory)
        case ExportJob() as job:
            return export_data(job, worker)
        case job:
            return generate(job, worker, context)


def purge(job: PurgeJob, memory: Memory) -> dict[str, Any]:
    # Memories learnt from the conversation alone go first: they cite its messages, which go next.
    forgotten = memory.forget_conversation(job.user_id, job.conversation_id)
    removed = memory.purge_messages(job.user_id, job.conversation_id)
    logger.info("Purged a deleted conversation", extra={"messages": removed, "memories": forgotten})
    return {"purged": removed, "memoriesForgotten": forgotten}


def export_data(job: ExportJob, worker: Generation) -> dict[str, Any]:
    """Build the export and post its first page; a failure is retried by Lambda, then told by the rescue."""
    first = export.prepare(worker.memory, worker.settings, job)
    delivered = worker.poster.send(job.connection_id, first)
    logger.info("Prepared an export", extra={"chars": first.total, "delivered": delivered})
    return {"exported": first.total, "delivered": delivered}


def generate(job: GenerationJob, worker: Generation, context: Any = None) -> dict[str, Any]:
    outcome = worker.run(job, remaining_ms=context.get_remaining_time_in_millis if context is not None else None)
    if outcome.ttft_ms is not None:
        meter.add("TimeToFirstTokenMs", outcome.ttft_ms, MetricUnit.Milliseconds)
    if outcome.status is MessageStatus.PENDING:
        meter.count("AnswersWaitingForModel")
        return {"status": outcome.status.value, "completionTokens": 0}
    if outcome.status is MessageStatus.FAILED:
        meter.count("ModelErrors")
        logger.warning("Answer failed", extra={"code": outcome.error.code.value if outcome.error else None})
    else:
        meter.count("GenerationsCompleted")
    meter.count("OutputTokens", outcome.completion_tokens)
    return {"status": outcome.status.value, "completionTokens": outcome.completion_tokens}


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, generation(), context)


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    generation()
    language.warm()  # recall reads lemmas on the answer path
