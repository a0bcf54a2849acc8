"""The critical path of a turn: the calls between the send and the first delta, on the send's clock."""

from __future__ import annotations

import pytest

from loadtest.trace import Call, critical_path, turn_bucket


def test_calls_are_laid_out_in_the_order_they_started_on_the_sends_clock() -> None:
    calls = [
        Call("chat route", "dynamodb UpdateItem", 10.001, 10.006),
        Call("worker", "dynamodb Query", 10.020, 10.024),
        Call("worker, beside", "dynamodb UpdateItem", 10.0201, 10.030),
        Call("worker", "sagemaker-runtime InvokeEndpointWithResponseStream", 10.031, 10.182),
    ]
    steps = critical_path(10.0, 10.185, calls)
    assert [s.label for s in steps] == [
        "chat route: dynamodb UpdateItem", "worker: dynamodb Query", "worker, beside: dynamodb UpdateItem",
        "worker: sagemaker-runtime InvokeEndpointWithResponseStream", "first delta read by the client",
    ]
    assert [s.start_ms for s in steps] == pytest.approx([1, 20, 20.1, 31, 185])
    assert [s.call_ms for s in steps] == pytest.approx([5, 4, 9.9, 151, 0])
    assert steps[2].end_ms == pytest.approx(30)


def test_the_stop_watcher_and_calls_after_the_first_delta_are_not_on_the_path() -> None:
    calls = [
        Call("worker", "dynamodb Query", 0.001, 0.004),
        Call("stop watcher", "dynamodb GetItem", 0.002, 0.003),
        Call("delta sender", "apigatewaymanagementapi PostToConnection", 0.2, 0.21),
    ]
    steps = critical_path(0.0, 0.1, calls)
    assert [s.label for s in steps] == ["worker: dynamodb Query", "first delta read by the client"]


def test_turns_are_grouped_first_then_by_tens() -> None:
    assert [turn_bucket(t) for t in (1, 2, 10, 11, 20, 41, 50)] == ["1", "2-10", "2-10", "11-20", "11-20", "41-50",
                                                                    "41-50"]
