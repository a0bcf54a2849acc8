"""cdk-nag's AwsSolutions pack for the app, and the one way a construct acknowledges a finding, with its reason."""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, CfnElement, Stack, Token, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def add_checks(app: App) -> None:
    """Run AwsSolutions on every synth; any finding not acknowledged fails the synth.

    Acknowledgements are also written into each resource's template Metadata (`cdk_nag`), so the
    reasons travel with the template and tests can read them.
    """
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Accept one finding on one construct; the reason says why the rule does not fit here."""
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def ref(resource: CfnElement, attribute: str | None = None) -> str:
    """How cdk-nag writes a reference to a resource of the stack in a finding id, e.g. <Table1234.Arn>."""
    logical_id = Stack.of(resource).get_logical_id(resource)
    return f"<{logical_id}.{attribute}>" if attribute else f"<{logical_id}>"


def account(stack: Stack) -> str:
    """The account as cdk-nag writes it in a finding id: the number when known, else the pseudo parameter."""
    return "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
