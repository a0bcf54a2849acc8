"""The local endpoint scaled to zero (`--wake-seconds`): SageMaker's no-capacity refusal, its scale-out call
through boto3's own `sagemaker` client, and the state a test waits for instead of a time. Once per wire
format: the refusal is SageMaker's, whichever container stands behind it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from memchat.errors import ModelAsleep
from memchat.model import ChatMessage, ModelClient
from memchat_local.capacity import NO_CAPACITY_MESSAGE
from memchat_local.replay import ReplayEngine
from tests.local.conftest import ENDPOINT_NAME, WIRES, Reply, Server, chat_body, sagemaker_client, serve

COMPONENT = "memchat-test-llm-component"


@pytest.fixture(params=WIRES)
def asleep(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A copy that takes a moment to start once asked for: the tests wait for its state, not for the time."""
    engine = ReplayEngine(ttft_ms=0, tokens_per_second=5000, reply_tokens=20)
    with serve(engine, server=request.param, wake_seconds=0.3) as server:
        yield server


def control(url: str) -> Any:
    """SageMaker's control plane, as the backend's worker calls it."""
    return boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1}))


def capacity(server: Server, until: str | None = None) -> dict[str, Any]:
    query = f"?until={until}&timeout=30" if until else ""
    with urllib.request.urlopen(f"{server.url}/local/capacity{query}", timeout=60) as response:
        return json.load(response)


def refusal(server: Server) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        sagemaker_client(server.url).invoke_endpoint_with_response_stream(
            EndpointName=ENDPOINT_NAME, InferenceComponentName=COMPONENT, Body=chat_body())
    return raised.value.response


def test_an_endpoint_scaled_to_zero_refuses_with_sagemakers_no_capacity_error(asleep: Server) -> None:
    response = refusal(asleep)

    assert response["Error"]["Code"] == "ValidationError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"] == NO_CAPACITY_MESSAGE
    assert capacity(asleep) | {"wakingSince": None} == {"state": "asleep", "wakeSeconds": 0.3, "scaleOuts": 0,
                                                         "refused": 1, "wakingSince": None, "held": False}


def test_the_backend_reads_the_refusal_as_a_model_asleep(asleep: Server) -> None:
    model = ModelClient(sagemaker_client(asleep.url), endpoint_name=ENDPOINT_NAME,
                        inference_component_name=COMPONENT, server=asleep.wire)
    with pytest.raises(ModelAsleep):
        model.stream([ChatMessage("user", "Hello")], max_tokens=8, temperature=0.0)


def test_the_scale_out_call_wakes_the_model_and_it_then_answers(asleep: Server) -> None:
    answer = control(asleep.url).update_inference_component_runtime_config(
        InferenceComponentName=COMPONENT, DesiredRuntimeConfig={"CopyCount": 1})

    assert answer["InferenceComponentArn"].endswith(f":inference-component/{COMPONENT}")
    assert capacity(asleep)["state"] in ("waking", "awake")
    assert capacity(asleep, until="awake")["state"] == "awake"
    response = sagemaker_client(asleep.url).invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME, InferenceComponentName=COMPONENT, Body=chat_body())
    assert Reply.from_response(response, asleep.wire).done


def test_asking_again_while_it_wakes_starts_no_second_wake(asleep: Server) -> None:
    client = control(asleep.url)
    client.update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                     DesiredRuntimeConfig={"CopyCount": 1})
    since = capacity(asleep)["wakingSince"]
    client.update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                     DesiredRuntimeConfig={"CopyCount": 1})
    state = capacity(asleep)
    assert (state["scaleOuts"], state["wakingSince"]) == (2, since)


def test_a_copy_count_of_zero_or_the_sleep_route_puts_it_to_sleep_again(asleep: Server) -> None:
    client = control(asleep.url)
    client.update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                     DesiredRuntimeConfig={"CopyCount": 1})
    capacity(asleep, until="awake")
    client.update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                     DesiredRuntimeConfig={"CopyCount": 0})
    assert capacity(asleep)["state"] == "asleep"
    assert refusal(asleep)["Error"]["Message"] == NO_CAPACITY_MESSAGE

    client.update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                     DesiredRuntimeConfig={"CopyCount": 1})
    capacity(asleep, until="awake")
    request = urllib.request.Request(f"{asleep.url}/local/sleep", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.load(response)["state"] == "asleep"


def test_any_other_control_plane_call_is_refused_as_unknown(asleep: Server) -> None:
    with pytest.raises(ClientError) as raised:
        control(asleep.url).describe_inference_component(InferenceComponentName=COMPONENT)
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
    # What botocore would refuse to send: the endpoint refuses it too, and stays asleep.
    request = urllib.request.Request(
        asleep.url, method="POST", data=json.dumps({"InferenceComponentName": COMPONENT,
                                                    "DesiredRuntimeConfig": {}}).encode(),
        headers={"X-Amz-Target": "SageMaker.UpdateInferenceComponentRuntimeConfig",
                 "Content-Type": "application/x-amz-json-1.1"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert (refused.value.code, json.load(refused.value)["__type"]) == (400, "ValidationException")
    assert capacity(asleep)["state"] == "asleep"


def test_without_a_wake_time_a_copy_always_runs(replay_server: Server) -> None:
    assert capacity(replay_server)["state"] == "awake"


def _post(server: Server, path: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{server.url}{path}", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_held_wake_lasts_until_the_test_wakes_the_model(asleep: Server) -> None:
    assert _post(asleep, "/local/sleep?hold=true")["held"] is True
    control(asleep.url).update_inference_component_runtime_config(InferenceComponentName=COMPONENT,
                                                                  DesiredRuntimeConfig={"CopyCount": 1})
    assert capacity(asleep)["state"] == "waking"
    assert refusal(asleep)["Error"]["Code"] == "ValidationError"  # still no copy, whatever the time

    assert _post(asleep, "/local/wake") | {"wakingSince": None} == {
        "state": "awake", "wakeSeconds": 0.3, "scaleOuts": 1, "refused": 1, "wakingSince": None, "held": False}
