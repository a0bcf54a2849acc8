"""The search index's Lambda: DynamoDB Streams batches, partial failures reported by sequence number."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from memchat.handlers import index as handler
from memchat.tables import INDEX_FILTERS, matches_any

from ..recorded import ALICE
from ..streams import TableStream


@pytest.fixture
def records(session, dynamodb, settings, exchange):
    exchange(ALICE, "Herons wade", "Storks too.")
    stream = TableStream(session, dynamodb, settings.table_name)
    return [{**r, "eventSource": "aws:dynamodb", "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:table/t/stream/x"}
            for r in stream.records() if matches_any(INDEX_FILTERS, r)]


def test_each_record_of_a_batch_is_indexed(records, index):
    assert handler.handle({"Records": records}, index) == {"batchItemFailures": []}
    assert len(index.postings(ALICE, "heron")) == 1
    assert len(index.postings(ALICE, "stork")) == 1


def test_a_failed_record_is_reported_by_its_sequence_number_and_the_rest_are_indexed(records, index, monkeypatch):
    apply = index.apply

    def flaky(old, new):
        if (new or {}).get("text") == "Herons wade":
            raise RuntimeError("DynamoDB is down")
        return apply(old, new)

    monkeypatch.setattr(index, "apply", flaky)
    user_record = next(r for r in records
                       if r["dynamodb"].get("NewImage", {}).get("text", {}).get("S") == "Herons wade")
    response = handler.handle({"Records": records}, index)
    assert response == {"batchItemFailures": [{"itemIdentifier": user_record["dynamodb"]["SequenceNumber"]}]}
    assert len(index.postings(ALICE, "stork")) == 1


def test_a_batch_whose_every_record_failed_raises_so_lambda_retries_it_whole(records, index, monkeypatch):
    monkeypatch.setattr(index, "apply", lambda old, new: (_ for _ in ()).throw(RuntimeError("down")))
    with pytest.raises(BatchProcessingError):
        handler.handle({"Records": records}, index)
