"""The generation worker's Lambda, driven by the very payloads the chat handler hands it."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.stub import Stubber

from memchat.digest import Digest
from memchat.frames import Ack, Delta, Done, ErrorFrame, ExportPage
from memchat.handlers import chat as chat_handler
from memchat.handlers import worker
from memchat.memory import Memory
from memchat.model import ModelClient
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


def _said(text: str, **more) -> dict:
    return {"action": "sendMessage", "clientMessageId": str(uuid.uuid4()), "text": text, **more}


@pytest.fixture
def floor(memory, endpoint, settings) -> Digest:
    return Digest(memory=memory, model=ModelClient(endpoint.client, endpoint_name=settings.endpoint_name),
                  settings=settings)


def _memories(memory, user=ALICE) -> list[tuple[str, str]]:
    return sorted((m.subject.value, m.value) for m in memory.recall_state(user, limit=10).memories)


def test_what_the_rules_read_is_learnt_as_the_answer_ends_before_any_digest(chat, generation, worker_lambda,
                                                                          endpoint, memory, floor):
    endpoint.streams(*token_parts(["Noted", "."]))
    job = _handed_off(chat, worker_lambda, _said("Remember that my locker code is 4521. I live in Leeds."))

    assert worker.handle(job, generation, floor=floor)["status"] == "complete"

    assert _memories(memory) == [("home", "Leeds"), ("note", "my locker code is 4521")]
    assert len(endpoint.requests) == 1  # the answer's: the floor asks the model nothing


def test_an_answer_that_failed_still_has_its_message_learnt(chat, generation, worker_lambda, endpoint, memory, floor):
    endpoint.fails(503, "ServiceUnavailable", "Service Unavailable")
    job = _handed_off(chat, worker_lambda, _said("I live in Leeds."))

    assert worker.handle(job, generation, floor=floor)["status"] == "failed"
    assert _memories(memory) == [("home", "Leeds")]


def test_a_temporary_chat_or_a_forget_request_learns_nothing_as_the_answer_ends(chat, generation, worker_lambda,
                                                                                endpoint, memory, floor):
    endpoint.streams(*token_parts(["Noted", "."]))
    worker.handle(_handed_off(chat, worker_lambda, _said("I live in Leeds.", temporary=True)), generation, floor=floor)
    endpoint.streams(*token_parts(["Done", "."]))
    worker.handle(_handed_off(chat, worker_lambda, _said("Forget my old job. I work as a nurse now.")), generation,
                  floor=floor)

    assert _memories(memory) == []  # the forgetting message is learnt by the digest, after its forgetting


def test_a_floor_that_fails_is_left_to_the_digest_and_the_answer_still_ends(chat, generation, worker_lambda,
                                                                           endpoint, gateway, memory, boto_session,
                                                                           settings, caplog):
    endpoint.streams(*token_parts(["Noted", "."]))
    job = _handed_off(chat, worker_lambda, _said("I live in Leeds."))
    throttled = boto_session.client("dynamodb")
    with Stubber(throttled) as stub:  # DynamoDB Local never throttles: AWS's answer is injected here
        stub.add_client_error("get_item", "ProvisionedThroughputExceededException", http_status_code=400)
        floor = Digest(memory=Memory.from_settings(throttled, settings), settings=settings,
                       model=ModelClient(endpoint.client, endpoint_name=settings.endpoint_name))

        assert worker.handle(job, generation, floor=floor)["status"] == "complete"

    assert isinstance(gateway.frames(CONNECTION)[-1], Done) and _memories(memory) == []
    assert "left to the digest" in caplog.text and "Leeds" not in caplog.text


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
