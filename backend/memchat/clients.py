"""AWS clients, created once per process (per Lambda container) and shared by every invocation.

Endpoints come from boto3's own settings (AWS_ENDPOINT_URL_<SERVICE>), except the @connections API,
whose address is the stage's callback URL; so the same code talks to AWS or to the local stack.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from memchat.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

# How many connections each client keeps per host. Every answer in flight holds a model stream and posts
# deltas while the worker polls for a stop, and one process can run many answers at once (the local
# runtimes run up to 256 invocations a process on threads). A request beyond the pool's size still gets a
# connection, but urllib3 then discards it with "Connection pool is full" and the next request pays a new
# TCP handshake. Connections are opened only when needed, so a generous bound costs nothing when idle.
MAX_POOL_CONNECTIONS = 256

# The delta thread and the worker share connections; a short connect timeout fails fast.
_FAST = Config(connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 3},
               max_pool_connections=MAX_POOL_CONNECTIONS, tcp_keepalive=True)


@lru_cache(maxsize=1)
def dynamodb() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_FAST)


@lru_cache(maxsize=1)
def management_api() -> ApiGatewayManagementApiClient:
    return boto3.client("apigatewaymanagementapi", endpoint_url=get_settings().callback_url, config=_FAST)


@lru_cache(maxsize=1)
def sagemaker_runtime() -> SageMakerRuntimeClient:
    # No retries: a retried stream would repeat text the user has already seen, and a retried call that timed
    # out would generate twice. (botocore's `max_attempts` counts retries after the first; `total_max_attempts`
    # counts every attempt.)
    config = Config(connect_timeout=5, read_timeout=get_settings().model_timeout_seconds,
                    retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=MAX_POOL_CONNECTIONS,
                    tcp_keepalive=True)
    return boto3.client("sagemaker-runtime", config=config)


@lru_cache(maxsize=1)
def lambda_() -> LambdaClient:
    return boto3.client("lambda", config=_FAST)


@lru_cache(maxsize=1)
def sagemaker() -> SageMakerClient:
    """SageMaker's control plane: only the call that wakes the model (memchat.waking)."""
    return boto3.client("sagemaker", config=_FAST)
