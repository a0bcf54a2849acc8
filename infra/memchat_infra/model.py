"""The model: Hugging Face's TGI or vLLM image (model_server) on a SageMaker real-time endpoint.

Where the region offers them, the model is an inference component: managed instance scaling adds and
releases instances for its copies, and Application Auto Scaling sets the copy count, by target tracking
on concurrent requests and, with a schedule, to 0 at night (only endpoints hosting inference components
scale to zero). Elsewhere the model runs on the variant and scales its instances on the same signal.
CloudFormation owns every piece either way, so a deploy never meets a resource changed behind its back,
and a deploy keeps the copy or instance count scaling set (copy_count.py; RetainAllVariantProperties).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack, TimeZone
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from memchat_infra.config import MemchatConfig
from memchat_infra.copy_count import CopyCount
from memchat_infra.images import model_image
from memchat_infra.nag import acknowledge
from memchat_infra.names import component_log_group_name, component_name, endpoint_log_group_name, endpoint_name

VARIANT_NAME = "AllTraffic"
SCALING_POLICY_NAME = "concurrent-requests"
COMPONENT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
# Requests in flight per copy (or per model container), streams counted until their last token, every 10
# seconds: a burst of long answers shows at once, where InvocationsPerInstance (per minute, counted when a
# request starts) lags behind.
_METRICS = autoscaling.PredefinedMetric
COMPONENT_METRIC = _METRICS.SAGEMAKER_INFERENCE_COMPONENT_CONCURRENT_REQUESTS_PER_COPY_HIGH_RESOLUTION
VARIANT_METRIC = _METRICS.SAGEMAKER_VARIANT_CONCURRENT_REQUESTS_PER_MODEL_HIGH_RESOLUTION
SCALING_SERVICE_LINKED_ROLE = (
    "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
# Where the container sees an S3 artifact (SageMaker copies or unpacks it there); both servers load a local
# directory given as their model.
LOCAL_MODEL_DIR = "/opt/ml/model"


def container_environment(config: MemchatConfig) -> dict[str, str]:
    """The chosen server's variables, from the same token limits the backend gets; container_env wins."""
    model = LOCAL_MODEL_DIR if config.model_data_s3_uri else config.model_id
    if config.model_server == "vllm":
        return _vllm_environment(config, model) | dict(config.container_env)
    return _tgi_environment(config, model) | dict(config.container_env)


def _tgi_environment(config: MemchatConfig, model: str) -> dict[str, str]:
    """TGI's launcher variables (the huggingface-llm image's entrypoint passes them to text-generation-launcher)."""
    environment = {
        "HF_MODEL_ID": model,
        "SM_NUM_GPUS": str(config.num_gpus),
        "MAX_INPUT_TOKENS": str(config.max_input_tokens),
        "MAX_TOTAL_TOKENS": str(config.max_total_tokens),
        # SageMaker's /invocations speaks the Messages API (chat completions) with this on.
        "MESSAGES_API_ENABLED": "true",
    }
    if config.quantize:
        environment["HF_MODEL_QUANTIZE"] = config.quantize
    return environment


def _vllm_environment(config: MemchatConfig, model: str) -> dict[str, str]:
    """vLLM's server flags as the huggingface-vllm image takes them: its entrypoint turns every SM_VLLM_<NAME>
    into --<name> (lower case, dashes) for vLLM's OpenAI server, which serves SageMaker's /ping and /invocations
    (aws/deep-learning-containers scripts/docker/huggingface/vllm/sagemaker_entrypoint.sh)."""
    environment = {
        # Named outright rather than left to the entrypoint's guess (/opt/ml/model if not empty, else HF_MODEL_ID).
        "SM_VLLM_MODEL": model,
        "SM_VLLM_TENSOR_PARALLEL_SIZE": str(config.num_gpus),
        # The whole window, prompt plus answer; vLLM has no separate prompt limit (the backend keeps the prompt
        # within max_input_tokens itself) and refuses a request whose prompt and max_tokens exceed this.
        "SM_VLLM_MAX_MODEL_LEN": str(config.max_total_tokens),
        # vLLM's own sampling defaults, not the model's generation_config.json (its default, "auto"): a request
        # that leaves a parameter out then gets it off, as from TGI, instead of the model card's values (Qwen2.5's
        # carries repetition_penalty 1.05, which would reach the digest's calls the backend sends without one).
        "SM_VLLM_GENERATION_CONFIG": "vllm",
        # The image's default LMCache CPU KV offload pins half the host's memory (hf_optimizations.sh), more than
        # a copy reserves (copy_memory_mb), for a window of a few thousand tokens the GPU's own cache holds.
        "HF_ENABLE_LMCACHE": "0",
    }
    if config.quantize:
        environment["SM_VLLM_QUANTIZATION"] = config.quantize
    return environment


class LlmEndpoint(Construct):
    """Model, endpoint config, endpoint, the inference component, its scaling and the night schedule."""

    def __init__(self, scope: Construct, id: str, *, config: MemchatConfig, log_retention: logs.RetentionDays) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.endpoint_name = endpoint_name(stack.stack_name, config.endpoint_name)
        self.variant_name = VARIANT_NAME
        image = model_image(server=config.model_server, region=config.region, version=config.server_version,
                            image_uri=config.image_uri)
        self.image_uri = image.uri
        self._ami_version = config.inference_ami_version or image.inference_ami_version

        # SageMaker would create these groups itself with no expiry; owning them sets retention and scopes the
        # role. They are created before the endpoint, so a group left by an earlier stack stops the deploy
        # early (the pre-flight names it).
        self._log_retention = log_retention
        self.log_groups = [
            logs.LogGroup(self, "EndpointLogs", log_group_name=endpoint_log_group_name(self.endpoint_name),
                          retention=log_retention, removal_policy=RemovalPolicy.DESTROY),
        ]
        if config.inference_components:
            self.log_groups.append(logs.LogGroup(
                self, "ComponentLogs", log_group_name=component_log_group_name(component_name(stack.stack_name)),
                retention=log_retention, removal_policy=RemovalPolicy.DESTROY,
            ))
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
        components = config.inference_components
        self.endpoint_config = sagemaker.CfnEndpointConfig(
            self,
            "EndpointConfig",
            # An endpoint hosting inference components runs them as this role; its variant names no model.
            execution_role_arn=self.role.role_arn if components else None,
            production_variants=[self._component_variant(config) if components else self._model_variant(config)],
        )
        self.endpoint_config.node.add_dependency(self.role)
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=self.endpoint_name,
            endpoint_config_name=self.endpoint_config.attr_endpoint_config_name,
            # An update keeps the instance count autoscaling set, instead of resetting it to the config's.
            retain_all_variant_properties=True,
        )
        for group in self.log_groups:
            self.endpoint.node.add_dependency(group)
        # SageMaker writes names in ARNs its own way (lower case); take the ARN it reports.
        self.endpoint_arn = self.endpoint.attr_endpoint_arn
        self.component_name: str | None = None
        self.invoke_arns = [self.endpoint_arn]
        if components:
            self.component_name = component_name(stack.stack_name)
            component = self._component(config)
            self.invoke_arns.append(component.attr_inference_component_arn)
            self.scaling_resource_id = f"inference-component/{self.component_name}"
            self.scalable_dimension, self.scaling_metric = COMPONENT_DIMENSION, COMPONENT_METRIC
            scaled: Construct = component
        else:
            self.scaling_resource_id = f"endpoint/{self.endpoint_name}/variant/{VARIANT_NAME}"
            self.scalable_dimension, self.scaling_metric = VARIANT_DIMENSION, VARIANT_METRIC
            scaled = self.endpoint
        if config.autoscaling or config.scheduled:
            self._scaling(config, scaled=scaled)

        acknowledge(self.endpoint_config, "AwsSolutions-SM2", "GPU instances with local NVMe storage (g5, g6, p4) "
                    "reject KmsKeyId; their instance storage is encrypted by the hardware.")
        acknowledge(self.model, "AwsSolutions-SM1", "No VPC: the container downloads the model from the Hugging "
                    "Face Hub, which a VPC would need a NAT gateway for; it holds no customer data at rest.")
        if not isolated:
            acknowledge(self.model, "AwsSolutions-SM3", "A Hugging Face Hub model id is downloaded by the container "
                        "itself, so network isolation stays off; it is on whenever model_data_s3_uri is set.")

    def _model_variant(self, config: MemchatConfig) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
        """The model on the variant: instances are the unit of scale, at least one always runs."""
        return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
            variant_name=VARIANT_NAME,
            model_name=self.model.attr_model_name,
            instance_type=config.instance_type,
            initial_instance_count=config.instance_count,
            container_startup_health_check_timeout_in_seconds=config.startup_health_check_timeout_seconds,
            model_data_download_timeout_in_seconds=config.model_download_timeout_seconds,
            volume_size_in_gb=config.volume_size_gb,
            inference_ami_version=self._ami_version,
        )

    def _component_variant(self, config: MemchatConfig) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
        """Instances for the component's copies: managed scaling adds them for copies and releases idle ones."""
        return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
            variant_name=VARIANT_NAME,
            instance_type=config.instance_type,
            initial_instance_count=config.instance_count,
            volume_size_in_gb=config.volume_size_gb,
            inference_ami_version=self._ami_version,
            managed_instance_scaling=sagemaker.CfnEndpointConfig.ManagedInstanceScalingProperty(
                status="ENABLED",
                min_instance_count=config.min_endpoint_instances,
                max_instance_count=config.max_endpoint_instances,
            ),
            routing_config=sagemaker.CfnEndpointConfig.RoutingConfigProperty(
                routing_strategy="LEAST_OUTSTANDING_REQUESTS"
            ),
        )

    def _component(self, config: MemchatConfig) -> sagemaker.CfnInferenceComponent:
        component_types = sagemaker.CfnInferenceComponent
        component = component_types(
            self,
            "Component",
            inference_component_name=self.component_name,
            endpoint_name=self.endpoint.attr_endpoint_name,
            variant_name=VARIANT_NAME,
            specification=component_types.InferenceComponentSpecificationProperty(
                model_name=self.model.attr_model_name,
                compute_resource_requirements=component_types.InferenceComponentComputeResourceRequirementsProperty(
                    number_of_accelerator_devices_required=config.num_gpus,
                    min_memory_required_in_mb=config.copy_memory_mb,
                ),
                startup_parameters=component_types.InferenceComponentStartupParametersProperty(
                    container_startup_health_check_timeout_in_seconds=config.startup_health_check_timeout_seconds,
                    model_data_download_timeout_in_seconds=config.model_download_timeout_seconds,
                ),
            ),
            # A new model or image replaces one copy at a time (managed scaling adds an instance for it).
            deployment_config=component_types.InferenceComponentDeploymentConfigProperty(
                rolling_update_policy=component_types.InferenceComponentRollingUpdatePolicyProperty(
                    maximum_batch_size=component_types.InferenceComponentCapacitySizeProperty(
                        type="COPY_COUNT", value=1
                    ),
                    wait_interval_in_seconds=60,
                )
            ),
        )
        component.node.add_dependency(self.model)
        component.runtime_config = component_types.InferenceComponentRuntimeConfigProperty(
            copy_count=self._copy_count(config, component))
        return component

    def _copy_count(self, config: MemchatConfig, component: sagemaker.CfnInferenceComponent) -> int | float:
        """The copies a deploy gives the component: the configured count while nothing else sets it; with
        autoscaling or the schedule, the configured count on create and the count the component runs now on
        every later update (CloudFormation would otherwise reset what Application Auto Scaling set)."""
        if not (config.autoscaling or config.scheduled):
            return config.instance_count
        # Everything else the component is given: the count is read whenever any of it changes, i.e. exactly
        # when CloudFormation is about to update the component.
        others = {key: value for key, value in component._render_properties(component._cfn_properties).items()
                  if key != "RuntimeConfig"}
        return CopyCount(self, "CopyCount", component_name=self.component_name, initial=config.instance_count,
                         trigger=others, log_retention=self._log_retention).value

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """InvokeEndpoint on this endpoint (and its component); the API reference names this one action for
        InvokeEndpointWithResponseStream too."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=["sagemaker:InvokeEndpoint"],
                                          resource_arns=self.invoke_arns)

    def grant_wake(self, grantee: iam.IGrantable) -> iam.Grant | None:
        """UpdateInferenceComponentRuntimeConfig on this component: the call that asks for copies at once
        when an answer finds none running (memchat.waking); None without a component (nothing to wake)."""
        if self.component_name is None:
            return None
        return iam.Grant.add_to_principal(grantee=grantee, actions=["sagemaker:UpdateInferenceComponentRuntimeConfig"],
                                          resource_arns=[self.invoke_arns[1]])

    def _scaling(self, config: MemchatConfig, *, scaled: Construct) -> None:
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
            scalable_dimension=self.scalable_dimension,
            min_capacity=config.min_instances,
            max_capacity=config.max_instances,
            role=service_linked_role,
        )
        self.scalable_target.node.add_dependency(scaled)
        if config.autoscaling:
            self.scalable_target.scale_to_track_metric(
                "ConcurrentRequests",
                policy_name=SCALING_POLICY_NAME,
                predefined_metric=self.scaling_metric,
                target_value=config.concurrent_requests_per_copy_target,
                scale_out_cooldown=Duration.seconds(config.scale_out_cooldown_seconds),
                scale_in_cooldown=Duration.seconds(config.scale_in_cooldown_seconds),
            )
        if config.scheduled:
            time_zone = TimeZone.of(config.schedule_time_zone)
            # Off: no copy may run, so managed instance scaling releases every instance (MinInstanceCount 0).
            self.scalable_target.scale_on_schedule(
                "Off", schedule=autoscaling.Schedule.expression(config.endpoint_off_schedule),
                min_capacity=0, max_capacity=0, time_zone=time_zone,
            )
            self.scalable_target.scale_on_schedule(
                "On", schedule=autoscaling.Schedule.expression(config.endpoint_on_schedule),
                min_capacity=config.min_instances, max_capacity=config.max_instances, time_zone=time_zone,
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
            actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
            resources=[group.log_group_arn for group in self.log_groups],
        ))
        for group in self.log_groups:
            group.grant_write(role)
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
