"""Fixtures for the backend's unit tests: moto's DynamoDB, and fakes at the other AWS seams.

Every AWS client is a real boto3 client. DynamoDB is answered by moto; the @connections API, the worker
Lambda and the SageMaker endpoint are answered at the HTTP seam by tests/backend/fakes.py. Nothing
reaches the network: credentials are dummies and moto answers anything no fake does.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from memchat import clients
from memchat import settings as settings_module
from memchat.chat import Caller, Chat
from memchat.frames import MessageStatus
from memchat.generation import Generation
from memchat.handlers import index as index_handler
from memchat.handoff import WorkerInvoker
from memchat.memory import Connections, Memory, Turn
from memchat.model import ModelClient
from memchat.search import Index
from memchat.sender import Poster
from memchat.settings import Settings
from memchat.tables import INDEX_FILTERS, create_tables

from .fakes import ConnectionsApi, Issuer, ModelEndpoint, WorkerLambda
from .recorded import ALICE, BOB, BOB_CONNECTION, CONNECTION
from .streams import TableStream

REGION = "us-east-1"
CALLBACK_URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod"
# One attempt: a test that scripts a failure sees it once, and never sleeps in a retry back-off.
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=5)


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Dummy credentials and a region; no profile, config file or endpoint override from the machine."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "MEMCHAT_")):
            monkeypatch.delenv(name)
    nowhere = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # Process-wide caches (settings, clients) are rebuilt per test from this environment.
    for cached in (settings_module.get_settings, clients.dynamodb, clients.management_api,
                   clients.sagemaker_runtime, clients.lambda_, clients.sagemaker):
        cached.cache_clear()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        table_name="memchat-test-chat",
        connections_table_name="memchat-test-connections",
        endpoint_name="memchat-test-llm",
        worker_function_name="memchat-test-worker",
        callback_url=CALLBACK_URL,
        rate_limit_per_minute=5,
        flush_interval_ms=20,
        stop_poll_interval_ms=20,
        resume_grace_seconds=0,  # a client gone is gone at once; tests of resuming set a grace
    )


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture(scope="session")
def boto_session() -> boto3.session.Session:
    """One botocore session for the run: it loads each service's model once, so clients are cheap."""
    return boto3.session.Session(region_name=REGION)


@pytest.fixture
def session(aws: None, boto_session: boto3.session.Session) -> boto3.session.Session:
    return boto_session


def one_call_at_a_time(client):
    """moto's DynamoDB is not thread-safe: a Query deep-copies items that another thread's write is changing
    ("dictionary changed size during iteration"). A worker's watcher thread and its streaming thread call the
    table at once, as they do DynamoDB, so every call through this client holds one lock (DynamoDB applies
    each request to an item atomically, which is all the code relies on)."""
    lock = threading.RLock()  # re-entrant: a test's event hook may call the table from inside a call
    call = client._make_api_call

    def locked(operation: str, params: dict):
        with lock:
            return call(operation, params)

    client._make_api_call = locked
    return client


@pytest.fixture
def dynamodb(session: boto3.session.Session, settings: Settings):
    client = one_call_at_a_time(session.client("dynamodb"))
    create_tables(client, chat_table_name=settings.table_name, connections_table_name=settings.connections_table_name)
    return client


@pytest.fixture
def memory(dynamodb, settings: Settings) -> Memory:
    return Memory(dynamodb, table_name=settings.table_name, rate_limit_per_minute=settings.rate_limit_per_minute)


@pytest.fixture
def connections(dynamodb, settings: Settings) -> Connections:
    return Connections(dynamodb, table_name=settings.connections_table_name)


@pytest.fixture
def gateway(session: boto3.session.Session) -> ConnectionsApi:
    return ConnectionsApi(session.client("apigatewaymanagementapi", endpoint_url=CALLBACK_URL, config=ONE_ATTEMPT))


@pytest.fixture
def worker_lambda(session: boto3.session.Session) -> WorkerLambda:
    return WorkerLambda(session.client("lambda", config=ONE_ATTEMPT))


@pytest.fixture
def endpoint(session: boto3.session.Session) -> ModelEndpoint:
    return ModelEndpoint(session.client("sagemaker-runtime", config=ONE_ATTEMPT))


@pytest.fixture
def poster(gateway: ConnectionsApi) -> Poster:
    return Poster(gateway.client)


@pytest.fixture
def chat(memory: Memory, poster: Poster, worker_lambda: WorkerLambda, settings: Settings) -> Chat:
    worker = WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name)
    return Chat(memory=memory, poster=poster, worker=worker, settings=settings)


@pytest.fixture
def generation(memory: Memory, endpoint: ModelEndpoint, poster: Poster, settings: Settings) -> Generation:
    model = ModelClient(endpoint.client, endpoint_name=settings.endpoint_name)
    return Generation(memory=memory, model=model, poster=poster, settings=settings)


@pytest.fixture
def alice() -> Caller:
    return Caller(user_id=ALICE, connection_id=CONNECTION)


@pytest.fixture
def bob() -> Caller:
    return Caller(user_id=BOB, connection_id=BOB_CONNECTION)


@pytest.fixture(scope="session")
def issuer() -> Iterator[Issuer]:
    issuer = Issuer()
    yield issuer
    issuer.close()


@pytest.fixture
def exchange(memory: Memory) -> Callable[..., Turn]:
    """Store a user's message and end its answer with `answer` (complete), as a turn does."""
    clock = iter(range(1_732_000_000_000, 1_733_000_000_000, 60_000))  # a minute apart: within the rate

    def store(user: str, text: str, answer: str, *, conversation_id: str | None = None,
              temporary: bool = False) -> Turn:
        turn = memory.store_user_message(user, conversation_id=conversation_id, client_message_id=uuid.uuid4(),
                                         text=text, now_ms=next(clock), temporary=temporary)
        memory.claim_reply(user, turn.conversation_id, turn.reply_id)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=answer,
                            status=MessageStatus.COMPLETE, tokens=10)
        return turn

    return store


@pytest.fixture
def index(memory: Memory) -> Index:
    return Index.beside(memory)


@pytest.fixture
def stream(session, dynamodb, settings) -> TableStream:
    return TableStream(session, dynamodb, settings.table_name)


@pytest.fixture
def indexed(stream: TableStream, index: Index) -> Callable[[], int]:
    """Run the index's stream function over everything written so far (as its mapping would); how many records."""
    return lambda: stream.deliver(INDEX_FILTERS, lambda event: index_handler.handle(event, index))
