"""The benches' AWS-shaped DynamoDB (memchat_local/remote.py): a read reaches DynamoDB Local once and is
replayed after that, a write is answered as a success without being applied, and an error is never replayed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from memchat_local.dynamodb import DynamoDBLocal
from memchat_local.remote import Remote
from tests.local.conftest import dynamodb_local

pytestmark = pytest.mark.integration

TABLE = "remote-test"
KEY = {"pk": {"S": "U#a"}, "sk": {"S": "M#1"}}


@pytest.fixture(scope="module")
def dynamodb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DynamoDBLocal]:
    with dynamodb_local(tmp_path_factory.mktemp("dynamodb"), in_memory=True) as local:
        local.client().create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}])
        yield local


def test_a_read_reaches_dynamodb_once_and_is_replayed_after(dynamodb: DynamoDBLocal):
    plain = dynamodb.client()
    plain.put_item(TableName=TABLE, Item={**KEY, "text": {"S": "first"}})
    remote = Remote(round_trip_s=0.0)
    client = remote.attach(dynamodb.client())
    assert client.get_item(TableName=TABLE, Key=KEY)["Item"]["text"] == {"S": "first"}
    plain.put_item(TableName=TABLE, Item={**KEY, "text": {"S": "second"}})
    # The same request again: answered as DynamoDB Local answered it, without asking it.
    assert client.get_item(TableName=TABLE, Key=KEY)["Item"]["text"] == {"S": "first"}
    assert (remote.sent, remote.replayed) == (1, 1)
    # Another request is another read: it reaches DynamoDB Local.
    assert client.get_item(TableName=TABLE, Key=KEY, ConsistentRead=True)["Item"]["text"] == {"S": "second"}
    assert (remote.sent, remote.replayed) == (2, 1)


def test_a_write_is_answered_as_a_success_and_not_applied(dynamodb: DynamoDBLocal):
    remote = Remote(round_trip_s=0.0)
    client = remote.attach(dynamodb.client())
    other = {"pk": {"S": "U#a"}, "sk": {"S": "M#2"}}
    client.put_item(TableName=TABLE, Item={**other, "text": {"S": "never stored"}})
    client.transact_write_items(TransactItems=[{"Put": {"TableName": TABLE, "Item": {**other, "n": {"N": "1"}}}}])
    assert "Item" not in dynamodb.client().get_item(TableName=TABLE, Key=other, ConsistentRead=True)
    assert (remote.sent, remote.replayed) == (0, 2)


def test_an_error_is_not_recorded(dynamodb: DynamoDBLocal):
    remote = Remote(round_trip_s=0.0)
    client = remote.attach(dynamodb.client())
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            client.get_item(TableName="no-such-table", Key=KEY)
        assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert (remote.sent, remote.replayed) == (2, 0)
