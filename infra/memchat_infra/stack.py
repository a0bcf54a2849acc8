"""The memchat stack: composes the constructs and does all the wiring, every grant and setting visible here."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from memchat.handlers.authorizer import REFUSED_LOG_MESSAGE
from memchat_infra.api import ChatApi
from memchat_infra.auth import Auth
from memchat_infra.config import LOG_RETENTION_DAYS, MemchatConfig
from memchat_infra.functions import Functions
from memchat_infra.model import LlmEndpoint
from memchat_infra.monitoring import MonitoredEndpoint, Monitoring, worker_metric
from memchat_infra.nag import account, acknowledge, ref
from memchat_infra.storage import Storage
from memchat_infra.streams import FailedBatches, finished_answers, searchable_changes

# RetentionDays lists the same periods in the same order, then INFINITE.
RETENTION = dict(zip(LOG_RETENTION_DAYS, list(logs.RetentionDays)[:-1], strict=True))
# The memory work's stream batches: small (each record may call the model), retried record by record.
DIGEST_BATCH_SIZE = 10
DIGEST_RETRY_ATTEMPTS = 5
DIGEST_MAX_RECORD_AGE = Duration.days(1)
# A record waiting longer than this means the memory work is falling behind or stuck on a batch.
DIGEST_ITERATOR_AGE_ALARM = Duration.minutes(10)
# The search index: small batches, so a new message is searchable within about a second (docs/search.md).
INDEX_BATCH_SIZE = 25
INDEX_ITERATOR_AGE_ALARM = Duration.minutes(1)
# A model on the GPU this long without one invocation is a night switch that did not happen.
IDLE_GPU_ALARM_HOURS = 3


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

        # The same settings for every handler: cloud and laptop differ only in these values.
        environment = {
            setting("table_name"): storage.chat_table.table_name,
            setting("connections_table_name"): storage.connections_table.table_name,
            setting("endpoint_name"): model.endpoint_name,
            # The container the endpoint runs, so the backend builds its requests for that server.
            setting("model_server"): config.model_server,
            # An endpoint that hosts a component is invoked with its name (InvokeEndpoint InferenceComponentName).
            **({setting("inference_component_name"): model.component_name} if model.component_name else {}),
            setting("model_max_tokens"): str(config.max_total_tokens),
            setting("max_new_tokens"): str(config.max_new_tokens),
            setting("model_timeout_seconds"): str(config.model_timeout_seconds),
            setting("jwks_url"): auth.jwks_url,
            setting("jwt_issuer"): auth.issuer,
            setting("jwt_audience"): auth.audience,
            setting("log_level"): config.log_level,
            # Powertools' Logger reads its level from here itself.
            "POWERTOOLS_LOG_LEVEL": config.log_level,
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
            log_level=config.log_level,
            snap_start=config.snap_start,
        )
        api = ChatApi(
            self,
            "WebSocket",
            authorizer=functions.live(functions.authorizer),
            connect=functions.live(functions.connect),
            disconnect=functions.live(functions.disconnect),
            chat=functions.live(functions.chat),
            stage_name=config.stage_name,
            throttle_rate_limit=config.throttle_rate_limit,
            throttle_burst_limit=config.throttle_burst_limit,
            log_retention=retention,
            set_account_logging_role=config.api_gateway_cloudwatch_role,
        )
        for function in functions.all:
            function.add_environment(setting("callback_url"), api.stage.callback_url)
        # The chat function hands work to the worker, and the sweep hands it an answer that waited for the model
        # to wake (the worker cannot name itself: a cycle).
        for function in (functions.chat, functions.sweep):
            function.add_environment(setting("worker_function_name"), functions.live(functions.worker).function_name)

        # The memory work: every answer's final write, from the chat table's stream; a batch given up on
        # (retries spent or a day old) is recorded in the failed-batches queue.
        failed_digests = FailedBatches(self, "FailedDigests")
        functions.digest.add_event_source(sources.DynamoEventSource(
            storage.chat_table,
            starting_position=lambda_.StartingPosition.LATEST,
            filters=[finished_answers()],
            batch_size=DIGEST_BATCH_SIZE,
            report_batch_item_failures=True,
            bisect_batch_on_error=True,
            retry_attempts=DIGEST_RETRY_ATTEMPTS,
            max_record_age=DIGEST_MAX_RECORD_AGE,
            parallelization_factor=1,
            on_failure=sources.SqsDlq(failed_digests.queue),
        ))

        # The search index: every change to searchable text, from the same stream, in a mapping of its own so
        # it never waits behind the memory work's model calls.
        failed_indexing = FailedBatches(self, "FailedIndexing")
        functions.index.add_event_source(sources.DynamoEventSource(
            storage.chat_table,
            starting_position=lambda_.StartingPosition.LATEST,
            filters=searchable_changes(),
            batch_size=INDEX_BATCH_SIZE,
            report_batch_item_failures=True,
            bisect_batch_on_error=True,
            retry_attempts=DIGEST_RETRY_ATTEMPTS,
            max_record_age=DIGEST_MAX_RECORD_AGE,
            parallelization_factor=1,  # one batch at a time per shard: an item's changes apply in order
            on_failure=sources.SqsDlq(failed_indexing.queue),
        ))

        # Grants: every permission any function has is here.
        # connect/disconnect keep the connections table; chat, worker and rescue read and write memory and post
        # frames; digest reads and writes memory and calls the model.
        storage.connections_table.grant_read_write_data(functions.connect)
        storage.connections_table.grant_read_write_data(functions.disconnect)
        for function in (functions.chat, functions.worker, functions.rescue, functions.digest, functions.index,
                         functions.sweep):
            storage.chat_table.grant_read_write_data(function)
        for function in (functions.chat, functions.worker, functions.rescue, functions.sweep):
            api.stage.grant_management_api_access(function)
        # The sweep every minute (EventBridge's finest rate): with the 30 s answer lease, every answer ends
        # within 90 s of its worker's death (docs/protocol.md, "Every answer ends").
        events.Rule(self, "SweepSchedule", schedule=events.Schedule.rate(Duration.minutes(1)),
                    description="memchat: end answers whose worker is gone",
                    targets=[targets.LambdaFunction(functions.sweep, retry_attempts=0)])
        functions.live(functions.worker).grant_invoke(functions.chat)
        functions.live(functions.worker).grant_invoke(functions.sweep)
        model.grant_invoke(functions.worker)
        model.grant_wake(functions.worker)
        model.grant_invoke(functions.digest)
        self._acknowledge_grants(functions, storage, api, config.stage_name)

        monitored_endpoint = (MonitoredEndpoint.component(model.component_name) if model.component_name
                              else MonitoredEndpoint.variant(model.endpoint_name, model.variant_name))
        monitoring = Monitoring(
            self,
            "Monitoring",
            functions={"Authorizer": functions.authorizer, "Connect": functions.connect,
                       "Disconnect": functions.disconnect, "Chat": functions.chat, "Worker": functions.worker,
                       "Rescue": functions.rescue, "Digest": functions.digest, "Index": functions.index,
                       "Sweep": functions.sweep},
            tables={"Chat": storage.chat_table, "Connections": storage.connections_table},
            endpoint=monitored_endpoint,
            alarm_email=config.alarm_email,
            ttft_alarm_ms=config.ttft_alarm_ms,
            model_latency_alarm_seconds=config.model_latency_alarm_seconds,
        )
        # Lost generations: any rescue is a dropped answer; a dropped event never even reached rescue.
        monitoring.alarm("GenerationsRescued", functions.rescue.metric_invocations(statistic="Sum"),
                         threshold=1, description="a generation failed for good: rescue marked it failed")
        monitoring.alarm("WorkerEventsDropped", functions.worker.metric("AsyncEventsDropped", statistic="Sum"),
                         threshold=1, description="Lambda dropped worker invocations without a destination")
        # An answer ended by the sweep: its worker died, timed out or never started.
        monitoring.alarm("AnswersSwept", worker_metric("AnswersSwept", "Sum"), threshold=1,
                         description="the sweep ended an answer whose worker was gone")
        # The memory work: a batch given up on, or the stream falling behind.
        monitoring.alarm("DigestBatchesFailed",
                         failed_digests.queue.metric_approximate_number_of_messages_visible(statistic="Maximum"),
                         threshold=1, description="memory work gave up on a batch of answers (see the queue)")
        monitoring.alarm("DigestIteratorAge", functions.digest.metric("IteratorAge", statistic="Maximum"),
                         threshold=DIGEST_ITERATOR_AGE_ALARM.to_milliseconds(),
                         description="the memory work is more than 10 minutes behind the chat table")
        # The search index: a batch given up on (its words stay findable until the item changes again, and
        # never wrongly: hits are checked against the live items), or the index falling behind.
        monitoring.alarm("IndexBatchesFailed",
                         failed_indexing.queue.metric_approximate_number_of_messages_visible(statistic="Maximum"),
                         threshold=1, description="the search index gave up on a batch of changes (see the queue)")
        monitoring.alarm("IndexIteratorAge", functions.index.metric("IteratorAge", statistic="Maximum"),
                         threshold=INDEX_ITERATOR_AGE_ALARM.to_milliseconds(),
                         description="the search index is more than a minute behind the chat table")
        # Refused tokens are answers (Deny), counted from the authorizer's log: a high share is the alarm.
        monitoring.alarm_on_refusals(authorizer=functions.authorizer, message=REFUSED_LOG_MESSAGE)
        # Memory's quality: the digests' counters and the junk proxy (docs/memory.md, "Watching quality").
        monitoring.watch_memory_quality()
        # The WebSocket API itself: integrations that failed and requests API Gateway could not run.
        monitoring.alarm("ApiIntegrationErrors", api.stage.metric("IntegrationError", statistic="Sum"),
                         threshold=5, description="5 or more WebSocket requests whose integration failed")
        monitoring.alarm("ApiExecutionErrors", api.stage.metric("ExecutionError", statistic="Sum"),
                         threshold=5, description="5 or more WebSocket requests API Gateway failed to run")
        # Scaling, watched by what it does (Application Auto Scaling sends no failed activity to EventBridge):
        # an answer that found no copy running (a morning switch or scale-out that did not happen), a GPU left
        # on with nobody asking (an evening switch that did not happen), and the copies at their maximum.
        if model.component_name:
            monitoring.alarm_on_no_capacity(endpoint=monitored_endpoint)
        if config.scheduled:
            monitoring.alarm_on_idle_gpu(endpoint=monitored_endpoint, hours=IDLE_GPU_ALARM_HOURS)
        if config.autoscaling:
            monitoring.notify_on_scaled_to_max(resource_id=model.scaling_resource_id,
                                               max_capacity=config.max_instances)

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
        for function in (functions.chat, functions.worker, functions.rescue, functions.digest, functions.index,
                         functions.sweep):
            acknowledge(function.role, f"AwsSolutions-IAM5[Resource::{chat_table}/index/*]",
                        "The chat table's own indexes (byUser lists conversations, pinned its pins, inflight finds "
                        "stale answers).")
        for function in (functions.chat, functions.worker, functions.rescue, functions.sweep):
            acknowledge(function.role, f"AwsSolutions-IAM5[Resource::{connections}]",
                        "ManageConnections on this API's stage only; connection ids are only known at run time.")
        rescue = ref(functions.rescue.node.default_child, "Arn")
        acknowledge(functions.worker.role, f"AwsSolutions-IAM5[Resource::{rescue}:*]",
                    "The on-failure destination: Lambda invokes the rescue function (any version) as the worker.")
        for function in (functions.digest, functions.index):
            acknowledge(function.role, "AwsSolutions-IAM5[Resource::*]", "dynamodb:ListStreams, which the "
                        "stream's event source mapping needs, has no resource-level permissions.")
        worker = ref(functions.worker.node.default_child, "Arn")
        for function in (functions.chat, functions.sweep):
            acknowledge(function.role, f"AwsSolutions-IAM5[Resource::{worker}:*]",
                        "Invoking the worker function, any of its versions; no other function.")
