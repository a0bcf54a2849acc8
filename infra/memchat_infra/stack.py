"""The memchat stack: composes the constructs and does all the wiring, every grant and setting visible here."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat_infra.api import ChatApi
from memchat_infra.auth import Auth
from memchat_infra.config import LOG_RETENTION_DAYS, MemchatConfig
from memchat_infra.functions import Functions
from memchat_infra.model import LlmEndpoint
from memchat_infra.monitoring import MonitoredEndpoint, Monitoring
from memchat_infra.nag import account, acknowledge, ref
from memchat_infra.schedule import EndpointSchedule
from memchat_infra.storage import Storage

# RetentionDays lists the same periods in the same order, then INFINITE.
RETENTION = dict(zip(LOG_RETENTION_DAYS, list(logs.RetentionDays)[:-1], strict=True))


def setting(name: str) -> str:
    """The environment variable memchat.settings.Settings reads a field from."""
    return f"MEMCHAT_{name.upper()}"


class MemchatStack(Stack):
    """WebSocket API, Lambdas, DynamoDB, Cognito, the SageMaker endpoint and their monitoring."""

    def __init__(self, scope: Construct, id: str, *, config: MemchatConfig, **kwargs) -> None:
        super().__init__(scope, id, description="memchat: chat assistant with long-term memory", **kwargs)
        retention = RETENTION[config.log_retention_days]

        storage = Storage(self, "Storage", deletion_protection=config.deletion_protection)
        auth = Auth(self, "Auth", deletion_protection=config.deletion_protection)
        model = LlmEndpoint(self, "Model", config=config, log_retention=retention)
        if config.scheduled:
            EndpointSchedule(self, "Schedule", config=config, endpoint=model, log_retention=retention)

        # The same settings for every handler: cloud and laptop differ only in these values.
        environment = {
            setting("table_name"): storage.chat_table.table_name,
            setting("connections_table_name"): storage.connections_table.table_name,
            setting("endpoint_name"): model.endpoint_name,
            setting("model_max_tokens"): str(config.max_total_tokens),
            setting("max_new_tokens"): str(config.max_new_tokens),
            setting("model_timeout_seconds"): str(config.model_timeout_seconds),
            setting("jwks_url"): auth.jwks_url,
            setting("jwt_issuer"): auth.issuer,
            setting("jwt_audience"): auth.audience,
            setting("log_level"): config.log_level,
            **{setting(name): value for name, value in config.backend_settings.items()},
            "POWERTOOLS_SERVICE_NAME": "memchat",
            "POWERTOOLS_METRICS_NAMESPACE": "memchat",
        }
        functions = Functions(
            self,
            "Functions",
            architecture=config.lambda_architecture,
            worker_timeout=Duration.seconds(config.worker_timeout_seconds),
            log_retention=retention,
            environment=environment,
        )
        api = ChatApi(
            self,
            "WebSocket",
            authorizer=functions.authorizer,
            connect=functions.connect,
            disconnect=functions.disconnect,
            chat=functions.chat,
            stage_name=config.stage_name,
            throttle_rate_limit=config.throttle_rate_limit,
            throttle_burst_limit=config.throttle_burst_limit,
            log_retention=retention,
            set_account_logging_role=config.api_gateway_cloudwatch_role,
        )
        for function in functions.all:
            function.add_environment(setting("callback_url"), api.stage.callback_url)
        # Only the chat function hands work to the worker (and the worker cannot name itself: a cycle).
        functions.chat.add_environment(setting("worker_function_name"), functions.worker.function_name)

        # Grants: every permission any function has is here.
        # connect/disconnect keep the connections table; chat and worker read and write memory and post frames.
        storage.connections_table.grant_read_write_data(functions.connect)
        storage.connections_table.grant_read_write_data(functions.disconnect)
        for function in (functions.chat, functions.worker):
            storage.chat_table.grant_read_write_data(function)
            api.stage.grant_management_api_access(function)
        functions.worker.grant_invoke(functions.chat)
        model.grant_invoke(functions.worker)
        self._acknowledge_grants(functions, storage, api, config.stage_name)

        Monitoring(
            self,
            "Monitoring",
            functions={"Authorizer": functions.authorizer, "Connect": functions.connect,
                       "Disconnect": functions.disconnect, "Chat": functions.chat, "Worker": functions.worker},
            tables={"Chat": storage.chat_table, "Connections": storage.connections_table},
            endpoint=MonitoredEndpoint(endpoint_name=model.endpoint_name, variant_name=model.variant_name),
            alarm_email=config.alarm_email,
            ttft_alarm_ms=config.ttft_alarm_ms,
            model_latency_alarm_seconds=config.model_latency_alarm_seconds,
        )

        # What the mobile app needs (docs/deploy.md shows where each one goes).
        CfnOutput(self, "WebSocketUrl", value=api.stage.url, description="wss:// URL the app connects to")
        CfnOutput(self, "UserPoolId", value=auth.user_pool.user_pool_id, description="Cognito user pool id")
        CfnOutput(self, "UserPoolClientId", value=auth.client.user_pool_client_id,
                  description="Cognito app client id (public, no secret)")
        CfnOutput(self, "Region", value=self.region, description="Region of the API and the user pool")
        CfnOutput(self, "EndpointName", value=model.endpoint_name, description="SageMaker endpoint serving the model")

    def _acknowledge_grants(self, functions: Functions, storage: Storage, api: ChatApi, stage_name: str) -> None:
        """The wildcards CDK's grants write, each inside one resource of this stack."""
        chat_table = ref(storage.chat_table.node.default_child, "Arn")
        connections = (f"arn:<AWS::Partition>:execute-api:{self.region}:{account(self)}:"
                       f"{ref(api.api.node.default_child)}/{stage_name}/*/@connections/*")
        for function in (functions.chat, functions.worker):
            acknowledge(function.role, f"AwsSolutions-IAM5[Resource::{chat_table}/index/*]",
                        "The chat table's own indexes (the byUser GSI lists conversations).")
            acknowledge(function.role, f"AwsSolutions-IAM5[Resource::{connections}]",
                        "ManageConnections on this API's stage only; connection ids are only known at run time.")
        worker = ref(functions.worker.node.default_child, "Arn")
        acknowledge(functions.chat.role, f"AwsSolutions-IAM5[Resource::{worker}:*]",
                    "Invoking the worker function, any of its versions; no other function.")
