"""The inference component's copy count, read from SageMaker on every deploy that changes the component, so a
deploy keeps the copies autoscaling or the night schedule set instead of resetting them to the config's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CustomResource, Duration, RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat_infra.nag import acknowledge

HANDLER = Path(__file__).with_name("copy_count_handler.py")
RESOURCE_TYPE = "Custom::InferenceComponentCopyCount"


class CopyCount(Construct):
    """A custom resource whose CopyCount attribute is `initial` when the stack creates the component, and the
    component's current DesiredCopyCount whenever `trigger` (everything else the component is given) changes.

    CloudFormation runs a custom resource again only when its properties change; the trigger holds the
    component's own properties, so the count is read exactly when the component is about to be updated.
    """

    def __init__(self, scope: Construct, id: str, *, component_name: str, initial: int, trigger: dict[str, Any],
                 log_retention: logs.RetentionDays) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        log_group = logs.LogGroup(self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY)
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description="memchat: reads the model's copy count during a deploy")
        log_group.grant_write(role)
        # SageMaker writes names in its ARNs in lower case; allow the name as written too.
        arns = sorted({stack.format_arn(service="sagemaker", resource="inference-component", resource_name=name)
                       for name in (component_name, component_name.lower())})
        role.add_to_policy(iam.PolicyStatement(actions=["sagemaker:DescribeInferenceComponent"], resources=arns))
        self.function = lambda_.Function(
            self,
            "Function",
            code=lambda_.Code.from_inline(HANDLER.read_text()),
            handler="index.handler",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            timeout=Duration.seconds(60),
            description="memchat: the inference component's current copy count, for a deploy",
            role=role,
            log_group=log_group,
        )
        acknowledge(self.function, "AwsSolutions-L1", "Python 3.12 is the runtime the backend is built, bundled "
                    "and tested for (requirements/lambda.txt); this deploy-time helper runs on the same one.")
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=self.function.function_arn,
            resource_type=RESOURCE_TYPE,
            properties={"InferenceComponentName": component_name, "InitialCopyCount": initial, "Trigger": trigger},
        )

    @property
    def value(self) -> float:
        return Token.as_number(self.resource.get_att("CopyCount"))
