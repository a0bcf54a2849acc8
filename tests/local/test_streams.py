"""The local event source mapping: a DynamoDB stream followed shard by shard, filtered, batched and retried.

The streams client is a fake with DynamoDB Streams' calls (describe_stream, get_shard_iterator, get_records)
over records a test appends; the poller runs on its own thread as in the local stack, and every wait for
it is bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError

from memchat.tables import DIGEST_FILTER
from memchat_local.streams import MappingOptions, StreamPoller

from ..backend.fakes import wait_until

STREAM_ARN = "arn:aws:dynamodb:ddblocal:000000000000:table/memchat-chat/stream/2024-11-25T10:15:07.801"
FAST = MappingOptions(batch_size=3, max_retries=2, poll_interval=0.001, first_retry_delay=0.0)


class FakeStreams:
    """DynamoDB Streams over in-memory shards; iterators are "shard/position". Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.shards: dict[str, list[dict[str, Any]]] = {"shard-0001": []}
        self.closed: set[str] = set()
        self.failures = 0  # get_records calls still to fail, as a restarting DynamoDB Local would
        self._sequence = 0
        self._held = False
        self.stale: dict[str, str] = {}  # iterator -> the error get_records answers it with, once
        self.iterator_requests: list[tuple[str, str, str | None]] = []

    @contextmanager
    def held(self) -> Iterator[None]:
        """Records appended meanwhile reach no reader until the block ends, then all in one page."""
        with self._lock:
            self._held = True
        try:
            yield
        finally:
            with self._lock:
                self._held = False

    def append(self, record: dict[str, Any], shard: str = "shard-0001") -> str:
        with self._lock:
            self._sequence += 1
            sequence = f"{self._sequence:021d}"
            self.shards.setdefault(shard, []).append(
                {**record, "dynamodb": {**record["dynamodb"], "SequenceNumber": sequence}})
            return sequence

    def describe_stream(self, StreamArn: str, ExclusiveStartShardId: str | None = None) -> dict[str, Any]:
        assert StreamArn == STREAM_ARN
        with self._lock:
            names = sorted(self.shards)
            if ExclusiveStartShardId:
                names = [n for n in names if n > ExclusiveStartShardId]
            page, more = names[:1], len(names) > 1  # one shard a page: the poller must follow LastEvaluatedShardId
            shards = [{"ShardId": n, "SequenceNumberRange": {"StartingSequenceNumber": "1"}
                       | ({"EndingSequenceNumber": "9" * 21} if n in self.closed else {})} for n in page]
        description: dict[str, Any] = {"StreamArn": StreamArn, "Shards": shards}
        if more:
            description["LastEvaluatedShardId"] = page[-1]
        return {"StreamDescription": description}

    def get_shard_iterator(self, StreamArn: str, ShardId: str, ShardIteratorType: str,
                           SequenceNumber: str | None = None) -> dict[str, str]:
        with self._lock:
            self.iterator_requests.append((ShardId, ShardIteratorType, SequenceNumber))
            if ShardIteratorType == "LATEST":
                position = len(self.shards[ShardId])
            elif ShardIteratorType == "AFTER_SEQUENCE_NUMBER":
                sequences = [r["dynamodb"]["SequenceNumber"] for r in self.shards[ShardId]]
                position = sequences.index(SequenceNumber) + 1
            else:
                position = 0
        return {"ShardIterator": f"{ShardId}/{position}"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        shard, position = ShardIterator.rsplit("/", 1)
        with self._lock:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("DynamoDB Local is restarting")
            if ShardIterator in self.stale:
                code = self.stale.pop(ShardIterator)
                raise ClientError({"Error": {"Code": code, "Message": "The iterator is no longer valid."}},
                                  "GetRecords")
            if self._held:
                return {"Records": [], "NextShardIterator": ShardIterator}
            records = self.shards[shard][int(position) : int(position) + Limit]
            end = int(position) + len(records)
            closed = shard in self.closed and end == len(self.shards[shard])
        return {"Records": records, **({} if closed else {"NextShardIterator": f"{shard}/{end}"})}


class Function:
    """The mapped function: records each event; `script` says what each invocation answers or raises."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.script: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any]) -> Any:
        with self._lock:
            self.events.append(event)
            outcome = self.script.pop(0) if self.script else {"batchItemFailures": []}
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def sequences(self) -> list[list[str]]:
        with self._lock:
            return [[r["dynamodb"]["SequenceNumber"] for r in e["Records"]] for e in self.events]


def _answer_ended(n: int, *, old: str = "streaming", new: str = "complete", role: str = "assistant") -> dict:
    image = {"pk": {"S": "U#u#C#c"}, "sk": {"S": f"M#{n:024x}"}, "role": {"S": role}}
    return {"eventID": f"e{n}", "eventName": "MODIFY", "eventVersion": "1.1", "awsRegion": "ddblocal",
            "dynamodb": {"Keys": {"pk": image["pk"], "sk": image["sk"]}, "StreamViewType": "NEW_AND_OLD_IMAGES",
                         "NewImage": {**image, "status": {"S": new}}, "OldImage": {**image, "status": {"S": old}}}}


@pytest.fixture
def streams() -> FakeStreams:
    return FakeStreams()


@pytest.fixture
def function() -> Function:
    return Function()


@pytest.fixture
def poller(streams: FakeStreams, function: Function) -> Iterator[StreamPoller]:
    poller = StreamPoller(streams, stream_arn=STREAM_ARN, pattern=DIGEST_FILTER, invoke=function, options=FAST)
    yield poller
    poller.stop()
    assert not poller._thread.is_alive()


def _settled(poller: StreamPoller, count: int) -> None:
    wait_until(lambda: poller.delivered + poller.dropped >= count, f"{count} records were handled")


def test_records_after_start_reach_the_function_in_batches_in_lambdas_shape(streams, function, poller):
    poller.start()
    with streams.held():
        sequences = [streams.append(_answer_ended(i)) for i in range(5)]

    _settled(poller, 5)

    assert function.sequences() == [sequences[:3], sequences[3:]]
    record = function.events[0]["Records"][0]
    assert (record["eventSource"], record["eventSourceARN"]) == ("aws:dynamodb", STREAM_ARN)
    assert record["dynamodb"]["NewImage"]["status"] == {"S": "complete"}


def test_records_from_before_the_start_are_not_replayed(streams, function, poller):
    streams.append(_answer_ended(0))
    poller.start()
    later = streams.append(_answer_ended(1))

    _settled(poller, 1)

    assert function.sequences() == [[later]]


def test_only_records_matching_the_filter_are_delivered(streams, function, poller):
    poller.start()
    streams.append(_answer_ended(0, role="user"))
    streams.append(_answer_ended(1, old="complete"))  # an edit of an answer that had ended (a redaction)
    streams.append({**_answer_ended(2), "eventName": "INSERT"})
    wanted = streams.append(_answer_ended(3, old="pending", new="failed"))

    _settled(poller, 1)

    assert function.sequences() == [[wanted]]


def test_a_reported_failure_is_retried_from_that_record(streams, function, poller):
    poller.start()
    with streams.held():
        first, second, third = (streams.append(_answer_ended(i)) for i in range(3))
        function.script = [{"batchItemFailures": [{"itemIdentifier": second}]}]

    _settled(poller, 3)

    assert function.sequences() == [[first, second, third], [second, third]]
    assert (poller.delivered, poller.dropped) == (3, 0)


def test_a_function_error_retries_the_whole_batch(streams, function, poller):
    function.script = [RuntimeError("cold start failed")]
    poller.start()
    with streams.held():
        sequences = [streams.append(_answer_ended(i)) for i in range(2)]

    _settled(poller, 2)

    assert function.sequences() == [sequences, sequences]


def test_a_batch_that_keeps_failing_is_given_up_after_the_retries_and_the_stream_moves_on(streams, function,
                                                                                         poller):
    function.script = [RuntimeError("broken")] * (FAST.max_retries + 1)
    poller.start()
    with streams.held():
        doomed = [streams.append(_answer_ended(i)) for i in range(3)]
    _settled(poller, 3)
    after = streams.append(_answer_ended(9))

    _settled(poller, 4)

    assert function.sequences() == [doomed] * (FAST.max_retries + 1) + [[after]]
    assert (poller.delivered, poller.dropped) == (1, 3)


def test_a_shard_that_appears_later_is_read_from_its_first_record(streams, function, poller):
    poller.start()
    first = streams.append(_answer_ended(0), shard="shard-0002")

    _settled(poller, 1)

    assert function.sequences() == [[first]]


def test_a_closed_shard_read_to_its_end_is_no_longer_polled(streams, function, poller):
    poller.start()
    streams.append(_answer_ended(0), shard="shard-0002")
    streams.closed.add("shard-0002")
    _settled(poller, 1)

    wait_until(lambda: "shard-0002" not in poller._iterators, "the closed shard was dropped")


def test_a_failing_stream_read_is_tried_again_at_the_next_interval(streams, function, poller):
    poller.start()
    streams.failures = 3
    sequence = streams.append(_answer_ended(0))

    _settled(poller, 1)

    assert function.sequences() == [[sequence]] and streams.failures == 0


@pytest.mark.parametrize("code", ["TrimmedDataAccessException", "ExpiredIteratorException"])
def test_an_iterator_the_stream_no_longer_serves_is_replaced_and_reading_goes_on(streams, function, poller,
                                                                                  code, caplog):
    poller.start()
    first = streams.append(_answer_ended(0))
    _settled(poller, 1)
    streams.stale[poller._iterators["shard-0001"]] = code
    second = streams.append(_answer_ended(1))

    _settled(poller, 2)

    assert [s for batch in function.sequences() for s in batch][-1] == second
    assert first in function.sequences()[0]
    assert not [record for record in caplog.records if record.exc_info]  # said plainly, without a traceback
    (_, kind, after) = streams.iterator_requests[-1]
    assert (kind, after) == (("AFTER_SEQUENCE_NUMBER", first) if code == "ExpiredIteratorException"
                             else ("TRIM_HORIZON", None))
