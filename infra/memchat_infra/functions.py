"""The five Lambda functions, one shared code asset, each with its own role and log group and no permissions yet."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat_infra.bundling import lambda_code
from memchat_infra.nag import acknowledge

ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}


@dataclass(frozen=True)
class FunctionSpec:
    """What differs between the handlers."""

    handler: str
    description: str
    memory_mb: int
    timeout: Duration


class Functions(Construct):
    """authorizer, connect, disconnect, chat (every message route) and worker (the generation)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        architecture: str,
        worker_timeout: Duration,
        log_retention: logs.RetentionDays,
        environment: dict[str, str],
    ) -> None:
        super().__init__(scope, id)
        self._code = lambda_code(architecture=architecture)
        self._architecture = ARCHITECTURES[architecture]
        self._retention = log_retention
        self._environment = environment
        short = Duration.seconds(10)
        self.authorizer = self._function("Authorizer", FunctionSpec(
            "memchat.handlers.authorizer.lambda_handler", "WebSocket $connect authorizer: verifies the Cognito JWT",
            256, short))
        self.connect = self._function("Connect", FunctionSpec(
            "memchat.handlers.connect.lambda_handler", "WebSocket $connect: records the connection", 256, short))
        self.disconnect = self._function("Disconnect", FunctionSpec(
            "memchat.handlers.disconnect.lambda_handler", "WebSocket $disconnect: forgets the connection", 256, short))
        # API Gateway gives an integration 29 s; the chat routes answer well within it and hand generation off.
        self.chat = self._function("Chat", FunctionSpec(
            "memchat.handlers.chat.lambda_handler", "WebSocket message routes: chat, history, conversations",
            512, Duration.seconds(29)))
        self.worker = self._function("Worker", FunctionSpec(
            "memchat.handlers.worker.lambda_handler", "Generation worker: streams the model's answer to the socket",
            512, worker_timeout))
        # A retried generation would stream the same answer twice; the worker reports its own failures.
        self.worker.configure_async_invoke(retry_attempts=0, max_event_age=Duration.minutes(5))

    @property
    def all(self) -> tuple[lambda_.Function, ...]:
        return (self.authorizer, self.connect, self.disconnect, self.chat, self.worker)

    def _function(self, id: str, spec: FunctionSpec) -> lambda_.Function:
        log_group = logs.LogGroup(self, f"{id}Logs", retention=self._retention, removal_policy=RemovalPolicy.DESTROY)
        # An own role per function instead of AWSLambdaBasicExecutionRole: writes to its one log group only.
        role = iam.Role(self, f"{id}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"memchat {id} function")
        log_group.grant_write(role)
        function = lambda_.Function(
            self,
            id,
            code=self._code,
            handler=spec.handler,
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=self._architecture,
            memory_size=spec.memory_mb,
            timeout=spec.timeout,
            description=spec.description,
            environment=dict(self._environment),
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
        )
        acknowledge(function, "AwsSolutions-L1", "Python 3.12 is the runtime the backend is built, bundled and "
                    "tested for (requirements/lambda.txt); moving it is a deliberate, separate change.")
        return function
