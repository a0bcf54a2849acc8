"""The checks `make deploy` runs before CloudFormation creates anything, so a first deploy does not fail
half-way, and what it prints first: the account it deploys to, what earlier deploys left, and what the model
will cost a month.

    python -m memchat_infra.preflight [-c config=path.json] [-c key=value ...] [--clean-failed-deploy]

Each check reads one thing through the AWS APIs and returns a Finding that says what to do; any finding
stops the deploy. Whatever stops it before the checks (no credentials, no route to AWS, a configuration that
does not load) ends in one sentence saying what is wrong and what to do, never a traceback. Clients are
injected, so the checks are tested with fakes and botocore's Stubber. Nothing here loads the AWS CDK.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore import exceptions as aws

from memchat_infra import cost, leftovers
from memchat_infra.config import ConfigError, MemchatConfig, load_config
from memchat_infra.names import component_log_group_name, component_name, endpoint_log_group_name, endpoint_name

CLEAN_FLAG = "--clean-failed-deploy"
CLEAN_COMMAND = "make deploy CLEAN_FAILED_DEPLOY=1"
# What the CDK CLI reads to tell a bootstrapped environment (default qualifier).
BOOTSTRAP_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
CREDENTIALS_HELP = ("run `aws configure`, or `aws sso login --profile NAME` and export AWS_PROFILE=NAME, or export "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
EXPIRED = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
REJECTED = frozenset({"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
                      "AuthFailure", "InvalidAccessKeyId"})
DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


@dataclass(frozen=True)
class Finding:
    check: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}"


def gpu_quota_name(instance_type: str) -> str:
    """The Service Quotas name of the per-region instance quota for real-time endpoints."""
    return f"{instance_type} for endpoint usage"


def check_identity(sts: Any, config: MemchatConfig) -> tuple[dict[str, Any], Finding | None]:
    """Who the credentials are (the first call, so missing credentials or network show here), and whether
    that is the account the config names (when it names one)."""
    identity = sts.get_caller_identity()
    actual = identity["Account"]
    if config.account is not None and actual != config.account:
        return identity, Finding("account", f"the credentials are for account {actual}, the config names "
                                 f"{config.account}: switch profile (AWS_PROFILE) or fix \"account\".")
    return identity, None


def check_bootstrap(ssm: Any, config: MemchatConfig) -> Finding | None:
    """The CDK's staging bucket and deploy roles (the CDKToolkit stack) exist in this account and region."""
    try:
        ssm.get_parameter(Name=BOOTSTRAP_VERSION_PARAMETER)
    except ssm.exceptions.ParameterNotFound:
        return Finding("bootstrap", f"the AWS CDK is not bootstrapped in {config.region} for this account: run "
                       "`make bootstrap` once (with the same CONFIG), then deploy.")
    return None


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


def check_failed_deploy(found: leftovers.Survey) -> Finding | None:
    """A rolled-back first deploy (the stack can only be deleted), or what one left: both go with one command."""
    if not found.needs_cleaning:
        return None
    left = ", ".join(map(str, found.cleanable))
    if found.failed_create:
        what = f"stack {found.stack_name} is {found.stack_status}: its first deploy failed"
        what += f" and left {left}" if left else ""
        does = "deletes the failed stack" + (" and what it left (only while it holds nothing)" if left else "")
        why = " (its events in the CloudFormation console say why it failed)"
    else:
        what = f"an earlier first deploy of {found.stack_name} failed and left {left}"
        does, why = "deletes them (only while they hold nothing)", ""
    return Finding("failed-deploy", f"{what}. `{CLEAN_COMMAND}` {does}, then deploys{why}.")


def check_log_groups(logs: Any, config: MemchatConfig, *, stack_exists: bool) -> list[Finding]:
    """The stack creates the model's log groups; one left by an earlier stack or a manual endpoint blocks it."""
    if stack_exists:
        return []
    names = [endpoint_log_group_name(endpoint_name(config.stack_name, config.endpoint_name))]
    if config.inference_components:
        names.append(component_log_group_name(component_name(config.stack_name)))
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


def run_checks(config: MemchatConfig, client: Callable[[str], Any], found: leftovers.Survey) -> list[Finding]:
    """Every check after the identity, in the order a person would fix them."""
    findings = [check_failed_deploy(found), check_bootstrap(client("ssm"), config),
                check_gpu_quota(client("service-quotas"), config)]
    findings += check_log_groups(client("logs"), config, stack_exists=found.stack_exists)
    findings.append(check_account_logging_role(client("apigateway"), config, stack_exists=found.stack_exists))
    return [finding for finding in findings if finding is not None]


def kept_notice(found: leftovers.Survey) -> list[str]:
    """Everything earlier deploys retained and no command deletes: listed on every deploy, so nothing piles up
    unseen. Deleting it stays a person's decision (docs/deploy.md, Tear down)."""
    kept = found.kept
    if not kept:
        return []
    lines = [f"kept from earlier deploys of {found.stack_name} (retained, deletion protection on); delete what you "
             "no longer need (docs/deploy.md, Tear down):"]
    for leftover in kept:
        origin = ("a failed first deploy" if leftover.failed_create else
                  "a deleted stack" if leftover.stack_id else "a stack CloudFormation no longer remembers")
        lines.append(f"  {leftover}, from {origin}")
    return lines


def explain(exc: Exception, config: MemchatConfig) -> str:
    """One sentence for what stopped the pre-flight before its checks could answer: what is wrong, what to do."""
    again = "then run make deploy again"
    if isinstance(exc, aws.NoCredentialsError | aws.PartialCredentialsError):
        return f"no AWS credentials were found: {CREDENTIALS_HELP}, {again}."
    if isinstance(exc, aws.ProfileNotFound):
        return (f"the AWS profile {exc.kwargs.get('profile')!r} is not in your AWS configuration: set AWS_PROFILE to "
                f"one that `aws configure list-profiles` lists, {again}.")
    if isinstance(exc, aws.SSOError | aws.TokenRetrievalError):
        return f"your AWS single sign-on session has expired: run `aws sso login` (with your --profile), {again}."
    if isinstance(exc, aws.ConnectionError | aws.HTTPClientError):
        endpoint = getattr(exc, "kwargs", {}).get("endpoint_url") or f"its {config.region} endpoints"
        return (f"AWS could not be reached at {endpoint}: check the network connection (and HTTPS_PROXY if you need "
                f"a proxy) and that \"region\" ({config.region}) is right, {again}.")
    if isinstance(exc, aws.ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "?"), error.get("Message", "")
        if code in EXPIRED:
            return f"your AWS credentials have expired ({code}): renew them ({CREDENTIALS_HELP}), {again}."
        if code in REJECTED:
            return (f"AWS rejected these credentials ({code}): check the access key, or AWS_PROFILE, "
                    f"{again}.")
        if code in DENIED:
            return (f"the identity you deploy as may not call {exc.operation_name} ({code}): the first deploy needs "
                    "administrator rights (docs/deploy.md, Prerequisites).")
        return f"AWS answered {exc.operation_name} with {code} ({message}): fix that, {again}."
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class Options:
    context: dict[str, str]
    clean: bool = False


def parse_context(args: Sequence[str]) -> dict[str, str]:
    """The `-c key=value` arguments the CDK CLI gets, as a context dict."""
    context: dict[str, str] = {}
    items: Iterable[str] = iter(args)
    for arg in items:
        if arg in ("-c", "--context"):
            arg = next(items, "")
        key, separator, value = arg.partition("=")
        if not separator:
            raise ConfigError(f"expected -c key=value, got {arg!r}")
        context[key] = value
    return context


def parse_arguments(args: Sequence[str]) -> Options:
    return Options(parse_context([arg for arg in args if arg != CLEAN_FLAG]), clean=CLEAN_FLAG in args)


def preflight(config: MemchatConfig, client: Callable[[str], Any], *, clean: bool = False) -> int:
    """Identity, leftovers (cleaned when asked), the checks, then the cost; 1 when anything stops the deploy."""
    def say(line: str) -> None:
        print(f"preflight: {line}")

    identity, account_finding = check_identity(client("sts"), config)
    if account_finding:
        print(f"preflight: {account_finding}", file=sys.stderr)
        return 1  # every other answer would describe another account
    say(f"{config.stack_name} in {config.region}, account {identity['Account']}, as {identity['Arn']}")
    clients = leftovers.Clients.of(client)
    found = leftovers.survey(clients, config.stack_name)
    if clean:
        if found.needs_cleaning:
            leftovers.clean(clients, found, say)
            found = leftovers.survey(clients, config.stack_name)
        else:
            say("no failed first deploy to clean up")
    findings = run_checks(config, client, found)
    for line in kept_notice(found) + cost.estimate(config, client("pricing")).lines():
        say(line)
    for finding in findings:
        print(f"preflight: {finding}", file=sys.stderr)
    if not findings:
        say("credentials, bootstrap, quota, names and account settings are fine")
    return 1 if findings else 0


def _session_client() -> Callable[[str, str], Any]:
    import boto3  # only the command needs AWS; the checks take clients
    from botocore.config import Config

    session = boto3.Session()
    # A machine with no route to AWS should hear so within a minute, not after the default retries.
    settings = Config(connect_timeout=10, read_timeout=60, retries={"mode": "standard", "max_attempts": 3})
    return lambda service, region: session.client(service, region_name=region, config=settings)


def main(argv: Sequence[str] | None = None, *, client: Callable[[str, str], Any] | None = None) -> int:
    """Run the pre-flight for the configuration the arguments name; 1 when anything stops the deploy."""
    try:
        options = parse_arguments(sys.argv[1:] if argv is None else argv)
        config = load_config(options.context)
    except (ConfigError, OSError, ValueError) as exc:
        print(f"preflight: the configuration does not load: {exc}", file=sys.stderr)
        return 1
    try:
        session_client = client or _session_client()

        def regional(service: str) -> Any:
            return session_client(service, cost.PRICING_REGION if service == "pricing" else config.region)

        return preflight(config, regional, clean=options.clean)
    except (aws.BotoCoreError, aws.ClientError) as exc:
        print(f"preflight: {explain(exc, config)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
