"""The critical path of a turn: the calls between the send and the first delta, with the waits between them."""

from __future__ import annotations

import pytest

from loadtest.trace import Call, critical_path


def test_calls_are_laid_out_in_order_with_the_waits_between_them() -> None:
    calls = [
        Call("chat route", "dynamodb UpdateItem", 10.001, 10.006),
        Call("chat route", "dynamodb TransactWriteItems", 10.006, 10.016),
        Call("worker", "sagemaker-runtime InvokeEndpointWithResponseStream", 10.020, 10.172),
        Call("delta sender", "apigatewaymanagementapi PostToConnection", 10.174, 10.176),
    ]
    steps = critical_path(10.0, 10.177, calls)
    assert [s.label for s in steps] == [
        "chat route: dynamodb UpdateItem", "chat route: dynamodb TransactWriteItems",
        "worker: sagemaker-runtime InvokeEndpointWithResponseStream",
        "delta sender: apigatewaymanagementapi PostToConnection", "to the client (delta frame)",
    ]
    assert [s.wait_ms for s in steps] == pytest.approx([1, 0, 4, 2, 1])
    assert [s.call_ms for s in steps] == pytest.approx([5, 10, 152, 2, 0])


def test_the_stop_watcher_and_calls_after_the_first_delta_are_not_on_the_path() -> None:
    calls = [
        Call("worker", "dynamodb Query", 0.001, 0.004),
        Call("stop watcher", "dynamodb GetItem", 0.002, 0.003),
        Call("delta sender", "apigatewaymanagementapi PostToConnection", 0.2, 0.21),
    ]
    steps = critical_path(0.0, 0.1, calls)
    assert [s.label for s in steps] == ["worker: dynamodb Query", "to the client (delta frame)"]
