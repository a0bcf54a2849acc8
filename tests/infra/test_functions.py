"""The Lambda functions: the backend's handlers on Python 3.12, configured with the backend's own setting names."""

from __future__ import annotations

import pytest

from memchat.settings import Settings

from .cfn import env, function, function_id, mentions, only, resources
from .stacks import DEFAULT, EVERYTHING_ON

HANDLERS = ("authorizer", "connect", "disconnect", "chat", "worker")


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
        assert {name.removeprefix("MEMCHAT_").lower() for name in names} <= set(Settings.model_fields)


def test_chat_and_worker_get_the_table_endpoint_and_callback_url(template):
    tables = resources(template, "AWS::DynamoDB::Table")
    chat_table = next(lid for lid, t in tables.items() if t["Properties"]["KeySchema"][0]["AttributeName"] == "pk")
    connections = next(lid for lid in tables if lid != chat_table)
    api_id, _ = only(template, "AWS::ApiGatewayV2::Api")
    for handler in ("chat", "worker"):
        variables = env(template, handler)
        assert variables["MEMCHAT_TABLE_NAME"] == {"Ref": chat_table}
        assert variables["MEMCHAT_CONNECTIONS_TABLE_NAME"] == {"Ref": connections}
        assert variables["MEMCHAT_ENDPOINT_NAME"] == DEFAULT.endpoint_name
        callback = variables["MEMCHAT_CALLBACK_URL"]
        assert mentions(callback, "https://") and mentions(callback, {"Ref": api_id})
        assert mentions(callback, f".execute-api.{DEFAULT.region}.") and mentions(callback, f"/{DEFAULT.stage_name}")


def test_only_chat_is_told_the_worker_name(template):
    assert env(template, "chat")["MEMCHAT_WORKER_FUNCTION_NAME"] == {"Ref": function_id(template, "worker")}
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
    assert int(container["MAX_TOTAL_TOKENS"]) == window == config.max_total_tokens
    assert int(container["MAX_INPUT_TOKENS"]) == window - answer == config.max_input_tokens
    # The backend accepts these values (it refuses an answer budget that leaves no room for a prompt).
    settings = Settings(model_max_tokens=window, max_new_tokens=answer)
    assert settings.prompt_budget == config.max_input_tokens


def test_extra_backend_settings_reach_the_functions(everything_on):
    assert env(everything_on, "worker")["MEMCHAT_TEMPERATURE"] == "0.3"


def test_the_worker_outlasts_a_long_answer_and_is_never_retried(template):
    worker = function(template, "worker")["Properties"]
    assert worker["Timeout"] == DEFAULT.worker_timeout_seconds >= 300
    assert float(env(template, "worker")["MEMCHAT_MODEL_TIMEOUT_SECONDS"]) < worker["Timeout"]
    _, invoke_config = only(template, "AWS::Lambda::EventInvokeConfig")
    assert invoke_config["Properties"]["MaximumRetryAttempts"] == 0
    assert invoke_config["Properties"]["FunctionName"] == {"Ref": function_id(template, "worker")}


def test_message_routes_finish_within_api_gateways_integration_timeout(template):
    assert function(template, "chat")["Properties"]["Timeout"] <= 29


def test_every_function_logs_to_its_own_group_with_retention(template):
    groups = resources(template, "AWS::Logs::LogGroup")
    for handler in HANDLERS:
        group = function(template, handler)["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group]["Properties"]["RetentionInDays"] == DEFAULT.log_retention_days
