"""Alarms and a dashboard: time to first token and model errors (the worker's), Lambda, SageMaker, DynamoDB."""

from __future__ import annotations

from dataclasses import dataclass

import jsii
from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from memchat.memory import quality
from memchat_infra.nag import acknowledge
from memchat_infra.names import alarm_name

# What the worker emits (aws-lambda-powertools Metrics, CloudWatch EMF).
NAMESPACE = "memchat"
DIMENSIONS = {"service": "memchat"}
PERIOD = Duration.minutes(5)
# Memory's junk proxy alarms when more than this share of a day's kept memories were deleted within a day
# of being learnt, over at least so many kept (a model or prompt change that teaches junk).
JUNK_RATIO_PERCENT = 20
JUNK_MIN_KEPT = 20
# Refusals alarm when more than this share of connection attempts is refused, over at least so many attempts.
REFUSAL_RATIO_PERCENT = 50
REFUSAL_MIN_ATTEMPTS = 20
# With JSON logs, Lambda writes each invocation's report as a "platform.report" record whose metrics carry
# initDurationMs on a cold start (restoreDurationMs when SnapStart restored a snapshot).
COLD_START_QUERY = "\n".join((
    "filter type = \"platform.report\" and (ispresent(record.metrics.initDurationMs) or "
    "ispresent(record.metrics.restoreDurationMs))",
    "| stats count(*) as coldStarts, pct(record.metrics.initDurationMs, 50) as initP50, "
    "pct(record.metrics.initDurationMs, 90) as initP90, pct(record.metrics.restoreDurationMs, 90) as restoreP90 "
    "by @log",
))
# The one state change Application Auto Scaling sends to EventBridge: a scale-out that reached the target's
# maximum capacity (Application Auto Scaling User Guide, "Monitor Application Auto Scaling events using
# EventBridge": only scaled-to-max events and API calls via CloudTrail are available).
SCALING_EVENT_SOURCE = "aws.application-autoscaling"
SCALING_EVENT_TYPE = "Application Auto Scaling Scaling Activity State Change"


def worker_metric(name: str, statistic: str) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace=NAMESPACE, metric_name=name, dimensions_map=DIMENSIONS,
                             statistic=statistic, period=PERIOD)


@dataclass(frozen=True)
class MonitoredEndpoint:
    """The model's CloudWatch dimensions: an endpoint hosting inference components reports per component."""

    dimensions: dict[str, str]
    utilization_namespace: str
    gpu_metrics: tuple[str, str]

    @classmethod
    def component(cls, name: str) -> MonitoredEndpoint:
        return cls({"InferenceComponentName": name}, "/aws/sagemaker/InferenceComponents",
                   ("GPUUtilizationNormalized", "GPUMemoryUtilizationNormalized"))

    @classmethod
    def variant(cls, endpoint_name: str, variant_name: str) -> MonitoredEndpoint:
        return cls({"EndpointName": endpoint_name, "VariantName": variant_name}, "/aws/sagemaker/Endpoints",
                   ("GPUUtilization", "GPUMemoryUtilization"))

    def metric(self, name: str, statistic: str, *, namespace: str = "AWS/SageMaker") -> cloudwatch.Metric:
        return cloudwatch.Metric(namespace=namespace, metric_name=name, statistic=statistic, period=PERIOD,
                                 dimensions_map=self.dimensions)

    def gpu(self) -> list[cloudwatch.Metric]:
        return [self.metric(name, "Average", namespace=self.utilization_namespace) for name in self.gpu_metrics]


class Monitoring(Construct):
    """An SNS topic every alarm notifies, the alarms, and a dashboard with the same metrics."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        functions: dict[str, lambda_.Function],
        tables: dict[str, dynamodb.ITable],
        endpoint: MonitoredEndpoint,
        alarm_email: str | None,
        ttft_alarm_ms: int,
        model_latency_alarm_seconds: int,
    ) -> None:
        super().__init__(scope, id)
        self._prefix = Stack.of(self).stack_name
        self.topic = sns.Topic(self, "AlarmTopic", display_name="memchat alarms", enforce_ssl=True)
        acknowledge(self.topic, "AwsSolutions-SNS2", "Alarm notifications carry no customer data, and CloudWatch "
                    "can publish to an encrypted topic only through a customer managed key and its key policy.")
        self._allow_alarms_to_publish()
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []

        ttft = worker_metric("TimeToFirstTokenMs", "p90")
        model_errors = worker_metric("ModelErrors", "Sum")
        self._alarm("TimeToFirstToken", ttft, threshold=ttft_alarm_ms, periods=3,
                    description=f"p90 time to first token above {ttft_alarm_ms} ms for 15 minutes")
        self._alarm("ModelErrors", model_errors, threshold=5, periods=1,
                    description="5 or more failed generations in 5 minutes")
        for name, function in functions.items():
            self._alarm(f"{name}Errors", function.metric_errors(period=PERIOD, statistic="Sum"), threshold=1,
                        periods=1, description=f"the {name} function failed")
            self._alarm(f"{name}Throttles", function.metric_throttles(period=PERIOD, statistic="Sum"), threshold=1,
                        periods=1, description=f"the {name} function was throttled")
        # ModelLatency is in microseconds; for a stream it runs until the answer is complete.
        model_latency = endpoint.metric("ModelLatency", "p90")
        self._alarm("ModelLatency", model_latency, threshold=model_latency_alarm_seconds * 1_000_000, periods=3,
                    description=f"p90 model latency above {model_latency_alarm_seconds} s for 15 minutes")
        endpoint_5xx = endpoint.metric("Invocation5XXErrors", "Sum")
        self._alarm("Endpoint5XX", endpoint_5xx, threshold=1, periods=1, description="the endpoint answered 5XX")
        throttles = {name: self._table_throttles(name, table) for name, table in tables.items()}
        for name, metric in throttles.items():
            self._alarm(f"{name}TableThrottles", metric, threshold=1, periods=1,
                        description=f"DynamoDB throttled requests to the {name} table")

        # Dashboard names are per account, not per region.
        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=f"{self._prefix}-{Stack.of(self).region}"
        )
        self.dashboard.add_widgets(
            _graph("Time to first token (ms)", [worker_metric("TimeToFirstTokenMs", s) for s in ("p50", "p90", "p99")]),
            _graph("Generations", [worker_metric("GenerationsCompleted", "Sum"), model_errors]),
            _graph("Output tokens", [worker_metric("OutputTokens", "Sum")]),
        )
        self.dashboard.add_widgets(
            _graph("Lambda errors", [f.metric_errors(period=PERIOD, label=n) for n, f in functions.items()]),
            _graph("Lambda throttles", [f.metric_throttles(period=PERIOD, label=n) for n, f in functions.items()]),
            _graph("Lambda duration p90", [f.metric_duration(period=PERIOD, statistic="p90", label=n)
                                           for n, f in functions.items()]),
        )
        self.dashboard.add_widgets(
            _graph("Endpoint invocations and 5XX", [endpoint.metric("Invocations", "Sum"), endpoint_5xx]),
            _graph("Model latency p90 (µs)", [model_latency]),
            _graph("GPU utilization and memory (%)", endpoint.gpu()),
        )
        self.dashboard.add_widgets(_graph("DynamoDB throttled requests", list(throttles.values())))
        self.dashboard.add_widgets(cloudwatch.LogQueryWidget(
            title="Cold starts: init (and SnapStart restore) duration per function, ms",
            log_group_names=[function.log_group.log_group_name for function in functions.values()],
            query_string=COLD_START_QUERY,
            width=24,
        ))

    def alarm(self, id: str, metric: cloudwatch.IMetric, *, threshold: float, description: str,
              periods: int = 1) -> cloudwatch.Alarm:
        """An alarm at or above the threshold, notifying the topic; missing data is not a failure."""
        return self._alarm(id, metric, threshold=threshold, periods=periods, description=description)

    def alarm_on_refusals(self, *, authorizer: lambda_.Function, message: str) -> cloudwatch.Alarm:
        """The share of connection attempts the authorizer refused (a Deny policy, logged as `message`).

        Refusals are not Lambda errors (expired tokens are routine); a high share of them is: a broken app
        release, a misconfigured user pool, or someone trying tokens.
        """
        refused = logs.MetricFilter(
            self,
            "RefusedConnectionsFilter",
            log_group=authorizer.log_group,
            filter_pattern=logs.FilterPattern.string_value("$.message", "=", message),
            metric_namespace=NAMESPACE,
            metric_name="ConnectionsRefused",
            metric_value="1",
            default_value=0,
        ).metric(statistic="Sum", period=PERIOD)
        attempts = authorizer.metric_invocations(statistic="Sum", period=PERIOD)
        ratio = cloudwatch.MathExpression(
            expression=f"IF(attempts >= {REFUSAL_MIN_ATTEMPTS}, 100 * refused / attempts, 0)",
            using_metrics={"refused": refused, "attempts": attempts},
            label="Refused connections (%)",
            period=PERIOD,
        )
        self.dashboard.add_widgets(_graph("Refused connections (%)", [ratio]))
        return self._alarm("RefusedConnections", ratio, threshold=REFUSAL_RATIO_PERCENT, periods=3,
                           description=f"over {REFUSAL_RATIO_PERCENT}% of connection attempts refused for 15 "
                           "minutes")

    def watch_memory_quality(self) -> cloudwatch.Alarm:
        """Memory's quality without reading a memory (memchat.memory.quality): what the digests proposed,
        kept and dropped by reason, and the junk proxy, whose share of what was kept alarms."""
        day = Duration.days(1)
        kept = worker_metric(quality.KEPT, "Sum").with_(period=day)
        junk = worker_metric(quality.DELETED_SOON, "Sum").with_(period=day)
        ratio = cloudwatch.MathExpression(
            expression=f"IF(kept >= {JUNK_MIN_KEPT}, 100 * junk / kept, 0)",
            using_metrics={"kept": kept, "junk": junk},
            label="Memories deleted within a day of learning (% of kept)",
            period=day,
        )
        self.dashboard.add_widgets(
            _graph("Memory proposals, kept, superseded, told as over",
                   [worker_metric(name, "Sum")
                    for name in (quality.PROPOSALS, quality.KEPT, quality.SUPERSEDED, quality.ENDED)]),
            _graph("Memory proposals dropped, by reason", [worker_metric(name, "Sum") for name in quality.DROPS]),
            _graph("Junk proxy: deleted within a day (% of kept)", [ratio]),
        )
        return self._alarm("MemoryJunk", ratio, threshold=JUNK_RATIO_PERCENT, periods=1,
                           description=f"over {JUNK_RATIO_PERCENT}% of a day's kept memories were deleted by their "
                           "users within a day: did a model or prompt change teach junk?")

    def notify_on_scaled_to_max(self, *, resource_id: str, max_capacity: int) -> events.Rule:
        """Autoscaling gave the model its last allowed copy: more load now queues instead of scaling out.

        This is the one scaling event Application Auto Scaling sends to EventBridge (best effort); it never
        reports a failed activity there, so failures are watched by their effects (alarm_on_no_capacity,
        alarm_on_idle_gpu).
        """
        rule = events.Rule(
            self,
            "ScaledToMax",
            description=f"memchat: the model's copies reached max_instances ({max_capacity})",
            event_pattern=events.EventPattern(
                source=[SCALING_EVENT_SOURCE],
                detail_type=[SCALING_EVENT_TYPE],
                detail={"resourceId": [resource_id], "scaledToMax": [True]},
            ),
        )
        rule.add_target(_ScopedTopicTarget(self.topic))
        return rule

    def alarm_on_no_capacity(self, *, endpoint: MonitoredEndpoint) -> cloudwatch.Alarm:
        """An answer asked the model while no copy of it was running.

        SageMaker counts NoCapacityInvocationFailures when an endpoint hosting inference components gets a
        request it has no instance for. By day that is the morning switch (or a scale-out) that did not
        happen, or a GPU instance SageMaker could not start; by night, someone asking while the schedule has
        the model off. Either way users saw a failure.
        """
        return self._alarm("NoCapacity", endpoint.metric("NoCapacityInvocationFailures", "Sum"), threshold=1,
                           periods=1, description="an answer found no copy of the model running: the morning "
                           "switch or a scale-out did not happen, or someone asked while the model is off")

    def alarm_on_idle_gpu(self, *, endpoint: MonitoredEndpoint, hours: int) -> cloudwatch.Alarm:
        """The model holds a GPU (its memory metric reports) but answered nothing for `hours` hours.

        With a night schedule this is the off switch that did not happen: a failed scheduled action leaves
        no metric of its own, but the copy it failed to remove keeps reporting GPU memory while nobody asks.
        When the model is off there is no GPU metric at all, so the expression has no data and stays OK.
        """
        hour = Duration.hours(1)
        gpu_memory = endpoint.metric(endpoint.gpu_metrics[1], "Maximum", namespace=endpoint.utilization_namespace)
        idle = cloudwatch.MathExpression(
            expression="IF(gpu > 0 AND FILL(invocations, 0) == 0, 1, 0)",
            using_metrics={"gpu": gpu_memory.with_(period=hour),
                           "invocations": endpoint.metric("Invocations", "Sum").with_(period=hour)},
            label="GPU held with no invocation",
            period=hour,
        )
        return self._alarm("IdleGpu", idle, threshold=1, periods=hours,
                           description=f"the model held a GPU for {hours} hours without a single invocation: "
                           "did the night schedule fail to switch it off?")

    def _alarm(self, id: str, metric: cloudwatch.IMetric, *, threshold: float, periods: int,
               description: str) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            id,
            alarm_name=alarm_name(self._prefix, id),
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # No traffic (or the endpoint switched off) is not a failure.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def _allow_alarms_to_publish(self) -> None:
        """CloudWatch publishes an alarm's notification as the service, which a topic policy must allow: the
        policy CDK writes for enforce_ssl holds only the TLS deny, so without this statement every alarm would
        change state and notify nobody. The conditions keep other accounts' alarms, and alarms outside this
        stack, out (the confused-deputy guard AWS documents for service principals).
        """
        stack = Stack.of(self)
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowThisStacksAlarmsToPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[self.topic.topic_arn],
            conditions={
                "ArnLike": {"aws:SourceArn": stack.format_arn(
                    service="cloudwatch", resource="alarm", resource_name=alarm_name(self._prefix, "*"),
                    arn_format=ArnFormat.COLON_RESOURCE_NAME)},
                "StringEquals": {"aws:SourceAccount": stack.account},
            },
        ))

    @staticmethod
    def _table_throttles(name: str, table: dynamodb.ITable) -> cloudwatch.MathExpression:
        # Ids must be unique across a graph that shows both tables.
        reads, writes = f"{name.lower()}Reads", f"{name.lower()}Writes"
        return cloudwatch.MathExpression(
            expression=f"{reads} + {writes}",
            using_metrics={
                reads: table.metric("ReadThrottleEvents", statistic="Sum", period=PERIOD),
                writes: table.metric("WriteThrottleEvents", statistic="Sum", period=PERIOD),
            },
            label=f"{name} table throttles",
            period=PERIOD,
        )


@jsii.implements(events.IRuleTarget)
class _ScopedTopicTarget:
    """The topic as a rule's target, EventBridge allowed to publish for that one rule (aws:SourceArn, as the
    EventBridge guide's resource-based policies are conditioned); CDK's SnsTopic target allows every rule."""

    def __init__(self, topic: sns.ITopic) -> None:
        self._topic = topic

    def bind(self, rule: events.IRule, id: str | None = None) -> events.RuleTargetConfig:
        self._topic.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal("events.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[self._topic.topic_arn],
            conditions={"ArnEquals": {"aws:SourceArn": rule.rule_arn}},
        ))
        return events.RuleTargetConfig(arn=self._topic.topic_arn)


def _graph(title: str, metrics: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(title=title, left=metrics, width=8)
