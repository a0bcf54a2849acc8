"""Two stacks in one account and region: every name CloudFormation does not generate follows the stack's."""

from __future__ import annotations

from .stacks import DEFAULT

# The properties that give a resource a name of our choosing (account- or region-wide namespaces).
NAME_PROPERTIES = {
    "AWS::SageMaker::Endpoint": "EndpointName",
    "AWS::SageMaker::InferenceComponent": "InferenceComponentName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::ApiGatewayV2::Api": "Name",
}


def _names(template):
    names = set()
    for resource in template.to_json()["Resources"].values():
        prop = NAME_PROPERTIES.get(resource["Type"])
        if prop and prop in resource["Properties"]:
            names.add((resource["Type"], str(resource["Properties"][prop])))
    return names


def test_a_second_stack_in_the_account_chooses_no_name_the_first_one_took(template, everything_on):
    """SageMaker endpoint and inference component names, log group, alarm and dashboard names are unique
    per account (and region); CloudFormation fails a create whose name exists. Both deployments here are in
    different regions, but their names differ by the stack name alone, so they would not collide in one."""
    first, second = _names(template), _names(everything_on)
    assert {kind for kind, _ in first} >= {"AWS::SageMaker::Endpoint", "AWS::SageMaker::InferenceComponent",
                                           "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard"}
    assert not first & second
    assert all(DEFAULT.stack_name in name for _, name in first)
