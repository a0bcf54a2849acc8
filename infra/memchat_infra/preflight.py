"""The checks `make deploy` runs before CloudFormation creates anything, so a first deploy does not fail
half-way and leave retained resources behind (and a retry does not add more).

    python -m memchat_infra.preflight [-c config=path.json] [-c key=value ...]

Each check reads one thing through the AWS APIs and returns a Finding that says what to do; any finding
stops the deploy. Clients are injected, so the checks are tested with fakes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from memchat_infra.config import MemchatConfig, load_config
from memchat_infra.model import component_log_group_name, endpoint_log_group_name, resource_name

# A first deploy that failed: CloudFormation rolled it back, and the stack can only be deleted now.
FAILED_FIRST_DEPLOY = "ROLLBACK_COMPLETE"


@dataclass(frozen=True)
class Finding:
    check: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}"


def gpu_quota_name(instance_type: str) -> str:
    """The Service Quotas name of the per-region instance quota for real-time endpoints."""
    return f"{instance_type} for endpoint usage"


def check_gpu_quota(quotas: Any, config: MemchatConfig) -> Finding | None:
    """The endpoint needs an instance per copy plus one for a rolling update (inference components), or
    max_instances (the model on the variant)."""
    needed = config.max_endpoint_instances if config.inference_components else config.max_instances
    name = gpu_quota_name(config.instance_type)
    for page in quotas.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker"):
        for quota in page["Quotas"]:
            if quota["QuotaName"] == name:
                if quota["Value"] >= needed:
                    return None
                return Finding("gpu-quota", f"the quota \"{name}\" in {config.region} is {quota['Value']:g}; the "
                               f"endpoint needs {needed} (max_instances {config.max_instances}, plus one for a "
                               "rolling update where the model is an inference component). Ask for more in "
                               "Service Quotas, or lower max_instances.")
    return Finding("gpu-quota", f"no SageMaker quota named \"{name}\" in {config.region}: check instance_type "
                   "(it must be an ml.* type offered for real-time endpoints in this region).")


def check_account(sts: Any, config: MemchatConfig) -> Finding | None:
    """The credentials belong to the account the config names (when it names one)."""
    if config.account is None:
        return None
    actual = sts.get_caller_identity()["Account"]
    if actual != config.account:
        return Finding("account", f"the credentials are for account {actual}, the config names {config.account}: "
                       "switch profile (AWS_PROFILE) or fix \"account\".")
    return None


def check_stack(cloudformation: Any, config: MemchatConfig) -> tuple[bool, Finding | None]:
    """Whether the stack exists, and a finding when it is a rolled-back first deploy (which cannot be updated)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=config.stack_name)["Stacks"]
    except cloudformation.exceptions.ClientError as exc:
        if "does not exist" in str(exc):
            return False, None
        raise
    status = stacks[0]["StackStatus"]
    if status == FAILED_FIRST_DEPLOY:
        return True, Finding("stack", f"stack {config.stack_name} is {status}: its first deploy failed. Run `make "
                             "destroy` (it deletes only the failed stack), fix what the events named, then deploy.")
    return True, None


def check_log_groups(logs: Any, config: MemchatConfig, *, stack_exists: bool) -> list[Finding]:
    """The stack creates the model's log groups; one left by an earlier stack or a manual endpoint blocks it."""
    if stack_exists:
        return []
    names = [endpoint_log_group_name(config.endpoint_name or resource_name(config.stack_name, "llm"))]
    if config.inference_components:
        names.append(component_log_group_name(resource_name(config.stack_name, "tgi")))
    findings = []
    for name in names:
        groups = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        if any(group["logGroupName"] == name for group in groups):
            findings.append(Finding("log-group", f"log group {name} already exists (left by an earlier deploy or "
                                    "another endpoint of that name): delete it, or choose another stack_name or "
                                    "endpoint_name."))
    return findings


def check_account_logging_role(apigateway: Any, config: MemchatConfig, *, stack_exists: bool) -> Finding | None:
    """API Gateway's CloudWatch role is one setting per account and region, and the stack keeps its own on
    delete; creating it where one is set would replace that one and leave another role behind."""
    if not config.api_gateway_cloudwatch_role or stack_exists:
        return None
    role = apigateway.get_account().get("cloudwatchRoleArn")
    if role:
        return Finding("api-gateway-role", f"this account already has an API Gateway CloudWatch role ({role}) in "
                       f"{config.region}: deploy with \"api_gateway_cloudwatch_role\": false so the stack uses it.")
    return None


def check_leftover_tables(dynamodb: Any, config: MemchatConfig, *, stack_exists: bool) -> Finding | None:
    """Tables a failed first deploy retained (their names start with the stack's): each retry would add two."""
    if stack_exists:
        return None
    prefix = f"{config.stack_name}-"
    leftovers = [name for page in dynamodb.get_paginator("list_tables").paginate()
                 for name in page["TableNames"] if name.startswith(prefix)]
    if leftovers:
        return Finding("leftovers", f"tables from an earlier deploy of {config.stack_name} remain: "
                       f"{', '.join(sorted(leftovers))}. If they hold nothing you need, turn off their deletion "
                       "protection and delete them (docs/deploy.md, Tear down); else choose another stack_name.")
    return None


def run_checks(config: MemchatConfig, client: Callable[[str], Any]) -> list[Finding]:
    """Every check, in the order a person would fix them."""
    account_finding = check_account(client("sts"), config)
    if account_finding:
        return [account_finding]  # every other answer would describe another account
    stack_exists, stack_finding = check_stack(client("cloudformation"), config)
    findings = [stack_finding, check_gpu_quota(client("service-quotas"), config)]
    findings += check_log_groups(client("logs"), config, stack_exists=stack_exists)
    findings.append(check_account_logging_role(client("apigateway"), config, stack_exists=stack_exists))
    findings.append(check_leftover_tables(client("dynamodb"), config, stack_exists=stack_exists))
    return [finding for finding in findings if finding is not None]


def parse_context(args: Sequence[str]) -> dict[str, str]:
    """The `-c key=value` arguments the CDK CLI gets, as a context dict."""
    context: dict[str, str] = {}
    items: Iterable[str] = iter(args)
    for arg in items:
        if arg in ("-c", "--context"):
            arg = next(items, "")
        key, separator, value = arg.partition("=")
        if not separator:
            raise SystemExit(f"preflight: expected -c key=value, got {arg!r}")
        context[key] = value
    return context


def main(argv: Sequence[str] | None = None, *, client: Callable[[str, str], Any] | None = None) -> int:
    """Run every check for the configuration the arguments name; 1 when anything stops the deploy."""
    config = load_config(parse_context(sys.argv[1:] if argv is None else argv))
    if client is None:
        import boto3  # only the command needs AWS; the checks take clients

        client = boto3.Session().client
    findings = run_checks(config, lambda service: client(service, config.region))
    for finding in findings:
        print(f"preflight: {finding}", file=sys.stderr)
    if not findings:
        print(f"preflight: {config.stack_name} in {config.region}: quota, names and account settings are fine")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
