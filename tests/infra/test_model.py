"""The model endpoint: TGI image for the region, limits from the config, timeouts, autoscaling, the off schedule."""

from __future__ import annotations

import json

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from memchat_infra import MemchatConfig
from memchat_infra.model import LlmEndpoint, container_environment
from memchat_infra.stack import RETENTION

from .cfn import mentions, only, resources
from .stacks import DEFAULT, EVERYTHING_ON


def _container(template):
    return only(template, "AWS::SageMaker::Model")[1]["Properties"]["PrimaryContainer"]


def test_the_tgi_image_is_resolved_offline_for_the_region(template, everything_on):
    tag = "huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04"
    assert _container(template)["Image"] == f"763104351884.dkr.ecr.eu-west-1.amazonaws.com/{tag}"
    assert _container(everything_on)["Image"] == f"763104351884.dkr.ecr.us-west-2.amazonaws.com/{tag}"


def test_a_hub_model_runs_with_the_configured_limits_and_the_messages_api(template):
    container = _container(template)
    assert container["Environment"] == {
        "HF_MODEL_ID": DEFAULT.model_id,
        "SM_NUM_GPUS": "1",
        "MAX_INPUT_TOKENS": str(DEFAULT.max_input_tokens),
        "MAX_TOTAL_TOKENS": str(DEFAULT.max_total_tokens),
        "MESSAGES_API_ENABLED": "true",
    }
    assert "ModelDataSource" not in container and "ModelDataUrl" not in container
    # Downloading from the Hub needs the network.
    assert only(template, "AWS::SageMaker::Model")[1]["Properties"]["EnableNetworkIsolation"] is False


def test_an_s3_artifact_is_served_from_disk_with_the_network_isolated(everything_on):
    container = _container(everything_on)
    assert container["Environment"]["HF_MODEL_ID"] == "/opt/ml/model"
    assert container["Environment"]["HF_MODEL_QUANTIZE"] == "awq"
    assert container["Environment"]["MAX_BATCH_PREFILL_TOKENS"] == "8192"
    assert container["ModelDataSource"]["S3DataSource"] == {
        "S3Uri": EVERYTHING_ON.model_data_s3_uri, "S3DataType": "S3Prefix", "CompressionType": "None",
    }
    assert only(everything_on, "AWS::SageMaker::Model")[1]["Properties"]["EnableNetworkIsolation"] is True


def _endpoint_only(config: MemchatConfig) -> Template:
    """The model construct alone, for variants not worth a whole stack (and its cdk-nag run)."""
    stack = Stack(App(), "Model", env={"region": "eu-west-1", "account": "123456789012"})
    LlmEndpoint(stack, "Model", config=config, log_retention=RETENTION[30])
    return Template.from_stack(stack)


def test_a_compressed_artifact_is_unpacked_by_sagemaker():
    config = MemchatConfig(model_data_s3_uri="s3://bucket/models/model.tar.gz")
    container = _container(_endpoint_only(config))
    assert container["ModelDataUrl"] == "s3://bucket/models/model.tar.gz"
    assert container["Environment"]["HF_MODEL_ID"] == container_environment(config)["HF_MODEL_ID"] == "/opt/ml/model"


def test_another_image_can_replace_tgi():
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-vllm:0.9"
    assert _container(_endpoint_only(MemchatConfig(image_uri=image)))["Image"] == image


def test_the_endpoint_config_waits_long_enough_for_a_large_model(template):
    (variant,) = only(template, "AWS::SageMaker::EndpointConfig")[1]["Properties"]["ProductionVariants"]
    assert variant["InstanceType"] == DEFAULT.instance_type
    assert variant["InitialInstanceCount"] == DEFAULT.instance_count
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] == DEFAULT.startup_health_check_timeout_seconds
    assert variant["ModelDataDownloadTimeoutInSeconds"] == DEFAULT.model_download_timeout_seconds
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] >= 600


def test_the_endpoint_has_the_name_the_backend_calls(template):
    endpoint = only(template, "AWS::SageMaker::Endpoint")[1]["Properties"]
    config_id, _ = only(template, "AWS::SageMaker::EndpointConfig")
    assert endpoint["EndpointName"] == DEFAULT.endpoint_name
    assert endpoint["EndpointConfigName"] == {"Fn::GetAtt": [config_id, "EndpointConfigName"]}


def test_the_endpoint_logs_expire(template):
    groups = resources(template, "AWS::Logs::LogGroup").values()
    (group,) = [g for g in groups if g["Properties"].get("LogGroupName") == "/aws/sagemaker/Endpoints/memchat-llm"]
    assert group["Properties"]["RetentionInDays"] == DEFAULT.log_retention_days


def test_autoscaling_tracks_invocations_per_instance(template):
    target_id, target = only(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    properties = target["Properties"]
    assert properties["ResourceId"] == "endpoint/memchat-llm/variant/AllTraffic"
    assert properties["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert (properties["MinCapacity"], properties["MaxCapacity"]) == (DEFAULT.min_instances, DEFAULT.max_instances)
    assert mentions(properties["RoleARN"], "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint")
    policy = only(template, "AWS::ApplicationAutoScaling::ScalingPolicy")[1]["Properties"]
    assert policy["ScalingTargetId"] == {"Ref": target_id}
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    metric = tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
    assert metric == "SageMakerVariantInvocationsPerInstance"
    assert tracking["TargetValue"] == DEFAULT.invocations_per_instance_target
    assert (tracking["ScaleOutCooldown"], tracking["ScaleInCooldown"]) == (300, 900)


def test_equal_bounds_mean_no_autoscaling():
    template = _endpoint_only(MemchatConfig(min_instances=2, instance_count=2, max_instances=2))
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 0)
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 0)


def test_no_schedule_unless_configured(template):
    template.resource_count_is("AWS::Scheduler::Schedule", 0)
    template.resource_count_is("AWS::StepFunctions::StateMachine", 0)


def _definition(template) -> str:
    definition = only(template, "AWS::StepFunctions::StateMachine")[1]["Properties"]["DefinitionString"]
    return json.dumps(definition)


def test_the_schedule_switches_the_endpoint_off_and_on(everything_on):
    schedules = {json.loads(s["Properties"]["Target"]["Input"])["switch"]: s["Properties"]
                 for s in resources(everything_on, "AWS::Scheduler::Schedule").values()}
    assert schedules["off"]["ScheduleExpression"] == EVERYTHING_ON.endpoint_off_schedule
    assert schedules["on"]["ScheduleExpression"] == EVERYTHING_ON.endpoint_on_schedule
    assert {s["ScheduleExpressionTimezone"] for s in schedules.values()} == {"Europe/Berlin"}
    definition = _definition(everything_on)
    for call in ("sagemaker:deleteEndpoint", "sagemaker:createEndpoint", "sagemaker:describeEndpoint"):
        assert f"aws-sdk:{call}" in definition


def test_switching_on_restores_the_same_autoscaling(everything_on):
    definition = _definition(everything_on)
    assert "aws-sdk:applicationautoscaling:registerScalableTarget" in definition
    assert '\\"MinCapacity\\":1,\\"MaxCapacity\\":3' in definition
    assert '\\"TargetValue\\":20' in definition
    assert '\\"PolicyName\\":\\"memchat-invocations-per-instance\\"' in definition
    policy = only(everything_on, "AWS::ApplicationAutoScaling::ScalingPolicy")[1]["Properties"]
    assert policy["PolicyName"] == "memchat-invocations-per-instance"
