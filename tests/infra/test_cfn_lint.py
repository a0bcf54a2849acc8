"""AWS's cfn-lint over every deployment the tests synthesize: no error, in the deployment's own region."""

from __future__ import annotations

import json

import pytest
from cfnlint.api import ManualArgs, lint

from .stacks import VARIANTS, synthesize


@pytest.mark.parametrize("name", VARIANTS)
def test_cfn_lint_finds_no_error(name, tmp_path):
    """cfn-lint checks each resource against CloudFormation's own resource schemas for the region (property
    names, types, enums such as PredefinedMetricType, required properties) and its E rules; an E finding
    is a template CloudFormation would reject or that cannot work. Source: github.com/aws-cloudformation/cfn-lint."""
    config = VARIANTS[name]
    template = synthesize(config, tmp_path).to_json()
    matches = lint(json.dumps(template), config=ManualArgs(regions=[config.region]))
    errors = [f"{m.rule.id} {'/'.join(map(str, m.path))}: {m.message}" for m in matches if m.rule.id.startswith("E")]
    assert not errors, "\n".join(errors)
