"""cdk-nag's AwsSolutions pack: no finding left unacknowledged, and every acknowledgement says why."""

from __future__ import annotations

import pytest
from aws_cdk import App
from aws_cdk import aws_sns as sns

from memchat_infra import add_memchat

from .cfn import resources
from .stacks import DEFAULT, NO_BUNDLING


def _acknowledgements(template):
    found = []
    for logical_id, resource in template.to_json()["Resources"].items():
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            found.append((logical_id, rule["id"], rule["reason"]))
    return found


def test_both_deployments_synthesize_with_no_unacknowledged_finding(template, everything_on):
    # The fixtures synthesize with the checks on; an unacknowledged finding raises ValidationFailed there.
    assert resources(template, "AWS::Lambda::Function")
    assert resources(everything_on, "AWS::SageMaker::InferenceComponent")


def test_the_checks_do_fail_a_synth_with_a_new_finding(tmp_path):
    app = App(context=NO_BUNDLING, outdir=str(tmp_path))
    stack = add_memchat(app, config=DEFAULT)
    sns.Topic(stack, "UnencryptedTopicWithoutSsl")
    with pytest.raises(RuntimeError, match="AwsSolutions-SNS3"):
        app.synth()


def test_every_acknowledgement_gives_its_reason(template, everything_on):
    for tmpl in (template, everything_on):
        acknowledgements = _acknowledgements(tmpl)
        assert acknowledgements
        for logical_id, rule, reason in acknowledgements:
            assert rule.startswith("AwsSolutions-"), (logical_id, rule)
            assert len(reason) >= 40, (logical_id, rule, reason)


def test_no_acknowledgement_excuses_a_wildcard_action(template, everything_on):
    for tmpl in (template, everything_on):
        assert not [rule for _, rule, _ in _acknowledgements(tmpl) if "[Action::" in rule]
