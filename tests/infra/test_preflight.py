"""The pre-flight `make deploy` runs: each check stops a deploy that would fail half-way, with what to do; a
missing prerequisite ends in one sentence, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from memchat_infra import MemchatConfig
from memchat_infra.preflight import (
    BOOTSTRAP_VERSION_PARAMETER,
    Finding,
    check_account_logging_role,
    check_bootstrap,
    check_gpu_quota,
    check_log_groups,
    main,
    parse_arguments,
    parse_context,
    run_checks,
)

from .aws_fakes import ClientError, FakeAws, NotFound, product

REPO = Path(__file__).resolve().parents[2]
CONFIG = MemchatConfig(account="123456789012", region="eu-west-1", max_instances=2)


def _survey(aws: FakeAws, config: MemchatConfig = CONFIG):
    from memchat_infra import leftovers

    return leftovers.survey(leftovers.Clients.of(aws.client), config.stack_name)


def test_a_fresh_account_with_quota_passes():
    aws = FakeAws()
    assert run_checks(CONFIG, aws.client, _survey(aws)) == []


def test_too_small_a_gpu_quota_stops_the_deploy_before_the_endpoint_fails():
    """SageMaker refuses an endpoint (after CloudFormation created everything before it) when the account's
    "<type> for endpoint usage" quota is below the instances asked for; the quota is per type and region
    (Service Quotas, service code sagemaker)."""
    finding = check_gpu_quota(FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0}), CONFIG)
    assert finding is not None and finding.check == "gpu-quota"
    assert "needs 3" in finding.message and "is 2" in finding.message


def test_without_inference_components_the_quota_covers_max_instances():
    config = MemchatConfig(region="ap-south-2", max_instances=2, endpoint_off_schedule=None,
                           endpoint_on_schedule=None)
    assert check_gpu_quota(FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0}), config) is None
    aws = FakeAws(log_groups=["/aws/sagemaker/InferenceComponents/Memchat-tgi"])
    assert check_log_groups(aws, config, stack_exists=False) == []


def test_an_unknown_instance_type_is_named():
    finding = check_gpu_quota(FakeAws(quotas={}), CONFIG)
    assert finding is not None and "ml.g5.2xlarge for endpoint usage" in finding.message


def test_an_account_the_cdk_was_never_bootstrapped_in_is_told_to_bootstrap():
    """`cdk bootstrap` writes the SSM parameter /cdk-bootstrap/<qualifier>/version (default qualifier
    hnb659fds), which the CDK CLI reads before it deploys; without it the deploy fails after synthesis."""
    assert BOOTSTRAP_VERSION_PARAMETER == "/cdk-bootstrap/hnb659fds/version"
    finding = check_bootstrap(FakeAws(bootstrapped=False), CONFIG)
    assert finding is not None and "make bootstrap" in finding.message
    assert check_bootstrap(FakeAws(), CONFIG) is None


def test_an_existing_endpoint_log_group_stops_a_new_stack():
    """CloudFormation cannot create a log group whose name exists already; SageMaker creates
    /aws/sagemaker/Endpoints/<endpoint> itself when an endpoint of that name ran before."""
    aws = FakeAws(log_groups=["/aws/sagemaker/Endpoints/Memchat-llm", "/aws/sagemaker/Endpoints/Memchat-llm-old"])
    (finding,) = check_log_groups(aws, CONFIG, stack_exists=False)
    assert "/aws/sagemaker/Endpoints/Memchat-llm " in finding.message
    assert check_log_groups(aws, CONFIG, stack_exists=True) == []


def test_an_account_with_a_logging_role_keeps_it():
    """API Gateway has one CloudWatch role per account and region (AWS::ApiGateway::Account); the stack
    retains the one it sets, so setting one over an existing role leaves a role behind on every retry."""
    aws = FakeAws(logging_role="arn:aws:iam::123456789012:role/ApiGatewayLogs")
    finding = check_account_logging_role(aws, CONFIG, stack_exists=False)
    assert finding is not None and '"api_gateway_cloudwatch_role": false' in finding.message
    assert check_account_logging_role(aws, CONFIG, stack_exists=True) is None
    assert check_account_logging_role(FakeAws(), CONFIG, stack_exists=False) is None


def test_findings_read_as_a_check_and_what_to_do():
    assert str(Finding("gpu-quota", "ask for more")) == "[gpu-quota] ask for more"


def test_the_context_arguments_are_the_cdk_clis():
    assert parse_context(["-c", "config=infra/mine.config.json", "-c", "region=eu-west-1"]) == {
        "config": "infra/mine.config.json", "region": "eu-west-1"}
    options = parse_arguments(["-c", "region=eu-west-1", "--clean-failed-deploy"])
    assert options.context == {"region": "eu-west-1"} and options.clean
    assert not parse_arguments(["-c", "region=eu-west-1"]).clean


def test_make_deploy_runs_the_preflight_before_cloudformation():
    plan = subprocess.run(["make", "-n", "deploy"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    preflight, deploy = plan.index("memchat_infra.preflight"), plan.index(" deploy ")
    assert preflight < deploy
    assert "--clean-failed-deploy" not in plan
    asked = subprocess.run(["make", "-n", "deploy", "CLEAN_FAILED_DEPLOY=1"], cwd=REPO, capture_output=True,
                           text=True, check=True).stdout
    assert "memchat_infra.preflight" in asked and "--clean-failed-deploy" in asked


def test_credentials_for_another_account_stop_everything_else(capsys):
    aws = FakeAws(account="210987654321", quotas={})
    assert main(["-c", "account=123456789012", "-c", "region=eu-west-1"], client=aws.regional) == 1
    err = capsys.readouterr().err
    assert "[account]" in err and "210987654321" in err and "[gpu-quota]" not in err


def test_the_command_reads_the_cdk_context_and_exits_1_on_a_finding(tmp_path, capsys):
    config = tmp_path / "mine.config.json"
    config.write_text('{"region": "eu-west-1", "max_instances": 3}')
    regions = set()
    aws = FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0})

    def client(service, region):
        regions.add((service, region))
        return aws

    assert main(["-c", f"config={config}"], client=client) == 1
    assert {region for service, region in regions if service != "pricing"} == {"eu-west-1"}
    # The Price List API answers from us-east-1 for every region.
    assert ("pricing", "us-east-1") in regions
    assert "[gpu-quota]" in capsys.readouterr().err
    assert main(["-c", f"config={config}", "-c", "max_instances=1", "-c", "min_instances=1"], client=client) == 0


def test_with_no_stage_config_the_deploy_prints_the_monthly_cost_of_the_night_schedule(capsys):
    """make deploy with the defaults: the GPU is on weekdays 07:00-20:00 (UTC), 282.75 of a month's 730 hours
    (2027's 261 weekdays x 13 h / 12), and the price comes from the AWS Price List API."""
    aws = FakeAws(price_list=[product(1.515)])
    assert main([], client=aws.regional) == 0
    out = capsys.readouterr().out
    assert "ml.g5.2xlarge at $1.515 an hour in us-east-1 (AWS Price List API)" in out
    assert "about $428 a month: 1 instance(s) for the 283 hours a month the night schedule keeps it on" in out
    assert "cron(0 7 ? * MON-FRI *)" in out and "cron(0 20 ? * MON-FRI *)" in out
    assert "up to $857 if autoscaling keeps 2 instances on" in out
    assert "around the clock it would be $1,106 a month" in out
    # The Price List API was asked for a SageMaker hosting instance in the deploy's region.
    ((service_code, filters),) = aws.price_queries
    assert service_code == "AmazonSageMaker"
    assert {f["Field"]: f["Value"] for f in filters} == {
        "productFamily": "ML Instance", "regionCode": "us-east-1", "instanceName": "ml.g5.2xlarge",
        "platoinstancetype": "Hosting"}


def test_a_model_left_on_around_the_clock_says_so(capsys):
    aws = FakeAws(price_list=[product(1.515)])
    assert main(["-c", "endpoint_off_schedule=null", "-c", "endpoint_on_schedule=null"], client=aws.regional) == 0
    out = capsys.readouterr().out
    assert "about $1,106 a month: 1 instance(s) around the clock" in out


def test_without_a_price_the_estimate_gives_instance_hours_and_where_to_look(capsys):
    aws = FakeAws(price_list=[], pricing_denied=True)
    assert main([], client=aws.regional) == 0
    out = capsys.readouterr().out
    assert "283 to 566 ml.g5.2xlarge instance-hours a month" in out and "aws.amazon.com/sagemaker/pricing" in out


def test_a_configuration_that_does_not_load_is_one_sentence(tmp_path, capsys):
    config = tmp_path / "broken.config.json"
    config.write_text('{"region": "eu-west-1",}')
    assert main(["-c", f"config={config}"], client=FakeAws().regional) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("preflight: the configuration does not load:")


# ---------------------------------------------------------------- what a new user meets, as they meet it


def _run_preflight(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`make deploy`'s first step as a new user's shell runs it: the module itself, nothing but `env` set."""
    base = {"PATH": os.environ["PATH"], "HOME": str(env.pop("HOME")), "PYTHONPATH": str(REPO / "infra"),
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
            "AWS_EC2_METADATA_DISABLED": "true"}
    return subprocess.run([sys.executable, "-m", "memchat_infra.preflight", *args], cwd=REPO / "infra",
                          env=base | env, capture_output=True, text=True, timeout=120)


def _one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "b'" not in result.stderr + result.stdout  # text, not Python byte strings
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("preflight: ") and line.endswith(".")
    return line


def test_no_credentials_is_one_sentence_saying_how_to_get_them(tmp_path):
    """botocore raises NoCredentialsError when no provider in its chain (environment, shared files, SSO,
    container or instance metadata) has credentials; here every one of them is empty."""
    line = _one_sentence(_run_preflight({"HOME": tmp_path}))
    assert "no AWS credentials were found" in line and "aws configure" in line and "AWS_PROFILE" in line


def test_no_route_to_aws_is_one_sentence_naming_the_endpoint(tmp_path):
    """Credentials but nothing answering: botocore raises EndpointConnectionError after its retries (here a
    closed local port stands in for a network with no route to AWS)."""
    line = _one_sentence(_run_preflight({
        "HOME": tmp_path, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "example",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}))
    assert "AWS could not be reached at http://127.0.0.1:9" in line and "HTTPS_PROXY" in line


def test_a_profile_that_does_not_exist_is_one_sentence(tmp_path):
    line = _one_sentence(_run_preflight({"HOME": tmp_path, "AWS_PROFILE": "not-configured"}))
    assert "'not-configured' is not in your AWS configuration" in line


def test_the_preflight_starts_no_javascript_runtime():
    """Only the configuration and boto3: the pre-flight neither waits for jsii nor prints its output."""
    code = ("import sys, memchat_infra.preflight; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO / "infra", capture_output=True, text=True,
                            check=True, env=os.environ | {"PYTHONPATH": str(REPO / "infra")})
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("code", "expected"), [
    ("ExpiredToken", "have expired"),
    ("InvalidClientTokenId", "rejected these credentials"),
    ("AccessDenied", "administrator rights"),
])
def test_credentials_aws_refuses_are_one_sentence_each(code, expected, capsys):
    aws = FakeAws(identity_error=ClientError({"Error": {"Code": code, "Message": "no"}}, "GetCallerIdentity"))
    assert main([], client=aws.regional) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert expected in line and "Traceback" not in line


def test_the_fakes_answer_like_botocore():
    """The fakes raise botocore's own ClientError with its response shape, as the checks read it."""
    error = NotFound("ParameterNotFound")
    assert error.response["Error"]["Code"] == "ParameterNotFound"
    assert json.loads(product(1.0))["terms"]["OnDemand"]
