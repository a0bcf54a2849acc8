"""Fixtures for the Lambda entry points: the process-wide objects a real invocation builds from settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memchat import clients
from memchat.handlers import authorizer, chat, connect, worker
from memchat.settings import Settings, get_settings

from ..fakes import ConnectionsApi, ModelEndpoint, WorkerLambda

_PROCESS_CACHES = (get_settings, clients.dynamodb, clients.management_api, clients.sagemaker_runtime, clients.lambda_,
                   authorizer.verifier, chat.chat, connect.connections, worker.generation,
                   worker.digest)


@pytest.fixture
def cold_start(monkeypatch: pytest.MonkeyPatch, settings: Settings, dynamodb) -> Iterator[None]:
    """A fresh Lambda container configured by MEMCHAT_* variables, as the CDK stack sets them."""
    for name, value in settings.model_dump().items():
        if value is not None:
            monkeypatch.setenv(f"MEMCHAT_{name.upper()}", str(value))
    for cached in _PROCESS_CACHES:
        cached.cache_clear()
    yield
    for cached in _PROCESS_CACHES:
        cached.cache_clear()


@pytest.fixture
def process_gateway(cold_start: None) -> ConnectionsApi:
    """The @connections fake, answering the process-wide management API client the handlers create."""
    return ConnectionsApi(clients.management_api())


@pytest.fixture
def process_worker_lambda(cold_start: None) -> WorkerLambda:
    return WorkerLambda(clients.lambda_())


@pytest.fixture
def process_endpoint(cold_start: None) -> ModelEndpoint:
    return ModelEndpoint(clients.sagemaker_runtime())
