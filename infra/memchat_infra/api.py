"""The WebSocket API: a route per client action, the token authorizer on $connect, a throttled, logged stage."""

from __future__ import annotations

import json

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat.frames import CLIENT_ACTIONS
from memchat_infra.nag import acknowledge

AUTHORIZER_IDENTITY_SOURCE = "route.request.querystring.token"
# Only variables API Gateway documents for WebSocket access logs: it rejects an unsupported one when it
# creates the stage. (HTTP APIs' $context.integrationErrorMessage is not one; $context.integration.error is.)
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "eventType": "$context.eventType",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "connectionId": "$context.connectionId",
    "userId": "$context.authorizer.userId",
    "error": "$context.error.message",
    "authorizerError": "$context.authorizer.error",
    "integrationError": "$context.integration.error",
    "integrationLatency": "$context.integrationLatency",
}
ACCESS_LOG_FORMAT = json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))


class ChatApi(Construct):
    """WebSocket API and stage; the chat function answers every action and $default itself."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        authorizer: lambda_.IFunction,
        connect: lambda_.IFunction,
        disconnect: lambda_.IFunction,
        chat: lambda_.IFunction,
        stage_name: str,
        throttle_rate_limit: float,
        throttle_burst_limit: int,
        log_retention: logs.RetentionDays,
        set_account_logging_role: bool,
    ) -> None:
        super().__init__(scope, id)
        chat_integration = integrations.WebSocketLambdaIntegration("Chat", chat)
        self.api = apigwv2.WebSocketApi(
            self,
            "Api",
            api_name=f"{Stack.of(self).stack_name}-chat",
            description="memchat: chat over WebSocket",
            route_selection_expression="$request.body.action",
            connect_route_options=apigwv2.WebSocketRouteOptions(
                integration=integrations.WebSocketLambdaIntegration("Connect", connect),
                authorizer=authorizers.WebSocketLambdaAuthorizer(
                    "TokenAuthorizer", authorizer, identity_source=[AUTHORIZER_IDENTITY_SOURCE]
                ),
            ),
            disconnect_route_options=apigwv2.WebSocketRouteOptions(
                integration=integrations.WebSocketLambdaIntegration("Disconnect", disconnect)
            ),
            default_route_options=apigwv2.WebSocketRouteOptions(integration=chat_integration),
        )
        # The chat function posts every reply with post_to_connection, so no route has a route response.
        self.routes = {action: self.api.add_route(action, integration=chat_integration) for action in CLIENT_ACTIONS}

        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=stage_name,
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(rate_limit=throttle_rate_limit, burst_limit=throttle_burst_limit),
        )
        cfn_stage: apigwv2.CfnStage = self.stage.node.default_child
        # Set on the L1 so the format can carry the authorizer's userId next to each request.
        cfn_stage.access_log_settings = apigwv2.CfnStage.AccessLogSettingsProperty(
            destination_arn=access_logs.log_group_arn, format=ACCESS_LOG_FORMAT
        )
        if set_account_logging_role:
            self.stage.node.add_dependency(self._account_logging_role())

        # Covers $disconnect, $default and the action routes (the API's children); $connect has the authorizer.
        acknowledge(self.api, "AwsSolutions-APIG4", "WebSocket APIs authorize once, on $connect (the token "
                    "authorizer); every other route runs on that authenticated connection.")

    def _account_logging_role(self) -> apigateway.CfnAccount:
        """API Gateway writes WebSocket stage logs only once the account has a CloudWatch role set."""
        role = iam.Role(
            self,
            "AccountLoggingRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
            ],
        )
        account = apigateway.CfnAccount(self, "Account", cloud_watch_role_arn=role.role_arn)
        # The setting is per account and region: keep it when this stack goes, other APIs may rely on it; but
        # a first deploy that fails and rolls back deletes it (RetainExceptOnCreate), so a retry adds none.
        role.apply_removal_policy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        account.apply_removal_policy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
        account.node.add_dependency(role)
        acknowledge(role, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                    "AmazonAPIGatewayPushToCloudWatchLogs]", "The AWS-managed policy is the documented role for "
                    "API Gateway logging: it may write only to CloudWatch Logs.")
        return account
