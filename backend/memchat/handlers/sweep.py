"""The scheduled sweep (EventBridge, every minute): ends answers whose worker is gone and tells their clients."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from memchat import clients
from memchat.handlers.metering import Meter
from memchat.handoff import WorkerInvoker
from memchat.memory import Memory
from memchat.sender import Poster
from memchat.settings import get_settings
from memchat.sweep import Sweeper

logger = Logger(service="memchat")
meter = Meter()


@cache
def sweeper() -> Sweeper:
    settings = get_settings()
    # An answer waiting for the model to wake is tried again by starting the worker on its job.
    worker = WorkerInvoker(clients.lambda_(), function_name=settings.worker_function_name)
    return Sweeper(memory=Memory.from_settings(clients.dynamodb(), settings), poster=Poster(clients.management_api()),
                   retry=worker.start, retry_lease_seconds=settings.start_grace_seconds)


def handle(event: dict[str, Any], worker: Sweeper) -> dict[str, Any]:
    outcome = worker.run()
    meter.count("AnswersSwept", len(outcome.ended))
    meter.count("WaitingAnswersRetried", len(outcome.retried))
    return {"ended": len(outcome.ended), "told": outcome.told, "retried": len(outcome.retried)}


@meter.metered
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, sweeper())
