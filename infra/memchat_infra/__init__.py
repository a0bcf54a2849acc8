"""memchat's AWS CDK app: one stack composing small constructs, configured in one place.

The stack and the app load the AWS CDK (a JavaScript runtime under the hood) only when first used, so the
pre-flight, which reads the configuration alone, starts no Node.js process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memchat_infra.config import ConfigError, MemchatConfig, load_config

if TYPE_CHECKING:
    from memchat_infra.deployment import add_memchat
    from memchat_infra.stack import MemchatStack

__all__ = ["ConfigError", "MemchatConfig", "MemchatStack", "add_memchat", "load_config"]


def __getattr__(name: str) -> Any:
    if name == "add_memchat":
        from memchat_infra.deployment import add_memchat

        return add_memchat
    if name == "MemchatStack":
        from memchat_infra.stack import MemchatStack

        return MemchatStack
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
