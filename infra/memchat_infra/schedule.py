"""Switching the GPU endpoint off and on by schedule: off deletes the endpoint, on recreates it and its scaling.

SageMaker real-time endpoints cannot scale to zero instances, so "off" means DeleteEndpoint (the model
and endpoint config stay). Deleting an endpoint also deregisters its autoscaling, so "on" registers the
same target and policy again once the endpoint is InService. A state machine does this; EventBridge
Scheduler starts it. Deploy while the endpoint is on: CloudFormation cannot update a deleted endpoint.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack, TimeZone
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from memchat_infra.config import MemchatConfig
from memchat_infra.model import SCALABLE_DIMENSION, SCALING_POLICY_NAME, LlmEndpoint
from memchat_infra.nag import account, acknowledge

POLL_INTERVAL = Duration.minutes(1)


class EndpointSchedule(Construct):
    """A state machine taking {"switch": "on"|"off"}, and the two schedules that start it."""

    def __init__(self, scope: Construct, id: str, *, config: MemchatConfig, endpoint: LlmEndpoint,
                 log_retention: logs.RetentionDays) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self._endpoint = endpoint
        self._config = config
        self._config_arn = endpoint.endpoint_config.attr_endpoint_config_arn

        log_group = logs.LogGroup(self, "Logs", retention=log_retention,
                                  removal_policy=RemovalPolicy.DESTROY)
        self.state_machine = sfn.StateMachine(
            self,
            "EndpointSwitch",
            comment="memchat: switch the model endpoint off (delete) or on (create, then autoscaling)",
            definition_body=sfn.DefinitionBody.from_chainable(
                sfn.Choice(self, "Switch")
                .when(sfn.Condition.string_equals("$.switch", "off"), self._off())
                .otherwise(self._on())
            ),
            timeout=Duration.hours(1),
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
            tracing_enabled=True,
        )
        time_zone = TimeZone.of(config.schedule_time_zone)
        for switch, expression in (("off", config.endpoint_off_schedule), ("on", config.endpoint_on_schedule)):
            scheduler.Schedule(
                self,
                f"Switch{switch.capitalize()}",
                description=f"memchat: switch the model endpoint {switch}",
                schedule=scheduler.ScheduleExpression.expression(expression, time_zone),
                target=targets.StepFunctionsStartExecution(
                    self.state_machine, input=scheduler.ScheduleTargetInput.from_object({"switch": switch}),
                    retry_attempts=0,
                ),
            )
        acknowledge(self.state_machine.role, "AwsSolutions-IAM5[Resource::*]", "Actions with no resource-level "
                    "permissions: Application Auto Scaling registration (by resource id), X-Ray trace writes and "
                    "CloudWatch Logs delivery for the state machine's own logs.")
        acknowledge(self.state_machine.role, f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:"
                    f"{stack.region}:{account(stack)}:alarm:TargetTracking-{endpoint.scaling_resource_id}-*]",
                    "Target tracking creates and deletes its own alarms, named after this endpoint's variant.")

    def _off(self) -> sfn.IChainable:
        return tasks.CallAwsService(
            self, "DeleteEndpoint", service="sagemaker", action="deleteEndpoint",
            parameters={"EndpointName": self._endpoint.endpoint_name},
            iam_resources=[self._endpoint.endpoint_arn], iam_action="sagemaker:DeleteEndpoint",
        )

    def _on(self) -> sfn.IChainable:
        create = tasks.CallAwsService(
            self, "CreateEndpoint", service="sagemaker", action="createEndpoint",
            parameters={
                "EndpointName": self._endpoint.endpoint_name,
                "EndpointConfigName": self._endpoint.endpoint_config.attr_endpoint_config_name,
            },
            iam_resources=[self._endpoint.endpoint_arn, self._config_arn], iam_action="sagemaker:CreateEndpoint",
            result_path=sfn.JsonPath.DISCARD,
        )
        wait = sfn.Wait(self, "WaitForEndpoint", time=sfn.WaitTime.duration(POLL_INTERVAL))
        describe = tasks.CallAwsService(
            self, "DescribeEndpoint", service="sagemaker", action="describeEndpoint",
            parameters={"EndpointName": self._endpoint.endpoint_name},
            iam_resources=[self._endpoint.endpoint_arn], iam_action="sagemaker:DescribeEndpoint",
            result_selector={"status.$": "$.EndpointStatus"}, result_path="$.endpoint",
        )
        in_service = self._register_autoscaling() if self._config.autoscaling else sfn.Succeed(self, "On")
        return create.next(wait).next(describe).next(
            sfn.Choice(self, "EndpointReady")
            .when(sfn.Condition.string_equals("$.endpoint.status", "InService"), in_service)
            .when(sfn.Condition.string_equals("$.endpoint.status", "Creating"), wait)
            .otherwise(sfn.Fail(self, "EndpointFailed", cause="The endpoint did not reach InService"))
        )

    def _register_autoscaling(self) -> sfn.IChainable:
        """The same target and policy as the stack's, from the same config values."""
        config, resource_id = self._config, self._endpoint.scaling_resource_id
        # Registering a SageMaker variant reads and resizes the endpoint; target tracking manages alarms.
        sagemaker_access = iam.PolicyStatement(
            actions=["sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig",
                     "sagemaker:UpdateEndpointWeightsAndCapacities"],
            resources=[self._endpoint.endpoint_arn, self._config_arn],
        )
        alarms = iam.PolicyStatement(
            actions=["cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"],
            resources=[Stack.of(self).format_arn(
                service="cloudwatch", resource="alarm", arn_format=ArnFormat.COLON_RESOURCE_NAME,
                resource_name=f"TargetTracking-{resource_id}-*",
            )],
        )
        register = tasks.CallAwsService(
            self, "RegisterScalableTarget", service="applicationautoscaling", action="registerScalableTarget",
            iam_action="application-autoscaling:RegisterScalableTarget", iam_resources=["*"],
            additional_iam_statements=[sagemaker_access],
            parameters={
                "ServiceNamespace": "sagemaker", "ResourceId": resource_id, "ScalableDimension": SCALABLE_DIMENSION,
                "MinCapacity": config.min_instances, "MaxCapacity": config.max_instances,
            },
            result_path=sfn.JsonPath.DISCARD,
        )
        policy = tasks.CallAwsService(
            self, "PutScalingPolicy", service="applicationautoscaling", action="putScalingPolicy",
            iam_action="application-autoscaling:PutScalingPolicy", iam_resources=["*"],
            additional_iam_statements=[alarms],
            parameters={
                "PolicyName": SCALING_POLICY_NAME, "ServiceNamespace": "sagemaker", "ResourceId": resource_id,
                "ScalableDimension": SCALABLE_DIMENSION, "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": config.invocations_per_instance_target,
                    "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
                    "ScaleOutCooldown": config.scale_out_cooldown_seconds,
                    "ScaleInCooldown": config.scale_in_cooldown_seconds,
                },
            },
            result_path=sfn.JsonPath.DISCARD,
        )
        return register.next(policy)

