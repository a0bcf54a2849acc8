"""The tables are the backend's own definitions (memchat.tables), on demand, recoverable and protected."""

from __future__ import annotations

import pytest

from memchat.tables import CHAT_TABLE, CONNECTIONS_TABLE

from .cfn import resources

DEFINITIONS = {"chat": CHAT_TABLE, "connections": CONNECTIONS_TABLE}


def _table(template, definition):
    """The table whose partition key is the definition's (each table has its own)."""
    (table,) = [t for t in resources(template, "AWS::DynamoDB::Table").values()
                if t["Properties"]["KeySchema"][0]["AttributeName"] == definition.partition_key]
    return table


@pytest.mark.parametrize("name", DEFINITIONS)
def test_keys_and_indexes_match_what_the_backend_creates_locally(template, name):
    definition = DEFINITIONS[name]
    expected = definition.create_table_kwargs("any-name")
    properties = _table(template, definition)["Properties"]
    assert properties["KeySchema"] == expected["KeySchema"]
    assert sorted(properties["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        expected["AttributeDefinitions"], key=lambda a: a["AttributeName"])
    assert properties.get("GlobalSecondaryIndexes", []) == expected.get("GlobalSecondaryIndexes", [])


def test_the_chat_table_has_the_by_user_inflight_and_pinned_indexes(template):
    indexes = {i["IndexName"]: i for i in _table(template, CHAT_TABLE)["Properties"]["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"byUser", "inflight", "pinned"}
    assert [k["AttributeName"] for k in indexes["pinned"]["KeySchema"]] == ["pinnedBy", "updatedKey"]
    assert [k["AttributeName"] for k in indexes["byUser"]["KeySchema"]] == ["userId", "updatedKey"]
    assert [k["AttributeName"] for k in indexes["inflight"]["KeySchema"]] == ["inflightShard", "leaseKey"]


@pytest.mark.parametrize("name", DEFINITIONS)
def test_tables_are_on_demand_with_recovery_and_expiry(template, name):
    properties = _table(template, DEFINITIONS[name])["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}


@pytest.mark.parametrize("name", DEFINITIONS)
def test_tables_are_protected_and_kept_by_default(template, name):
    table = _table(template, DEFINITIONS[name])
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("name", DEFINITIONS)
def test_protection_can_be_switched_off_for_throwaway_stacks(everything_on, name):
    table = _table(everything_on, DEFINITIONS[name])
    assert table["Properties"]["DeletionProtectionEnabled"] is False
    assert table["DeletionPolicy"] == "Delete"
