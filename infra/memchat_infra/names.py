"""The names the stack chooses itself (SageMaker resources, their log groups, alarms): one place, no CDK import,
so the pre-flight can compute them without starting the CDK's JavaScript runtime."""

from __future__ import annotations

import re

# SageMaker's names: letters, digits and inner hyphens, at most 63 characters.
_NAME_MAX = 63
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9-]+")


def resource_name(stack_name: str, suffix: str) -> str:
    """A SageMaker name unique per stack (stack names are unique per account and region)."""
    base = _NOT_IN_NAME.sub("-", stack_name).strip("-")[: _NAME_MAX - len(suffix) - 1].rstrip("-")
    return f"{base}-{suffix}"


def endpoint_name(stack_name: str, configured: str | None = None) -> str:
    """The endpoint: the configured name, else "<stack>-llm"."""
    return configured or resource_name(stack_name, "llm")


def component_name(stack_name: str) -> str:
    """The inference component that holds the model: "<stack>-tgi"."""
    return resource_name(stack_name, "tgi")


def endpoint_log_group_name(endpoint_name: str) -> str:
    """Where SageMaker writes an endpoint's container logs (it creates the group unless it exists)."""
    return f"/aws/sagemaker/Endpoints/{endpoint_name}"


def component_log_group_name(component_name: str) -> str:
    """Where SageMaker writes an inference component's container logs."""
    return f"/aws/sagemaker/InferenceComponents/{component_name}"


def alarm_name(stack_name: str, id: str) -> str:
    """Every alarm is "<stack>-<id>", so one pattern, "<stack>-*", names all of a stack's alarms."""
    return f"{stack_name}-{id}"
