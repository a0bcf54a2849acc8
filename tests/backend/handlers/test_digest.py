"""The digest's Lambda: DynamoDB Streams batches in Lambda's shape, partial failures reported by sequence number."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from memchat import clients
from memchat.digest import Digest
from memchat.frames import MessageStatus
from memchat.handlers import digest as handler
from memchat.memory import Memory, quality
from memchat.memory.extraction import Drop
from memchat.model import BACKGROUND, CUSTOM_ATTRIBUTES_HEADER, ChatMessage, ModelClient

from ..recorded import ALICE, BOB
from ..test_digest import NOW, ScriptedModel
from ..tgi import token_parts

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/memchat-test-chat/stream/2024-11-25T10:15:07.801"


def _finished(memory: Memory, settings, text: str, *, user=ALICE) -> tuple[dict, dict]:
    """A turn whose answer ended, and the answer item's images before and after, as the stream carries them."""
    turn = memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(), text=text,
                                     now_ms=NOW)
    key = {"pk": {"S": f"U#{user}#C#{turn.conversation_id}"}, "sk": {"S": f"M#{turn.reply_id}"}}
    old = memory._client.get_item(TableName=settings.table_name, Key=key)["Item"]
    memory.claim_reply(user, turn.conversation_id, turn.reply_id)
    memory.finish_reply(user, turn.conversation_id, turn.reply_id, text="Noted.", status=MessageStatus.COMPLETE,
                        tokens=3)
    new = memory._client.get_item(TableName=settings.table_name, Key=key)["Item"]
    return old, new


def _record(sequence: int, new: dict | None, old: dict | None = None, name: str = "MODIFY") -> dict[str, Any]:
    image = new or old or {}
    dynamodb: dict[str, Any] = {"ApproximateCreationDateTime": NOW // 1000,
                                "Keys": {"pk": image.get("pk"), "sk": image.get("sk")},
                                "SequenceNumber": f"{sequence:021d}", "SizeBytes": 321,
                                "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new is not None:
        dynamodb["NewImage"] = new
    if old is not None:
        dynamodb["OldImage"] = old
    return {"eventID": uuid.uuid4().hex, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1", "dynamodb": dynamodb, "eventSourceARN": STREAM_ARN}


@pytest.fixture
def model() -> ScriptedModel:
    return ScriptedModel(title="Where Ada lives")


@pytest.fixture
def worker(memory, model, settings) -> Digest:
    return Digest(memory=memory, model=model, settings=settings, clock=lambda: NOW / 1000)


def test_each_finished_turn_of_a_batch_is_digested(memory, settings, worker, model):
    model.memories = [("home", "Lisbon")]
    batch = [_record(i, new, old) for i, (old, new) in enumerate(
        [_finished(memory, settings, "I live in Lisbon."), _finished(memory, settings, "I live in Lisbon.", user=BOB)])]

    assert handler.handle({"Records": batch}, worker) == {"batchItemFailures": []}
    assert [m.value for m in memory.recall_state(ALICE, limit=5).memories] == ["Lisbon"]
    assert [m.value for m in memory.recall_state(BOB, limit=5).memories] == ["Lisbon"]


def test_a_failed_record_is_reported_by_its_sequence_number_and_the_rest_are_digested(memory, settings, worker,
                                                                                    model):
    first, second, third = (_finished(memory, settings, f"Question {i}") for i in range(3))

    def fail_on_the_second(messages, **kwargs):
        if "Question 1" in messages[-1].content:
            raise RuntimeError("the endpoint is down")
        return ScriptedModel.complete(model, messages, **kwargs)

    model.complete = fail_on_the_second  # type: ignore[method-assign]
    batch = [_record(i + 1, new, old) for i, (old, new) in enumerate([first, second, third])]

    assert handler.handle({"Records": batch}, worker) == {"batchItemFailures": [{"itemIdentifier": f"{2:021d}"}]}
    titles = sorted(c.title for c in memory.list_conversations(ALICE, cursor=None, limit=5).items)
    assert titles == ["Question 1", "Where Ada lives", "Where Ada lives"]


def test_a_batch_whose_every_record_failed_raises_so_lambda_retries_it_whole(memory, settings, worker, model):
    model.fail = RuntimeError("the endpoint is down")
    old, new = _finished(memory, settings, "I live in Lisbon.")

    with pytest.raises(BatchProcessingError):
        handler.handle({"Records": [_record(1, new, old)]}, worker)


def test_records_that_are_no_finished_turn_are_skipped_without_the_model(memory, settings, worker, model):
    old, new = _finished(memory, settings, "I live in Lisbon.")
    question = {**new, "role": {"S": "user"}, "status": {"S": "sent"}}
    batch = [_record(1, question, name="INSERT"), _record(2, None, old, name="REMOVE"),
             _record(3, {**new, "status": {"S": "streaming"}}, old)]

    assert handler.handle({"Records": batch}, worker) == {"batchItemFailures": []}
    assert model.calls == []


def test_the_lambda_entry_point_builds_its_digest_from_settings(cold_start, memory, settings):
    handler.digest.cache_clear()
    old, new = _finished(memory, settings, "Hello")
    try:
        response = handler.lambda_handler({"Records": [_record(1, {**new, "role": {"S": "user"}}, old)]}, None)
        assert response == {"batchItemFailures": []}
        assert handler.digest().memory.table_name == settings.table_name
    finally:
        handler.digest.cache_clear()


def test_the_digests_model_calls_are_marked_background_and_an_answers_are_not(monkeypatch, endpoint, settings):
    monkeypatch.setattr(clients, "sagemaker_runtime", lambda: endpoint.client)
    monkeypatch.setattr(handler, "get_settings", lambda: settings)
    handler.digest.cache_clear()
    try:
        digest_model = handler.digest()._model
    finally:
        handler.digest.cache_clear()
    answer_model = ModelClient.from_settings(endpoint.client, settings)  # as the worker builds it
    for model in (digest_model, answer_model):
        endpoint.streams(*token_parts(["Hi", "."]))
        model.complete([ChatMessage("user", "Hello")], max_tokens=4)

    digest_headers, answer_headers = endpoint.headers
    assert digest_headers[CUSTOM_ATTRIBUTES_HEADER] == BACKGROUND
    assert CUSTOM_ATTRIBUTES_HEADER not in answer_headers


def test_each_digest_emits_memorys_quality_counters_and_never_a_memorys_text(memory, settings, worker, model, capsys):
    model.memories = [("home", "Leeds"), ("diet", "vegan")]
    old, new = _finished(memory, settings, "My sister lives in Leeds, and I'm not vegan. I live in Graz.")

    handler.meter.metrics.clear_metrics()
    handler.handle({"Records": [_record(1, new, old)]}, worker)
    emitted = {name: sum(entry["Value"]) for name, entry in handler.meter.metrics.metric_set.items()}
    handler.meter.metrics.flush_metrics()

    assert emitted["MemoryProposals"] == 3 and emitted["MemoryProposalsKept"] == 1
    assert emitted[quality.drop_metric(Drop.SOMEONE_ELSE)] == 1 and emitted[quality.drop_metric(Drop.NEGATED)] == 1
    assert {quality.drop_metric(reason) for reason in Drop} <= set(emitted)
    assert emitted[quality.ENDED] == 0
    assert "Leeds" not in capsys.readouterr().out


def test_a_fact_told_as_over_is_counted_as_ended_and_never_as_learnt(memory, settings, worker, model, capsys):
    model.memories = []
    old, new = _finished(memory, settings, "I used to live in Oslo.")

    handler.meter.metrics.clear_metrics()
    handler.handle({"Records": [_record(1, new, old)]}, worker)
    emitted = {name: sum(entry["Value"]) for name, entry in handler.meter.metrics.metric_set.items()}
    handler.meter.metrics.flush_metrics()

    assert (emitted[quality.ENDED], emitted["MemoriesLearnt"]) == (1, 0)
    assert "Oslo" not in capsys.readouterr().out
