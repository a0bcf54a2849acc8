"""The embedded model (SmolLM2-135M via llama.cpp) behind the local endpoint, for the phrasing bank's
end-to-end part (`evaluation.phrasing`): how much the model alone gets right, and what memchat keeps."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from botocore.config import Config

from memchat.model import ModelClient

ENDPOINT_NAME = "memchat-eval-llm"


@contextmanager
def local_endpoint() -> Iterator[ModelClient]:
    """The local endpoint with the embedded model, on a free port in a thread; a client for it."""
    from memchat_local.endpoint import LocalEndpoint, start
    from memchat_local.engine import LlamaEngine

    endpoint = LocalEndpoint(LlamaEngine(), endpoint_name=ENDPOINT_NAME)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: dict[str, int] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        runner, port["value"] = loop.run_until_complete(start(endpoint.app()))
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, name="eval-endpoint", daemon=True)
    thread.start()
    if not ready.wait(120):
        raise RuntimeError("the local endpoint did not start")
    client = boto3.client("sagemaker-runtime", endpoint_url=f"http://127.0.0.1:{port['value']}",
                          region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106
                          config=Config(retries={"max_attempts": 1}, read_timeout=300))
    try:
        yield ModelClient(client, endpoint_name=ENDPOINT_NAME)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
