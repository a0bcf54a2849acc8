"""Alarms on what goes wrong for a user (slow or failed answers) and on each component, all to one topic."""

from __future__ import annotations

import pytest

from .cfn import function_id, mentions, only, resources
from .stacks import DEFAULT


def _alarms(template):
    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    return {alarm["Properties"]["AlarmName"]: alarm["Properties"] for alarm in alarms}


def _alarm(template, suffix):
    (alarm,) = [a for name, a in _alarms(template).items() if name == f"{DEFAULT.stack_name}-{suffix}"]
    return alarm


def test_slow_first_tokens_alarm_on_the_workers_metric(template):
    alarm = _alarm(template, "TimeToFirstToken")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("memchat", "TimeToFirstTokenMs")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "memchat"}]
    assert alarm["ExtendedStatistic"] == "p90"
    assert alarm["Threshold"] == DEFAULT.ttft_alarm_ms


def test_failed_generations_alarm(template):
    alarm = _alarm(template, "ModelErrors")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("memchat", "ModelErrors", "Sum")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "memchat"}]


@pytest.mark.parametrize("name", ["Authorizer", "Connect", "Disconnect", "Chat", "Worker"])
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_alarms_on_errors_and_throttles(template, name, metric):
    alarm = _alarm(template, f"{name}{metric}")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", metric)
    (dimension,) = alarm["Dimensions"]
    assert dimension == {"Name": "FunctionName", "Value": {"Ref": function_id(template, name.lower())}}


@pytest.mark.parametrize(("suffix", "metric"), [
    ("ModelLatency", "ModelLatency"), ("Endpoint5XX", "Invocation5XXErrors"),
])
def test_the_endpoint_alarms_on_latency_and_server_errors(template, suffix, metric):
    alarm = _alarm(template, suffix)
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SageMaker", metric)
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {
        "EndpointName": DEFAULT.endpoint_name, "VariantName": "AllTraffic",
    }


def test_model_latency_threshold_is_in_microseconds(template):
    assert _alarm(template, "ModelLatency")["Threshold"] == DEFAULT.model_latency_alarm_seconds * 1_000_000


@pytest.mark.parametrize("table", ["Chat", "Connections"])
def test_each_table_alarms_on_throttled_reads_and_writes(template, table):
    alarm = _alarm(template, f"{table}TableThrottles")
    metrics = {m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert metrics == {"ReadThrottleEvents", "WriteThrottleEvents"}
    assert all(m["MetricStat"]["Metric"]["Namespace"] == "AWS/DynamoDB" for m in alarm["Metrics"] if "MetricStat" in m)


def test_every_alarm_notifies_the_topic_and_ignores_missing_data(template):
    topic_id, _ = only(template, "AWS::SNS::Topic")
    alarms = _alarms(template)
    assert len(alarms) == 2 + 2 * 5 + 2 + 2
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"


def test_alarm_email_is_optional(template, everything_on):
    template.resource_count_is("AWS::SNS::Subscription", 0)
    subscription = only(everything_on, "AWS::SNS::Subscription")[1]["Properties"]
    assert (subscription["Protocol"], subscription["Endpoint"]) == ("email", "ops@example.com")


def test_the_dashboard_shows_the_same_metrics(template):
    body = only(template, "AWS::CloudWatch::Dashboard")[1]["Properties"]["DashboardBody"]
    for metric in ("TimeToFirstTokenMs", "GenerationsCompleted", "OutputTokens", "ModelErrors", "ModelLatency",
                   "Invocation5XXErrors", "GPUUtilization", "ReadThrottleEvents"):
        assert mentions(body, metric), metric
