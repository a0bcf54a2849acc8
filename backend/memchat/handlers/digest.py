"""The memory background path: the chat table's stream, filtered to answers reaching an end state.

Each record is one finished turn; a record that fails is reported back (ReportBatchItemFailures), so
Lambda retries from it and nothing after it is lost, and past the retries it lands on the queue that
alarms. See docs/memory.md for why a stream and not an invoke after `done`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from memchat import clients
from memchat.digest import Digest, FinishedTurn
from memchat.handlers.metering import Meter
from memchat.memory import Memory, quality
from memchat.memory.extraction import Drop
from memchat.model import ModelClient
from memchat.settings import get_settings

logger = Logger(service="memchat")
meter = Meter()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@cache
def digest() -> Digest:
    settings = get_settings()
    return Digest(
        memory=Memory.from_settings(clients.dynamodb(), settings),
        # Background calls: the endpoint serves answers ahead of them (memchat.model.BACKGROUND).
        model=ModelClient.from_settings(clients.sagemaker_runtime(), settings, background=True),
        settings=settings,
    )


def handle_record(record: DynamoDBRecord, worker: Digest) -> None:
    image = record.dynamodb.new_image if record.dynamodb else None
    turn = FinishedTurn.from_image(image or {})
    if turn is None:
        return
    outcome = worker.run(turn)
    meter.count("DigestModelCalls", outcome.model_calls)
    meter.count("MemoriesLearnt", outcome.learnt)
    # Memory's quality without reading a memory: proposals, kept, dropped by reason, superseded.
    meter.count(quality.PROPOSALS, outcome.proposed)
    meter.count(quality.KEPT, outcome.kept)
    meter.count(quality.SUPERSEDED, outcome.superseded)
    meter.count(quality.ENDED, outcome.ended)
    for reason in Drop:
        meter.count(quality.drop_metric(reason), outcome.dropped[reason])
    logger.info("Digested a turn", extra={"titled": outcome.titled, "folded": outcome.folded,
                                          "learnt": outcome.learnt, "forgotten": outcome.forgotten})


def handle(event: dict[str, Any], worker: Digest, context: Any = None) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=lambda record: handle_record(record, worker),
                                    processor=processor, context=context)


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, digest(), context)
