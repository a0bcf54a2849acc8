"""The Lambda functions: the backend's handlers on Python 3.12, configured with the backend's own setting names."""

from __future__ import annotations

import pytest
from aws_cdk import App, Environment
from aws_cdk.assertions import Template

from memchat.settings import Settings
from memchat_infra import ConfigError, MemchatConfig, MemchatStack

from .cfn import env, function, function_id, mentions, only, resources
from .stacks import DEFAULT, EVERYTHING_ON, NO_BUNDLING

HANDLERS = ("authorizer", "connect", "disconnect", "chat", "worker", "rescue", "digest", "index", "sweep")
# Set by the stack ahead of the backend: a Settings field of that name is still to come.
AHEAD_OF_THE_BACKEND: set[str] = set()


@pytest.mark.parametrize("handler", HANDLERS)
def test_each_handler_runs_on_python_312_with_json_logs(template, handler):
    properties = function(template, handler)["Properties"]
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["arm64"]
    assert properties["LoggingConfig"]["LogFormat"] == "JSON"


def test_architecture_is_a_setting(everything_on):
    assert function(everything_on, "worker")["Properties"]["Architectures"] == ["x86_64"]


@pytest.mark.parametrize("handler", HANDLERS)
def test_every_memchat_variable_is_a_field_of_the_backend_settings(template, everything_on, handler):
    # Re-read at test time: a renamed or removed Settings field fails here, not in production.
    for tmpl in (template, everything_on):
        names = {name for name in env(tmpl, handler) if name.startswith("MEMCHAT_")}
        assert names
        fields = {name.removeprefix("MEMCHAT_").lower() for name in names}
        assert fields <= set(Settings.model_fields) | AHEAD_OF_THE_BACKEND


def test_chat_and_worker_get_the_table_endpoint_and_callback_url(template):
    """The endpoint and component are named after the stack (stack names are unique per account and
    region, SageMaker names are too), so a second stack in the account gets its own."""
    tables = resources(template, "AWS::DynamoDB::Table")
    chat_table = next(lid for lid, t in tables.items() if t["Properties"]["KeySchema"][0]["AttributeName"] == "pk")
    connections = next(lid for lid in tables if lid != chat_table)
    api_id, _ = only(template, "AWS::ApiGatewayV2::Api")
    for handler in ("chat", "worker"):
        variables = env(template, handler)
        assert variables["MEMCHAT_TABLE_NAME"] == {"Ref": chat_table}
        assert variables["MEMCHAT_CONNECTIONS_TABLE_NAME"] == {"Ref": connections}
        assert variables["MEMCHAT_ENDPOINT_NAME"] == "Memchat-llm"
        assert variables["MEMCHAT_INFERENCE_COMPONENT_NAME"] == "Memchat-tgi"
        callback = variables["MEMCHAT_CALLBACK_URL"]
        assert mentions(callback, "https://") and mentions(callback, {"Ref": api_id})
        assert mentions(callback, f".execute-api.{DEFAULT.region}.") and mentions(callback, f"/{DEFAULT.stage_name}")


def test_only_chat_and_the_sweep_are_told_the_worker_name(template):
    """The sweep starts the worker again on an answer that waited for the model to wake."""
    for handler in ("chat", "sweep"):
        assert env(template, handler)["MEMCHAT_WORKER_FUNCTION_NAME"] == {"Ref": function_id(template, "worker")}
    assert "MEMCHAT_WORKER_FUNCTION_NAME" not in env(template, "worker")


def test_the_authorizer_checks_tokens_of_this_user_pool_and_client(template):
    variables = env(template, "authorizer")
    pool_id, _ = only(template, "AWS::Cognito::UserPool")
    client_id, _ = only(template, "AWS::Cognito::UserPoolClient")
    issuer = variables["MEMCHAT_JWT_ISSUER"]
    assert mentions(issuer, f"https://cognito-idp.{DEFAULT.region}.") and mentions(issuer, {"Ref": pool_id})
    assert mentions(variables["MEMCHAT_JWKS_URL"], "/.well-known/jwks.json")
    assert mentions(variables["MEMCHAT_JWKS_URL"], {"Ref": pool_id})
    assert variables["MEMCHAT_JWT_AUDIENCE"] == {"Ref": client_id}


@pytest.mark.parametrize(("template_fixture", "config"), [("template", DEFAULT), ("everything_on", EVERYTHING_ON)])
def test_token_limits_agree_between_the_model_and_the_backend(request, template_fixture, config):
    tmpl = request.getfixturevalue(template_fixture)
    variables = env(tmpl, "worker")
    container = only(tmpl, "AWS::SageMaker::Model")[1]["Properties"]["PrimaryContainer"]["Environment"]
    window, answer = int(variables["MEMCHAT_MODEL_MAX_TOKENS"]), int(variables["MEMCHAT_MAX_NEW_TOKENS"])
    assert window - answer == config.max_input_tokens
    if config.model_server == "tgi":
        assert int(container["MAX_TOTAL_TOKENS"]) == window == config.max_total_tokens
        assert int(container["MAX_INPUT_TOKENS"]) == window - answer
    else:  # vLLM has one limit, the window; the backend keeps the prompt to its share itself.
        assert int(container["SM_VLLM_MAX_MODEL_LEN"]) == window == config.max_total_tokens
    # The backend accepts these values (it refuses an answer budget that leaves no room for a prompt).
    settings = Settings(model_max_tokens=window, max_new_tokens=answer)
    assert settings.prompt_budget == config.max_input_tokens


@pytest.mark.parametrize(("template_fixture", "server"), [("template", "tgi"), ("everything_on", "vllm")])
def test_every_model_caller_is_told_the_model_server(request, template_fixture, server):
    """The backend builds each request for the server the endpoint runs (MEMCHAT_MODEL_SERVER); every function
    that calls the model gets it, and the backend reads the value."""
    tmpl = request.getfixturevalue(template_fixture)
    for handler in ("worker", "digest", "chat", "rescue"):
        assert env(tmpl, handler)["MEMCHAT_MODEL_SERVER"] == server
    assert Settings(model_server=server).model_server == server


def test_the_model_server_is_the_stacks_to_set():
    with pytest.raises(ConfigError, match="model_server"):
        MemchatConfig(backend_settings={"model_server": "vllm"})


def test_extra_backend_settings_reach_the_functions(everything_on):
    assert env(everything_on, "worker")["MEMCHAT_TEMPERATURE"] == "0.3"


def test_the_worker_outlasts_a_long_answer(template):
    worker = function(template, "worker")["Properties"]
    assert worker["Timeout"] == DEFAULT.worker_timeout_seconds >= 300
    assert float(env(template, "worker")["MEMCHAT_MODEL_TIMEOUT_SECONDS"]) < worker["Timeout"]


def test_a_generation_lambda_gives_up_on_goes_to_rescue(template):
    """Lambda retries a failed asynchronous invocation up to MaximumRetryAttempts times (0-2) and discards
    an event older than MaximumEventAgeInSeconds (60-21600); either way the on-failure destination gets an
    invocation record whose requestPayload is the original event. Source: AWS Lambda Developer Guide,
    "Retries and destinations for asynchronous invocation" (AWS::Lambda::EventInvokeConfig)."""
    _, invoke_config = only(template, "AWS::Lambda::EventInvokeConfig")
    properties = invoke_config["Properties"]
    assert properties["FunctionName"] == {"Ref": function_id(template, "worker")}
    assert properties["Qualifier"] == "$LATEST"
    assert properties["MaximumRetryAttempts"] == 2
    assert properties["MaximumEventAgeInSeconds"] == 15 * 60
    destination = properties["DestinationConfig"]["OnFailure"]["Destination"]
    assert destination == {"Fn::GetAtt": [function_id(template, "rescue"), "Arn"]}
    assert "OnSuccess" not in properties["DestinationConfig"]


def test_the_memory_work_and_rescue_get_the_workers_settings(template):
    worker = env(template, "worker")
    for handler in ("digest", "rescue"):
        variables = env(template, handler)
        for name in ("MEMCHAT_TABLE_NAME", "MEMCHAT_ENDPOINT_NAME", "MEMCHAT_INFERENCE_COMPONENT_NAME",
                     "MEMCHAT_MAX_NEW_TOKENS", "MEMCHAT_CALLBACK_URL"):
            assert variables[name] == worker[name], (handler, name)
    digest = function(template, "digest")["Properties"]
    assert (digest["Timeout"], digest["MemorySize"]) == (120, 512)


def test_the_log_level_reaches_powertools_and_lambdas_filter(template):
    """Powertools' Logger takes its level from POWERTOOLS_LOG_LEVEL, and with JSON logs Lambda's advanced
    logging controls drop lines below LoggingConfig.ApplicationLogLevel (INFO unless set) before Powertools'
    level matters (Powertools for AWS Lambda (Python), Logger: "AWS Lambda Advanced Logging Controls")."""
    for handler in HANDLERS:
        assert env(template, handler)["POWERTOOLS_LOG_LEVEL"] == DEFAULT.log_level == "INFO"
        logging = function(template, handler)["Properties"]["LoggingConfig"]
        assert (logging["ApplicationLogLevel"], logging["SystemLogLevel"]) == ("INFO", "INFO")
    template = _functions_only(MemchatConfig(log_level="WARNING"))
    assert function(template, "chat")["Properties"]["LoggingConfig"]["ApplicationLogLevel"] == "WARN"
    assert env(template, "chat")["POWERTOOLS_LOG_LEVEL"] == "WARNING"


def _functions_only(config: MemchatConfig):
    """The whole stack without cdk-nag, for a variant that changes only the functions' settings."""
    app = App(context=NO_BUNDLING)
    stack = MemchatStack(app, config.stack_name, config=config,
                         env=Environment(account="123456789012", region=config.region))
    return Template.from_stack(stack)


def test_an_unknown_log_level_is_refused():
    with pytest.raises(ConfigError, match="log_level"):
        MemchatConfig(log_level="VERBOSE")


def test_message_routes_finish_within_api_gateways_integration_timeout(template):
    assert function(template, "chat")["Properties"]["Timeout"] <= 29


def test_every_function_logs_to_its_own_group_with_retention(template):
    groups = resources(template, "AWS::Logs::LogGroup")
    for handler in HANDLERS:
        group = function(template, handler)["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group]["Properties"]["RetentionInDays"] == DEFAULT.log_retention_days


def test_snap_start_serves_the_request_path_from_published_versions(everything_on):
    """SnapStart snapshots a function when a version is published and restores only published versions
    ($LATEST never), so callers must invoke a version or an alias (AWS Lambda Developer Guide, "Improving
    startup performance with Lambda SnapStart"; Python 3.12+ is supported)."""
    aliases = resources(everything_on, "AWS::Lambda::Alias")
    versions = resources(everything_on, "AWS::Lambda::Version")
    snapped = {"authorizer", "connect", "disconnect", "chat", "worker"}
    for handler in HANDLERS:
        properties = function(everything_on, handler)["Properties"]
        if handler in snapped:
            assert properties["SnapStart"] == {"ApplyOn": "PublishedVersions"}, handler
        else:
            assert "SnapStart" not in properties, handler
    by_function = {a["Properties"]["FunctionName"]["Ref"]: a for a in aliases.values()}
    assert set(by_function) == {function_id(everything_on, h) for h in snapped}
    for alias in by_function.values():
        assert alias["Properties"]["Name"] == "live"
        assert alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0] in versions
    # API Gateway invokes the aliases, the chat function invokes the worker's, whose async config is its own.
    integrations = resources(everything_on, "AWS::ApiGatewayV2::Integration").values()
    uris = [integration["Properties"]["IntegrationUri"] for integration in integrations]
    assert uris and all(any(mentions(uri, {"Ref": alias}) for alias in aliases) for uri in uris)
    worker_alias = next(lid for lid, a in aliases.items()
                        if a["Properties"]["FunctionName"] == {"Ref": function_id(everything_on, "worker")})
    assert mentions(env(everything_on, "chat")["MEMCHAT_WORKER_FUNCTION_NAME"], ":live")
    _, invoke_config = only(everything_on, "AWS::Lambda::EventInvokeConfig")
    # The qualifier is the alias's (its name, taken from the alias ARN).
    assert mentions(invoke_config["Properties"]["Qualifier"], {"Ref": worker_alias})


def test_snap_start_is_off_by_default(template):
    template.resource_count_is("AWS::Lambda::Alias", 0)
    assert all("SnapStart" not in function(template, h)["Properties"] for h in HANDLERS)
