"""Fixtures for the local model endpoint: servers on free ports in background threads, boto3 clients, replies;
and DynamoDB Local, started as `memchat dev` starts it.

The replay server is served once per model server's wire format (TGI's and vLLM's), so every test of the
format runs against both; the real model is served in TGI's format, and in vLLM's for the tests that need it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from memchat_local.dynamodb import DEFAULT_DIR, DynamoDBLocal
from memchat_local.endpoint import LocalEndpoint, start
from memchat_local.engine import Engine
from memchat_local.replay import ReplayEngine
from memchat_local.stack import free_port

ENDPOINT_NAME = "memchat-test-llm"


@dataclass
class Server:
    endpoint: LocalEndpoint
    port: int
    loop: asyncio.AbstractEventLoop

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def wire(self) -> str:
        """The model server whose format it speaks: "tgi" or "vllm"."""
        return self.endpoint.wire.name


@contextmanager
def serve(engine: Engine, **options: Any) -> Iterator[Server]:
    """Run one endpoint on its own event loop in a daemon thread, as the real process would."""
    endpoint = LocalEndpoint(engine, endpoint_name=ENDPOINT_NAME, **options)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            runner, outcome["port"] = loop.run_until_complete(start(endpoint.app()))
        except BaseException as exc:
            outcome["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, name="endpoint", daemon=True)
    thread.start()
    assert started.wait(60), "the endpoint did not start"
    if "error" in outcome:
        raise outcome["error"]
    try:
        yield Server(endpoint, outcome["port"], loop)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(60)


@contextmanager
def dynamodb_local(data: Path, *, in_memory: bool = False) -> Iterator[DynamoDBLocal]:
    """DynamoDB Local on a free port with its files under `data`, stopped on the way out."""
    local = DynamoDBLocal(jar_dir=DEFAULT_DIR, data_dir=data / "db", port=free_port(), log_path=data / "log",
                          in_memory=in_memory)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(local.start())
        yield local
    finally:
        loop.run_until_complete(local.stop())
        loop.close()


def sagemaker_client(url: str | None) -> Any:
    """An unmodified boto3 client; with url None it finds the endpoint the way the backend does, in the environment."""
    return boto3.client(
        "sagemaker-runtime",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # the local endpoint ignores credentials
        # One attempt: botocore's client `max_attempts` counts retries, so 1 was two attempts, and a request
        # that timed out while queued was sent again while the first still held its place on the server.
        # The read timeout is past pytest's (300 s), which bounds a test that hangs: a request queued behind
        # nineteen on a loaded machine waits minutes for its first byte (it timed out at 120 s).
        config=Config(retries={"total_max_attempts": 1}, read_timeout=600, max_pool_connections=32),
    )


@dataclass
class Reply:
    """A streamed answer reassembled from its PayloadParts."""

    parts: list[bytes]
    headers: dict[str, str]
    content_type: str | None
    chunks: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False

    @classmethod
    def from_response(cls, response: dict[str, Any], wire: str = "tgi") -> Reply:
        """Reads the stream strictly in `wire`'s framing: TGI writes `data:{json}` with no space (axum's
        json_data), vLLM `data: {json}`."""
        parts = [event["PayloadPart"]["Bytes"] for event in response["Body"]]
        reply = cls(parts, response["ResponseMetadata"]["HTTPHeaders"], response.get("ContentType"))
        prefix = {"tgi": "data:", "vllm": "data: "}[wire]
        for event in b"".join(parts).decode().split("\n\n"):
            if not event:
                continue
            assert event.startswith(prefix) and not event.removeprefix(prefix).startswith(" "), event
            data = event.removeprefix(prefix)
            assert not reply.done, "nothing may follow [DONE]"
            if data == "[DONE]":
                reply.done = True
            else:
                reply.chunks.append(json.loads(data))
        return reply

    @property
    def token_chunks(self) -> list[dict[str, Any]]:
        return [chunk for chunk in self.chunks if chunk["choices"]]

    @property
    def text(self) -> str:
        return "".join(chunk["choices"][0]["delta"]["content"] for chunk in self.token_chunks)

    @property
    def finish_reason(self) -> str | None:
        return self.token_chunks[-1]["choices"][0]["finish_reason"]

    @property
    def usage(self) -> dict[str, int]:
        return self.chunks[-1]["usage"]


def chat_body(
    user: str = "Say hello to a new colleague in one sentence.",
    *,
    max_tokens: int = 16,
    **extra: Any,
) -> bytes:
    body = {
        "messages": [
            {"role": "system", "content": "You are a helpful, concise assistant."},
            {"role": "user", "content": user},
        ],
        "max_tokens": max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
        **extra,
    }
    return json.dumps(body).encode()


WIRES = ("tgi", "vllm")


@pytest.fixture(scope="session", params=WIRES)
def replay_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    with serve(ReplayEngine(ttft_ms=0, tokens_per_second=5000, reply_tokens=60), server=request.param) as server:
        yield server


@pytest.fixture(scope="session")
def llama_server() -> Iterator[Server]:
    from memchat_local.llama import LlamaEngine  # llama.cpp loads only for the tests that use the model

    with serve(LlamaEngine(n_ctx=2048, parallel=1)) as server:
        yield server


@pytest.fixture(scope="session")
def llama_vllm_server() -> Iterator[Server]:
    from memchat_local.llama import LlamaEngine

    with serve(LlamaEngine(n_ctx=2048, parallel=1), server="vllm") as server:
        yield server


@pytest.fixture(params=WIRES)
def any_llama_server(request: pytest.FixtureRequest) -> Server:
    """The real model in each format, for the few model tests whose request differs per server."""
    return request.getfixturevalue({"tgi": "llama_server", "vllm": "llama_vllm_server"}[request.param])


@pytest.fixture
def stream_chat() -> Callable[..., Reply]:
    def invoke(server: Server, body: bytes, *, endpoint_name: str = ENDPOINT_NAME) -> Reply:
        response = sagemaker_client(server.url).invoke_endpoint_with_response_stream(
            EndpointName=endpoint_name, Body=body, ContentType="application/json", Accept="text/event-stream"
        )
        return Reply.from_response(response, server.wire)

    return invoke
