"""A handler's CloudWatch metrics, one set per invocation.

Powertools' `Metrics` keeps one metric set for the whole interpreter, shared by every instance: right in
Lambda, where an execution environment runs one invocation at a time. The local runtime runs many
invocations of a function on threads of one process (local/memchat_local/runtime.py), as the gateway runs its
routes, and there one invocation's flush iterated the set while another's `add_metric` grew it ("dictionary
changed size during iteration", a failed invoke in a loaded soak), or published the other's counts as its
own. Powertools' `EphemeralMetrics` keeps its set per instance: each invocation gets its own, found through a
context variable, so no invocation sees another's, here or in Lambda.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

NAMESPACE = "memchat"
SERVICE = "memchat"

Result = TypeVar("Result")


class Meter:
    """A function's metrics: `count` and `add` go to the running invocation's set, which `metered` publishes as
    one EMF document when the invocation ends (none when it counted nothing)."""

    def __init__(self, namespace: str = NAMESPACE, service: str = SERVICE) -> None:
        self.namespace = namespace
        self.service = service
        self._current: ContextVar[EphemeralMetrics | None] = ContextVar(f"metrics-{id(self)}", default=None)

    @property
    def metrics(self) -> EphemeralMetrics:
        """The running invocation's set; outside one (a test calling a handler's `handle`), the caller's own."""
        metrics = self._current.get()
        if metrics is None:
            metrics = EphemeralMetrics(namespace=self.namespace, service=self.service)
            self._current.set(metrics)
        return metrics

    def add(self, name: str, value: float, unit: MetricUnit = MetricUnit.Count) -> None:
        self.metrics.add_metric(name=name, unit=unit, value=value)

    def count(self, name: str, value: float = 1) -> None:
        self.add(name, value)

    def metered(self, handler: Callable[[dict[str, Any], Any], Result]) -> Callable[[dict[str, Any], Any], Result]:
        """Wrap a Lambda entry point: a set of its own for each invocation, published at its end."""

        @functools.wraps(handler)
        def invocation(event: dict[str, Any], context: Any) -> Result:
            metrics = EphemeralMetrics(namespace=self.namespace, service=self.service)
            token = self._current.set(metrics)
            try:
                return handler(event, context)
            finally:
                self._current.reset(token)
                if metrics.metric_set:  # most chat routes count nothing: no empty document for those
                    metrics.flush_metrics()

        return invocation
