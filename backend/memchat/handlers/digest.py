"""The memory background path: the chat table's stream, filtered to answers reaching an end state.

Each record is one finished turn; a record that fails is reported back (ReportBatchItemFailures), so
Lambda retries from it and nothing after it is lost, and past the retries it lands on the queue that
alarms. See docs/memory.md for why a stream and not an invoke after `done`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from memchat import clients
from memchat.digest import Digest, FinishedTurn
from memchat.memory import Memory, quality
from memchat.memory.extraction import Drop
from memchat.model import ModelClient
from memchat.settings import get_settings

logger = Logger(service="memchat")
metrics = Metrics(namespace="memchat", service="memchat")
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
    metrics.add_metric(name="DigestModelCalls", unit=MetricUnit.Count, value=outcome.model_calls)
    metrics.add_metric(name="MemoriesLearnt", unit=MetricUnit.Count, value=outcome.learnt)
    # Memory's quality without reading a memory: proposals, kept, dropped by reason, superseded.
    metrics.add_metric(name=quality.PROPOSALS, unit=MetricUnit.Count, value=outcome.proposed)
    metrics.add_metric(name=quality.KEPT, unit=MetricUnit.Count, value=outcome.kept)
    metrics.add_metric(name=quality.SUPERSEDED, unit=MetricUnit.Count, value=outcome.superseded)
    metrics.add_metric(name=quality.ENDED, unit=MetricUnit.Count, value=outcome.ended)
    for reason in Drop:
        metrics.add_metric(name=quality.drop_metric(reason), unit=MetricUnit.Count, value=outcome.dropped[reason])
    logger.info("Digested a turn", extra={"titled": outcome.titled, "folded": outcome.folded,
                                          "learnt": outcome.learnt, "forgotten": outcome.forgotten})


def handle(event: dict[str, Any], worker: Digest, context: Any = None) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=lambda record: handle_record(record, worker),
                                    processor=processor, context=context)


@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, digest(), context)
