"""Alarms on what goes wrong for a user (slow or failed answers) and on each component, all to one topic."""

from __future__ import annotations

import json

import pytest

from memchat.memory import quality

from .cfn import function, function_id, mentions, only, resources
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


@pytest.mark.parametrize("name", ["Authorizer", "Connect", "Disconnect", "Chat", "Worker", "Rescue", "Digest",
                                  "Index"])
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
    # An endpoint hosting inference components reports invocations per component.
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"InferenceComponentName": "Memchat-tgi"}


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
    # user-facing 2, functions 2 x 9, endpoint 2, tables 2, rescue + dropped 2, swept 1, digest 2, index 2,
    # refusals 1, API 2, scaling 2 (no capacity, idle GPU), memory's junk proxy 1
    assert len(alarms) == 2 + 2 * 9 + 2 + 2 + 2 + 1 + 2 + 2 + 1 + 2 + 2 + 1
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"


def test_any_rescued_generation_alarms(template):
    alarm = _alarm(template, "GenerationsRescued")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/Lambda", "Invocations", "Sum")
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function_id(template, "rescue")}}]
    assert alarm["Threshold"] == 1


def test_dropped_worker_events_alarm(template):
    """AsyncEventsDropped counts asynchronous events Lambda dropped without delivering them to a
    destination (AWS Lambda Developer Guide, "Types of metrics for Lambda functions", asynchronous invocation)."""
    alarm = _alarm(template, "WorkerEventsDropped")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "AsyncEventsDropped")
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function_id(template, "worker")}}]


def test_a_failed_memory_batch_and_a_lagging_stream_alarm(template):
    """IteratorAge is the age of the last record in a stream batch (Lambda metrics for event source
    mappings); ApproximateNumberOfMessagesVisible counts what waits in the failed-batches queue."""
    queue = _alarm(template, "DigestBatchesFailed")
    assert (queue["Namespace"], queue["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert queue["Threshold"] == 1
    age = _alarm(template, "DigestIteratorAge")
    assert (age["Namespace"], age["MetricName"], age["Statistic"]) == ("AWS/Lambda", "IteratorAge", "Maximum")
    assert age["Threshold"] == 10 * 60 * 1000


def test_refused_connections_alarm_on_their_share_not_each_one(template):
    """A refused token is a Deny policy, not a Lambda error; the alarm is on the share of attempts refused,
    counted by a metric filter on the authorizer's JSON log lines."""
    (metric_filter,) = resources(template, "AWS::Logs::MetricFilter").values()
    properties = metric_filter["Properties"]
    assert properties["FilterPattern"] == '{ $.message = "Connection refused" }'
    authorizer_group = {"Ref": function(template, "authorizer")["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]}
    assert properties["LogGroupName"] == authorizer_group
    (transformation,) = properties["MetricTransformations"]
    alarm = _alarm(template, "RefusedConnections")
    (expression,) = [m for m in alarm["Metrics"] if "Expression" in m]
    assert "100 * refused / attempts" in expression["Expression"]
    refused = next(m for m in alarm["Metrics"] if m["Id"] == "refused")["MetricStat"]["Metric"]
    assert refused["MetricName"] == transformation["MetricName"]
    assert alarm["Threshold"] == 50


@pytest.mark.parametrize("metric", ["IntegrationError", "ExecutionError"])
def test_the_websocket_api_alarms_on_integration_and_execution_errors(template, metric):
    """WebSocket APIs publish IntegrationError and ExecutionError per ApiId and Stage (API Gateway
    Developer Guide, "Monitor WebSocket API execution with CloudWatch metrics")."""
    alarm = _alarm(template, f"Api{metric.removesuffix('Error')}Errors")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", metric)
    api_id, _ = only(template, "AWS::ApiGatewayV2::Api")
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"ApiId": {"Ref": api_id},
                                                                    "Stage": DEFAULT.stage_name}


def _topic_statements(template):
    _, policy = only(template, "AWS::SNS::TopicPolicy")
    return policy["Properties"]["PolicyDocument"]["Statement"]


def test_cloudwatch_may_publish_this_stacks_alarms_to_the_topic(template):
    """CloudWatch publishes alarm notifications as the service principal cloudwatch.amazonaws.com, which the
    topic policy must allow (AWS re:Post Knowledge Center, "Why didn't I receive an SNS notification for my
    CloudWatch alarm trigger?"), scoped with aws:SourceArn and aws:SourceAccount against the confused deputy
    (Amazon SNS Developer Guide, "Example cases for Amazon SNS access control"). The policy CDK writes for
    enforce_ssl would otherwise hold only the TLS deny."""
    topic_id, _ = only(template, "AWS::SNS::Topic")
    statements = _topic_statements(template)
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    (alarms,) = [s for s in statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert (alarms["Effect"], alarms["Action"], alarms["Resource"]) == ("Allow", "sns:Publish", {"Ref": topic_id})
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    source = alarms["Condition"]["ArnLike"]["aws:SourceArn"]
    assert mentions(source, ":cloudwatch:eu-west-1:123456789012:alarm:Memchat-*")
    # The pattern covers every alarm of the stack, and every alarm's action is the topic.
    assert all(name.startswith(f"{DEFAULT.stack_name}-") for name in _alarms(template))


def test_the_topic_needs_no_key_policy_because_it_is_not_encrypted(template):
    """An SSE-KMS topic would also need its customer managed key to allow cloudwatch.amazonaws.com
    kms:Decrypt and kms:GenerateDataKey* (Amazon SNS Developer Guide, "Enable compatibility between event
    sources from AWS services and encrypted topics"); this topic is unencrypted (cdk-nag SNS2 acknowledged),
    so a key added later must come with that key policy."""
    _, topic = only(template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" not in topic["Properties"]
    template.resource_count_is("AWS::KMS::Key", 0)


def test_the_scaling_event_application_auto_scaling_does_send_notifies_the_topic(template, everything_on):
    """Application Auto Scaling sends EventBridge only "scaled to max" state changes (and API calls via
    CloudTrail), never a failed activity (Application Auto Scaling User Guide, "Monitor Application Auto
    Scaling events using EventBridge"): the rule matches the copies reaching max_instances, and EventBridge
    may publish for that rule alone."""
    def scaling_rules(t):
        return {lid: r for lid, r in resources(t, "AWS::Events::Rule").items() if "EventPattern" in r["Properties"]}

    ((rule_id, rule),) = scaling_rules(template).items()
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.application-autoscaling"]
    assert pattern["detail-type"] == ["Application Auto Scaling Scaling Activity State Change"]
    assert pattern["detail"] == {"resourceId": ["inference-component/Memchat-tgi"], "scaledToMax": [True]}
    topic_id, _ = only(template, "AWS::SNS::Topic")
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Ref": topic_id}
    (events,) = [s for s in _topic_statements(template) if s.get("Principal") == {"Service": "events.amazonaws.com"}]
    assert events["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule_id, "Arn"]}}}
    ((_, staging),) = scaling_rules(everything_on).items()
    assert staging["Properties"]["EventPattern"]["detail"]["resourceId"] == ["inference-component/MemchatStaging-tgi"]


def test_a_fixed_fleet_has_no_maximum_to_reach_and_the_variant_no_copies_to_miss(tmp_path):
    """Without autoscaling nothing scales out to a maximum; on the variant (no inference components) SageMaker
    has no NoCapacityInvocationFailures to report, and the model cannot be off."""
    from .stacks import FIXED_AND_SCHEDULED, ON_THE_VARIANT, synthesize

    fixed = synthesize(FIXED_AND_SCHEDULED, tmp_path / "fixed")
    assert not [r for r in resources(fixed, "AWS::Events::Rule").values() if "EventPattern" in r["Properties"]]
    assert "MemchatFixed-NoCapacity" in _alarms(fixed) and "MemchatFixed-IdleGpu" in _alarms(fixed)
    variant = _alarms(synthesize(ON_THE_VARIANT, tmp_path / "variant"))
    assert not [name for name in variant if name.endswith(("-NoCapacity", "-IdleGpu"))]


def test_an_answer_that_found_no_copy_running_alarms(template):
    """SageMaker emits NoCapacityInvocationFailures (AWS/SageMaker, per InferenceComponentName) when an
    endpoint gets a request it has no instance for (SageMaker Developer Guide, "Scale an endpoint to zero
    instances"): the morning switch or a scale-out that did not happen."""
    alarm = _alarm(template, "NoCapacity")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/SageMaker", "NoCapacityInvocationFailures", "Sum")
    assert alarm["Dimensions"] == [{"Name": "InferenceComponentName", "Value": "Memchat-tgi"}]
    assert (alarm["Threshold"], alarm["EvaluationPeriods"]) == (1, 1)


def test_alarm_email_is_optional(template, everything_on):
    template.resource_count_is("AWS::SNS::Subscription", 0)
    subscription = only(everything_on, "AWS::SNS::Subscription")[1]["Properties"]
    assert (subscription["Protocol"], subscription["Endpoint"]) == ("email", "ops@example.com")


def test_the_dashboard_shows_the_same_metrics(template):
    body = only(template, "AWS::CloudWatch::Dashboard")[1]["Properties"]["DashboardBody"]
    for metric in ("TimeToFirstTokenMs", "GenerationsCompleted", "OutputTokens", "ModelErrors", "ModelLatency",
                   "Invocation5XXErrors", "GPUUtilization", "ReadThrottleEvents"):
        assert mentions(body, metric), metric


def test_a_gpu_left_on_with_nobody_asking_alarms_when_scheduled(always_on, everything_on):
    """A failed scheduled action emits no metric; the copy it failed to remove keeps publishing
    GPUMemoryUtilizationNormalized (per InferenceComponentName, /aws/sagemaker/InferenceComponents) while
    Invocations stay at zero. With the model off there is no GPU metric, so the alarm has no data."""
    assert not [name for name in _alarms(always_on) if name.endswith("-IdleGpu")]
    (alarm,) = [a for name, a in _alarms(everything_on).items() if name == "MemchatStaging-IdleGpu"]
    (expression,) = [m for m in alarm["Metrics"] if "Expression" in m]
    assert expression["Expression"] == "IF(gpu > 0 AND FILL(invocations, 0) == 0, 1, 0)"
    stats = {m["Id"]: m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert stats["gpu"]["Metric"]["MetricName"] == "GPUMemoryUtilizationNormalized"
    assert stats["gpu"]["Metric"]["Namespace"] == "/aws/sagemaker/InferenceComponents"
    assert stats["invocations"]["Metric"]["MetricName"] == "Invocations"
    assert {s["Period"] for s in stats.values()} == {3600}
    assert (alarm["EvaluationPeriods"], alarm["Threshold"]) == (3, 1)


def test_the_dashboard_shows_each_functions_cold_starts(template):
    """With the JSON log format Lambda writes the invocation report as a "platform.report" record with
    record.metrics.initDurationMs on a cold start (AWS Lambda Developer Guide, "Configuring JSON and plain
    text log formats"; Telemetry API platform.report schema)."""
    body = json.dumps(only(template, "AWS::CloudWatch::Dashboard")[1]["Properties"]["DashboardBody"])
    assert "platform.report" in body and "initDurationMs" in body and "restoreDurationMs" in body
    groups = resources(template, "AWS::Logs::LogGroup")
    for handler in ("authorizer", "connect", "disconnect", "chat", "worker", "rescue", "digest", "index"):
        group = function(template, handler)["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert group in groups and mentions(body, group), handler


def test_memorys_junk_proxy_alarms_on_its_daily_share_of_what_was_kept(template):
    """A memory deleted within a day of being learnt is the junk proxy: its share of a day's kept memories
    alarms, so a model or prompt change that teaches junk is seen without reading anyone's memories."""
    alarm = _alarm(template, "MemoryJunk")
    (expression,) = [m for m in alarm["Metrics"] if "Expression" in m]
    assert "100 * junk / kept" in expression["Expression"]
    names = {m["Id"]: m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert names == {"junk": quality.DELETED_SOON, "kept": quality.KEPT}
    assert {m["MetricStat"]["Period"] for m in alarm["Metrics"] if "MetricStat" in m} == {86_400}
    assert alarm["Threshold"] == 20


def test_the_dashboard_shows_memorys_quality_counters(template):
    body = only(template, "AWS::CloudWatch::Dashboard")[1]["Properties"]["DashboardBody"]
    for metric in (quality.PROPOSALS, quality.KEPT, quality.SUPERSEDED, quality.ENDED, quality.DELETED_SOON,
                   *quality.DROPS):
        assert mentions(body, metric), metric
