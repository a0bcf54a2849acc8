"""The process-wide AWS clients: one connection pool each, large enough for every answer a process runs."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from memchat import clients

CONCURRENT = 64  # answers one worker process runs at once, well past botocore's default pool of 10


class _Gathering(BaseHTTPRequestHandler):
    """Answers only once CONCURRENT requests are in flight, so that many connections are open together."""

    barrier: threading.Barrier

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.barrier.wait(timeout=20)
        body = json.dumps({"TableNames": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Listening(ThreadingHTTPServer):
    """A server whose listen queue holds every connection the test opens at once.

    socketserver's default queue is 5. Past it, Linux drops the connection's SYN and the client sends it again
    only after 1, 2, 4, 8 s...: on a busy machine the last of CONCURRENT connections arrived after the barrier's
    bound, and the barrier broke every request that was waiting (a failure of the test's server, not the client).
    """

    request_queue_size = CONCURRENT
    daemon_threads = True


@pytest.fixture
def server() -> Iterator[str]:
    handler = type("Handler", (_Gathering,), {"barrier": threading.Barrier(CONCURRENT)})
    httpd = _Listening(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _pool_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "Connection pool is full" in r.getMessage()]


def test_the_model_client_serves_many_answers_at_once_without_discarding_connections(server, monkeypatch, caplog):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", server)
    client = clients.sagemaker_runtime()

    def invoke(_: int) -> None:
        # Read to the end, as a stream is: only then does the connection go back to the pool.
        client.invoke_endpoint(EndpointName="memchat-llm", Body=b"{}", ContentType="application/json")["Body"].read()

    with caplog.at_level(logging.WARNING, logger="urllib3.connectionpool"), ThreadPoolExecutor(CONCURRENT) as pool:
        list(pool.map(invoke, range(CONCURRENT)))

    assert _pool_warnings(caplog) == []


def test_the_dynamodb_client_serves_many_answers_at_once_without_discarding_connections(server, monkeypatch,
                                                                                        caplog):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", server)
    client = clients.dynamodb()

    with caplog.at_level(logging.WARNING, logger="urllib3.connectionpool"), ThreadPoolExecutor(CONCURRENT) as pool:
        list(pool.map(lambda _: client.list_tables(), range(CONCURRENT)))

    assert _pool_warnings(caplog) == []


def test_every_client_keeps_the_same_pool_size():
    for client in (clients.dynamodb(), clients.management_api(), clients.sagemaker_runtime(), clients.lambda_()):
        assert client.meta.config.max_pool_connections == clients.MAX_POOL_CONNECTIONS >= CONCURRENT


class _Busy(BaseHTTPRequestHandler):
    """A model endpoint that is busy: every call answers 503 (a status botocore's standard mode retries)."""

    calls = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).calls += 1
        body = json.dumps({"message": "busy"}).encode()
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_the_model_client_makes_one_attempt_so_no_answer_is_generated_twice(monkeypatch):
    handler = type("Handler", (_Busy,), {"calls": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", f"http://127.0.0.1:{httpd.server_address[1]}")
        clients.sagemaker_runtime.cache_clear()
        with pytest.raises(ClientError):
            clients.sagemaker_runtime().invoke_endpoint_with_response_stream(
                EndpointName="memchat-llm", Body=b"{}", ContentType="application/json")
    finally:
        clients.sagemaker_runtime.cache_clear()
        httpd.shutdown()
        httpd.server_close()

    assert handler.calls == 1


# Every kind of value memchat stores, and a few it does not, in one item.
_ITEM = {
    "pk": {"S": "U#alice#C#c1"}, "sk": {"S": "M#0001"}, "text": {"S": 'A "quoted" word, B: and \u00e9'},
    "tokens": {"N": "12"}, "score": {"N": "0.75"}, "temporary": {"BOOL": True}, "gone": {"NULL": True},
    "usage": {"M": {"input": {"N": "3"}, "ids": {"L": [{"S": "m1"}, {"N": "2"}]}}},
    "memoryIds": {"SS": ["a", "b"]}, "counts": {"NS": ["1", "2"]},
}


def _without_metadata(response: dict) -> dict:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def _reads(client, table: str) -> list[dict]:
    key = {"pk": _ITEM["pk"], "sk": _ITEM["sk"]}
    return [_without_metadata(response) for response in (
        client.get_item(TableName=table, Key=key, ConsistentRead=True),
        client.query(TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": _ITEM["pk"]},
                     ReturnConsumedCapacity="TOTAL"),
        client.scan(TableName=table, Limit=1),
        client.batch_get_item(RequestItems={table: {"Keys": [key], "ConsistentRead": True}}),
    )]


def _parsed_bodies(client) -> list[bytes]:
    """The bodies botocore's parser is given, in order (a hook registered after memchat's own)."""
    bodies: list[bytes] = []
    for operation in clients.ITEM_READS:
        client.meta.events.register_last(f"before-parse.dynamodb.{operation}",
                                         lambda response_dict, **_: bodies.append(response_dict["body"]))
    return bodies


def test_the_dynamodb_client_reads_items_as_botocore_parses_them(dynamodb, settings):
    dynamodb.put_item(TableName=settings.table_name, Item=_ITEM)
    client = clients.dynamodb()
    parsed = _parsed_bodies(client)

    as_sent = _reads(client, settings.table_name)

    assert as_sent == _reads(dynamodb, settings.table_name)  # the tests' client: botocore's own parse
    assert as_sent[0]["Item"] == _ITEM
    assert as_sent[1]["Items"] == [_ITEM] and as_sent[1]["Count"] == 1
    assert parsed == [b"{}"] * 4  # botocore's walk over the items' shapes was left nothing


def test_the_dynamodb_client_still_reads_a_binary_attribute_as_bytes(dynamodb, settings):
    binary = {"blob": {"B": b"\x00\x01"}, "blobs": {"BS": [b"\x02"]}}
    dynamodb.put_item(TableName=settings.table_name, Item={**_ITEM, **binary})
    client = clients.dynamodb()
    parsed = _parsed_bodies(client)

    item = client.get_item(TableName=settings.table_name, Key={"pk": _ITEM["pk"], "sk": _ITEM["sk"]})["Item"]

    assert item == {**_ITEM, **binary}
    assert parsed != [b"{}"]  # left to botocore, which decodes base64 to bytes


def test_a_read_dynamodb_refuses_is_the_same_client_error(dynamodb):
    errors = []
    for client in (dynamodb, clients.dynamodb()):
        with pytest.raises(ClientError) as raised:
            client.query(TableName="no-such-table", KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": "x"}})
        errors.append(raised.value.response["Error"])
    assert errors[0] == errors[1] and errors[0]["Code"] == "ResourceNotFoundException"


def test_a_request_botocore_would_refuse_is_refused_by_dynamodb_as_a_client_error(dynamodb):
    # Requests are validated by the tests' clients, not again on every call in production: one that is invalid
    # all the same still fails, as a ClientError (no code catches botocore's ParamValidationError).
    query = {"TableName": "", "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": "x"}}}
    with pytest.raises(ParamValidationError):
        dynamodb.query(**query)
    with pytest.raises(ClientError):
        clients.dynamodb().query(**query)
