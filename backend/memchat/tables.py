"""The DynamoDB table definitions: one source for the backend, the local stack and the CDK stack.

chat table (pk, sk), every key starts with the owner's user id, taken from the verified token only,
so no request can name another user's items:
    U#{user}#C#{conversation}  META            the conversation: title, counts, timestamps, project
    U#{user}#C#{conversation}  M#{message}     one item per message (ids sort by time)
    U#{user}                   IDEM#{client}   clientMessageId -> ids, for idempotent retries (TTL)
    U#{user}                   RATE#{minute}   per-user message counter (TTL)
    U#{user}                   MEM#{memory}    a memory learnt from the user's words (memory/memories.py)
    U#{user}                   MEMCFG          the user's memory setting and instructions
    U#{user}                   MEMEX#{shard}   the newest messages' and answers' terms, for recall (search/recent.py)
    U#{user}                   PROJ#{project}  a project: name, instructions (memory/projects.py)
    U#{user}                   MEMH#{memory}#{ms}  an earlier value of a memory, superseded at ms
    U#{user}                   EXPORT#{export}#{n}  part n of an export document (memory/exports.py; TTL)
    MODEL#{endpoint}           WAKE            the model's wake in progress and the last one's length
                                               (memory/waits.py; no user's key, no request names it)
    U#{user}#W#{term}          {ms}#{conversation}#{message or T}  a search posting (search/postings.py)
GSI "byUser" (userId, updatedKey) holds only conversation items: listing is one query, newest first.
GSI "pinned" (pinnedBy, updatedKey) is sparse: only pinned conversations carry pinnedBy (their user id), so
the list's pins are one bounded query, newest first, kept in order by the same updatedKey (memory/pins.py).
GSI "inflight" (inflightShard, leaseKey) holds only answers not yet ended (pending or streaming), keyed
by when their lease runs out: the sweep finds every stale one with a query per shard (memory/leases.py).
The chat table's stream (new and old images) feeds the memory digest (DIGEST_FILTER) and the search
index (INDEX_FILTERS).

connections table (connectionId): who is on which socket (TTL after API Gateway's 2-hour limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

TTL_ATTRIBUTE = "expiresAt"


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableDefinition:
    """A table's keys and indexes; all key attributes are strings."""

    partition_key: str
    sort_key: str | None = None
    indexes: tuple[IndexDefinition, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = TTL_ATTRIBUTE
    stream_view_type: str | None = None

    def create_table_kwargs(self, table_name: str) -> dict:
        """Arguments for DynamoDB's CreateTable (on-demand), as the local stack and tests use them."""
        keys = [self.partition_key] + ([self.sort_key] if self.sort_key else [])
        for index in self.indexes:
            keys += [index.partition_key, index.sort_key]
        schema = [{"AttributeName": self.partition_key, "KeyType": "HASH"}]
        if self.sort_key:
            schema.append({"AttributeName": self.sort_key, "KeyType": "RANGE"})
        kwargs: dict = {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": k, "AttributeType": "S"} for k in dict.fromkeys(keys)],
            "KeySchema": schema,
        }
        if self.stream_view_type:
            kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": self.stream_view_type}
        if self.indexes:
            kwargs["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": [
                        {"AttributeName": index.partition_key, "KeyType": "HASH"},
                        {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in self.indexes
            ]
        return kwargs


BY_USER_INDEX = IndexDefinition(name="byUser", partition_key="userId", sort_key="updatedKey")
INFLIGHT_INDEX = IndexDefinition(name="inflight", partition_key="inflightShard", sort_key="leaseKey")
PINNED_INDEX = IndexDefinition(name="pinned", partition_key="pinnedBy", sort_key="updatedKey")
# Answers in flight spread over this many index partitions, so no one partition takes every answer's writes.
INFLIGHT_SHARDS = 16

CHAT_TABLE = TableDefinition(partition_key="pk", sort_key="sk", indexes=(BY_USER_INDEX, INFLIGHT_INDEX, PINNED_INDEX),
                             stream_view_type="NEW_AND_OLD_IMAGES")

# The memory digest's trigger, as a Lambda event filter pattern: an answer item moving from pending or
# streaming to an end state. The CDK event source mapping and the local stack's stream poller both use it.
DIGEST_FILTER: dict = {
    "eventName": ["MODIFY"],
    "dynamodb": {
        "NewImage": {
            "role": {"S": ["assistant"]},
            "status": {"S": ["complete", "stopped", "interrupted", "failed"]},
        },
        "OldImage": {"status": {"S": ["pending", "streaming"]}},
    },
}


# The search index's trigger: every change to a message or a conversation's item that can change what is
# searchable (Lambda ORs a mapping's filters). Answers being written (pending, streaming) are left out,
# unless they were searchable before (a continued answer): their text is not final. Postings never match.
_SEARCHABLE = ["sent", "complete", "stopped", "interrupted", "failed"]
_MESSAGE_KEY = {"Keys": {"sk": {"S": [{"prefix": "M#"}]}}}
INDEX_FILTERS: tuple[dict, ...] = (
    {"eventName": ["REMOVE"], "dynamodb": {"Keys": {"sk": {"S": [{"prefix": "M#"}, "META"]}}}},
    {"eventName": ["INSERT", "MODIFY"], "dynamodb": {**_MESSAGE_KEY, "NewImage": {"status": {"S": _SEARCHABLE}}}},
    {"eventName": ["MODIFY"], "dynamodb": {**_MESSAGE_KEY, "OldImage": {"status": {"S": _SEARCHABLE}}}},
    {"eventName": ["INSERT", "MODIFY"], "dynamodb": {"Keys": {"sk": {"S": ["META"]}}}},
)


def matches(pattern: dict, record: dict) -> bool:
    """Whether a stream record matches an event filter pattern (the subset used here): every key of the
    pattern is in the record, and each leaf value is one of the listed ones, a listed {"prefix": ...}
    matching a string that starts with it."""
    for key, expected in pattern.items():
        if key not in record:
            return False
        value = record[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict) or not matches(expected, value):
                return False
        elif not any(value == option or (isinstance(option, dict) and isinstance(value, str)
                                         and value.startswith(option["prefix"])) for option in expected):
            return False
    return True


def matches_any(patterns: tuple[dict, ...], record: dict) -> bool:
    """Whether a record matches one of a mapping's filters (Lambda ORs them)."""
    return any(matches(pattern, record) for pattern in patterns)
CONNECTIONS_TABLE = TableDefinition(partition_key="connectionId")


def upgrade_table(client, definition: TableDefinition, name: str) -> None:
    """A table made by an older version (a local data folder) gets the stream and indexes it lacks."""
    table = client.describe_table(TableName=name)["Table"]
    if definition.stream_view_type and "StreamSpecification" not in table:
        client.update_table(TableName=name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": definition.stream_view_type})
    present = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    wanted = definition.create_table_kwargs(name)
    for index in wanted.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] not in present:
            keys = {key["AttributeName"] for key in index["KeySchema"]}
            client.update_table(
                TableName=name,
                AttributeDefinitions=[a for a in wanted["AttributeDefinitions"] if a["AttributeName"] in keys],
                GlobalSecondaryIndexUpdates=[{"Create": index}],
            )
            client.get_waiter("table_exists").wait(TableName=name)


def create_tables(client, *, chat_table_name: str, connections_table_name: str) -> None:
    """Create both tables if missing and enable TTL (local stack and tests; CDK does this in AWS)."""
    existing = set(client.list_tables()["TableNames"])
    for definition, name in ((CHAT_TABLE, chat_table_name), (CONNECTIONS_TABLE, connections_table_name)):
        if name in existing:
            upgrade_table(client, definition, name)
            continue
        client.create_table(**definition.create_table_kwargs(name))
        client.get_waiter("table_exists").wait(TableName=name)
        if definition.ttl_attribute:
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": definition.ttl_attribute},
            )
