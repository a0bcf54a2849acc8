"""The generation worker, invoked asynchronously by sendMessage (deleteConversation to purge, exportData to
build the export)."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit

from memchat import clients, export
from memchat.digest import Digest, FinishedTurn
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


@cache
def digest() -> Digest:
    """The digest's model-free floor, learnt as an answer ends (the digest itself runs from the stream)."""
    worker, settings = generation(), get_settings()
    return Digest(memory=worker.memory, settings=settings,
                  model=ModelClient.from_settings(clients.sagemaker_runtime(), settings, background=True))


def handle(event: dict[str, Any], worker: Generation, context: Any = None, *,
           floor: Digest | None = None) -> dict[str, Any]:
    match parse_job(event):
        case PurgeJob() as job:
            return purge(job, worker.memory)
        case ExportJob() as job:
            return export_data(job, worker)
        case job:
            return generate(job, worker, context, floor=floor)


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


def generate(job: GenerationJob, worker: Generation, context: Any = None, *,
             floor: Digest | None = None) -> dict[str, Any]:
    outcome = worker.run(job, remaining_ms=context.get_remaining_time_in_millis if context is not None else None)
    if floor is not None and outcome.claimed and outcome.status is not MessageStatus.PENDING:
        learn_floor(job, floor)
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


def learn_floor(job: GenerationJob, floor: Digest) -> None:
    """What the rules read in the message, learnt now that the answer has ended. The digest learns it too,
    from the stream: a failure here (a throttled write) is left to it, and never fails an answer that ended."""
    try:
        learnt = floor.floor(FinishedTurn(job.user_id, job.conversation_id, job.message_id, job.reply_id)).learnt
    except Exception as exc:  # noqa: BLE001 - the digest's later read of the same turn is the one that must succeed
        logger.warning("The memory floor was left to the digest", extra={"error": type(exc).__name__})
        return
    meter.count("MemoriesLearnt", learnt)  # as the digest counts what it learns: the dashboard sums both


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, generation(), context, floor=digest())


if snapshotting():  # SnapStart: built into the snapshot, not after every restore
    generation()
    language.warm()  # recall reads lemmas on the answer path
