#!/usr/bin/env python3
"""The CDK app: memchat's one stack (configure it in memchat_infra/config.py, a config file or cdk context)."""

from aws_cdk import App

from memchat_infra.deployment import add_memchat

app = App()
add_memchat(app)
app.synth()
