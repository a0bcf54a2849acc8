"""The chat table's stream feeding the memory work and the search index: which records reach each, and where
failed batches go."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from memchat.tables import DIGEST_FILTER, INDEX_FILTERS
from memchat_infra.nag import acknowledge

FAILED_BATCH_RETENTION = Duration.days(14)


def finished_answers() -> dict:
    """The filter: an assistant message whose status moved from open to an end state (nothing else invokes).

    The pattern is the backend's own (memchat.tables.DIGEST_FILTER, which the local stack's stream poller
    applies too). Lambda matches it against the stream record itself, where DynamoDB writes each
    attribute as {"S": value} under dynamodb.NewImage / dynamodb.OldImage.
    """
    return lambda_.FilterCriteria.filter(DIGEST_FILTER)


def searchable_changes() -> list[dict]:
    """The search index's filters (Lambda ORs them): every change to a message or a conversation's item that
    can change what is searchable (memchat.tables.INDEX_FILTERS, which the local stack applies too)."""
    return [lambda_.FilterCriteria.filter(pattern) for pattern in INDEX_FILTERS]


class FailedBatches(Construct):
    """The on-failure destination of a stream's event source mapping: a record of each batch given up on."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=FAILED_BATCH_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        acknowledge(self.queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter destination of a "
                    "stream's failed batches; an alarm fires on its first message.")
