"""The Lambda functions, one shared code asset, each with its own role and log group and no permissions yet."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat_infra.bundling import lambda_code
from memchat_infra.nag import acknowledge

ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}
# Lambda's log-level filter for JSON logs (advanced logging controls) by Python's level names: it drops
# lines below the level before they reach CloudWatch, whatever the code logs.
APPLICATION_LOG_LEVELS = {
    "DEBUG": lambda_.ApplicationLogLevel.DEBUG, "INFO": lambda_.ApplicationLogLevel.INFO,
    "WARNING": lambda_.ApplicationLogLevel.WARN, "ERROR": lambda_.ApplicationLogLevel.ERROR,
    "CRITICAL": lambda_.ApplicationLogLevel.FATAL,
}
# The worker's asynchronous invocations: Lambda retries a failed one twice (1 and 2 minutes later) and
# discards an event older than this; either way the on-failure destination (rescue) gets the record.
WORKER_RETRY_ATTEMPTS = 2
WORKER_MAX_EVENT_AGE = Duration.minutes(15)
LIVE_ALIAS = "live"


@dataclass(frozen=True)
class FunctionSpec:
    """What differs between the handlers."""

    handler: str
    description: str
    memory_mb: int
    timeout: Duration


class Functions(Construct):
    """authorizer, connect, disconnect, chat (every message route), worker (the generation), sweep (ends
    answers whose worker is gone), rescue (a
    generation Lambda gave up on) and digest (memory work after each answer)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        architecture: str,
        worker_timeout: Duration,
        log_retention: logs.RetentionDays,
        environment: dict[str, str],
        log_level: str,
        snap_start: bool,
    ) -> None:
        super().__init__(scope, id)
        self._log_level = APPLICATION_LOG_LEVELS[log_level]
        self._snap_start = snap_start
        self._aliases: dict[str, lambda_.Alias] = {}
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
        self.rescue = self._function("Rescue", FunctionSpec(
            "memchat.handlers.rescue.lambda_handler", "A generation Lambda gave up on: marks the answer failed, "
            "tells the client", 256, Duration.seconds(30)))
        # The model writes summaries, titles and memories here: seconds per call, a few calls per batch.
        self.digest = self._function("Digest", FunctionSpec(
            "memchat.handlers.digest.lambda_handler", "Memory work after each answer (chat table stream)",
            512, Duration.seconds(120)))
        # The search index: postings from the same stream, milliseconds a record, apart from the model's work.
        self.index = self._function("Index", FunctionSpec(
            "memchat.handlers.index.lambda_handler", "Search index after each change to a message (chat table stream)",
            256, Duration.seconds(30)))
        # Every minute: answers whose worker is gone (their lease ran out) end, and their clients are told.
        self.sweep = self._function("Sweep", FunctionSpec(
            "memchat.handlers.sweep.lambda_handler", "Ends answers whose worker is gone and tells their clients",
            256, Duration.seconds(60)))
        # The request path starts from a snapshot when SnapStart is on: a connection, a message and the first
        # token each wait for one of these to start. Rescue and digest run in the background.
        if snap_start:
            for function in (self.authorizer, self.connect, self.disconnect, self.chat, self.worker):
                self._aliases[function.node.id] = self._live_alias(function)
        # Lambda's invocation record (requestPayload = the job) goes to rescue when the retries are spent or
        # the event expired in the queue; the worker claims the answer, so a retry never streams it twice.
        # The configuration belongs to the qualifier the chat function invokes (the alias under SnapStart).
        self.live(self.worker).configure_async_invoke(
            retry_attempts=WORKER_RETRY_ATTEMPTS,
            max_event_age=WORKER_MAX_EVENT_AGE,
            on_failure=destinations.LambdaDestination(self.rescue, response_only=False),
        )

    def live(self, function: lambda_.Function) -> lambda_.IFunction:
        """What callers invoke: the `live` alias of the newest published version under SnapStart (a snapshot
        exists only for published versions), else the function itself."""
        return self._aliases.get(function.node.id, function)

    def _live_alias(self, function: lambda_.Function) -> lambda_.Alias:
        cfn_function: lambda_.CfnFunction = function.node.default_child
        cfn_function.snap_start = lambda_.CfnFunction.SnapStartProperty(apply_on="PublishedVersions")
        return lambda_.Alias(self, f"{function.node.id}Live", alias_name=LIVE_ALIAS, version=function.current_version)

    @property
    def all(self) -> tuple[lambda_.Function, ...]:
        return (self.authorizer, self.connect, self.disconnect, self.chat, self.worker, self.rescue, self.digest,
                self.index, self.sweep)

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
            application_log_level_v2=self._log_level,
            system_log_level_v2=lambda_.SystemLogLevel.INFO,
        )
        acknowledge(function, "AwsSolutions-L1", "Python 3.12 is the runtime the backend is built, bundled and "
                    "tested for (requirements/lambda.txt); moving it is a deliberate, separate change.")
        return function
