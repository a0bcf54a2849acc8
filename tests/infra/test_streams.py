"""The chat table's stream: the records that reach the digest and the search index, and their failed batches."""

from __future__ import annotations

import json

import pytest

from memchat.tables import CHAT_TABLE, DIGEST_FILTER, INDEX_FILTERS

from .cfn import function_id, resources


def _chat_table(template):
    (table,) = [t for t in resources(template, "AWS::DynamoDB::Table").values()
                if t["Properties"]["KeySchema"][0]["AttributeName"] == CHAT_TABLE.partition_key]
    return table


def _mapping(template, handler="digest"):
    (mapping,) = [m["Properties"] for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": function_id(template, handler)}]
    return mapping


def _queue_id(template, mapping):
    return mapping["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]


def test_the_chat_table_streams_new_and_old_images(template):
    """A filter on OldImage needs the stream to carry it: NEW_AND_OLD_IMAGES (DynamoDB Streams,
    StreamViewType); the view type is the table definition's (memchat.tables)."""
    assert CHAT_TABLE.stream_view_type == "NEW_AND_OLD_IMAGES"
    assert _chat_table(template)["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    others = [t for lid, t in resources(template, "AWS::DynamoDB::Table").items() if lid != _chat_table_id(template)]
    assert others and all("StreamSpecification" not in t["Properties"] for t in others)


def test_only_an_answer_reaching_its_end_invokes_the_memory_work(template):
    """Lambda event filtering matches a pattern against the whole stream record, where DynamoDB writes
    attributes typed ({"S": ...}) under dynamodb.NewImage/OldImage; unmatched records are dropped without an
    invocation (AWS Lambda Developer Guide, "Control which events Lambda sends to your function", DynamoDB)."""
    mapping = _mapping(template)
    (criterion,) = mapping["FilterCriteria"]["Filters"]
    pattern = json.loads(criterion["Pattern"])
    assert pattern == {
        "eventName": ["MODIFY"],
        "dynamodb": {
            "NewImage": {"role": {"S": ["assistant"]},
                         "status": {"S": ["complete", "stopped", "interrupted", "failed"]}},
            "OldImage": {"status": {"S": ["pending", "streaming"]}},
        },
    }
    assert pattern == DIGEST_FILTER  # the backend's own, which the local stack applies too


def test_every_change_to_searchable_text_invokes_the_search_index(template):
    """Lambda ORs a mapping's filters; "prefix" matches the start of a string (FilterRule.beginsWith)."""
    mapping = _mapping(template, "index")
    patterns = [json.loads(criterion["Pattern"]) for criterion in mapping["FilterCriteria"]["Filters"]]
    assert patterns == list(INDEX_FILTERS)  # the backend's own, which the local stack applies too
    assert len(patterns) <= 5  # Lambda's limit of filters per event source mapping


@pytest.mark.parametrize("handler", ["digest", "index"])
def test_the_index_and_the_digest_read_the_stream_apart_each_with_its_own_failed_batches(template, handler):
    mapping = _mapping(template, handler)
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [_chat_table_id(template), "StreamArn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ParallelizationFactor"] == 1  # an item's changes apply in order
    assert _queue_id(template, _mapping(template, "digest")) != _queue_id(template, _mapping(template, "index"))
    assert _queue_id(template, mapping) in resources(template, "AWS::SQS::Queue")


def test_stream_batches_are_retried_record_by_record_then_set_aside(template):
    """With ReportBatchItemFailures the handler names the failed records ({"batchItemFailures":
    [{"itemIdentifier": <SequenceNumber>}]}) and Lambda retries from there; BisectBatchOnFunctionError
    splits a failing batch; after MaximumRetryAttempts or MaximumRecordAgeInSeconds the batch's record goes
    to the on-failure destination (AWS Lambda Developer Guide, "Using Lambda with DynamoDB")."""
    mapping = _mapping(template)
    assert mapping["FunctionName"] == {"Ref": function_id(template, "digest")}
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [_chat_table_id(template), "StreamArn"]}
    assert mapping["StartingPosition"] == "LATEST"
    assert mapping["BatchSize"] == 10
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["MaximumRetryAttempts"] == 5
    assert mapping["MaximumRecordAgeInSeconds"] == 24 * 60 * 60
    assert mapping["ParallelizationFactor"] == 1
    assert _queue_id(template, mapping) in resources(template, "AWS::SQS::Queue")


def _chat_table_id(template):
    return next(lid for lid, t in resources(template, "AWS::DynamoDB::Table").items()
                if t["Properties"]["KeySchema"][0]["AttributeName"] == CHAT_TABLE.partition_key)


def test_the_failed_batches_queues_are_encrypted_tls_only_and_kept_two_weeks(template):
    queues = resources(template, "AWS::SQS::Queue")
    assert len(queues) == 2
    for queue in queues.values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 60 * 60
    policies = resources(template, "AWS::SQS::QueuePolicy").values()
    assert len(policies) == 2
    for policy in policies:
        (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Deny"
        assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
