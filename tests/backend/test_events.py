"""The events our functions hand each other: the worker's jobs round-trip, each task its own model."""

from __future__ import annotations

import json

import pytest

from memchat.events import ExportJob, GenerationJob, PurgeJob, parse, parse_job

from .recorded import ALICE, CONNECTION


def test_a_generation_job_round_trips_through_its_camel_case_payload():
    job = GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c",
                        message_id="0193a1b2c3d40a1b2c3d4e5", reply_id="0193a1b2c3d41a1b2c3d4e5", received_ms=17)
    payload = json.loads(job.to_payload())

    assert payload["connectionId"] == CONNECTION and payload["replyId"] == job.reply_id
    assert parse(GenerationJob, payload) == job


def test_each_task_is_read_as_its_own_model():
    generate = GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="c0ffee01",
                             message_id="0193a1b2c3d40a1b2c3d4e5", reply_id="0193a1b2c3d41a1b2c3d4e5")
    purge = PurgeJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="c0ffee01")
    export = ExportJob(connection_id=CONNECTION, user_id=ALICE, export_id="1732529707801c0ffee01", exported_ms=17)

    assert parse_job(json.loads(generate.to_payload())) == generate
    assert parse_job(json.loads(purge.to_payload())) == purge
    assert parse_job(json.loads(export.to_payload())) == export
    assert json.loads(purge.to_payload())["task"] == "purge"
    assert json.loads(export.to_payload())["task"] == "export"


def test_a_job_without_a_task_is_a_generation_as_every_job_was_before_purges():
    payload = {"connectionId": CONNECTION, "userId": ALICE, "conversationId": "c0ffee01",
               "messageId": "0193a1b2c3d40a1b2c3d4e5", "replyId": "0193a1b2c3d41a1b2c3d4e5"}
    assert isinstance(parse_job(payload), GenerationJob)


@pytest.mark.parametrize("payload", [
    {"task": "generate", "connectionId": CONNECTION, "userId": ALICE, "conversationId": "c0ffee01"},  # no ids
    {"task": "purge", "connectionId": CONNECTION, "userId": ALICE, "conversationId": "c", "replyId": "r"},
    {"task": "summarise", "connectionId": CONNECTION, "userId": ALICE, "conversationId": "c0ffee01"},
], ids=["generation-without-its-messages", "purge-with-a-generations-field", "unknown-task"])
def test_a_job_that_fits_no_task_is_refused(payload):
    with pytest.raises(ValueError, match="WorkerJob"):
        parse_job(payload)

