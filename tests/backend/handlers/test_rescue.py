"""The worker's on-failure destination: a generation Lambda gave up on still ends, and the client is told.

Events are Lambda's invocation records for an asynchronous invoke sent to an on-failure destination:
the original job as `requestPayload`, why it failed in `requestContext.condition`.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from memchat.errors import ErrorCode
from memchat.events import ExportJob, GenerationJob, PurgeJob
from memchat.frames import ErrorFrame, MessageStatus
from memchat.handlers import rescue

from ..recorded import ALICE, CONNECTION

NOW = 1_732_529_707_801
WORKER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:memchat-test-worker:$LATEST"


def _record(job: GenerationJob | PurgeJob | ExportJob, *, condition: str = "RetriesExhausted") -> dict[str, Any]:
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": "2024-11-25T10:15:37.801Z",
        "requestContext": {"requestId": str(uuid.uuid4()), "functionArn": WORKER_ARN, "condition": condition,
                           "approximateInvokeCount": 3 if condition == "RetriesExhausted" else 1},
        "requestPayload": job.model_dump(mode="json", by_alias=True),
    }
    if condition == "RetriesExhausted":
        record["responseContext"] = {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
        record["responsePayload"] = {"errorMessage": "2024-11-25T10:15:37.801Z Task timed out after 900.00 seconds"}
    return record


def _job(memory, **changes: Any) -> GenerationJob:
    turn = memory.store_user_message(ALICE, conversation_id=None, client_message_id=uuid.uuid4(),
                                     text="Tell me a story.", now_ms=NOW)
    fields = {"connection_id": CONNECTION, "user_id": ALICE, "conversation_id": turn.conversation_id,
              "message_id": turn.message_id, "reply_id": turn.reply_id, "received_ms": NOW}
    return GenerationJob(**{**fields, **changes})


def _answer(memory, job: GenerationJob):
    return memory.message_pair(job.user_id, job.conversation_id, job.message_id, job.reply_id)[1]


def test_a_pending_answer_gone_unanswered_is_failed_and_the_client_told(memory, poster, gateway):
    job = _job(memory)

    assert rescue.handle(_record(job), memory, poster) == {"ended": True}

    answer = _answer(memory, job)
    assert (answer.status, answer.error_code) == (MessageStatus.FAILED, ErrorCode.INTERNAL.value)
    (frame,) = gateway.frames(CONNECTION, ErrorFrame)
    assert (frame.code, frame.conversation_id, frame.message_id) == (ErrorCode.INTERNAL, job.conversation_id,
                                                                     job.reply_id)


def test_a_streaming_answer_gone_unanswered_is_failed_too(memory, poster, gateway):
    job = _job(memory)
    memory.claim_reply(ALICE, job.conversation_id, job.reply_id)

    assert rescue.handle(_record(job, condition="EventAgeExceeded"), memory, poster) == {"ended": True}
    assert _answer(memory, job).status is MessageStatus.FAILED


def test_an_answer_that_already_ended_is_left_as_it_is_and_nobody_told(memory, poster, gateway):
    job = _job(memory)
    memory.finish_reply(ALICE, job.conversation_id, job.reply_id, text="Once upon a time.",
                        status=MessageStatus.COMPLETE, tokens=5)

    assert rescue.handle(_record(job), memory, poster) == {"ended": False}
    assert _answer(memory, job).status is MessageStatus.COMPLETE
    assert gateway.frames(CONNECTION) == []


def test_a_client_that_went_away_does_not_fail_the_rescue(memory, poster, gateway):
    job = _job(memory)
    gateway.disconnect(CONNECTION)

    assert rescue.handle(_record(job), memory, poster) == {"ended": True}
    assert _answer(memory, job).status is MessageStatus.FAILED


def test_a_broken_socket_api_does_not_fail_the_rescue(memory, poster, gateway):
    job = _job(memory)
    gateway.fail(CONNECTION, status=500, code="InternalServerErrorException")

    assert rescue.handle(_record(job), memory, poster) == {"ended": True}


def test_a_dropped_purge_marks_nothing(memory, poster, gateway):
    job = PurgeJob(connection_id=CONNECTION, user_id=ALICE, conversation_id=_job(memory).conversation_id)

    assert rescue.handle(_record(job), memory, poster) == {"ended": False}
    assert gateway.frames(CONNECTION) == []


def test_a_dropped_export_tells_the_client_to_ask_for_it_again(memory, poster, gateway):
    job = ExportJob(connection_id=CONNECTION, user_id=ALICE, export_id="1732529707801c0ffee01", exported_ms=NOW)

    assert rescue.handle(_record(job), memory, poster) == {"ended": False}
    (error,) = gateway.frames(CONNECTION)
    assert isinstance(error, ErrorFrame) and error.code == ErrorCode.INTERNAL and "ask for it again" in error.message


def test_a_dropped_job_for_a_deleted_conversation_ends_nothing(memory, poster, gateway):
    job = _job(memory)
    memory.delete_conversation(ALICE, job.conversation_id)
    memory.purge_messages(ALICE, job.conversation_id)

    assert rescue.handle(_record(job), memory, poster) == {"ended": False}
    assert gateway.frames(CONNECTION) == []


def test_the_record_is_read_with_its_condition():
    record = rescue.InvocationRecord.parse(_record(PurgeJob(connection_id="c", user_id="u", conversation_id="c0ffee01"),
                                                   condition="EventAgeExceeded"))
    assert record.condition == "EventAgeExceeded" and record.request_payload.conversation_id == "c0ffee01"


def test_the_lambda_entry_point_builds_its_services_from_settings(cold_start, memory, process_gateway):
    rescue.services.cache_clear()
    job = _job(memory)
    try:
        assert rescue.lambda_handler(_record(job), None) == {"ended": True}
        assert len(process_gateway.frames(CONNECTION, ErrorFrame)) == 1
    finally:
        rescue.services.cache_clear()


@pytest.mark.parametrize("condition", ["RetriesExhausted", "EventAgeExceeded"])
def test_every_failure_condition_is_rescued(memory, poster, gateway, condition):
    assert rescue.handle(_record(_job(memory), condition=condition), memory, poster) == {"ended": True}
