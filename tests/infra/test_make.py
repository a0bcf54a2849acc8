"""The CDK targets run without the development toolchain: their own environment, no compiler, Java or root."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEV_ONLY = ("llama", "apt-get", "default-jre", "DynamoDBLocal", ".venv/bin")


def _plan(target: str) -> str:
    # -B: as on a fresh clone, every file target is out of date, so every step the target needs is printed.
    return subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("target", ["synth", "diff", "deploy", "destroy"])
def test_cdk_targets_build_only_the_infra_environment(target):
    plan = _plan(target)
    assert ".tools/infra-venv" in plan and "requirements/infra.in" in plan
    assert not [word for word in DEV_ONLY if word in plan], plan


def test_the_infra_environment_installs_the_cdk_app_and_the_lambda_runtime_set_only():
    (install,) = [line for line in _plan("synth").splitlines() if "-r requirements/" in line]
    assert "-r requirements/infra.in" in install and "-r requirements/lambda.in" in install
    assert "dev.in" not in install and "-c requirements/constraints.txt" in install
