"""Each invocation publishes its own metrics, also when invocations run at once on threads of one process, as the
local runtime and the gateway run them."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from memchat.handlers.metering import Meter

INVOCATIONS = 8


def _documents(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if '"_aws"' in line]


def _names(document: dict) -> set[str]:
    return {metric["Name"] for directive in document["_aws"]["CloudWatchMetrics"] for metric in directive["Metrics"]}


def test_invocations_at_once_each_publish_only_their_own_counts(capsys):
    meter = Meter()
    # Every invocation has counted before any ends: with one set shared by the process, the first to end would
    # publish all of them, and the others nothing or a set changed under their flush.
    together = threading.Barrier(INVOCATIONS)

    @meter.metered
    def handler(event, context):
        for _ in range(event["times"]):
            meter.count(f"Counted{event['n']}")
        together.wait(timeout=30)
        return event["n"]

    with ThreadPoolExecutor(INVOCATIONS) as pool:
        results = list(pool.map(lambda n: handler({"n": n, "times": n + 1}, None), range(INVOCATIONS)))

    assert results == list(range(INVOCATIONS))
    documents = _documents(capsys.readouterr().out)
    published = sorted(sorted(_names(document)) for document in documents)
    assert published == sorted([f"Counted{n}"] for n in range(INVOCATIONS))
    for document in documents:
        (name,) = _names(document)
        assert document[name] == [1.0] * (int(name.removeprefix("Counted")) + 1)


def test_an_invocation_that_counts_nothing_publishes_nothing_and_one_that_fails_still_publishes(capsys):
    meter = Meter()

    @meter.metered
    def quiet(event, context):
        return "ok"

    @meter.metered
    def failing(event, context):
        meter.count("Tried")
        raise RuntimeError("the domain failed")

    assert quiet({}, None) == "ok"
    assert _documents(capsys.readouterr().out) == []
    try:
        failing({}, None)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the failure was swallowed")
    (document,) = _documents(capsys.readouterr().out)
    assert _names(document) == {"Tried"} and document["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "memchat"


def test_outside_an_invocation_counts_stay_with_the_caller_and_are_not_published(capsys):
    meter = Meter()
    meter.count("Outside")

    @meter.metered
    def handler(event, context):
        meter.count("Inside")

    handler({}, None)
    (document,) = _documents(capsys.readouterr().out)
    assert _names(document) == {"Inside"}
    assert set(meter.metrics.metric_set) == {"Outside"}
