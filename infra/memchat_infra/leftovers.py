"""What earlier deploys of this stack left behind, from CloudFormation's own records, and the one cleanup the
pre-flight may do: what a failed first deploy left, when asked to and when it holds nothing.

The tables and the user pool are retained (DeletionPolicy Retain) and deletion-protected, so neither a stack
delete nor a rolled-back create removes them: CloudFormation marks them DELETE_SKIPPED in the stack's resource
list, which it keeps for 90 days after a stack is deleted (ListStackResources). RetainExceptOnCreate would let a
failed create delete them, but CloudFormation cannot delete a deletion-protected table or user pool, so that
rollback would fail instead; the protection stays, and the pre-flight cleans up behind an explicit flag.

A leftover may be deleted only when all of these hold: CloudFormation records it as retained by a stack of this
name whose creation rolled back (that stack never completed, so no user was ever given its outputs); it holds
no item or user now; and the person deploying asked for it (`make deploy CLEAN_FAILED_DEPLOY=1`). Everything
else is listed on every deploy and never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

# CloudFormation's status for a stack whose creation failed and was rolled back: it can only be deleted.
FAILED_CREATE = "ROLLBACK_COMPLETE"
# What the stack retains, as CloudFormation names the types, and as the pre-flight says them.
RETAINED = {"AWS::DynamoDB::Table": "table", "AWS::Cognito::UserPool": "user pool"}
RETAINED_STATUS = "DELETE_SKIPPED"
# A stack's own statuses that mean its creation never completed.
CREATE_NEVER_COMPLETED = frozenset({"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "ROLLBACK_IN_PROGRESS", "CREATE_FAILED"})
# Logical ids CDK gives the tables (Storage construct): their names start "<stack>-StorageChatTable...".
TABLE_NAME_PREFIXES = ("StorageChatTable", "StorageConnectionsTable")


@dataclass(frozen=True)
class Leftover:
    kind: str  # "table" or "user pool"
    name: str  # the table name or user pool id
    empty: bool
    failed_create: bool = False  # retained by a create that rolled back
    stack_id: str | None = None  # None: found by its name, the stack's record is gone

    @property
    def cleanable(self) -> bool:
        return self.failed_create and self.empty

    def __str__(self) -> str:
        return f"{self.kind} {self.name} ({'empty' if self.empty else 'holds data'})"


@dataclass(frozen=True)
class Survey:
    """The stack as CloudFormation has it now, and what earlier stacks of its name retained."""

    stack_name: str
    stack_id: str | None = None
    stack_status: str | None = None
    leftovers: tuple[Leftover, ...] = field(default_factory=tuple)

    @property
    def stack_exists(self) -> bool:
        return self.stack_status is not None

    @property
    def failed_create(self) -> bool:
        return self.stack_status == FAILED_CREATE

    @property
    def cleanable(self) -> list[Leftover]:
        return [leftover for leftover in self.leftovers if leftover.cleanable]

    @property
    def kept(self) -> list[Leftover]:
        return [leftover for leftover in self.leftovers if not leftover.cleanable]

    @property
    def needs_cleaning(self) -> bool:
        return self.failed_create or bool(self.cleanable)


@dataclass(frozen=True)
class Clients:
    cloudformation: Any
    dynamodb: Any
    cognito: Any

    @classmethod
    def of(cls, client: Callable[[str], Any]) -> Clients:
        return cls(client("cloudformation"), client("dynamodb"), client("cognito-idp"))


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page[key]


def _describe_stack(cloudformation: Any, stack_name: str) -> dict[str, Any] | None:
    try:
        return cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    except cloudformation.exceptions.ClientError as exc:
        if "does not exist" in str(exc):
            return None
        raise


def _create_never_completed(cloudformation: Any, stack_id: str, stack_name: str) -> bool:
    """A deleted stack's last status before its deletion, from its events (newest first)."""
    for event in _pages(cloudformation, "describe_stack_events", "StackEvents", StackName=stack_id):
        if event["ResourceType"] == "AWS::CloudFormation::Stack" and event["LogicalResourceId"] == stack_name:
            status = event["ResourceStatus"]
            if not status.startswith("DELETE_"):
                return status in CREATE_NEVER_COMPLETED
    return False  # no record left: assume the stack completed, so its leftovers may hold data


def _table_empty(dynamodb: Any, name: str) -> bool | None:
    """Whether the table holds no item; None when there is no such table."""
    try:
        page = dynamodb.scan(TableName=name, Select="COUNT", Limit=1)
    except dynamodb.exceptions.ResourceNotFoundException:
        return None
    return page["Count"] == 0 and "LastEvaluatedKey" not in page


def _pool_empty(cognito: Any, pool_id: str) -> bool | None:
    """Whether the user pool has no user; None when there is no such pool."""
    try:
        return not cognito.list_users(UserPoolId=pool_id, Limit=1)["Users"]
    except cognito.exceptions.ResourceNotFoundException:
        return None


def _empty(clients: Clients, kind: str, name: str) -> bool | None:
    return _table_empty(clients.dynamodb, name) if kind == "table" else _pool_empty(clients.cognito, name)


def _retained(clients: Clients, stack_id: str, failed_create: bool) -> Iterator[Leftover]:
    """The tables and user pools a stack retained that still exist."""
    for resource in _pages(clients.cloudformation, "list_stack_resources", "StackResourceSummaries",
                           StackName=stack_id):
        kind = RETAINED.get(resource["ResourceType"])
        name = resource.get("PhysicalResourceId")
        if kind and name and resource["ResourceStatus"] == RETAINED_STATUS:
            empty = _empty(clients, kind, name)
            if empty is not None:
                yield Leftover(kind, name, empty, failed_create, stack_id)


def survey(clients: Clients, stack_name: str) -> Survey:
    """The stack's status, and every table and user pool an earlier stack of its name retained."""
    stack = _describe_stack(clients.cloudformation, stack_name)
    status = stack["StackStatus"] if stack else None
    leftovers: list[Leftover] = []
    if stack and status == FAILED_CREATE:
        leftovers += _retained(clients, stack["StackId"], failed_create=True)
    for summary in _pages(clients.cloudformation, "list_stacks", "StackSummaries",
                          StackStatusFilter=["DELETE_COMPLETE"]):
        if summary["StackName"] == stack_name:
            failed = _create_never_completed(clients.cloudformation, summary["StackId"], stack_name)
            leftovers += _retained(clients, summary["StackId"], failed_create=failed)
    if not stack:
        # Tables whose stack's record is gone (deleted over 90 days ago), by the names CloudFormation gave them.
        known = {leftover.name for leftover in leftovers}
        prefixes = tuple(f"{stack_name}-{prefix}" for prefix in TABLE_NAME_PREFIXES)
        for name in _pages(clients.dynamodb, "list_tables", "TableNames"):
            if name.startswith(prefixes) and name not in known:
                leftovers.append(Leftover("table", name, bool(_table_empty(clients.dynamodb, name))))
    return Survey(stack_name, stack["StackId"] if stack else None, status, tuple(leftovers))


def _delete_table(dynamodb: Any, name: str) -> None:
    if dynamodb.describe_table(TableName=name)["Table"].get("DeletionProtectionEnabled"):
        dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)
        dynamodb.get_waiter("table_exists").wait(TableName=name)  # ACTIVE again, so it can be deleted
    dynamodb.delete_table(TableName=name)


def _delete_pool(cognito: Any, pool_id: str) -> None:
    if cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("DeletionProtection") == "ACTIVE":
        # UpdateUserPool resets what it is not given; the pool is deleted next, so nothing else matters.
        cognito.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    cognito.delete_user_pool(UserPoolId=pool_id)


def clean(clients: Clients, found: Survey, say: Callable[[str], None]) -> None:
    """Delete what a failed first deploy left (only what holds nothing, checked again just before), then the
    rolled-back stack itself."""
    for leftover in found.cleanable:
        if not _empty(clients, leftover.kind, leftover.name):
            say(f"kept {leftover.kind} {leftover.name}: it holds data now")
            continue
        if leftover.kind == "table":
            _delete_table(clients.dynamodb, leftover.name)
        else:
            _delete_pool(clients.cognito, leftover.name)
        say(f"deleted {leftover.kind} {leftover.name}, left empty by a failed first deploy")
    if found.failed_create and found.stack_id:
        clients.cloudformation.delete_stack(StackName=found.stack_id)
        clients.cloudformation.get_waiter("stack_delete_complete").wait(StackName=found.stack_id)
        say(f"deleted stack {found.stack_name}, whose first deploy had failed ({FAILED_CREATE})")
