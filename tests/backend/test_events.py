"""The events our functions hand each other: the worker's job round-trips."""

from __future__ import annotations

import json

from memchat.events import GenerationJob, parse

from .recorded import ALICE, CONNECTION


def test_a_generation_job_round_trips_through_its_camel_case_payload():
    job = GenerationJob(connection_id=CONNECTION, user_id=ALICE, conversation_id="9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c",
                        message_id="0193a1b2c3d40a1b2c3d4e5", reply_id="0193a1b2c3d41a1b2c3d4e5", received_ms=17)
    payload = json.loads(job.to_payload())

    assert payload["connectionId"] == CONNECTION and payload["replyId"] == job.reply_id
    assert parse(GenerationJob, payload) == job
