"""The one place a deployment is configured: typed defaults, overridable by a JSON file or cdk context.

Precedence, lowest first: the defaults below, the JSON file named by context `config`
(`make deploy CONFIG=my.json`), then single context values (`-c instance_type=ml.g5.12xlarge`, or the
`context` block of cdk.json). Unknown keys in the file are an error, so a typo never deploys silently.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from memchat.settings import ModelServer, Settings
from memchat_infra.images import INFERENCE_AMI_VERSIONS

_SAGEMAKER_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
# The model servers the backend speaks (MEMCHAT_MODEL_SERVER), one list for both.
MODEL_SERVERS: tuple[str, ...] = typing.get_args(ModelServer)
# What each server's quantize option takes: TGI's --quantize values (HF_MODEL_QUANTIZE), and those of vLLM's
# --quantization that every vLLM since 0.12 lists in QuantizationMethods (vllm/model_executor/layers/
# quantization/__init__.py). vLLM also reads a quantized checkpoint's own config, so it rarely needs one.
QUANTIZATIONS = {
    "tgi": ("awq", "bitsandbytes", "bitsandbytes-nf4", "bitsandbytes-fp4", "eetq", "exl2", "fp8", "gptq", "marlin"),
    "vllm": ("awq", "awq_marlin", "bitsandbytes", "compressed-tensors", "fp8", "gptq", "gptq_marlin"),
}
ARCHITECTURES = ("arm64", "x86_64")
# Python's logging levels, as log_level names them (the backend's Powertools Logger reads the same names).
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Where CloudFormation offers AWS::SageMaker::InferenceComponent (its resource schemas per region, as
# cfn-lint ships them; tests/infra/test_model.py checks this list against them). Elsewhere the model runs on
# the endpoint's variant, which cannot scale to zero instances.
INFERENCE_COMPONENT_REGIONS = frozenset({
    "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ca-central-1", "eu-central-1", "eu-isoe-west-1", "eu-north-1", "eu-west-1", "eu-west-2", "eusc-de-east-1",
    "me-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
    "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "us-west-2",
})
# The retention periods CloudWatch Logs accepts, in days.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)
# Settings the stack derives itself; backend_settings may not override them.
DERIVED_SETTINGS = frozenset({
    "table_name", "connections_table_name", "endpoint_name", "model_max_tokens", "max_new_tokens",
    "model_timeout_seconds", "worker_function_name", "callback_url", "jwks_url", "jwt_issuer",
    "jwt_audience", "log_level", "inference_component_name", "model_server",
})


# The default night schedule: the model is on from 07:00 to 20:00 on weekdays (in schedule_time_zone) and off at
# night and over the weekend, about 280 of a month's 730 hours.
DEFAULT_OFF_SCHEDULE = "cron(0 20 ? * MON-FRI *)"
DEFAULT_ON_SCHEDULE = "cron(0 7 ? * MON-FRI *)"


class ConfigError(ValueError):
    """A configuration value is missing, unknown or out of range."""


@dataclass(frozen=True, kw_only=True)
class MemchatConfig:
    """Everything a deployment may change; validated on construction."""

    # Where
    stack_name: str = "Memchat"
    region: str = "us-east-1"
    account: str | None = None  # None: the account of the credentials the CLI runs with

    # Model: a Hugging Face model id, or an S3 artifact (model.tar.gz, or a prefix ending in "/")
    model_id: str = "Qwen/Qwen2.5-7B-Instruct"
    model_data_s3_uri: str | None = None
    # The model server: Hugging Face's TGI image or its vLLM image, at a version model_images.json knows; the
    # backend is told which (MEMCHAT_MODEL_SERVER) and builds its requests for it.
    model_server: str = "tgi"
    tgi_version: str = "3.3.6"
    vllm_version: str = "0.29.0"
    image_uri: str | None = None  # any other ECR image of that server (a newer tag, a copy in your own registry)
    # The instances' host AMI (ProductionVariant InferenceAmiVersion); None: the one the image's CUDA needs
    # (images.AMI_FOR_CUDA), else SageMaker's default.
    inference_ami_version: str | None = None
    container_env: Mapping[str, str] = field(default_factory=dict)  # extra or overriding container variables
    endpoint_name: str | None = None  # None: "<stack_name>-llm", unique per account and region
    instance_type: str = "ml.g5.2xlarge"
    instance_count: int = 1  # copies of the model (one instance each) at the first deploy
    copy_memory_mb: int = 8192  # host memory reserved for one copy of the model
    num_gpus: int = 1  # tensor-parallel shards (TGI's SM_NUM_GPUS, vLLM's --tensor-parallel-size)
    quantize: str | None = None  # TGI's HF_MODEL_QUANTIZE, vLLM's --quantization (QUANTIZATIONS)
    max_input_tokens: int = 3072  # prompt budget; the answer gets max_total_tokens - max_input_tokens
    max_total_tokens: int = 4096  # the model's window (TGI's MAX_TOTAL_TOKENS, vLLM's --max-model-len)
    startup_health_check_timeout_seconds: int = 900  # large models take minutes to load
    model_download_timeout_seconds: int = 1200
    volume_size_gb: int | None = None  # only for instance types without local NVMe storage

    # Autoscaling of the model's copies (one per instance) on concurrent requests per copy (min == max: off)
    min_instances: int = 1
    max_instances: int = 2
    concurrent_requests_per_copy_target: int = 8  # answers streaming at once per copy (or per instance)
    scale_out_cooldown_seconds: int = 300
    scale_in_cooldown_seconds: int = 900  # a GPU instance takes minutes to come back

    # The night schedule: scales the model to 0 copies and 0 instances (no GPU cost) and back, by Application
    # Auto Scaling scheduled actions. On by default (weekdays 07:00 to 20:00): a GPU left on around the clock
    # costs about three times as much. Both null: the model runs around the clock.
    endpoint_off_schedule: str | None = DEFAULT_OFF_SCHEDULE
    endpoint_on_schedule: str | None = DEFAULT_ON_SCHEDULE
    schedule_time_zone: str = "UTC"

    # Lambdas
    lambda_architecture: str = "arm64"
    worker_timeout_seconds: int = 300  # long answers stream for minutes
    model_timeout_seconds: float = 60.0  # read timeout between two chunks of the model stream
    log_retention_days: int = 30
    log_level: str = "INFO"
    # SnapStart on the request path (authorizer, connect, disconnect, chat, worker): callers invoke a `live`
    # alias of the published version. Python pays a snapshot cache and restore charge; see docs/deploy.md.
    snap_start: bool = False
    backend_settings: Mapping[str, str] = field(default_factory=dict)  # any other Settings field

    # WebSocket API
    stage_name: str = "prod"
    throttle_rate_limit: float = 50.0  # requests per second, across all connections
    throttle_burst_limit: int = 100
    api_gateway_cloudwatch_role: bool = True  # set the account's API Gateway logging role

    # Data and safety
    deletion_protection: bool = True  # tables and user pool: protected and retained on destroy

    # Monitoring
    alarm_email: str | None = None
    ttft_alarm_ms: int = 5000
    model_latency_alarm_seconds: int = 120

    def __post_init__(self) -> None:
        _check(self.max_input_tokens < self.max_total_tokens, "max_input_tokens must be below max_total_tokens")
        _check(self.max_input_tokens > 0, "max_input_tokens must be positive")
        _check(1 <= self.min_instances <= self.instance_count <= self.max_instances,
               "need 1 <= min_instances <= instance_count <= max_instances")
        _check(self.num_gpus >= 1, "num_gpus must be at least 1")
        _check(self.model_server in MODEL_SERVERS, f"model_server must be one of {MODEL_SERVERS}")
        quantizations = QUANTIZATIONS[self.model_server]
        _check(self.quantize is None or self.quantize in quantizations,
               f"quantize for {self.model_server} must be one of {quantizations}")
        _check(self.inference_ami_version is None or self.inference_ami_version in INFERENCE_AMI_VERSIONS,
               f"inference_ami_version must be one of {INFERENCE_AMI_VERSIONS}")
        _check(self.lambda_architecture in ARCHITECTURES, f"lambda_architecture must be one of {ARCHITECTURES}")
        _check(self.log_level in LOG_LEVELS, f"log_level must be one of {LOG_LEVELS}")
        _check(self.log_retention_days in LOG_RETENTION_DAYS, f"log_retention_days must be one of {LOG_RETENTION_DAYS}")
        _check(0 < self.model_timeout_seconds < self.worker_timeout_seconds <= 900,
               "need 0 < model_timeout_seconds < worker_timeout_seconds <= 900")
        _check(60 <= self.startup_health_check_timeout_seconds <= 3600,
               "startup_health_check_timeout_seconds: 60..3600")
        _check(60 <= self.model_download_timeout_seconds <= 3600, "model_download_timeout_seconds: 60..3600")
        _check((self.endpoint_off_schedule is None) == (self.endpoint_on_schedule is None),
               "endpoint_off_schedule and endpoint_on_schedule go together")
        _check(self.endpoint_off_schedule is None or self.inference_components,
               f"the night schedule (on by default) scales the model to zero, which needs inference components; "
               f"CloudFormation offers them in {sorted(INFERENCE_COMPONENT_REGIONS)}, not in {self.region}: deploy "
               f"to one of those regions, or set endpoint_off_schedule and endpoint_on_schedule to null to run the "
               f"model around the clock")
        _check(self.model_data_s3_uri is None or self.model_data_s3_uri.startswith("s3://"),
               "model_data_s3_uri must start with s3://")
        _check(self.concurrent_requests_per_copy_target > 0, "concurrent_requests_per_copy_target must be positive")
        _check(self.copy_memory_mb >= 128, "copy_memory_mb must be at least 128")
        _check(self.endpoint_name is None or _SAGEMAKER_NAME.fullmatch(self.endpoint_name) is not None,
               "endpoint_name: letters, digits and inner hyphens, at most 63 characters")
        unknown = set(self.backend_settings) - set(Settings.model_fields)
        _check(not unknown, f"backend_settings names no Settings field: {sorted(unknown)}")
        derived = set(self.backend_settings) & DERIVED_SETTINGS
        _check(not derived, f"backend_settings may not set what the stack derives: {sorted(derived)}")

    @property
    def server_version(self) -> str:
        """The version of the chosen server's image (a key of model_images.json)."""
        return self.vllm_version if self.model_server == "vllm" else self.tgi_version

    @property
    def max_new_tokens(self) -> int:
        """The longest answer: what the window leaves after the largest prompt."""
        return self.max_total_tokens - self.max_input_tokens

    @property
    def autoscaling(self) -> bool:
        return self.min_instances < self.max_instances

    @property
    def scheduled(self) -> bool:
        return self.endpoint_off_schedule is not None

    @property
    def inference_components(self) -> bool:
        """The model runs as an inference component (scales to zero) wherever the region offers them."""
        return self.region in INFERENCE_COMPONENT_REGIONS

    @property
    def min_endpoint_instances(self) -> int:
        """Managed instance scaling may release every instance once no copy runs (the night schedule)."""
        return 0

    @property
    def max_endpoint_instances(self) -> int:
        """One instance per copy, plus one for the new copy a rolling update starts before it stops an old one."""
        return self.max_instances + 1


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)


def load_config(context: Mapping[str, typing.Any]) -> MemchatConfig:
    """Build the config from cdk context: the optional `config` file first, then single values."""
    values: dict[str, typing.Any] = {}
    path = context.get("config")
    if path:
        document = json.loads(Path(path).read_text())
        unknown = set(document) - _field_names()
        _check(not unknown, f"{path}: unknown keys {sorted(unknown)}")
        values.update(document)
    values.update({key: value for key, value in context.items() if key in _field_names()})
    hints = typing.get_type_hints(MemchatConfig)
    return MemchatConfig(**{key: _coerce(key, hints[key], value) for key, value in values.items()})


def _field_names() -> set[str]:
    return {f.name for f in fields(MemchatConfig)}


def _coerce(name: str, hint: typing.Any, value: typing.Any) -> typing.Any:
    """Turn a context value (a string from `-c`, or JSON) into the field's type."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if value is None or (isinstance(value, str) and value.lower() in ("", "none", "null")):
            return None
        hint = next(arg for arg in args if arg is not type(None))
    if typing.get_origin(hint) is Mapping or hint is Mapping:
        mapping = json.loads(value) if isinstance(value, str) else value
        _check(isinstance(mapping, dict), f"{name} must be a JSON object")
        return {str(k): str(v) for k, v in mapping.items()}
    if hint is bool:
        if isinstance(value, bool):
            return value
        _check(str(value).lower() in ("true", "false"), f"{name} must be true or false")
        return str(value).lower() == "true"
    try:
        return hint(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {value!r} is not a {hint.__name__}") from exc
