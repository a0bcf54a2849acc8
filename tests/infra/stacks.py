"""The deployments the tests synthesize: the defaults, one with every option switched on, and the variants
that change the template's shape (each is linted with cfn-lint)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App
from aws_cdk.assertions import Template

from memchat_infra import MemchatConfig, add_memchat

# Unit tests never run pip: no stack is bundled.
NO_BUNDLING = {"aws:cdk:bundling-stacks": []}

# A deployment as the defaults make it (night schedule included), with a concrete account and region so ARNs
# are readable.
DEFAULT = MemchatConfig(account="123456789012", region="eu-west-1")
# Every option the defaults leave off: the vLLM server, S3 artifact, alarm email, x86_64, no protection, no
# account role; and another schedule in another time zone.
EVERYTHING_ON = MemchatConfig(
    account="123456789012",
    region="us-west-2",
    stack_name="MemchatStaging",
    model_server="vllm",
    model_data_s3_uri="s3://example-models/llama/finetuned/",
    endpoint_off_schedule="cron(0 20 ? * MON-FRI *)",
    endpoint_on_schedule="cron(0 7 ? * MON-FRI *)",
    schedule_time_zone="Europe/Berlin",
    max_instances=3,
    alarm_email="ops@example.com",
    lambda_architecture="x86_64",
    deletion_protection=False,
    api_gateway_cloudwatch_role=False,
    quantize="awq",
    container_env={"SM_VLLM_GPU_MEMORY_UTILIZATION": "0.85"},
    backend_settings={"temperature": "0.3"},
    snap_start=True,
)
# The remaining shapes: a fixed fleet (no scaling policy) switched off at night, a compressed artifact from
# another vLLM image; a model left on around the clock; and a region without inference components, where the model
# runs on the variant (around the clock: it cannot scale to zero).
FIXED_AND_SCHEDULED = MemchatConfig(
    account="123456789012",
    region="eu-central-1",
    stack_name="MemchatFixed",
    min_instances=2,
    instance_count=2,
    max_instances=2,
    endpoint_off_schedule="cron(0 22 * * ? *)",
    endpoint_on_schedule="cron(0 6 * * ? *)",
    model_data_s3_uri="s3://example-models/qwen/model.tar.gz",
    model_server="vllm",
    image_uri="123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/vllm-openai:0.9.1",
)
ALWAYS_ON = MemchatConfig(account="123456789012", region="eu-west-1", stack_name="MemchatAlwaysOn",
                          endpoint_off_schedule=None, endpoint_on_schedule=None)
ON_THE_VARIANT = MemchatConfig(account="123456789012", region="ap-south-2", stack_name="MemchatHyderabad",
                               endpoint_off_schedule=None, endpoint_on_schedule=None)
VARIANTS = {"default": DEFAULT, "everything_on": EVERYTHING_ON, "fixed_and_scheduled": FIXED_AND_SCHEDULED,
            "always_on": ALWAYS_ON, "on_the_variant": ON_THE_VARIANT}


def synthesize(config: MemchatConfig, outdir: Path) -> Template:
    """The template CloudFormation would get; raises if cdk-nag has an unacknowledged finding."""
    app = App(context=NO_BUNDLING, outdir=str(outdir))
    stack = add_memchat(app, config=config)
    assembly = app.synth()
    return Template.from_json(assembly.get_stack_artifact(stack.artifact_id).template)
