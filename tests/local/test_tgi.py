"""TGI's Messages API as the endpoint reads and writes it: what its request fields mean, and its framing."""

from __future__ import annotations

import json

import pytest

from memchat_local.engine import FinishReason
from memchat_local.tgi import TGI_WIRE, ChunkWriter
from memchat_local.wire import Refused

ANSWER_SO_FAR = [{"role": "user", "content": "Count to five."}, {"role": "assistant", "content": "One, two,"}]


def parse(**body: object):
    return TGI_WIRE.parse(json.dumps({"messages": [{"role": "user", "content": "Hi"}], **body}).encode())


def test_presence_penalty_is_tgis_way_to_a_repetition_penalty_two_above_it():
    assert parse(presence_penalty=-0.85).generation().repetition_penalty == pytest.approx(1.15)


def test_without_presence_penalty_repetition_is_not_penalised():
    assert parse().generation().repetition_penalty == 1.0


def test_a_repetition_penalty_field_is_ignored_as_tgis_messages_api_has_none():
    assert parse(repetition_penalty=1.3).generation().repetition_penalty == 1.0


def test_frequency_penalty_is_passed_on():
    assert parse(frequency_penalty=0.5).generation().frequency_penalty == 0.5


def test_a_final_assistant_message_is_always_continued_and_no_flag_is_needed():
    generation = TGI_WIRE.parse(json.dumps({"messages": ANSWER_SO_FAR}).encode()).generation()
    assert generation.continue_final_message


def test_a_final_user_message_starts_a_new_turn_whatever_the_body_says():
    assert not parse(continue_final_message=True).generation().continue_final_message


def test_a_refusal_is_tgis_error_document_with_status_400():
    with pytest.raises(Refused) as refused:
        parse(max_tokens=0)
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["error_type"] == "validation"


def test_events_are_written_with_no_space_after_data_as_axum_writes_them():
    writer = ChunkWriter(model="m", fingerprint="f")
    for event in (writer.token("Hi"), writer.finish(FinishReason.STOP), writer.usage(3, 1)):
        assert event.startswith(b"data:{") and event.endswith(b"}\n\n")
    assert writer.done() == b"data:[DONE]\n\n"
    assert writer.failure("boom").endswith(b"}\n\ndata:[DONE]\n\n")
