"""AWS clients, created once per process (per Lambda container) and shared by every invocation.

Endpoints come from boto3's own settings (AWS_ENDPOINT_URL_<SERVICE>), except the @connections API,
whose address is the stage's callback URL; so the same code talks to AWS or to the local stack.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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


# memchat's DynamoDB clients (the handlers' and the local tools') differ from botocore's defaults in two ways, each
# for CPU on the answer path, where a message that refers to the past runs five or six calls at once under one GIL
# (docs/search.md, "Where that time goes"):
# - Requests are not validated against the service model on every call (about 0.12 ms of CPU a call, an eighth of a
#   small Query's). memchat builds them from typed values (memory/codec.py), and the tests' clients, which are
#   botocore's defaults, validate every request the code makes. A request that was invalid all the same is refused
#   by DynamoDB (a ValidationException, a ClientError) instead of botocore (a ParamValidationError): no code
#   catches either, and every error that is not a ChatError reaches the client as `internal` (handlers/chat.py).
# - Item reads are taken as DynamoDB sent them (_as_sent).
_DYNAMODB = Config(parameter_validation=False)
# The reads whose answers are items.
ITEM_READS = ("Query", "Scan", "GetItem", "BatchGetItem")
# A binary attribute's value ("B" or "BS", base64 in the JSON) is what botocore's parse decodes to bytes. Inside
# a JSON string every quote is escaped, so this matches only a key: a type, or an attribute named B or BS.
_BINARY = re.compile(rb'"BS?"\s*:')


def _as_sent(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    """botocore's `before-parse` hook for item reads: a successful answer's JSON becomes the response as it is,
    and the parser is left an empty body (it still adds ResponseMetadata). An error (its code is what
    memory/table.py maps) and an answer with a binary attribute keep botocore's own parse.

    Why: botocore parses a response by walking its model's shape for every value, and DynamoDB's AttributeValue
    is a structure of ten members, visited for each attribute of each item (boto/boto3#2928): for a search's
    Query of 100 postings that walk was two thirds of the call's CPU (2.9 of 4.2 ms on the development
    machine). For strings, numbers, booleans, nulls, lists, maps and sets DynamoDB's JSON already is what the
    walk returns. The hook is botocore's own (`before-parse` with `customized_response_dict`, how it adjusts
    S3's answers), registered per client, so no other client of the process changes.
    """
    body = response_dict.get("body")
    if response_dict.get("status_code") != 200 or not isinstance(body, bytes) or not body or _BINARY.search(body):
        return
    customized_response_dict.update(json.loads(body))
    response_dict["body"] = b"{}"


def dynamodb_client(config: Config, **kwargs: Any) -> DynamoDBClient:
    """A DynamoDB client as memchat makes them: `config`, requests not validated again, item reads taken as
    DynamoDB sent them. `kwargs` go to boto3 (the local tools' endpoint and credentials)."""
    client = boto3.client("dynamodb", config=config.merge(_DYNAMODB), **kwargs)
    for operation in ITEM_READS:
        client.meta.events.register(f"before-parse.dynamodb.{operation}", _as_sent,
                                    unique_id=f"memchat-as-sent-{operation}")
    return client


@lru_cache(maxsize=1)
def dynamodb() -> DynamoDBClient:
    return dynamodb_client(_FAST)


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
