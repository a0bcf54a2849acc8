"""The deployments the tests synthesize: the defaults, and one with every option switched on."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App
from aws_cdk.assertions import Template

from memchat_infra import MemchatConfig, add_memchat

# Unit tests never run pip: no stack is bundled.
NO_BUNDLING = {"aws:cdk:bundling-stacks": []}

# A deployment as the defaults make it, with a concrete account and region so ARNs are readable.
DEFAULT = MemchatConfig(account="123456789012", region="eu-west-1")
# Every option the defaults leave off: schedule, S3 artifact, alarm email, x86_64, no protection, no account role.
EVERYTHING_ON = MemchatConfig(
    account="123456789012",
    region="us-west-2",
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
    container_env={"MAX_BATCH_PREFILL_TOKENS": "8192"},
    backend_settings={"temperature": "0.3"},
)


def synthesize(config: MemchatConfig, outdir: Path) -> Template:
    """The template CloudFormation would get; raises if cdk-nag has an unacknowledged finding."""
    app = App(context=NO_BUNDLING, outdir=str(outdir))
    stack = add_memchat(app, config=config)
    assembly = app.synth()
    return Template.from_json(assembly.get_stack_artifact(stack.artifact_id).template)

