"""The configuration: typed defaults, a JSON file, then cdk context values; wrong values stop the synth."""

from __future__ import annotations

import json

import pytest

from memchat_infra import ConfigError, MemchatConfig, load_config


def test_defaults_leave_room_for_an_answer():
    config = MemchatConfig()
    assert config.max_new_tokens == config.max_total_tokens - config.max_input_tokens > 0
    assert config.autoscaling


def test_the_cheap_schedule_is_the_default():
    """With no stage config the GPU runs weekdays 07:00-20:00 and is off at night and over the weekend, the
    schedule a deployer chooses away from (both null) rather than into."""
    config = MemchatConfig()
    assert config.scheduled
    assert (config.endpoint_off_schedule, config.endpoint_on_schedule) == ("cron(0 20 ? * MON-FRI *)",
                                                                          "cron(0 7 ? * MON-FRI *)")
    assert not load_config({"endpoint_off_schedule": "null", "endpoint_on_schedule": "null"}).scheduled


def test_a_region_that_cannot_switch_the_model_off_says_how_to_run_it_around_the_clock():
    with pytest.raises(ConfigError, match="set endpoint_off_schedule and endpoint_on_schedule to null"):
        MemchatConfig(region="ap-south-2")
    assert not MemchatConfig(region="ap-south-2", endpoint_off_schedule=None, endpoint_on_schedule=None).scheduled


def test_context_values_override_the_file_which_overrides_the_defaults(tmp_path):
    path = tmp_path / "prod.json"
    path.write_text(json.dumps({"instance_type": "ml.g5.12xlarge", "num_gpus": 4, "max_instances": 4}))
    config = load_config({"config": str(path), "num_gpus": "2", "@aws-cdk/some-feature-flag": True})
    assert config.instance_type == "ml.g5.12xlarge"
    assert config.num_gpus == 2
    assert config.max_instances == 4


def test_context_strings_are_turned_into_the_field_types():
    config = load_config({
        "deletion_protection": "false", "throttle_rate_limit": "12.5", "quantize": "none",
        "container_env": '{"MAX_BATCH_PREFILL_TOKENS": 8192}', "alarm_email": "ops@example.com",
    })
    assert config.deletion_protection is False
    assert config.throttle_rate_limit == 12.5
    assert config.quantize is None
    assert config.container_env == {"MAX_BATCH_PREFILL_TOKENS": "8192"}
    assert config.alarm_email == "ops@example.com"


def test_a_typo_in_the_config_file_is_an_error(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({"instance_typ": "ml.g5.xlarge"}))
    with pytest.raises(ConfigError, match="instance_typ"):
        load_config({"config": str(path)})


@pytest.mark.parametrize(("values", "message"), [
    ({"max_input_tokens": 4096, "max_total_tokens": 4096}, "max_input_tokens"),
    ({"min_instances": 2, "instance_count": 1}, "min_instances"),
    ({"quantize": "int3"}, "quantize"),
    ({"lambda_architecture": "riscv"}, "lambda_architecture"),
    ({"log_retention_days": 31}, "log_retention_days"),
    ({"model_timeout_seconds": 300.0, "worker_timeout_seconds": 300}, "model_timeout_seconds"),
    ({"endpoint_on_schedule": None}, "go together"),
    ({"model_data_s3_uri": "https://bucket/model.tar.gz"}, "s3://"),
    ({"backend_settings": {"temprature": "0.2"}}, "temprature"),
    ({"backend_settings": {"table_name": "mine"}}, "derives"),
])
def test_inconsistent_values_are_refused(values, message):
    with pytest.raises(ConfigError, match=message):
        MemchatConfig(**values)


def test_a_boolean_must_be_spelled_out():
    with pytest.raises(ConfigError, match="deletion_protection"):
        load_config({"deletion_protection": "yes"})


def test_a_number_must_parse():
    with pytest.raises(ConfigError, match="num_gpus"):
        load_config({"num_gpus": "two"})


def test_the_example_config_in_the_deploy_guide_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "infra" / "example.config.json"
    config = load_config({"config": str(example)})
    assert config.scheduled and config.deletion_protection


def test_the_model_server_and_its_version_come_from_context():
    config = load_config({"model_server": "vllm", "vllm_version": "0.29.0", "tgi_version": "3.3.4"})
    assert (config.model_server, config.server_version) == ("vllm", "0.29.0")
    assert load_config({"tgi_version": "3.3.4"}).server_version == "3.3.4"
