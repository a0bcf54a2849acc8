"""Reading a synthesized template the way the tests ask about it: by what a resource is, never by its hashed id."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

Resource = dict[str, Any]


def resources(template: Template, type_: str) -> dict[str, Resource]:
    return template.find_resources(type_)


def only(template: Template, type_: str) -> tuple[str, Resource]:
    found = resources(template, type_)
    assert len(found) == 1, f"expected one {type_}, found {len(found)}"
    return next(iter(found.items()))


def function_id(template: Template, handler_module: str) -> str:
    """The logical id of the Lambda function running memchat.handlers.<handler_module>."""
    handler = f"memchat.handlers.{handler_module}.lambda_handler"
    matches = [lid for lid, r in resources(template, "AWS::Lambda::Function").items()
               if r["Properties"]["Handler"] == handler]
    assert len(matches) == 1, handler
    return matches[0]


def function(template: Template, handler_module: str) -> Resource:
    return resources(template, "AWS::Lambda::Function")[function_id(template, handler_module)]


def role_statements(template: Template, role_logical_id: str) -> list[dict[str, Any]]:
    """Every statement of every policy attached to the role."""
    statements = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def function_statements(template: Template, handler_module: str) -> list[dict[str, Any]]:
    role = function(template, handler_module)["Properties"]["Role"]["Fn::GetAtt"][0]
    return role_statements(template, role)


def actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def resource_list(statement: dict[str, Any]) -> list[Any]:
    resource = statement["Resource"]
    return resource if isinstance(resource, list) else [resource]


def statements_with(statements: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [s for s in statements if action in actions(s)]


def mentions(value: Any, needle: Any) -> bool:
    """Whether an intrinsic-function tree contains needle (a string or a {"Ref": ...} / GetAtt)."""
    if value == needle:
        return True
    if isinstance(value, dict):
        return any(mentions(v, needle) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, needle) for v in value)
    return isinstance(value, str) and isinstance(needle, str) and needle in value


def env(template: Template, handler_module: str) -> dict[str, Any]:
    return function(template, handler_module)["Properties"]["Environment"]["Variables"]
