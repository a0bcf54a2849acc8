"""DynamoDB as a handler meets it in AWS, for benchmarks: each answer DynamoDB Local gave, replayed after a
round trip's wait, with none of the database's work on this machine's CPU.

Why: on a laptop DynamoDB Local runs on the same cores as the code being timed, so every request's work
(about 1.5 ms of CPU each on the development machine) shows up in the handler's wall time. In AWS that work is
done on DynamoDB's servers while the function waits, and a wait costs the function nothing but itself
(docs/search.md, "Where that time goes"). A client made here runs the handler's calls through all of botocore
as usual (building, signing, sending, parsing: the function's share), but at the seam where the request would
leave the process (botocore's `before-send` event) it answers from what DynamoDB Local said the first time it
was asked exactly this, after `round_trip_s`. A write is answered as DynamoDB answers one that succeeded (an
empty JSON object), without being applied: use it only for work whose writes nothing reads back.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import urllib3
from botocore.awsrequest import AWSResponse

# The operations a replayed client answers without sending: they change the table, and their answer on success
# is an empty object (no ReturnValues or ReturnConsumedCapacity is asked for by the code timed).
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


class _Body:
    """What botocore reads a response's body from (`AWSResponse.raw`)."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Any:
        yield self._content


class Remote:
    """Register on a DynamoDB client: reads are sent for real the first time and replayed after that."""

    def __init__(self, *, round_trip_s: float) -> None:
        self.round_trip_s = round_trip_s
        self._answers: dict[tuple[str, bytes], tuple[int, dict[str, str], bytes]] = {}
        self._http = urllib3.PoolManager(maxsize=16)
        self._lock = threading.Lock()
        self.sent = 0  # requests that reached DynamoDB Local (the first of each read)
        self.replayed = 0

    def attach(self, client: Any) -> Any:
        client.meta.events.register("before-send.dynamodb", self._before_send, unique_id="memchat-remote")
        return client

    def _before_send(self, request: Any, **_: Any) -> AWSResponse:
        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else str(target)).rpartition(".")[2]
        body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
        key = (operation, body)
        with self._lock:
            known = self._answers.get(key)
        if known is None and operation in WRITES:
            known = (200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}")
        if known is not None:
            if self.round_trip_s:
                time.sleep(self.round_trip_s)
            with self._lock:
                self.replayed += 1
            status, headers, content = known
            return AWSResponse(request.url, status, headers, _Body(content))
        answer = self._http.request(request.method, request.url, body=body, headers=dict(request.headers.items()),
                                    retries=False)
        recorded = (answer.status, dict(answer.headers.items()), answer.data)
        with self._lock:
            self.sent += 1
            if answer.status == 200:
                self._answers[key] = recorded
        return AWSResponse(request.url, recorded[0], recorded[1], _Body(recorded[2]))
