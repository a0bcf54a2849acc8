"""The WebSocket API: a route per client action, the token authorizer on $connect, the stage, the outputs."""

from __future__ import annotations

import json
import re

from memchat.frames import CLIENT_ACTIONS

from .cfn import function_id, mentions, only, resources
from .stacks import DEFAULT

ACTIONS_THE_APP_SENDS = {"sendMessage", "getHistory", "listConversations", "deleteConversation", "stopGeneration",
                         "ping"}


def _routes(template):
    routes = resources(template, "AWS::ApiGatewayV2::Route").values()
    return {route["Properties"]["RouteKey"]: route["Properties"] for route in routes}


def _integration_of(template, route):
    integration_id = route["Target"]["Fn::Join"][1][1]["Ref"]
    return resources(template, "AWS::ApiGatewayV2::Integration")[integration_id]["Properties"]


def test_every_client_action_has_its_own_route(template):
    assert set(_routes(template)) == {"$connect", "$disconnect", "$default", *CLIENT_ACTIONS}
    assert ACTIONS_THE_APP_SENDS <= set(_routes(template))


def test_routes_are_chosen_by_the_action_field(template):
    _, api = only(template, "AWS::ApiGatewayV2::Api")
    assert api["Properties"]["ProtocolType"] == "WEBSOCKET"
    assert api["Properties"]["RouteSelectionExpression"] == "$request.body.action"


def test_message_routes_and_default_go_to_the_chat_function(template):
    chat = {"Fn::GetAtt": [function_id(template, "chat"), "Arn"]}
    routes = _routes(template)
    for key in (*CLIENT_ACTIONS, "$default"):
        assert mentions(_integration_of(template, routes[key])["IntegrationUri"], chat), key


def test_connect_and_disconnect_go_to_their_own_functions(template):
    routes = _routes(template)
    for key, handler in (("$connect", "connect"), ("$disconnect", "disconnect")):
        target = {"Fn::GetAtt": [function_id(template, handler), "Arn"]}
        assert mentions(_integration_of(template, routes[key])["IntegrationUri"], target), key


def test_connect_requires_the_token_authorizer(template):
    authorizer_id, authorizer = only(template, "AWS::ApiGatewayV2::Authorizer")
    properties = authorizer["Properties"]
    assert properties["AuthorizerType"] == "REQUEST"
    assert properties["IdentitySource"] == ["route.request.querystring.token"]
    assert mentions(properties["AuthorizerUri"], {"Fn::GetAtt": [function_id(template, "authorizer"), "Arn"]})
    connect = _routes(template)["$connect"]
    assert connect["AuthorizationType"] == "CUSTOM"
    assert connect["AuthorizerId"] == {"Ref": authorizer_id}


def test_no_route_but_connect_is_authorized_separately(template):
    # WebSocket authorizers run on $connect only; the other routes ride on that connection.
    others = {key: route for key, route in _routes(template).items() if key != "$connect"}
    assert all(route["AuthorizationType"] == "NONE" for route in others.values())


def test_replies_are_posted_by_the_function_so_no_route_has_a_route_response(template):
    template.resource_count_is("AWS::ApiGatewayV2::RouteResponse", 0)
    assert not any("RouteResponseSelectionExpression" in route for route in _routes(template).values())


def test_api_gateway_may_invoke_each_route_function(template):
    permissions = [p["Properties"] for p in resources(template, "AWS::Lambda::Permission").values()]
    for handler in ("authorizer", "connect", "disconnect", "chat"):
        function = {"Fn::GetAtt": [function_id(template, handler), "Arn"]}
        assert any(p["FunctionName"] == function and p["Principal"] == "apigateway.amazonaws.com"
                   for p in permissions), handler
    worker = {"Fn::GetAtt": [function_id(template, "worker"), "Arn"]}
    assert not any(p["FunctionName"] == worker for p in permissions)


def test_stage_is_throttled_and_auto_deployed(template):
    _, stage = only(template, "AWS::ApiGatewayV2::Stage")
    properties = stage["Properties"]
    assert properties["StageName"] == DEFAULT.stage_name
    assert properties["AutoDeploy"] is True
    assert properties["DefaultRouteSettings"] == {
        "ThrottlingBurstLimit": DEFAULT.throttle_burst_limit, "ThrottlingRateLimit": DEFAULT.throttle_rate_limit,
    }


# The $context variables API Gateway documents for WebSocket access logs (API Gateway Developer Guide,
# "Configure logging for WebSocket APIs in API Gateway"); $context.authorizer.<key> is any key of the
# authorizer's context map, and this stack's authorizer returns only userId.
WEBSOCKET_LOG_VARIABLES = {
    "$context.apiId", "$context.authorize.error", "$context.authorize.latency", "$context.authorize.status",
    "$context.authorizer.error", "$context.authorizer.integrationLatency", "$context.authorizer.integrationStatus",
    "$context.authorizer.latency", "$context.authorizer.requestId", "$context.authorizer.status",
    "$context.authorizer.principalId", "$context.authenticate.error", "$context.authenticate.latency",
    "$context.authenticate.status", "$context.connectedAt", "$context.connectionId", "$context.domainName",
    "$context.error.message", "$context.error.messageString", "$context.error.responseType",
    "$context.error.validationErrorString", "$context.eventType", "$context.extendedRequestId",
    "$context.identity.accountId", "$context.identity.apiKey", "$context.identity.apiKeyId",
    "$context.identity.caller", "$context.identity.cognitoAuthenticationProvider",
    "$context.identity.cognitoAuthenticationType", "$context.identity.cognitoIdentityId",
    "$context.identity.cognitoIdentityPoolId", "$context.identity.principalOrgId", "$context.identity.sourceIp",
    "$context.identity.user", "$context.identity.userAgent", "$context.identity.userArn",
    "$context.integration.error", "$context.integration.integrationStatus", "$context.integration.latency",
    "$context.integration.requestId", "$context.integration.status", "$context.integrationLatency",
    "$context.messageId", "$context.requestId", "$context.requestTime", "$context.requestTimeEpoch",
    "$context.routeKey", "$context.stage", "$context.status",
}
AUTHORIZER_CONTEXT_KEYS = {"userId"}


def test_the_access_log_format_uses_only_documented_websocket_variables(template):
    """API Gateway rejects a stage whose access log format names a variable the API type does not support;
    $context.integrationErrorMessage is an HTTP API variable, WebSocket APIs have $context.integration.error."""
    log_format = only(template, "AWS::ApiGatewayV2::Stage")[1]["Properties"]["AccessLogSettings"]["Format"]
    used = set(re.findall(r"\$context\.[A-Za-z.]+[A-Za-z]", log_format))
    allowed = WEBSOCKET_LOG_VARIABLES | {f"$context.authorizer.{key}" for key in AUTHORIZER_CONTEXT_KEYS}
    assert used and used <= allowed, used - allowed
    assert "$context.integration.error" in used
    assert json.loads(log_format)["userId"] == "$context.authorizer.userId"


def test_stage_access_logs_carry_the_user_and_wait_for_the_account_logging_role(template):
    stage = only(template, "AWS::ApiGatewayV2::Stage")[1]
    log_format = stage["Properties"]["AccessLogSettings"]["Format"]
    assert "$context.authorizer.userId" in log_format
    assert "$context.connectionId" in log_format
    account_id, _ = only(template, "AWS::ApiGateway::Account")
    assert account_id in stage["DependsOn"]


def test_the_account_logging_role_outlives_the_stack_but_not_a_failed_first_deploy(template):
    """DeletionPolicy RetainExceptOnCreate keeps a resource when its stack is deleted or it is replaced, and
    deletes it when the stack's creation rolls back (CloudFormation DeletionPolicy attribute), so a failed
    first deploy leaves no role behind and a retry adds none."""
    _, account = only(template, "AWS::ApiGateway::Account")
    role_id = account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
    role = resources(template, "AWS::IAM::Role")[role_id]
    for resource in (account, role):
        assert resource["DeletionPolicy"] == "RetainExceptOnCreate"
        assert resource["UpdateReplacePolicy"] == "Retain"


def test_account_logging_role_is_optional(everything_on):
    everything_on.resource_count_is("AWS::ApiGateway::Account", 0)


def test_outputs_give_the_app_everything_it_needs(template):
    outputs = template.find_outputs("*")
    assert {"WebSocketUrl", "UserPoolId", "UserPoolClientId", "Region", "EndpointName"} <= set(outputs)
    url = outputs["WebSocketUrl"]["Value"]
    assert mentions(url, "wss://")
    assert mentions(url, f".execute-api.{DEFAULT.region}.")
    assert mentions(url, f"/{DEFAULT.stage_name}")
    assert outputs["Region"]["Value"] == DEFAULT.region
    assert outputs["UserPoolId"]["Value"] == {"Ref": only(template, "AWS::Cognito::UserPool")[0]}
    assert outputs["UserPoolClientId"]["Value"] == {"Ref": only(template, "AWS::Cognito::UserPoolClient")[0]}


def test_the_app_signs_in_with_a_public_client(template):
    client = only(template, "AWS::Cognito::UserPoolClient")[1]["Properties"]
    assert client["GenerateSecret"] is False
    assert set(client["ExplicitAuthFlows"]) >= {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    pool = only(template, "AWS::Cognito::UserPool")[1]["Properties"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
