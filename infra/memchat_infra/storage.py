"""The DynamoDB tables, built from the backend's own definitions in memchat.tables."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from memchat.tables import CHAT_TABLE, CONNECTIONS_TABLE, TableDefinition
from memchat_infra.nag import acknowledge

_STRING = dynamodb.AttributeType.STRING


def _attribute(name: str) -> dynamodb.Attribute:
    # TableDefinition documents that every key attribute is a string.
    return dynamodb.Attribute(name=name, type=_STRING)


class Storage(Construct):
    """The chat table (conversations, messages, idempotency and rate items) and the connections table."""

    def __init__(self, scope: Construct, id: str, *, deletion_protection: bool) -> None:
        super().__init__(scope, id)
        # The chat table's stream carries each answer's final write to the memory work (streams.py).
        self.chat_table = self._table("ChatTable", CHAT_TABLE, deletion_protection=deletion_protection)
        self.connections_table = self._table(
            "ConnectionsTable", CONNECTIONS_TABLE, deletion_protection=deletion_protection
        )

    def _table(self, id: str, definition: TableDefinition, *, deletion_protection: bool) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            id,
            partition_key=_attribute(definition.partition_key),
            sort_key=_attribute(definition.sort_key) if definition.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=definition.ttl_attribute,
            stream=dynamodb.StreamViewType(definition.stream_view_type) if definition.stream_view_type else None,
            deletion_protection=deletion_protection,
            removal_policy=RemovalPolicy.RETAIN if deletion_protection else RemovalPolicy.DESTROY,
        )
        for index in definition.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        acknowledge(table, "AwsSolutions-DDB4", "Point-in-time recovery (35 days) is the backup; an AWS Backup "
                    "plan would add cost and a second restore path for the same data.")
        return table

