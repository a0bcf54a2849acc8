"""DynamoDB Streams to a Lambda function, as an event source mapping does, over DynamoDB Local's stream.

Polls each shard of the chat table's stream (DynamoDB Local serves the DynamoDB Streams API), keeps the
records that match the mapping's filter, and invokes the function with batches in Lambda's event shape.
A batch whose handler raises, or reports failures (ReportBatchItemFailures), is retried from the first
failed record with a growing delay, up to `max_retries` times; then it is logged and skipped, as the
mapping sends it to its on-failure queue. Written here because no local Lambda runtime ships one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from memchat.tables import matches_any

logger = logging.getLogger("memchat.streams")

# What DynamoDB Streams answers an iterator it no longer serves: its records were trimmed, or it is over
# 15 minutes old.
_STALE_ITERATOR = {"TrimmedDataAccessException", "ExpiredIteratorException"}

Invoke = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class MappingOptions:
    """The CDK stack's event source mapping, in the parts the local poller honours."""

    batch_size: int = 10
    max_retries: int = 5
    poll_interval: float = 0.25  # Lambda polls each shard four times a second
    first_retry_delay: float = 0.5


class StreamPoller:
    """One thread that follows a table's stream and hands matching records to `invoke`."""

    def __init__(self, streams_client: Any, *, stream_arn: str, pattern: dict | tuple[dict, ...], invoke: Invoke,
                 options: MappingOptions | None = None, name: str = "stream-poller") -> None:
        self._client = streams_client
        self._arn = stream_arn
        self._patterns = pattern if isinstance(pattern, tuple) else (pattern,)  # a mapping's filters, ORed
        self._invoke = invoke
        self._options = options or MappingOptions()
        self._iterators: dict[str, str | None] = {}
        self._known: set[str] = set()
        self._last: dict[str, str] = {}  # the sequence number of the last record read, per shard
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.delivered = 0  # records handed to the function, for tests and logs
        self.dropped = 0  # records given up on after the retries

    def start(self) -> StreamPoller:
        # Shards open now are followed from their newest record: what happened before this stack
        # started was digested then (or is older than anything a user waits for).
        for shard in self._shards():
            self._known.add(shard["ShardId"])
            if "EndingSequenceNumber" not in shard.get("SequenceNumberRange", {}):
                self._iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], "LATEST")
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _shards(self) -> list[dict[str, Any]]:
        shards, kwargs = [], {"StreamArn": self._arn}
        while True:
            description = self._client.describe_stream(**kwargs)["StreamDescription"]
            shards.extend(description.get("Shards", []))
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            kwargs["ExclusiveStartShardId"] = last

    def _iterator(self, shard_id: str, kind: str, sequence: str | None = None) -> str:
        kwargs: dict[str, Any] = {"StreamArn": self._arn, "ShardId": shard_id, "ShardIteratorType": kind}
        if sequence:
            kwargs["SequenceNumber"] = sequence
        return self._client.get_shard_iterator(**kwargs)["ShardIterator"]

    def _run(self) -> None:
        while not self._stop.wait(self._options.poll_interval):
            try:
                self._discover()
                for shard_id in list(self._iterators):
                    self._poll(shard_id)
            except Exception:  # DynamoDB Local restarting: try again at the next interval
                logger.warning("Reading the table's stream failed; retrying", exc_info=True)

    def _discover(self) -> None:
        """Shards that appeared since (DynamoDB rolls shards over) are read from their first record."""
        for shard in self._shards():
            if shard["ShardId"] not in self._known:
                self._known.add(shard["ShardId"])
                self._iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], "TRIM_HORIZON")

    def _poll(self, shard_id: str) -> None:
        iterator = self._iterators.get(shard_id)
        if iterator is None:
            self._iterators.pop(shard_id, None)
            return
        try:
            page = self._client.get_records(ShardIterator=iterator, Limit=100)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in _STALE_ITERATOR:
                raise
            # Retrying the same iterator would fail forever and hold up every shard: take a new one.
            self._iterators[shard_id] = self._resumed(shard_id, code)
            return
        if page.get("Records"):
            self._last[shard_id] = page["Records"][-1]["dynamodb"]["SequenceNumber"]
        records = [r for r in page.get("Records", []) if matches_any(self._patterns, r)]
        for start in range(0, len(records), self._options.batch_size):
            self._deliver(records[start : start + self._options.batch_size])
        next_iterator = page.get("NextShardIterator")
        if next_iterator is None:  # a closed shard, read to its end
            self._iterators.pop(shard_id, None)
        else:
            self._iterators[shard_id] = next_iterator

    def _resumed(self, shard_id: str, code: str) -> str:
        """An iterator in place of one the stream no longer honours: expired (older than 15 minutes) goes on
        after the last record read; trimmed (its records are gone) starts at the oldest record kept."""
        last = self._last.get(shard_id)
        if code == "ExpiredIteratorException" and last is not None:
            logger.warning("The stream iterator of %s expired; reading on after record %s", shard_id, last)
            return self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", last)
        logger.warning("The stream iterator of %s is no longer valid (%s); reading on from its oldest record",
                       shard_id, code)
        return self._iterator(shard_id, "TRIM_HORIZON")

    def _deliver(self, batch: list[dict[str, Any]]) -> None:
        attempt = 0
        while batch and not self._stop.is_set():
            event = {"Records": [{**record, "eventSource": "aws:dynamodb", "eventSourceARN": self._arn}
                                 for record in batch]}
            try:
                response = self._invoke(event) or {}
                failures = [f.get("itemIdentifier") for f in response.get("batchItemFailures", [])]
            except Exception:
                logger.exception("The stream's function failed on a batch")
                failures = [batch[0]["dynamodb"]["SequenceNumber"]]
            if not failures:
                self.delivered += len(batch)
                return
            first = next((i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failures), 0)
            self.delivered += first
            batch = batch[first:]
            attempt += 1
            if attempt > self._options.max_retries:
                logger.error("Gave up on %d stream records after %d retries", len(batch), attempt - 1)
                self.dropped += len(batch)
                return
            time.sleep(min(10.0, self._options.first_retry_delay * 2 ** (attempt - 1)))
