"""Handing an answer to the worker Lambda with an asynchronous invoke."""

from __future__ import annotations

import pytest

from memchat.errors import InternalError
from memchat.events import ExportJob, PurgeJob
from memchat.handoff import WorkerInvoker

from .fakes import aws_response
from .recorded import ALICE, CONNECTION

JOB = PurgeJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c")


@pytest.fixture
def invoker(worker_lambda, settings) -> WorkerInvoker:
    return WorkerInvoker(worker_lambda.client, function_name=settings.worker_function_name)


def test_a_job_is_queued_with_an_event_invoke_of_the_worker(invoker, worker_lambda, settings):
    invoker.start(JOB)

    (invocation,) = worker_lambda.invocations
    assert (invocation.function_name, invocation.invocation_type) == (settings.worker_function_name, "Event")
    assert invocation.job() == JOB


@pytest.mark.parametrize(("status", "code"), [(429, "TooManyRequestsException"), (500, "ServiceException"),
                                               (404, "ResourceNotFoundException")])
def test_a_refused_invoke_is_an_internal_error_that_keeps_its_cause(invoker, worker_lambda, status, code):
    worker_lambda.fail_with(status, code, "from the test")
    with pytest.raises(InternalError, match="could not be started") as raised:
        invoker.start(JOB)
    assert raised.value.__cause__.response["Error"]["Code"] == code


def test_an_invoke_that_was_not_queued_is_an_internal_error(invoker, worker_lambda):
    # A 200 means the worker ran synchronously (or something else answered): the job was not queued.
    worker_lambda.client.meta.events.register_first(
        "before-send.lambda.Invoke", lambda request, **_: aws_response(request, 200, b"null")
    )
    with pytest.raises(InternalError):
        invoker.start(JOB)


def test_an_export_that_cannot_be_started_says_to_ask_for_it_again(invoker, worker_lambda):
    worker_lambda.fail_with(429, "TooManyRequestsException", "from the test")
    with pytest.raises(InternalError, match="export could not be started"):
        invoker.start(ExportJob(connection_id=CONNECTION, user_id=ALICE, export_id="1732529707801c0ffee01",
                                exported_ms=17))
