"""The sweep that ends answers whose worker is gone: its index, schedule, permissions and alarm."""

from __future__ import annotations

from memchat.tables import INFLIGHT_INDEX

from .cfn import function_id, resources


def test_the_chat_table_has_the_sparse_inflight_index_the_sweep_queries(template):
    """A GSI holds only items that have its key attributes (DynamoDB Developer Guide, "Take advantage of
    sparse indexes"): answers drop out of it when they end."""
    [table] = [t for t in resources(template, "AWS::DynamoDB::Table").values()
               if t["Properties"]["KeySchema"][0]["AttributeName"] == "pk"]
    indexes = {i["IndexName"]: i for i in table["Properties"]["GlobalSecondaryIndexes"]}
    keys = [(k["AttributeName"], k["KeyType"]) for k in indexes[INFLIGHT_INDEX.name]["KeySchema"]]
    assert keys == [(INFLIGHT_INDEX.partition_key, "HASH"), (INFLIGHT_INDEX.sort_key, "RANGE")]


def test_the_sweep_runs_every_minute(template):
    """EventBridge schedules run at a rate of at least one minute (EventBridge User Guide, "Schedule
    expressions for rules"): with the 30 s lease an answer ends within 90 s of its worker's death."""
    sweep = function_id(template, "sweep")
    rules = [r for r in resources(template, "AWS::Events::Rule").values()
             if any(t["Arn"] == {"Fn::GetAtt": [sweep, "Arn"]} for t in r["Properties"].get("Targets", []))]
    assert [r["Properties"]["ScheduleExpression"] for r in rules] == ["rate(1 minute)"]
    permissions = [p for p in resources(template, "AWS::Lambda::Permission").values()
                   if p["Properties"]["FunctionName"] == {"Fn::GetAtt": [sweep, "Arn"]}]
    assert [p["Properties"]["Principal"] for p in permissions] == ["events.amazonaws.com"]


def test_an_answer_ended_by_the_sweep_alarms(template):
    alarms = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()
              if a["Properties"].get("MetricName") == "AnswersSwept"]
    assert len(alarms) == 1
    assert (alarms[0]["Namespace"], alarms[0]["Threshold"]) == ("memchat", 1)
