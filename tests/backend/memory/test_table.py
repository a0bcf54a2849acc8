"""The table's calls: DynamoDB's AWS-only errors (throttling, transaction conflicts) translated at one seam.

DynamoDB Local and moto never raise these, so each test scripts them with botocore's Stubber on a real
client, and passes a recorder as `sleep`: the back-off is observed, never slept.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from hypothesis import given
from hypothesis import strategies as st

from memchat.errors import RateLimited
from memchat.memory.table import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, CONFLICT_ATTEMPTS, Table, backoff

TABLE = "memchat-test-chat"
ITEMS = [{"Put": {"TableName": TABLE, "Item": {"pk": {"S": "U#a"}, "sk": {"S": "RATE#1"}}}}]
KEY = {"pk": {"S": "U#a"}, "sk": {"S": "META"}}


@pytest.fixture
def table(stub: Stubber, sleeps: list[float]) -> Table:
    return Table(stub.client, table_name=TABLE, rate_limit_per_minute=5, sleep=sleeps.append)


def _cancelled(stub: Stubber, *reasons: str) -> None:
    stub.add_client_error(
        "transact_write_items", service_error_code="TransactionCanceledException",
        service_message="Transaction cancelled, please refer cancellation reasons for specific reasons",
        modeled_fields={"CancellationReasons": [{"Code": reason} for reason in reasons]})


# ---------------------------------------------------------------- single calls


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException",
                                  "RequestLimitExceeded"])
def test_a_throttled_call_is_rate_limited_with_its_cause_kept(stub, table, code):
    stub.add_client_error("get_item", service_error_code=code, http_status_code=400)

    with pytest.raises(RateLimited) as raised:
        table._call("get_item", Key=KEY)
    assert isinstance(raised.value.__cause__, ClientError)


def test_any_other_error_is_raised_as_it_came(stub, table):
    stub.add_client_error("get_item", service_error_code="ValidationException")

    with pytest.raises(ClientError, match="ValidationException"):
        table._call("get_item", Key=KEY)


def test_every_call_names_the_table_and_is_counted(stub, table):
    stub.add_response("get_item", {}, expected_params={"TableName": TABLE, "Key": KEY})
    table._call("get_item", Key=KEY)
    assert table.calls == 1


# ---------------------------------------------------------------- conditional writes


def test_a_conditional_write_that_holds_is_true(stub, table):
    stub.add_response("update_item", {})
    assert table._call_if("update_item", Key=KEY, UpdateExpression="SET a = :a",
                          ExpressionAttributeValues={":a": {"S": "x"}})


def test_a_condition_that_did_not_hold_is_false_and_not_retried(stub, table, sleeps):
    stub.add_client_error("update_item", service_error_code="ConditionalCheckFailedException")
    assert not table._call_if("update_item", Key=KEY, UpdateExpression="SET a = :a",
                              ExpressionAttributeValues={":a": {"S": "x"}})
    assert (table.calls, sleeps) == (1, [])


def test_a_write_that_meets_a_transaction_is_retried_after_a_back_off(stub, table, sleeps):
    stub.add_client_error("update_item", service_error_code="TransactionConflictException")
    stub.add_client_error("update_item", service_error_code="TransactionConflictException")
    stub.add_response("update_item", {})

    assert table._call_if("update_item", Key=KEY, UpdateExpression="SET a = :a",
                          ExpressionAttributeValues={":a": {"S": "x"}})
    assert table.calls == 3 and len(sleeps) == 2


def test_a_write_that_keeps_meeting_transactions_is_rate_limited(stub, table, sleeps):
    for _ in range(CONFLICT_ATTEMPTS):
        stub.add_client_error("update_item", service_error_code="TransactionConflictException")

    with pytest.raises(RateLimited):
        table._call_if("update_item", Key=KEY, UpdateExpression="SET a = :a",
                       ExpressionAttributeValues={":a": {"S": "x"}})
    assert table.calls == CONFLICT_ATTEMPTS and len(sleeps) == CONFLICT_ATTEMPTS - 1


# ---------------------------------------------------------------- transactions


def test_a_committed_transaction_has_no_reasons(stub, table):
    stub.add_response("transact_write_items", {}, expected_params={"TransactItems": ITEMS})
    assert table._transact(ITEMS) is None


def test_a_transaction_cancelled_by_a_conflict_is_retried_until_it_commits(stub, table, sleeps):
    _cancelled(stub, "None", "TransactionConflict")
    _cancelled(stub, "TransactionConflict", "None")
    stub.add_response("transact_write_items", {})

    assert table._transact(ITEMS) is None
    assert table.calls == 3 and len(sleeps) == 2
    assert all(0 <= delay <= BACKOFF_CAP_SECONDS for delay in sleeps)


def test_a_transaction_that_keeps_conflicting_is_rate_limited(stub, table, sleeps):
    for _ in range(CONFLICT_ATTEMPTS):
        _cancelled(stub, "TransactionConflict")

    with pytest.raises(RateLimited):
        table._transact(ITEMS)
    assert table.calls == CONFLICT_ATTEMPTS and len(sleeps) == CONFLICT_ATTEMPTS - 1


@pytest.mark.parametrize("reason", ["ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"])
def test_a_transaction_cancelled_for_capacity_is_rate_limited_at_once(stub, table, sleeps, reason):
    _cancelled(stub, "None", reason)

    with pytest.raises(RateLimited):
        table._transact(ITEMS)
    assert sleeps == []


def test_a_throttled_transaction_is_rate_limited(stub, table):
    stub.add_client_error("transact_write_items", service_error_code="ProvisionedThroughputExceededException")
    with pytest.raises(RateLimited):
        table._transact(ITEMS)


def test_a_condition_that_did_not_hold_is_the_callers_to_read_even_beside_a_conflict(stub, table, sleeps):
    _cancelled(stub, "ConditionalCheckFailed", "TransactionConflict", "None")

    assert table._transact(ITEMS) == ["ConditionalCheckFailed", "TransactionConflict", "None"]
    assert sleeps == []


def test_another_transaction_error_is_raised_as_it_came(stub, table):
    stub.add_client_error("transact_write_items", service_error_code="ValidationException")
    with pytest.raises(ClientError, match="ValidationException"):
        table._transact(ITEMS)


@given(attempt=st.integers(min_value=0, max_value=60))
def test_the_back_off_is_full_jitter_below_its_cap(attempt):
    assert 0 <= backoff(attempt) <= min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
