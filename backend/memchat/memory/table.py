"""The chat table's calls: every DynamoDB request goes through here, and its errors are translated once.

Throttling becomes `RateLimited`. A transaction cancelled by a conflict (another request wrote one of
its items at the same moment, as every turn of a user touches the same rate-count item) is retried with
jittered back-off; botocore's own retries do not cover cancelled transactions. DynamoDB Local never
raises conflicts or throttling, so tests inject them at this seam.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from memchat.errors import RateLimited
from memchat.memory.codec import conversation_pk, dump, message_sk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

THROTTLING_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
})
# Cancellation reasons that are about capacity, not about this request's conditions.
THROTTLING_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
CONFLICT_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 0.025
BACKOFF_CAP_SECONDS = 1.0
BUSY_MESSAGE = "The service is busy right now. Please try again in a moment."


def backoff(attempt: int, *, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_CAP_SECONDS) -> float:
    """Full-jitter exponential back-off (AWS's recommended shape): uniform in [0, min(cap, base * 2^n)]."""
    return random.uniform(0, min(cap, base * 2**attempt))


def error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def cancellation_reasons(exc: ClientError) -> list[str]:
    return [reason.get("Code", "None") for reason in exc.response.get("CancellationReasons", [])]


def projection(attributes: Sequence[str]) -> dict[str, Any]:
    """A read's parameters for these attributes only, every name through a placeholder (some, such as
    `status`, `text` and `role`, are DynamoDB reserved words)."""
    return {"ProjectionExpression": ", ".join(f"#a{number}" for number in range(len(attributes))),
            "ExpressionAttributeNames": {f"#a{number}": name for number, name in enumerate(attributes)}}


class Table:
    """Holds the client and the table name; the mixins of `Memory` build requests on top of it."""

    def __init__(self, client: DynamoDBClient, *, table_name: str, rate_limit_per_minute: int,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._table = table_name
        self._rate_limit = rate_limit_per_minute
        self._sleep = sleep
        self.calls = 0  # DynamoDB calls made through this object, for benchmarks

    @property
    def table_name(self) -> str:
        return self._table

    @property
    def client(self) -> DynamoDBClient:
        """The DynamoDB client, for another `Table` of the same table (the search index beside memory)."""
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        try:
            return getattr(self._client, operation)(TableName=self._table, **kwargs)
        except ClientError as exc:
            if error_code(exc) in THROTTLING_CODES:
                raise RateLimited(BUSY_MESSAGE) from exc
            raise

    def _query_pages(self, **kwargs: Any) -> Iterator[list[dict[str, Any]]]:
        """The items a Query matches, a page at a time (typed DynamoDB JSON); the next page is read only
        when asked for, so a caller that stops early reads no more."""
        while True:
            page = self._call("query", **kwargs)
            yield page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query_all(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a Query matches, page after page, read as they are asked for."""
        for items in self._query_pages(**kwargs):
            yield from items

    def _message_item(self, user_id: str, conversation_id: str, message_id: str,
                      attributes: Sequence[str] = ()) -> dict[str, Any] | None:
        """One message's item (only `attributes`, when given), read consistently, as DynamoDB's typed JSON;
        None when it is not there. Every read of one message or answer goes through here."""
        return self._call("get_item", Key=dump({"pk": conversation_pk(user_id, conversation_id),
                                                "sk": message_sk(message_id)}),
                          ConsistentRead=True, **(projection(attributes) if attributes else {})).get("Item")

    def _call_if(self, operation: str, **kwargs: Any) -> bool:
        """A conditional write; False when its condition did not hold (nothing was written)."""
        return self._write_if(operation, **kwargs) is not None

    def _write_if(self, operation: str, **kwargs: Any) -> dict[str, Any] | None:
        """A conditional write; its response (with `Attributes` when ReturnValues asks for them), or None
        when its condition did not hold (nothing was written)."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                response = self._call(operation, **kwargs)
            except ClientError as exc:
                code = error_code(exc)
                if code == "ConditionalCheckFailedException":
                    return None
                # A write to an item that a transaction is writing at this moment.
                if code == "TransactionConflictException":
                    if attempt + 1 < CONFLICT_ATTEMPTS:
                        self._sleep(backoff(attempt))
                        continue
                    raise RateLimited(BUSY_MESSAGE) from exc
                raise
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _batch_write(self, requests: list[dict[str, Any]], *, attempts: int = 8) -> None:
        """Put and delete up to 25 items (BatchWriteItem's limit), retrying unprocessed ones (DynamoDB's answer
        under throttling) with capped, jittered back-off a bounded number of times; then RateLimited."""
        for attempt in range(attempts):
            self.calls += 1
            try:
                result = self._client.batch_write_item(RequestItems={self._table: requests})
            except ClientError as exc:  # every item throttled: the whole call is refused
                if error_code(exc) in THROTTLING_CODES:
                    raise RateLimited(BUSY_MESSAGE) from exc
                raise
            requests = result.get("UnprocessedItems", {}).get(self._table, [])
            if not requests:
                return
            self._sleep(backoff(attempt))
        raise RateLimited(BUSY_MESSAGE)

    def _batch_get(self, keys: list[dict[str, Any]], *, consistent: bool = False, attributes: Sequence[str] = (),
                   attempts: int = 8) -> list[dict[str, Any]]:
        """Get up to 100 items by their typed keys, retrying unprocessed keys as `_batch_write` does; items
        that do not exist are simply not returned. `attributes`: only these of each item (all when empty)."""
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": consistent}}
        if attributes:
            request[self._table] |= projection(attributes)
        for attempt in range(attempts):
            self.calls += 1
            try:
                response = self._client.batch_get_item(RequestItems=request)
            except ClientError as exc:
                if error_code(exc) in THROTTLING_CODES:
                    raise RateLimited(BUSY_MESSAGE) from exc
                raise
            items += response.get("Responses", {}).get(self._table, [])
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return items
            self._sleep(backoff(attempt))
        raise RateLimited(BUSY_MESSAGE)

    def _transact(self, items: list[dict[str, Any]]) -> list[str] | None:
        """Run a write transaction; None when it committed, else the cancellation reason of each item.

        Conflicts are retried with jittered back-off; throttling becomes RateLimited. Other cancellations
        (a condition that did not hold) are the caller's to read.
        """
        for attempt in range(CONFLICT_ATTEMPTS):
            self.calls += 1
            try:
                self._client.transact_write_items(TransactItems=items)
            except ClientError as exc:
                code = error_code(exc)
                if code in THROTTLING_CODES:
                    raise RateLimited(BUSY_MESSAGE) from exc
                if code != "TransactionCanceledException":
                    raise
                reasons = cancellation_reasons(exc)
                if any(reason in THROTTLING_REASONS for reason in reasons):
                    raise RateLimited(BUSY_MESSAGE) from exc
                if "TransactionConflict" in reasons and "ConditionalCheckFailed" not in reasons:
                    if attempt + 1 < CONFLICT_ATTEMPTS:
                        self._sleep(backoff(attempt))
                        continue
                    raise RateLimited(BUSY_MESSAGE) from exc
                return reasons
            return None
        raise AssertionError("unreachable")  # pragma: no cover
