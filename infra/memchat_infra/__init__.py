"""memchat's AWS CDK app: one stack composing small constructs, configured in one place."""

from memchat_infra.config import ConfigError, MemchatConfig, load_config
from memchat_infra.deployment import add_memchat
from memchat_infra.stack import MemchatStack

__all__ = ["ConfigError", "MemchatConfig", "MemchatStack", "add_memchat", "load_config"]
