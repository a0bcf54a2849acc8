"""The integration suite's harness lives with the local stack, where benchmarks use it too."""

from memchat_local.harness import Answer, Client, LocalStack

__all__ = ["Answer", "Client", "LocalStack"]
