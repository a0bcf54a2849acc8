"""A failed first deploy is retried with one command, and nothing retained piles up unseen: the pre-flight
reads what earlier stacks of this name retained from CloudFormation's records, lists it on every deploy, and
with CLEAN_FAILED_DEPLOY=1 deletes what a failed first deploy left, while it is empty. Real botocore clients,
their calls and answers checked against the service models by botocore's Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from memchat_infra import MemchatConfig, leftovers
from memchat_infra.preflight import check_failed_deploy, kept_notice, preflight

from .aws_fakes import FakeAws

NOW = datetime(2026, 11, 2, tzinfo=UTC)
STACK = "Memchat"
FAILED_ID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/Memchat/failed-1"
DELETED_FAILED_ID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/Memchat/failed-0"
DELETED_DONE_ID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/Memchat/done-0"
TABLE = "Memchat-StorageChatTableA1B2-XYZ"
CONNECTIONS = "Memchat-StorageConnectionsTableC3D4-UVW"
POOL = "eu-west-1_AbCdEf123"


class Aws:
    """Stubbed cloudformation, dynamodb and cognito-idp clients, answered in the order they are called."""

    def __init__(self) -> None:
        session = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="example",
                                region_name="eu-west-1")
        self.clients = {name: session.client(name) for name in ("cloudformation", "dynamodb", "cognito-idp")}
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}
        for stub in self.stubs.values():
            stub.activate()

    @property
    def all(self) -> leftovers.Clients:
        return leftovers.Clients.of(self.clients.__getitem__)

    def answer(self, service: str, operation: str, response: dict[str, Any], params: dict[str, Any] | None = None):
        self.stubs[service].add_response(operation, response, params)

    def fail(self, service: str, operation: str, code: str, message: str, params: dict[str, Any] | None = None):
        self.stubs[service].add_client_error(operation, service_error_code=code, service_message=message,
                                             expected_params=params)

    def done(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()

    # What CloudFormation, DynamoDB and Cognito say, in their own shapes.
    def stack(self, status: str | None, stack_id: str = FAILED_ID) -> None:
        if status is None:
            self.fail("cloudformation", "describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist",
                      {"StackName": STACK})
        else:
            self.answer("cloudformation", "describe_stacks", {"Stacks": [
                {"StackName": STACK, "StackId": stack_id, "StackStatus": status, "CreationTime": NOW}]},
                {"StackName": STACK})

    def retained(self, stack_id: str, *resources: tuple[str, str, str]) -> None:
        self.answer("cloudformation", "list_stack_resources", {"StackResourceSummaries": [
            {"LogicalResourceId": f"R{index}", "PhysicalResourceId": name, "ResourceType": kind,
             "LastUpdatedTimestamp": NOW, "ResourceStatus": status}
            for index, (kind, name, status) in enumerate(resources)]}, {"StackName": stack_id})

    def deleted_stacks(self, *stack_ids: str) -> None:
        self.answer("cloudformation", "list_stacks", {"StackSummaries": [
            {"StackName": STACK if "Memchat" in stack_id else "Other", "StackId": stack_id,
             "StackStatus": "DELETE_COMPLETE", "CreationTime": NOW} for stack_id in stack_ids]},
            {"StackStatusFilter": ["DELETE_COMPLETE"]})

    def history(self, stack_id: str, *statuses: str) -> None:
        """The stack's own events, newest first."""
        self.answer("cloudformation", "describe_stack_events", {"StackEvents": [
            {"StackId": stack_id, "EventId": f"e{index}", "StackName": STACK, "LogicalResourceId": STACK,
             "PhysicalResourceId": stack_id, "ResourceType": "AWS::CloudFormation::Stack", "Timestamp": NOW,
             "ResourceStatus": status} for index, status in enumerate(statuses)]}, {"StackName": stack_id})

    def items(self, table: str, count: int) -> None:
        page: dict[str, Any] = {"Count": count, "ScannedCount": count}
        if count:
            page["LastEvaluatedKey"] = {"pk": {"S": "x"}}
        self.answer("dynamodb", "scan", page, {"TableName": table, "Select": "COUNT", "Limit": 1})

    def users(self, pool: str, count: int) -> None:
        self.answer("cognito-idp", "list_users", {"Users": [{"Username": f"u{n}"} for n in range(count)]},
                    {"UserPoolId": pool, "Limit": 1})

    def tables(self, *names: str) -> None:
        self.answer("dynamodb", "list_tables", {"TableNames": list(names)}, {})


TABLE_TYPE, POOL_TYPE = "AWS::DynamoDB::Table", "AWS::Cognito::UserPool"


def _failed_first_deploy(aws: Aws) -> None:
    """The stack rolled back on create and retained both tables and the user pool, all empty."""
    aws.stack("ROLLBACK_COMPLETE")
    aws.retained(FAILED_ID, (TABLE_TYPE, TABLE, "DELETE_SKIPPED"), (TABLE_TYPE, CONNECTIONS, "DELETE_SKIPPED"),
                 (POOL_TYPE, POOL, "DELETE_SKIPPED"), ("AWS::Lambda::Function", "fn", "DELETE_COMPLETE"))
    aws.items(TABLE, 0)
    aws.items(CONNECTIONS, 0)
    aws.users(POOL, 0)
    aws.deleted_stacks()


def test_a_failed_first_deploy_names_what_it_left_and_the_one_command_that_retries():
    """A rolled-back create leaves the stack in ROLLBACK_COMPLETE, which can only be deleted, and keeps what
    has DeletionPolicy Retain; ListStackResources marks those DELETE_SKIPPED (CloudFormation API Reference)."""
    aws = Aws()
    _failed_first_deploy(aws)
    found = leftovers.survey(aws.all, STACK)
    aws.done()
    assert found.failed_create and found.needs_cleaning
    assert [str(leftover) for leftover in found.cleanable] == [
        f"table {TABLE} (empty)", f"table {CONNECTIONS} (empty)", f"user pool {POOL} (empty)"]
    finding = check_failed_deploy(found)
    assert finding is not None and finding.check == "failed-deploy"
    assert "`make deploy CLEAN_FAILED_DEPLOY=1` deletes the failed stack and what it left" in finding.message
    assert TABLE in finding.message and POOL in finding.message


def test_the_one_command_deletes_only_what_the_failed_deploy_left_then_the_stack(capsys):
    """Deletion protection is turned off only on what is deleted next (DynamoDB refuses DeleteTable on a
    protected table, Cognito DeleteUserPool on a protected pool); the rolled-back stack goes last."""
    aws = Aws()
    _failed_first_deploy(aws)
    found = leftovers.survey(aws.all, STACK)
    for table in (TABLE, CONNECTIONS):
        aws.items(table, 0)  # still empty, checked again just before
        aws.answer("dynamodb", "describe_table", {"Table": {"TableName": table, "DeletionProtectionEnabled": True}},
                   {"TableName": table})
        aws.answer("dynamodb", "update_table", {}, {"TableName": table, "DeletionProtectionEnabled": False})
        aws.answer("dynamodb", "describe_table", {"Table": {"TableName": table, "TableStatus": "ACTIVE"}},
                   {"TableName": table})
        aws.answer("dynamodb", "delete_table", {}, {"TableName": table})
    aws.users(POOL, 0)
    aws.answer("cognito-idp", "describe_user_pool", {"UserPool": {"Id": POOL, "DeletionProtection": "ACTIVE"}},
               {"UserPoolId": POOL})
    aws.answer("cognito-idp", "update_user_pool", {}, {"UserPoolId": POOL, "DeletionProtection": "INACTIVE"})
    aws.answer("cognito-idp", "delete_user_pool", {}, {"UserPoolId": POOL})
    aws.answer("cloudformation", "delete_stack", {}, {"StackName": FAILED_ID})
    aws.answer("cloudformation", "describe_stacks", {"Stacks": [
        {"StackName": STACK, "StackId": FAILED_ID, "StackStatus": "DELETE_COMPLETE", "CreationTime": NOW}]},
        {"StackName": FAILED_ID})
    said: list[str] = []
    leftovers.clean(aws.all, found, said.append)
    aws.done()
    assert said == [f"deleted table {TABLE}, left empty by a failed first deploy",
                    f"deleted table {CONNECTIONS}, left empty by a failed first deploy",
                    f"deleted user pool {POOL}, left empty by a failed first deploy",
                    f"deleted stack {STACK}, whose first deploy had failed (ROLLBACK_COMPLETE)"]


def test_what_someone_wrote_to_in_the_meantime_is_kept():
    aws = Aws()
    _failed_first_deploy(aws)
    found = leftovers.survey(aws.all, STACK)
    aws.items(TABLE, 1)
    aws.items(CONNECTIONS, 1)
    aws.users(POOL, 1)
    aws.answer("cloudformation", "delete_stack", {}, {"StackName": FAILED_ID})
    aws.answer("cloudformation", "describe_stacks", {"Stacks": [
        {"StackName": STACK, "StackId": FAILED_ID, "StackStatus": "DELETE_COMPLETE", "CreationTime": NOW}]},
        {"StackName": FAILED_ID})
    said: list[str] = []
    leftovers.clean(aws.all, found, said.append)
    aws.done()
    assert said[:3] == [f"kept table {TABLE}: it holds data now", f"kept table {CONNECTIONS}: it holds data now",
                        f"kept user pool {POOL}: it holds data now"]


def test_what_a_completed_stack_retained_is_listed_on_every_deploy_and_never_deleted():
    """A stack that was deleted after it had completed (make destroy with deletion protection) retained the
    users' data on purpose: it is listed, never offered for deletion. A deleted stack whose create had
    rolled back is told apart by its last status before deletion (DescribeStackEvents, newest first), and
    tables whose stack CloudFormation no longer remembers (90 days) are found by the names it gave them."""
    aws = Aws()
    aws.stack(None)
    aws.deleted_stacks(DELETED_FAILED_ID, "arn:aws:cloudformation:eu-west-1:123456789012:stack/Other/1",
                       DELETED_DONE_ID)
    aws.history(DELETED_FAILED_ID, "DELETE_COMPLETE", "DELETE_IN_PROGRESS", "ROLLBACK_COMPLETE")
    aws.retained(DELETED_FAILED_ID, (TABLE_TYPE, TABLE, "DELETE_SKIPPED"))
    aws.items(TABLE, 0)
    aws.history(DELETED_DONE_ID, "DELETE_COMPLETE", "DELETE_IN_PROGRESS", "UPDATE_COMPLETE", "CREATE_COMPLETE")
    aws.retained(DELETED_DONE_ID, (TABLE_TYPE, "Memchat-StorageChatTableOLD-1", "DELETE_SKIPPED"),
                 (POOL_TYPE, "eu-west-1_Gone", "DELETE_SKIPPED"), (POOL_TYPE, POOL, "DELETE_SKIPPED"))
    aws.items("Memchat-StorageChatTableOLD-1", 12)
    aws.fail("cognito-idp", "list_users", "ResourceNotFoundException", "User pool does not exist.",
             {"UserPoolId": "eu-west-1_Gone", "Limit": 1})
    aws.users(POOL, 3)
    aws.tables(TABLE, "Memchat-StorageChatTableOLD-1", "Memchat-StorageChatTableANCIENT-9", "Memchat-dev-Storage"
               "ChatTableE5-1", "Other-T")
    aws.items("Memchat-StorageChatTableANCIENT-9", 0)
    found = leftovers.survey(aws.all, STACK)
    aws.done()
    assert not found.stack_exists and not found.failed_create
    assert [leftover.name for leftover in found.cleanable] == [TABLE]
    assert check_failed_deploy(found).message.startswith(f"an earlier first deploy of {STACK} failed and left "
                                                         f"table {TABLE} (empty)")
    notice = kept_notice(found)
    assert notice[1:] == [
        "  table Memchat-StorageChatTableOLD-1 (holds data), from a deleted stack",
        f"  user pool {POOL} (holds data), from a deleted stack",
        "  table Memchat-StorageChatTableANCIENT-9 (empty), from a stack CloudFormation no longer remembers",
    ]


def test_a_healthy_stack_has_nothing_to_clean():
    aws = Aws()
    aws.stack("UPDATE_COMPLETE")
    aws.deleted_stacks()
    found = leftovers.survey(aws.all, STACK)
    aws.done()
    assert found.stack_exists and not found.needs_cleaning and check_failed_deploy(found) is None
    assert kept_notice(found) == []


@pytest.mark.parametrize("clean", [False, True])
def test_make_deploy_with_the_flag_cleans_then_checks_the_fresh_account(clean, capsys):
    """Without the flag the failed deploy stops the pre-flight; with it, the stack and its empty leftovers go
    and the checks that apply to a new stack run (its log groups, the account's logging role)."""
    aws = Aws()
    _failed_first_deploy(aws)
    if clean:
        for table in (TABLE, CONNECTIONS):
            aws.items(table, 0)
            aws.answer("dynamodb", "describe_table", {"Table": {"TableName": table}}, {"TableName": table})
            aws.answer("dynamodb", "delete_table", {}, {"TableName": table})
        aws.users(POOL, 0)
        aws.answer("cognito-idp", "describe_user_pool", {"UserPool": {"Id": POOL}}, {"UserPoolId": POOL})
        aws.answer("cognito-idp", "delete_user_pool", {}, {"UserPoolId": POOL})
        aws.answer("cloudformation", "delete_stack", {}, {"StackName": FAILED_ID})
        aws.answer("cloudformation", "describe_stacks", {"Stacks": [
            {"StackName": STACK, "StackId": FAILED_ID, "StackStatus": "DELETE_COMPLETE", "CreationTime": NOW}]},
            {"StackName": FAILED_ID})
        # Looked at again once clean: no stack, nothing left.
        aws.stack(None)
        aws.deleted_stacks()
        aws.tables()
    fake = FakeAws(log_groups=["/aws/sagemaker/Endpoints/Memchat-llm"])

    def client(service: str) -> Any:
        return aws.clients.get(service, fake)

    code = preflight(MemchatConfig(region="eu-west-1"), client, clean=clean)
    aws.done()
    out, err = capsys.readouterr()
    assert code == 1
    if clean:
        assert f"preflight: deleted stack {STACK}, whose first deploy had failed" in out
        assert "[failed-deploy]" not in err and "[log-group]" in err
    else:
        assert "[failed-deploy]" in err and "CLEAN_FAILED_DEPLOY=1" in err and "[log-group]" not in err
