"""The generation worker's Lambda, driven by the very payloads the chat handler hands it."""

from __future__ import annotations

import json

import pytest

from memchat.frames import Ack, Delta, Done, ErrorFrame, ExportPage
from memchat.handlers import chat as chat_handler
from memchat.handlers import worker
from memchat_local.eventstream import exception_event

from ..recorded import ALICE, CONNECTION, event
from ..tgi import chunk, payload_parts, token_parts


def _handed_off(chat, worker_lambda, body: dict | None = None) -> dict:
    """The payload the chat handler queued for the worker, as Lambda would deliver it."""
    chat_handler.handle(event("send_message", body=body) if body else event("send_message"), chat)
    return worker_lambda.invocations[-1].payload


def test_a_generate_job_streams_the_answer_and_reports_its_outcome(chat, generation, worker_lambda, endpoint,
                                                                   gateway):
    endpoint.streams(*token_parts(["Canberra", "."], prompt_tokens=40))

    result = worker.handle(_handed_off(chat, worker_lambda), generation)

    assert result == {"status": "complete", "completionTokens": 2}
    frames = gateway.frames(CONNECTION)
    assert [type(f) for f in frames] == [Ack, *[Delta] * (len(frames) - 2), Done]


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (lambda e: e.fails(503, "ServiceUnavailable", "Service Unavailable"), "model_unavailable"),
        (lambda e: e.streams(payload_parts(chunk("Can")), exception_event("ModelStreamError", "Stream broken")),
         "model_error"),
        (lambda e: e.fails(400, "ThrottlingException", "Rate exceeded"), "rate_limited"),
    ],
    ids=["model_unavailable", "model_error", "rate_limited"],
)
def test_a_model_failure_is_reported_to_the_client_and_as_a_failed_outcome(chat, generation, worker_lambda,
                                                                           endpoint, gateway, failure, code):
    failure(endpoint)
    result = worker.handle(_handed_off(chat, worker_lambda), generation)

    assert result["status"] == "failed"
    error = gateway.frames(CONNECTION)[-1]
    assert isinstance(error, ErrorFrame) and error.code == code


def test_a_purge_job_removes_a_deleted_conversations_messages(chat, generation, worker_lambda, endpoint, gateway,
                                                              dynamodb, settings):
    endpoint.streams(*token_parts(["Canberra", "."]))
    worker.handle(_handed_off(chat, worker_lambda), generation)
    conversation = gateway.frames(CONNECTION)[0].conversation_id

    purge = _handed_off(chat, worker_lambda, {"action": "deleteConversation", "conversationId": conversation})
    assert worker.handle(purge, generation) == {"purged": 2, "memoriesForgotten": 0}

    left = dynamodb.query(TableName=settings.table_name, KeyConditionExpression="pk = :pk",
                          ExpressionAttributeValues={":pk": {"S": f"U#{ALICE}#C#{conversation}"}})
    assert left["Items"] == []


def test_an_export_job_keeps_the_later_parts_and_posts_the_first_page(chat, generation, worker_lambda, gateway,
                                                                      memory):
    job = _handed_off(chat, worker_lambda, {"action": "exportData"})

    result = worker.handle(job, generation)

    (page,) = gateway.frames(CONNECTION)
    assert isinstance(page, ExportPage) and page.cursor is None and page.offset == 0
    assert result == {"exported": page.total, "delivered": True}
    assert json.loads(page.part)["format"] == "memchat-export"


def test_an_event_that_is_not_a_job_is_refused(generation):
    with pytest.raises(ValueError, match="WorkerJob"):
        worker.handle(event("send_message"), generation)


def test_the_lambda_entry_point_generates_and_publishes_metrics(chat, worker_lambda, process_endpoint,
                                                                process_gateway, capsys):
    process_endpoint.streams(*token_parts(["Canberra", "."], prompt_tokens=40))
    result = worker.lambda_handler(_handed_off(chat, worker_lambda), None)

    assert result["status"] == "complete"
    assert isinstance(process_gateway.frames(CONNECTION)[-1], Done)
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    names = {m["Name"] for record in metrics for d in record["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert {"TimeToFirstTokenMs", "GenerationsCompleted", "OutputTokens"} <= names


def test_the_worker_makes_no_sagemaker_control_plane_client_until_a_wake(monkeypatch):
    """Its service model costs a cold start about 0.2 s; most workers never wake the model."""
    from memchat import clients
    from memchat.handlers import worker as worker_handler

    monkeypatch.setenv("MEMCHAT_INFERENCE_COMPONENT_NAME", "memchat-test-component")
    made = []
    monkeypatch.setattr(clients, "sagemaker", lambda: made.append(1))
    worker_handler.generation.cache_clear()
    try:
        assert worker_handler.generation()._wakes is not None  # it can wake the model, when it must
    finally:
        worker_handler.generation.cache_clear()
    assert made == []
