"""vLLM's chat API as the endpoint reads and writes it: what its request fields mean, and its framing."""

from __future__ import annotations

import json

import pytest

from memchat_local.engine import FinishReason
from memchat_local.vllm import VLLM_WIRE, ChunkWriter
from memchat_local.wire import Refused

ANSWER_SO_FAR = [{"role": "user", "content": "Count to five."}, {"role": "assistant", "content": "One, two,"}]
SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}


def parse(messages: list | None = None, **body: object):
    messages = messages or [{"role": "user", "content": "Hi"}]
    return VLLM_WIRE.parse(json.dumps({"messages": messages, **body}).encode())


def test_the_repetition_controls_are_passed_on_as_named():
    generation = parse(repetition_penalty=1.15, frequency_penalty=0.3, presence_penalty=0.2).generation()
    assert (generation.repetition_penalty, generation.frequency_penalty, generation.presence_penalty) == (
        1.15, 0.3, 0.2)


def test_an_answer_is_continued_only_when_asked_with_no_generation_prompt():
    continued = parse(ANSWER_SO_FAR, continue_final_message=True, add_generation_prompt=False).generation()
    anew = parse(ANSWER_SO_FAR).generation()
    assert (continued.continue_final_message, anew.continue_final_message) == (True, False)


def test_continuing_with_the_default_generation_prompt_is_refused_as_vllm_refuses_it():
    with pytest.raises(Refused) as refused:
        parse(ANSWER_SO_FAR, continue_final_message=True)
    error = json.loads(refused.value.body)["error"]
    assert (refused.value.status, error["type"], error["code"]) == (400, "BadRequestError", 400)
    assert "add_generation_prompt" in error["message"]


def test_the_json_schema_response_format_constrains_to_its_schema():
    response_format = {"type": "json_schema", "json_schema": {"name": "t", "schema": SCHEMA}}
    assert parse(response_format=response_format).generation().json_schema == SCHEMA


def test_the_removed_guided_json_field_is_ignored_without_an_error():
    assert parse(guided_json=SCHEMA).generation().json_schema is None


def test_a_single_stop_string_is_taken_as_a_list_of_one():
    assert parse(stop="\n\n").generation().stop == ("\n\n",)


def test_events_are_written_with_a_space_after_data():
    writer = ChunkWriter(model="m", fingerprint="f")
    for event in (writer.token("Hi"), writer.finish(FinishReason.STOP), writer.usage(3, 1)):
        assert event.startswith(b"data: {") and event.endswith(b"}\n\n")
    assert writer.done() == b"data: [DONE]\n\n"
    assert writer.failure("boom").endswith(b"}\n\ndata: [DONE]\n\n")
