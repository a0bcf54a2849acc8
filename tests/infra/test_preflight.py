"""The pre-flight `make deploy` runs: each check stops a deploy that would fail half-way, with what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from memchat_infra import MemchatConfig
from memchat_infra.preflight import (
    Finding,
    check_account_logging_role,
    check_gpu_quota,
    check_leftover_tables,
    check_log_groups,
    check_stack,
    main,
    parse_context,
    run_checks,
)

REPO = Path(__file__).resolve().parents[2]
CONFIG = MemchatConfig(account="123456789012", region="eu-west-1", max_instances=2)


class ClientError(Exception):
    pass


class Pages:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self._pages = pages

    def paginate(self, **_kwargs: Any) -> list[dict[str, Any]]:
        return self._pages


class FakeAws:
    """The few calls the checks make, answering from plain data."""

    def __init__(self, *, quotas=None, stack_status=None, log_groups=(), logging_role=None, tables=(),
                 account="123456789012") -> None:
        self.account = account
        self.quotas = quotas if quotas is not None else {"ml.g5.2xlarge for endpoint usage": 4.0}
        self.stack_status = stack_status
        self.log_groups = list(log_groups)
        self.logging_role = logging_role
        self.tables = list(tables)
        self.exceptions = type("Exceptions", (), {"ClientError": ClientError})

    def client(self, _service: str) -> FakeAws:
        return self

    def get_paginator(self, operation: str) -> Pages:
        if operation == "list_service_quotas":
            return Pages([{"Quotas": [{"QuotaName": n, "Value": v} for n, v in self.quotas.items()]}])
        return Pages([{"TableNames": self.tables}])

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        if self.stack_status is None:
            raise ClientError(f"Stack with id {StackName} does not exist")
        return {"Stacks": [{"StackName": StackName, "StackStatus": self.stack_status}]}

    def describe_log_groups(self, logGroupNamePrefix: str) -> dict[str, Any]:
        return {"logGroups": [{"logGroupName": g} for g in self.log_groups if g.startswith(logGroupNamePrefix)]}

    def get_caller_identity(self) -> dict[str, Any]:
        return {"Account": self.account}

    def get_account(self) -> dict[str, Any]:
        return {"cloudwatchRoleArn": self.logging_role} if self.logging_role else {}


def test_a_fresh_account_with_quota_passes():
    assert run_checks(CONFIG, FakeAws().client) == []


def test_too_small_a_gpu_quota_stops_the_deploy_before_the_endpoint_fails():
    """SageMaker refuses an endpoint (after CloudFormation created everything before it) when the account's
    "<type> for endpoint usage" quota is below the instances asked for; the quota is per type and region
    (Service Quotas, service code sagemaker)."""
    finding = check_gpu_quota(FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0}), CONFIG)
    assert finding is not None and finding.check == "gpu-quota"
    assert "needs 3" in finding.message and "is 2" in finding.message


def test_without_inference_components_the_quota_covers_max_instances():
    config = MemchatConfig(region="ap-south-2", max_instances=2)
    assert check_gpu_quota(FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0}), config) is None
    aws = FakeAws(log_groups=["/aws/sagemaker/InferenceComponents/Memchat-tgi"])
    assert check_log_groups(aws, config, stack_exists=False) == []


def test_an_unknown_instance_type_is_named():
    finding = check_gpu_quota(FakeAws(quotas={}), CONFIG)
    assert finding is not None and "ml.g5.2xlarge for endpoint usage" in finding.message


def test_a_rolled_back_first_deploy_must_be_deleted_first():
    """A stack in ROLLBACK_COMPLETE can only be deleted, not updated (CloudFormation stack status reference)."""
    exists, finding = check_stack(FakeAws(stack_status="ROLLBACK_COMPLETE"), CONFIG)
    assert exists and finding is not None and "make destroy" in finding.message
    assert check_stack(FakeAws(stack_status="UPDATE_COMPLETE"), CONFIG) == (True, None)
    assert check_stack(FakeAws(), CONFIG) == (False, None)


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


def test_tables_retained_by_a_failed_first_deploy_are_named():
    """A DeletionPolicy of Retain keeps a resource when a stack's creation is rolled back, so each failed
    first deploy would leave two more tables (CloudFormation DeletionPolicy attribute)."""
    aws = FakeAws(tables=["Memchat-StorageChatTableABC-1X", "Memchat-StorageConnectionsTableDEF-2Y", "Other-T"])
    finding = check_leftover_tables(aws, CONFIG, stack_exists=False)
    assert finding is not None
    assert "Memchat-StorageChatTableABC-1X" in finding.message and "Other-T" not in finding.message
    assert check_leftover_tables(aws, CONFIG, stack_exists=True) is None


def test_findings_read_as_a_check_and_what_to_do():
    assert str(Finding("gpu-quota", "ask for more")) == "[gpu-quota] ask for more"


def test_the_context_arguments_are_the_cdk_clis():
    assert parse_context(["-c", "config=infra/mine.config.json", "-c", "region=eu-west-1"]) == {
        "config": "infra/mine.config.json", "region": "eu-west-1"}
    with pytest.raises(SystemExit):
        parse_context(["-c", "region"])


def test_make_deploy_runs_the_preflight_before_cloudformation():
    plan = subprocess.run(["make", "-n", "deploy"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    preflight, deploy = plan.index("memchat_infra.preflight"), plan.index(" deploy ")
    assert preflight < deploy


def test_credentials_for_another_account_stop_everything_else():
    (finding,) = run_checks(CONFIG, FakeAws(account="210987654321", quotas={}).client)
    assert finding.check == "account" and "210987654321" in finding.message


def test_the_command_reads_the_cdk_context_and_exits_1_on_a_finding(tmp_path, capsys):
    config = tmp_path / "mine.config.json"
    config.write_text('{"region": "eu-west-1", "max_instances": 3}')
    regions = []

    def client(service, region):
        regions.append(region)
        return FakeAws(quotas={"ml.g5.2xlarge for endpoint usage": 2.0})

    assert main(["-c", f"config={config}"], client=client) == 1
    assert set(regions) == {"eu-west-1"}
    assert "[gpu-quota]" in capsys.readouterr().err
    assert main(["-c", f"config={config}", "-c", "max_instances=1", "-c", "min_instances=1"], client=client) == 0
