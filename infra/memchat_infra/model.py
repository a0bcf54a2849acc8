"""The model: a SageMaker real-time endpoint running the TGI container (or another Messages API image)."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from memchat_infra.config import MemchatConfig
from memchat_infra.images import model_image
from memchat_infra.nag import acknowledge

VARIANT_NAME = "AllTraffic"
SCALING_POLICY_NAME = "memchat-invocations-per-instance"
SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
SCALING_SERVICE_LINKED_ROLE = (
    "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
# Where the container sees an S3 artifact; TGI loads a local directory given as HF_MODEL_ID.
LOCAL_MODEL_DIR = "/opt/ml/model"


def container_environment(config: MemchatConfig) -> dict[str, str]:
    """TGI's launcher variables, from the same token limits the backend gets."""
    environment = {
        "HF_MODEL_ID": LOCAL_MODEL_DIR if config.model_data_s3_uri else config.model_id,
        "SM_NUM_GPUS": str(config.num_gpus),
        "MAX_INPUT_TOKENS": str(config.max_input_tokens),
        "MAX_TOTAL_TOKENS": str(config.max_total_tokens),
        # SageMaker's /invocations speaks the Messages API (chat completions) with this on.
        "MESSAGES_API_ENABLED": "true",
    }
    if config.quantize:
        environment["HF_MODEL_QUANTIZE"] = config.quantize
    return environment | dict(config.container_env)


class LlmEndpoint(Construct):
    """Model, endpoint config and endpoint, plus target tracking on invocations per instance."""

    def __init__(self, scope: Construct, id: str, *, config: MemchatConfig, log_retention: logs.RetentionDays) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.endpoint_name = config.endpoint_name
        self.variant_name = VARIANT_NAME
        image = model_image(region=config.region, tgi_version=config.tgi_version, image_uri=config.image_uri)
        self.image_uri = image.uri

        # SageMaker would create this group itself with no expiry; owning it sets retention and scopes the role.
        self.log_group = logs.LogGroup(
            self,
            "EndpointLogs",
            log_group_name=f"/aws/sagemaker/Endpoints/{config.endpoint_name}",
            retention=log_retention,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.role = self._execution_role(config, image_repository_arn=image.repository_arn(stack.partition))

        isolated = config.model_data_s3_uri is not None
        self.model = sagemaker.CfnModel(
            self,
            "Model",
            execution_role_arn=self.role.role_arn,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=image.uri, environment=container_environment(config), **_model_data(config.model_data_s3_uri)
            ),
            # With an S3 artifact the container needs no network at all; a Hub model id must download.
            enable_network_isolation=isolated,
        )
        self.model.node.add_dependency(self.role)
        self.endpoint_config = sagemaker.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name=VARIANT_NAME,
                    model_name=self.model.attr_model_name,
                    instance_type=config.instance_type,
                    initial_instance_count=config.instance_count,
                    container_startup_health_check_timeout_in_seconds=config.startup_health_check_timeout_seconds,
                    model_data_download_timeout_in_seconds=config.model_download_timeout_seconds,
                    volume_size_in_gb=config.volume_size_gb,
                )
            ],
        )
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=config.endpoint_name,
            endpoint_config_name=self.endpoint_config.attr_endpoint_config_name,
        )
        # SageMaker writes names in ARNs its own way (lower case); take the ARN it reports.
        self.endpoint_arn = self.endpoint.attr_endpoint_arn
        self.scaling_resource_id = f"endpoint/{config.endpoint_name}/variant/{VARIANT_NAME}"
        if config.autoscaling:
            self._autoscaling(config)

        acknowledge(self.endpoint_config, "AwsSolutions-SM2", "GPU instances with local NVMe storage (g5, g6, p4) "
                    "reject KmsKeyId; their instance storage is encrypted by the hardware.")
        acknowledge(self.model, "AwsSolutions-SM1", "No VPC: the container downloads the model from the Hugging "
                    "Face Hub, which a VPC would need a NAT gateway for; it holds no customer data at rest.")
        if not isolated:
            acknowledge(self.model, "AwsSolutions-SM3", "A Hugging Face Hub model id is downloaded by the container "
                        "itself, so network isolation stays off; it is on whenever model_data_s3_uri is set.")

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """InvokeEndpoint (which also authorizes InvokeEndpointWithResponseStream) on this endpoint only."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=["sagemaker:InvokeEndpoint"],
                                          resource_arns=[self.endpoint_arn])

    def _autoscaling(self, config: MemchatConfig) -> None:
        # Without a role CDK creates an empty one; SageMaker scaling runs as its service-linked role,
        # which CloudFormation creates when the template names it.
        service_linked_role = iam.Role.from_role_arn(self, "ScalingRole", Stack.of(self).format_arn(
            service="iam", region="", resource="role", resource_name=SCALING_SERVICE_LINKED_ROLE
        ), mutable=False)
        self.scalable_target = autoscaling.ScalableTarget(
            self,
            "ScalableTarget",
            service_namespace=autoscaling.ServiceNamespace.SAGEMAKER,
            resource_id=self.scaling_resource_id,
            scalable_dimension=SCALABLE_DIMENSION,
            min_capacity=config.min_instances,
            max_capacity=config.max_instances,
            role=service_linked_role,
        )
        self.scalable_target.node.add_dependency(self.endpoint)
        self.scalable_target.scale_to_track_metric(
            "InvocationsPerInstance",
            policy_name=SCALING_POLICY_NAME,
            predefined_metric=autoscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
            target_value=config.invocations_per_instance_target,
            scale_out_cooldown=Duration.seconds(config.scale_out_cooldown_seconds),
            scale_in_cooldown=Duration.seconds(config.scale_in_cooldown_seconds),
        )

    def _execution_role(self, config: MemchatConfig, *, image_repository_arn: str) -> iam.Role:
        """What the endpoint's instances may do: pull the image, write their logs and metrics, read the artifact."""
        role = iam.Role(self, "ExecutionRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description="memchat model endpoint")
        role.add_to_policy(iam.PolicyStatement(
            actions=["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            resources=[image_repository_arn],
        ))
        role.add_to_policy(iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"], resources=[self.log_group.log_group_arn]
        ))
        self.log_group.grant_write(role)
        role.add_to_policy(iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}},
        ))
        if config.model_data_s3_uri:
            bucket, _, key = config.model_data_s3_uri.removeprefix("s3://").partition("/")
            bucket_arn = Stack.of(self).format_arn(service="s3", region="", account="", resource=bucket)
            role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"{bucket_arn}/{key}*"]))
            role.add_to_policy(iam.PolicyStatement(
                actions=["s3:ListBucket"], resources=[bucket_arn], conditions={"StringLike": {"s3:prefix": f"{key}*"}}
            ))
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]", "ecr:GetAuthorizationToken has no resource-level "
                    "permissions, and cloudwatch:PutMetricData is limited by its namespace condition instead.")
        if config.model_data_s3_uri:
            acknowledge(role, f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket}/{key}*]",
                        "Read access to the model artifact's objects: one key or one prefix, nothing else.")
        return role


def _model_data(s3_uri: str | None) -> dict:
    """An S3 artifact: a model.tar.gz SageMaker unpacks, or an uncompressed prefix it copies as is."""
    if s3_uri is None:
        return {}
    if s3_uri.endswith(".tar.gz"):
        return {"model_data_url": s3_uri}
    return {"model_data_source": sagemaker.CfnModel.ModelDataSourceProperty(
        s3_data_source=sagemaker.CfnModel.S3DataSourceProperty(
            s3_uri=s3_uri if s3_uri.endswith("/") else f"{s3_uri}/", s3_data_type="S3Prefix", compression_type="None"
        )
    )}
