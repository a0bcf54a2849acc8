"""The model endpoint: TGI image for the region, limits from the config, timeouts, autoscaling, the off schedule."""

from __future__ import annotations

import json
from pathlib import Path

import cfnlint
import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from memchat_infra import ConfigError, MemchatConfig
from memchat_infra.config import INFERENCE_COMPONENT_REGIONS
from memchat_infra.model import LlmEndpoint, container_environment
from memchat_infra.names import resource_name
from memchat_infra.stack import RETENTION

from .cfn import mentions, only, resources
from .stacks import ALWAYS_ON, DEFAULT, EVERYTHING_ON, FIXED_AND_SCHEDULED, ON_THE_VARIANT


def _container(template):
    return only(template, "AWS::SageMaker::Model")[1]["Properties"]["PrimaryContainer"]


TGI_TAG = "huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04"
VLLM_TAG = "huggingface-vllm:0.29.0-transformers5.15.0-gpu-py312-cu130-ubuntu24.04-v1.0"
CUDA_13_AMI = "al2023-ami-sagemaker-inference-gpu-4-1"


def test_each_servers_image_is_resolved_offline_for_the_region(template, everything_on):
    """TGI by default, Hugging Face's vLLM image with model_server vllm: the SDK's repository and tag, from the
    region's registry (huggingface-llm.json and huggingface-vllm.json in sagemaker-core)."""
    assert _container(template)["Image"] == f"763104351884.dkr.ecr.eu-west-1.amazonaws.com/{TGI_TAG}"
    assert _container(everything_on)["Image"] == f"763104351884.dkr.ecr.us-west-2.amazonaws.com/{VLLM_TAG}"


def test_a_hub_model_runs_on_tgi_with_the_configured_limits_and_the_messages_api(template):
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


def test_vllm_runs_from_its_own_flags_with_the_same_window(everything_on):
    """The huggingface-vllm entrypoint turns SM_VLLM_<NAME> into vLLM's --<name>; the window is --max-model-len
    (TGI's MAX_* variables mean nothing to it), the sampling defaults vLLM's own, LMCache's offload off."""
    assert _container(everything_on)["Environment"] == {
        "SM_VLLM_MODEL": "/opt/ml/model",
        "SM_VLLM_TENSOR_PARALLEL_SIZE": "1",
        "SM_VLLM_MAX_MODEL_LEN": str(EVERYTHING_ON.max_total_tokens),
        "SM_VLLM_GENERATION_CONFIG": "vllm",
        "HF_ENABLE_LMCACHE": "0",
        "SM_VLLM_QUANTIZATION": "awq",
        "SM_VLLM_GPU_MEMORY_UTILIZATION": "0.85",  # container_env adds to or overrides the server's variables
    }


def test_a_hub_model_on_vllm_is_named_and_downloaded():
    config = MemchatConfig(model_server="vllm", num_gpus=4, instance_type="ml.g5.12xlarge")
    template = _endpoint_only(config)
    environment = _container(template)["Environment"]
    assert environment["SM_VLLM_MODEL"] == DEFAULT.model_id
    assert environment["SM_VLLM_TENSOR_PARALLEL_SIZE"] == "4"
    assert not any(name.startswith(("MAX_", "HF_MODEL", "SM_NUM_GPUS")) for name in environment)
    assert only(template, "AWS::SageMaker::Model")[1]["Properties"]["EnableNetworkIsolation"] is False


@pytest.mark.parametrize(("server", "variable"), [("tgi", "HF_MODEL_ID"), ("vllm", "SM_VLLM_MODEL")])
def test_an_s3_artifact_is_served_from_disk_with_the_network_isolated(server, variable):
    config = MemchatConfig(model_server=server, model_data_s3_uri="s3://example-models/llama/finetuned/")
    template = _endpoint_only(config)
    container = _container(template)
    assert container["Environment"][variable] == "/opt/ml/model"
    assert container["ModelDataSource"]["S3DataSource"] == {
        "S3Uri": "s3://example-models/llama/finetuned/", "S3DataType": "S3Prefix", "CompressionType": "None",
    }
    assert only(template, "AWS::SageMaker::Model")[1]["Properties"]["EnableNetworkIsolation"] is True


@pytest.mark.parametrize(("server", "variable", "value"), [
    ("tgi", "HF_MODEL_QUANTIZE", "eetq"), ("vllm", "SM_VLLM_QUANTIZATION", "gptq_marlin")])
def test_quantization_is_passed_as_each_server_names_it(server, variable, value):
    environment = _container(_endpoint_only(MemchatConfig(model_server=server, quantize=value)))["Environment"]
    assert environment[variable] == value


@pytest.mark.parametrize(("server", "value"), [("vllm", "eetq"), ("tgi", "gptq_marlin"), ("tgi", "int3")])
def test_a_quantization_the_server_does_not_know_is_refused(server, value):
    with pytest.raises(ConfigError, match=f"quantize for {server}"):
        MemchatConfig(model_server=server, quantize=value)


def test_an_unknown_model_server_is_refused():
    with pytest.raises(ConfigError, match="model_server"):
        MemchatConfig(model_server="lmi")


def _endpoint_only(config: MemchatConfig) -> Template:
    """The model construct alone, for variants not worth a whole stack (and its cdk-nag run)."""
    stack = Stack(App(), config.stack_name, env={"region": config.region, "account": "123456789012"})
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


def _component(template):
    return only(template, "AWS::SageMaker::InferenceComponent")[1]["Properties"]


def _variant(template):
    (variant,) = only(template, "AWS::SageMaker::EndpointConfig")[1]["Properties"]["ProductionVariants"]
    return variant


def test_the_model_is_an_inference_component_waiting_long_enough_for_a_large_model(template):
    """Only an endpoint that hosts inference components can scale to zero instances, and its variant's
    ManagedInstanceScaling.MinInstanceCount must be 0 (SageMaker Developer Guide, "Scale an endpoint to zero
    instances"); the startup timeouts then belong to the component (InferenceComponentStartupParameters)."""
    component = _component(template)
    model_id, _ = only(template, "AWS::SageMaker::Model")
    specification = component["Specification"]
    assert specification["ModelName"] == {"Fn::GetAtt": [model_id, "ModelName"]}
    assert specification["ComputeResourceRequirements"] == {
        "NumberOfAcceleratorDevicesRequired": DEFAULT.num_gpus, "MinMemoryRequiredInMb": DEFAULT.copy_memory_mb}
    startup = specification["StartupParameters"]
    assert startup["ContainerStartupHealthCheckTimeoutInSeconds"] == DEFAULT.startup_health_check_timeout_seconds >= 600
    assert startup["ModelDataDownloadTimeoutInSeconds"] == DEFAULT.model_download_timeout_seconds
    assert component["VariantName"] == "AllTraffic"
    variant = _variant(template)
    assert "ModelName" not in variant
    assert variant["InstanceType"] == DEFAULT.instance_type
    assert variant["ManagedInstanceScaling"] == {
        "Status": "ENABLED", "MinInstanceCount": 0, "MaxInstanceCount": DEFAULT.max_instances + 1}
    config = only(template, "AWS::SageMaker::EndpointConfig")[1]["Properties"]
    assert config["ExecutionRoleArn"] == only(template, "AWS::SageMaker::Model")[1]["Properties"]["ExecutionRoleArn"]


def test_a_new_model_replaces_one_copy_at_a_time(template):
    """A rolling update starts a new copy before it stops an old one, so the variant may add one instance
    beyond max_instances (InferenceComponentRollingUpdatePolicy); the pre-flight checks quota for it."""
    policy = _component(template)["DeploymentConfig"]["RollingUpdatePolicy"]
    assert policy["MaximumBatchSize"] == {"Type": "COPY_COUNT", "Value": 1}


def test_an_update_keeps_the_instance_count_autoscaling_set(template):
    """Without RetainAllVariantProperties an endpoint update applies the new config's InitialInstanceCount,
    undoing what autoscaling set (AWS::SageMaker::Endpoint, RetainAllVariantProperties)."""
    assert only(template, "AWS::SageMaker::Endpoint")[1]["Properties"]["RetainAllVariantProperties"] is True


def test_the_endpoint_and_component_are_named_after_the_stack(template, everything_on):
    """Endpoint and inference component names are unique per account and region, as stack names are."""
    endpoint = only(template, "AWS::SageMaker::Endpoint")[1]["Properties"]
    config_id, _ = only(template, "AWS::SageMaker::EndpointConfig")
    assert endpoint["EndpointName"] == "Memchat-llm"
    assert endpoint["EndpointConfigName"] == {"Fn::GetAtt": [config_id, "EndpointConfigName"]}
    assert _component(template)["InferenceComponentName"] == "Memchat-tgi"
    assert only(everything_on, "AWS::SageMaker::Endpoint")[1]["Properties"]["EndpointName"] == "MemchatStaging-llm"


def test_a_configured_endpoint_name_wins():
    assert only(_endpoint_only(MemchatConfig(endpoint_name="team-llm")), "AWS::SageMaker::Endpoint")[1][
        "Properties"]["EndpointName"] == "team-llm"
    with pytest.raises(ConfigError):
        MemchatConfig(endpoint_name="not_a_sagemaker_name")


def test_names_stay_within_sagemakers_limits():
    assert resource_name("a" * 200, "llm") == "a" * 59 + "-llm"
    assert resource_name("Memchat.Dev_2", "tgi") == "Memchat-Dev-2-tgi"


def test_the_model_logs_expire_and_exist_before_the_endpoint(template):
    groups = {group["Properties"].get("LogGroupName"): (lid, group)
              for lid, group in resources(template, "AWS::Logs::LogGroup").items()}
    endpoint = only(template, "AWS::SageMaker::Endpoint")[1]
    for name in ("/aws/sagemaker/Endpoints/Memchat-llm", "/aws/sagemaker/InferenceComponents/Memchat-tgi"):
        logical_id, group = groups[name]
        assert group["Properties"]["RetentionInDays"] == DEFAULT.log_retention_days
        assert logical_id in endpoint["DependsOn"]


def test_autoscaling_tracks_concurrent_requests_per_copy(template):
    """ConcurrentRequestsPerCopy counts streams until their last token and is published every 10 seconds,
    so it reacts to a burst of long answers where InvocationsPerInstance (per minute) lags (SageMaker
    Developer Guide, "Define a scaling policy": high-resolution predefined metrics)."""
    target_id, target = only(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    properties = target["Properties"]
    assert properties["ResourceId"] == "inference-component/Memchat-tgi"
    assert properties["ScalableDimension"] == "sagemaker:inference-component:DesiredCopyCount"
    assert (properties["MinCapacity"], properties["MaxCapacity"]) == (DEFAULT.min_instances, DEFAULT.max_instances)
    assert mentions(properties["RoleARN"], "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint")
    policy = only(template, "AWS::ApplicationAutoScaling::ScalingPolicy")[1]["Properties"]
    assert policy["ScalingTargetId"] == {"Ref": target_id}
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    metric = tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
    assert metric == "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
    assert tracking["TargetValue"] == DEFAULT.concurrent_requests_per_copy_target
    assert (tracking["ScaleOutCooldown"], tracking["ScaleInCooldown"]) == (300, 900)


def test_without_inference_components_the_variant_scales_on_concurrent_requests_per_model():
    """Regions where CloudFormation has no AWS::SageMaker::InferenceComponent get the model on the variant,
    scaled on ConcurrentRequestsPerModel (SageMakerVariantConcurrentRequestsPerModelHighResolution)."""
    template = _endpoint_only(ON_THE_VARIANT)
    template.resource_count_is("AWS::SageMaker::InferenceComponent", 0)
    variant = _variant(template)
    assert "ModelName" in variant and "ManagedInstanceScaling" not in variant
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] == ON_THE_VARIANT.startup_health_check_timeout_seconds
    target = only(template, "AWS::ApplicationAutoScaling::ScalableTarget")[1]["Properties"]
    assert target["ResourceId"] == "endpoint/MemchatHyderabad-llm/variant/AllTraffic"
    assert target["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    policy = only(template, "AWS::ApplicationAutoScaling::ScalingPolicy")[1]["Properties"]
    metric = policy["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]
    assert metric["PredefinedMetricType"] == "SageMakerVariantConcurrentRequestsPerModelHighResolution"


def test_the_night_schedule_needs_inference_components():
    with pytest.raises(ConfigError, match="inference components"):
        MemchatConfig(region="ap-south-2", endpoint_off_schedule="cron(0 20 * * ? *)",
                      endpoint_on_schedule="cron(0 7 * * ? *)")


def test_the_inference_component_regions_are_cloudformations(tmp_path):
    """The region list is CloudFormation's own: the resource schemas cfn-lint ships per region."""
    providers = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"
    offered = {path.stem for path in providers.glob("*.json")
               if "AWS::SageMaker::InferenceComponent" in json.loads(path.read_text())}
    assert offered == INFERENCE_COMPONENT_REGIONS


def test_equal_bounds_mean_no_scaling_policy():
    template = _endpoint_only(MemchatConfig(min_instances=2, instance_count=2, max_instances=2,
                                            endpoint_off_schedule=None, endpoint_on_schedule=None))
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 0)
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 0)


def test_the_night_schedule_is_on_unless_switched_off(template):
    """With no stage config the model is off at night and over the weekend; both schedules null keep it on."""
    actions = _scheduled_actions(template)
    assert actions["off"]["Schedule"] == "cron(0 20 ? * MON-FRI *)"
    assert actions["on"]["Schedule"] == "cron(0 7 ? * MON-FRI *)"
    assert {action["Timezone"] for action in actions.values()} == {"UTC"}
    always_on = _endpoint_only(ALWAYS_ON)
    assert "ScheduledActions" not in only(always_on, "AWS::ApplicationAutoScaling::ScalableTarget")[1]["Properties"]


def _scheduled_actions(template):
    target = only(template, "AWS::ApplicationAutoScaling::ScalableTarget")[1]["Properties"]
    return {action["ScheduledActionName"].lower(): action for action in target["ScheduledActions"]}


def test_the_schedule_scales_the_copies_to_zero_and_back(everything_on):
    """Scheduled actions of the scalable target CloudFormation owns set the copy count's bounds: max 0 at
    night takes every copy away, and managed instance scaling (MinInstanceCount 0) then releases the
    instances (Application Auto Scaling scheduled scaling; SageMaker "Scale an endpoint to zero instances").
    Nothing outside the stack is changed, so a deploy at any hour finds the resources it created."""
    actions = _scheduled_actions(everything_on)
    assert set(actions) == {"off", "on"}
    assert actions["off"]["Schedule"] == EVERYTHING_ON.endpoint_off_schedule
    assert actions["off"]["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 0}
    assert actions["on"]["Schedule"] == EVERYTHING_ON.endpoint_on_schedule
    assert actions["on"]["ScalableTargetAction"] == {"MinCapacity": EVERYTHING_ON.min_instances,
                                                     "MaxCapacity": EVERYTHING_ON.max_instances}
    assert {action["Timezone"] for action in actions.values()} == {"Europe/Berlin"}
    everything_on.resource_count_is("AWS::StepFunctions::StateMachine", 0)
    everything_on.resource_count_is("AWS::Scheduler::Schedule", 0)


def test_a_fixed_fleet_can_still_be_switched_off_at_night():
    template = _endpoint_only(FIXED_AND_SCHEDULED)
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 0)
    assert _scheduled_actions(template)["off"]["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 0}


def test_a_cuda_13_image_runs_on_the_host_ami_with_driver_580(template, everything_on):
    """vLLM's images are CUDA 13.0; SageMaker's default AMI runs driver 470 on g5 (CUDA 11.4), and AWS says
    CUDA 13 images need an InferenceAmiVersion (al2023-ami-sagemaker-inference-gpu-4-1: driver 580, CUDA 13.0).
    TGI's CUDA 12.4 image keeps the default AMI it has always run on."""
    assert _variant(everything_on)["InferenceAmiVersion"] == CUDA_13_AMI
    assert "InferenceAmiVersion" not in _variant(template)
    on_the_variant = _variant(_endpoint_only(MemchatConfig(
        model_server="vllm", region="ap-south-2", endpoint_off_schedule=None, endpoint_on_schedule=None)))
    assert "ModelName" in on_the_variant and on_the_variant["InferenceAmiVersion"] == CUDA_13_AMI


def test_a_configured_host_ami_wins_and_must_be_one_sagemaker_has():
    config = MemchatConfig(inference_ami_version="al2-ami-sagemaker-inference-gpu-3-1")
    assert _variant(_endpoint_only(config))["InferenceAmiVersion"] == "al2-ami-sagemaker-inference-gpu-3-1"
    with pytest.raises(ConfigError, match="inference_ami_version"):
        MemchatConfig(inference_ami_version="al2-ami-sagemaker-inference-gpu-9")


def test_an_image_without_a_cuda_tag_keeps_the_default_ami():
    """A given image whose tag names no CUDA version (FIXED_AND_SCHEDULED's) is left on SageMaker's default."""
    assert "InferenceAmiVersion" not in _variant(_endpoint_only(FIXED_AND_SCHEDULED))


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_both_servers_get_the_configured_startup_timeouts(server):
    """Loading weights, and for vLLM compiling and capturing CUDA graphs, happens before /ping answers:
    ContainerStartupHealthCheckTimeoutInSeconds and ModelDataDownloadTimeoutInSeconds (60..3600 each) bound
    it, on the component or, without components, on the variant."""
    config = MemchatConfig(model_server=server, startup_health_check_timeout_seconds=1500,
                           model_download_timeout_seconds=1800)
    startup = _component(_endpoint_only(config))["Specification"]["StartupParameters"]
    assert startup == {"ContainerStartupHealthCheckTimeoutInSeconds": 1500, "ModelDataDownloadTimeoutInSeconds": 1800}
    variant = _variant(_endpoint_only(MemchatConfig(
        model_server=server, region="ap-south-2", endpoint_off_schedule=None, endpoint_on_schedule=None,
        startup_health_check_timeout_seconds=1500, model_download_timeout_seconds=1800)))
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] == 1500
    assert variant["ModelDataDownloadTimeoutInSeconds"] == 1800
