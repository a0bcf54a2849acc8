"""Fuzz: hostile frames into the chat function, in-process (moto's DynamoDB, the @connections fake).

Each frame must get exactly one documented answer, the handler must never raise or log a traceback, and a
refused frame must store nothing. The bulk of the suite's frames run here; tests/integration/test_fuzz.py
sends a share of the same frames through the real gateway.
"""

from __future__ import annotations

import json
import logging
import os
from concurrent.futures import Future

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from memchat import chat as chat_domain
from memchat import export
from memchat.events import ExportJob
from memchat.frames import ErrorFrame
from memchat.handlers import chat as chat_handler
from memchat.settings import Settings
from tests import figures
from tests.hostile import STRICT_TYPES_PENDING, Case, handler_cases

from ..conftest import CALLBACK_URL, REGION
from ..recorded import CONNECTION, event

FRAMES = int(os.environ.get("MEMCHAT_FUZZ_HANDLER_FRAMES", "8500"))
CHECK_EVERY = 50  # frames between two checks of storage for the canaries of refused ones


@pytest.fixture
def settings() -> Settings:
    """The unit suite's settings with the rate limit out of the way: the fuzzer sends thousands of frames."""
    return Settings(
        table_name="memchat-test-chat",
        connections_table_name="memchat-test-connections",
        endpoint_name="memchat-test-llm",
        worker_function_name="memchat-test-worker",
        callback_url=CALLBACK_URL,
        rate_limit_per_minute=1_000_000,
    )


class _Inline:
    """An executor that runs each task at once on the calling thread: moto's DynamoDB is not thread-safe
    (a read beside a transaction can fail inside moto), and AWS's DynamoDB, which is, is not under test."""

    def submit(self, function, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(chat_domain, "_background", _Inline(), raising=False)


class _Tracebacks(logging.Handler):
    """Every record logged with an exception, or at ERROR and above, anywhere."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def describe(self) -> str:
        record = self.records[0]
        cause = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        return f"{record.getMessage()}\n{cause}"

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


@pytest.fixture
def tracebacks():
    handler = _Tracebacks()
    loggers = [logging.getLogger(), logging.getLogger("memchat")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


class _Table:
    """moto's own copy of a table, read directly: a Scan per frame would cost more than the frame (moto
    copies every item it scans), and moto's transactions copy the whole table, so it is emptied now and
    then, after checking that no refused frame's canary made it in."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def _table(self):  # looked up each time: moto rolls a failed transaction back by swapping the table
        return dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(self._name)

    def count(self) -> int:
        return sum(len(items) if self._table.range_key_attr else 1 for items in self._table.items.values())

    def text(self) -> str:
        return json.dumps([item.to_json() for item in self._table.all_items()], ensure_ascii=False)

    def clear(self) -> None:
        table = self._table
        table.items.clear()
        if table.stream_shard is not None:  # the table's stream keeps every change, and is copied too
            table.stream_shard.items.clear()


def _outcome(frames: list) -> str:
    (frame,) = frames  # exactly one answer per frame
    return f"error:{frame.code}" if isinstance(frame, ErrorFrame) else frame.type


@pytest.mark.timeout(900)
def test_every_hostile_frame_gets_one_documented_answer_and_a_refused_one_stores_nothing(
    chat, gateway, dynamodb, settings, tracebacks, worker_lambda, memory
):
    canaries: list[str] = []
    sent: list[str] = []
    table = _Table(settings.table_name)

    def check_and_clear() -> None:
        stored = table.text()
        assert not [mark for mark in canaries if mark in stored], "a refused frame's text was stored"
        canaries.clear()
        table.clear()

    @hypothesis_settings(max_examples=FRAMES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=handler_cases().filter(lambda case: not case.strict_pending))
    def one_frame(case: Case) -> None:
        tracebacks.records.clear()
        sent.append(case.kind)
        if len(sent) % CHECK_EVERY == 0:
            check_and_clear()
        before_items = table.count() if case.refused else 0
        connection = f"fuzz{len(sent):07d}AAAAA="  # one connection a frame: its answers are its own
        invoked = len(worker_lambda.invocations)

        assert chat_handler.handle(event("default_route", body=case.body, connection_id=connection),
                                   chat) == {"statusCode": 200}

        # An export's first page is the worker's to post: run on the job the route handed it, as the worker would.
        exports = [job for job in (i.job() for i in worker_lambda.invocations[invoked:]) if isinstance(job, ExportJob)]
        frames = gateway.frames(connection) or [export.prepare(memory, settings, job) for job in exports]
        outcome = _outcome(frames)
        figures.count("fuzz: frames into the chat function, by outcome", outcome)
        figures.count("fuzz: frames into the chat function, by fault", case.kind)
        assert not tracebacks.records, tracebacks.describe()
        assert outcome in case.expect, f"{case.kind}: {case.body[:300]!r} got {outcome}"
        if case.refused:
            assert table.count() == before_items, "a refused frame stored something"
            if case.canary:
                canaries.append(case.canary)

    one_frame()
    check_and_clear()


# Item 5 of the hardening issue (strict wire types) is frames.py's: these frames are refused once it is done.
LOOSE_TYPES = [
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":true}',
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":false}',
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":"10"}',
    '{"action":"getHistory","conversationId":"0123456789abcdef","limit":10.0}',
    '{"action":"listConversations","cursor":""}',
]


@pytest.mark.parametrize("body", LOOSE_TYPES)
def test_a_loosely_typed_field_is_answered_bad_request(chat, gateway, body):
    chat_handler.handle(event("default_route", body=body), chat)
    outcome = _outcome(gateway.frames(CONNECTION))
    figures.count("fuzz: frames into the chat function, by outcome", outcome)
    figures.count("fuzz: frames into the chat function, by fault", "loose_type")
    assert outcome == "error:bad_request", STRICT_TYPES_PENDING
