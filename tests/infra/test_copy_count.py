"""A model redeploy keeps the copy count autoscaling or the night schedule set: the template gives the inference
component a count read from SageMaker on every deploy that updates it, the configured one only on create."""

from __future__ import annotations

import importlib
import sys
import types
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from memchat_infra import MemchatConfig

from .cfn import mentions, only, resources
from .stacks import DEFAULT
from .test_model import _endpoint_only

NAME = "Memchat-tgi"
ARN = f"arn:aws:sagemaker:eu-west-1:123456789012:inference-component/{NAME.lower()}"


def _component(template):
    return only(template, "AWS::SageMaker::InferenceComponent")


def test_a_redeploy_gives_the_component_the_count_it_runs_not_the_configs(template):
    """CloudFormation sends RuntimeConfig.CopyCount with an update of AWS::SageMaker::InferenceComponent (the
    property updates with no interruption), so a fixed count there would undo Application Auto Scaling's
    DesiredCopyCount on every deploy. The count comes from a custom resource instead."""
    _, component = _component(template)
    (reader_id, reader), = resources(template, "Custom::InferenceComponentCopyCount").items()
    assert component["Properties"]["RuntimeConfig"] == {"CopyCount": {"Fn::GetAtt": [reader_id, "CopyCount"]}}
    assert reader["Properties"]["InferenceComponentName"] == NAME
    assert reader["Properties"]["InitialCopyCount"] == DEFAULT.instance_count


def test_the_count_is_read_exactly_when_the_component_is_about_to_change(template):
    """CloudFormation calls a custom resource again only when its properties change: its trigger is every
    other property of the component, so any change that updates the component reads the count first (the
    component depends on the custom resource through the GetAtt)."""
    _, component = _component(template)
    _, reader = only(template, "Custom::InferenceComponentCopyCount")
    others = {key: value for key, value in component["Properties"].items() if key != "RuntimeConfig"}
    assert reader["Properties"]["Trigger"] == others
    assert mentions(others, "ModelName")  # a new model (a new Model resource) changes the trigger


def test_the_reader_may_only_describe_the_component(template):
    _, reader = only(template, "Custom::InferenceComponentCopyCount")
    function_id = reader["Properties"]["ServiceToken"]["Fn::GetAtt"][0]
    function = resources(template, "AWS::Lambda::Function")[function_id]
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = [s for policy in resources(template, "AWS::IAM::Policy").values()
                  if {"Ref": role_id} in policy["Properties"]["Roles"]
                  for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    (describe,) = [s for s in statements if s["Action"] == "sagemaker:DescribeInferenceComponent"]
    assert all(mentions(arn, f"inference-component/{NAME}") or mentions(arn, f"inference-component/{NAME.lower()}")
               for arn in describe["Resource"])
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions <= {"sagemaker:DescribeInferenceComponent", "logs:CreateLogStream", "logs:PutLogEvents"}
    assert function["Properties"]["Handler"] == "index.handler"
    assert "import cfnresponse\n" in function["Properties"]["Code"]["ZipFile"]
    assert len(function["Properties"]["Code"]["ZipFile"]) <= 4096  # CloudFormation's limit for inline code


def test_a_fixed_count_nothing_else_changes_stays_in_the_template():
    template = _endpoint_only(MemchatConfig(min_instances=2, instance_count=2, max_instances=2,
                                            endpoint_off_schedule=None, endpoint_on_schedule=None))
    assert _component(template)[1]["Properties"]["RuntimeConfig"] == {"CopyCount": 2}
    template.resource_count_is("Custom::InferenceComponentCopyCount", 0)


# ---------------------------------------------------------------- the custom resource's code


@pytest.fixture
def handler(monkeypatch):
    """The handler module with a recording cfnresponse (Lambda provides the real one for ZipFile code)."""
    sent: list[tuple[str, dict[str, Any], str]] = []
    fake = types.ModuleType("cfnresponse")
    fake.SUCCESS, fake.FAILED = "SUCCESS", "FAILED"
    fake.send = lambda event, context, status, data, physical_id=None: sent.append((status, data, physical_id))
    monkeypatch.setitem(sys.modules, "cfnresponse", fake)
    module = importlib.reload(importlib.import_module("memchat_infra.copy_count_handler"))
    return module, sent


def _event(request: str) -> dict[str, Any]:
    return {"RequestType": request, "ResourceProperties": {"InferenceComponentName": NAME, "InitialCopyCount": "1",
                                                           "Trigger": {}}}


def _sagemaker() -> tuple[Any, Stubber]:
    client = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="example",
                           region_name="eu-west-1").client("sagemaker")
    stub = Stubber(client)
    stub.activate()
    return client, stub


def _described(desired: int) -> dict[str, Any]:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    return {"InferenceComponentName": NAME, "InferenceComponentArn": ARN, "EndpointName": "Memchat-llm",
            "EndpointArn": "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/memchat-llm", "CreationTime": now,
            "LastModifiedTime": now, "RuntimeConfig": {"DesiredCopyCount": desired, "CurrentCopyCount": desired}}


def test_the_stack_creates_the_component_with_the_configured_count(handler):
    module, sent = handler
    client, stub = _sagemaker()
    module.handler(_event("Create"), None, client)
    stub.assert_no_pending_responses()
    assert sent == [("SUCCESS", {"CopyCount": 1}, NAME)]


@pytest.mark.parametrize("desired", [0, 2])
def test_an_update_keeps_what_autoscaling_or_the_schedule_set(handler, desired):
    """0 at night (the schedule's Off action), 2 when target tracking scaled out by day."""
    module, sent = handler
    client, stub = _sagemaker()
    stub.add_response("describe_inference_component", _described(desired), {"InferenceComponentName": NAME})
    module.handler(_event("Update"), None, client)
    stub.assert_no_pending_responses()
    assert sent == [("SUCCESS", {"CopyCount": desired}, NAME)]


def test_a_component_that_is_gone_gets_the_configured_count(handler):
    module, sent = handler
    client, stub = _sagemaker()
    stub.add_client_error("describe_inference_component", service_error_code="ValidationException",
                          service_message=f"Could not find inference component \"{ARN}\".")
    module.handler(_event("Update"), None, client)
    assert sent == [("SUCCESS", {"CopyCount": 1}, NAME)]


def test_any_failure_is_answered_so_cloudformation_does_not_wait_an_hour(handler):
    module, sent = handler
    client, stub = _sagemaker()
    stub.add_client_error("describe_inference_component", service_error_code="AccessDeniedException",
                          service_message="no")
    module.handler(_event("Update"), None, client)
    assert sent == [("FAILED", {}, NAME)]


def test_delete_reads_nothing(handler):
    module, sent = handler
    module.handler(_event("Delete"), None, None)
    assert sent == [("SUCCESS", {}, NAME)]
