"""From cdk context to the configured stack, with cdk-nag's AwsSolutions checks on."""

from __future__ import annotations

import os

from aws_cdk import App, Environment

from memchat_infra.config import MemchatConfig, load_config
from memchat_infra.nag import add_checks
from memchat_infra.stack import MemchatStack


def add_memchat(app: App, *, config: MemchatConfig | None = None) -> MemchatStack:
    """Add the memchat stack to an app; the config comes from the app's context unless given."""
    config = config or load_config(app.node.get_all_context())
    # The region is always explicit (it picks the model image); the account may come from the CLI's credentials.
    account = config.account or os.environ.get("CDK_DEFAULT_ACCOUNT")
    stack = MemchatStack(app, config.stack_name, config=config, env=Environment(account=account, region=config.region))
    add_checks(app)
    return stack
