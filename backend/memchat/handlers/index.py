"""The search index's background path: the chat table's stream, filtered to changes of searchable items.

Each record brings one message's or conversation's postings up to date (search/index.py); a record that
fails is reported back (ReportBatchItemFailures), so Lambda retries from it and nothing after it is lost.
A function of its own, apart from the digest: indexing takes milliseconds and must not wait behind the
model calls of memory work (docs/search.md).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from memchat import clients
from memchat.handlers.metering import Meter
from memchat.search.index import Index
from memchat.settings import get_settings

logger = Logger(service="memchat")
meter = Meter()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@cache
def index() -> Index:
    settings = get_settings()
    return Index(clients.dynamodb(), table_name=settings.table_name,
                 rate_limit_per_minute=settings.rate_limit_per_minute)


def handle_record(record: DynamoDBRecord, target: Index) -> None:
    change = record.dynamodb
    old = change.old_image if change else None
    new = change.new_image if change else None
    written, deleted = target.apply(old, new)
    meter.count("SearchPostingsWritten", written)
    meter.count("SearchPostingsDeleted", deleted)


def handle(event: dict[str, Any], target: Index, context: Any = None) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=lambda record: handle_record(record, target),
                                    processor=processor, context=context)


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, index(), context)
