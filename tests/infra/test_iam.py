"""Least privilege: who may do what, each grant scoped to one resource of the stack, no wildcard action."""

from __future__ import annotations

from .cfn import (
    actions,
    function,
    function_id,
    function_statements,
    mentions,
    only,
    resource_list,
    resources,
    role_statements,
    statements_with,
)
from .stacks import DEFAULT

HANDLERS = ("authorizer", "connect", "disconnect", "chat", "worker", "rescue", "digest", "index", "sweep")


def _all_statements(template):
    statements = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        statements += policy["Properties"]["PolicyDocument"]["Statement"]
    for role in resources(template, "AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
    return statements


def _holders(template, action):
    return {handler for handler in HANDLERS if statements_with(function_statements(template, handler), action)}


def test_no_statement_grants_a_wildcard_action(template, everything_on):
    for statements in (_all_statements(template), _all_statements(everything_on)):
        assert statements
        for statement in statements:
            assert statement["Effect"] == "Allow"
            assert not any("*" in action for action in actions(statement)), statement


def test_only_chat_worker_rescue_and_sweep_post_to_connections_and_only_on_this_stage(template):
    assert _holders(template, "execute-api:ManageConnections") == {"chat", "worker", "rescue", "sweep"}
    api_id, _ = only(template, "AWS::ApiGatewayV2::Api")
    for handler in ("chat", "worker", "rescue", "sweep"):
        (statement,) = statements_with(function_statements(template, handler), "execute-api:ManageConnections")
        (arn,) = resource_list(statement)
        assert mentions(arn, {"Ref": api_id})
        assert mentions(arn, f"/{DEFAULT.stage_name}/*/@connections/*")


def test_only_the_worker_and_the_memory_work_invoke_the_model_and_only_this_one(template):
    """InvokeEndpointWithResponseStream is authorized by the sagemaker:InvokeEndpoint action (SageMaker
    Runtime API reference, InvokeEndpointWithResponseStream); there is no separate streaming action."""
    assert _holders(template, "sagemaker:InvokeEndpoint") == {"worker", "digest"}
    endpoint_id, _ = only(template, "AWS::SageMaker::Endpoint")
    component_id, _ = only(template, "AWS::SageMaker::InferenceComponent")
    for handler in ("worker", "digest"):
        (statement,) = statements_with(function_statements(template, handler), "sagemaker:InvokeEndpoint")
        assert resource_list(statement) == [{"Fn::GetAtt": [endpoint_id, "EndpointArn"]},
                                            {"Fn::GetAtt": [component_id, "InferenceComponentArn"]}]


def test_only_the_worker_may_wake_the_model_and_only_this_component(template):
    """UpdateInferenceComponentRuntimeConfig asks for copies of the component when an answer finds none."""
    assert _holders(template, "sagemaker:UpdateInferenceComponentRuntimeConfig") == {"worker"}
    component_id, _ = only(template, "AWS::SageMaker::InferenceComponent")
    (statement,) = statements_with(function_statements(template, "worker"),
                                   "sagemaker:UpdateInferenceComponentRuntimeConfig")
    assert resource_list(statement) == [{"Fn::GetAtt": [component_id, "InferenceComponentArn"]}]


def test_only_chat_and_the_sweep_invoke_the_worker_and_only_the_worker_invokes_rescue(template):
    assert _holders(template, "lambda:InvokeFunction") == {"chat", "worker", "sweep"}
    for caller, callee in (("chat", "worker"), ("sweep", "worker"), ("worker", "rescue")):
        (statement,) = statements_with(function_statements(template, caller), "lambda:InvokeFunction")
        target = {"Fn::GetAtt": [function_id(template, callee), "Arn"]}
        assert all(mentions(arn, target) for arn in resource_list(statement)), caller


def _tables_reached(template, handler):
    tables = {lid: r for lid, r in resources(template, "AWS::DynamoDB::Table").items()}
    reached = set()
    for statement in function_statements(template, handler):
        # ListStreams has no resource-level permissions (Service Authorization Reference, DynamoDB).
        if actions(statement) == ["dynamodb:ListStreams"]:
            continue
        if any(action.startswith("dynamodb:") for action in actions(statement)):
            for arn in resource_list(statement):
                found = {lid for lid in tables for attribute in ("Arn", "StreamArn")
                         if mentions(arn, {"Fn::GetAtt": [lid, attribute]})}
                assert found, arn
                reached |= found
    return {tables[lid]["Properties"]["KeySchema"][0]["AttributeName"] for lid in reached}


def test_each_function_reaches_only_the_tables_it_uses(template):
    # Tables are told apart by their partition key: pk is the chat table, connectionId the connections table.
    assert _tables_reached(template, "authorizer") == set()
    assert _tables_reached(template, "connect") == {"connectionId"}
    assert _tables_reached(template, "disconnect") == {"connectionId"}
    assert _tables_reached(template, "chat") == {"pk"}
    assert _tables_reached(template, "worker") == {"pk"}
    assert _tables_reached(template, "rescue") == {"pk"}
    assert _tables_reached(template, "digest") == {"pk"}
    assert _tables_reached(template, "index") == {"pk"}
    assert _tables_reached(template, "sweep") == {"pk"}


def test_the_authorizer_may_only_write_its_own_logs(template):
    statements = function_statements(template, "authorizer")
    assert {action for s in statements for action in actions(s)} == {"logs:CreateLogStream", "logs:PutLogEvents"}


def test_functions_use_their_own_roles_without_managed_policies(template):
    roles = {function(template, handler)["Properties"]["Role"]["Fn::GetAtt"][0] for handler in HANDLERS}
    assert len(roles) == len(HANDLERS)
    for role in roles:
        assert "ManagedPolicyArns" not in resources(template, "AWS::IAM::Role")[role]["Properties"]


def test_the_model_role_pulls_only_its_image_repository(template):
    model = only(template, "AWS::SageMaker::Model")[1]
    statements = role_statements(template, model["Properties"]["ExecutionRoleArn"]["Fn::GetAtt"][0])
    (pull,) = statements_with(statements, "ecr:BatchGetImage")
    (arn,) = resource_list(pull)
    assert mentions(arn, ":ecr:eu-west-1:763104351884:repository/huggingface-pytorch-tgi-inference")
    (metrics,) = statements_with(statements, "cloudwatch:PutMetricData")
    assert metrics["Condition"] == {"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}


def test_the_model_role_reads_only_the_configured_artifact(everything_on):
    model = only(everything_on, "AWS::SageMaker::Model")[1]
    statements = role_statements(everything_on, model["Properties"]["ExecutionRoleArn"]["Fn::GetAtt"][0])
    (read,) = statements_with(statements, "s3:GetObject")
    assert [mentions(arn, ":s3:::example-models/llama/finetuned/*") for arn in resource_list(read)] == [True]
    (listing,) = statements_with(statements, "s3:ListBucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "llama/finetuned/*"}}
