"""The CDK targets run without the development toolchain: their own environment, no compiler, Java or root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


# ---------------------------------------------------------------- the deploy toolchain's Node.js

INFRA = REPO / "infra"
PROJECT_NODE = INFRA / "node_modules" / ".bin" / "node"
# Node.js lines jsii supports (its end-of-life notice for Node 20, 2026-10-30, lists ^22 and ^24).
SUPPORTED_NODE = (22, 24)


def test_the_toolchain_pins_a_supported_node_from_the_npm_registry():
    """The `node` npm package installs the Node.js binary of its own version into node_modules/.bin (its
    preinstall script fetches node-<platform>-<arch> of that version from the registry); allowScripts lets
    npm run that script without asking."""
    package = json.loads((INFRA / "package.json").read_text())
    lock = json.loads((INFRA / "package-lock.json").read_text())
    version = package["devDependencies"]["node"]
    assert int(version.split(".")[0]) in SUPPORTED_NODE and version.count(".") == 2  # exact, not a range
    assert lock["packages"]["node_modules/node"]["version"] == version
    assert package["allowScripts"] == {"node": True}


def test_every_cdk_command_runs_on_the_pinned_node_without_silencing_anything():
    plan = _plan("synth")
    (synth,) = [line for line in plan.splitlines() if " synth " in line]
    assert f'PATH="{INFRA}/node_modules/.bin:$PATH"' in synth
    assert f'JSII_NODE="{INFRA}/node_modules/.bin/node"' in synth
    assert f'"{INFRA}/node_modules/.bin/cdk"' in synth and "npx" not in synth
    assert "JSII_SILENCE" not in (INFRA / "infra.mk").read_text() + plan


def test_make_test_installs_the_toolchain_before_the_tests_synthesize_with_it():
    plan = _plan("test")
    assert plan.index("cd infra && npm ci") < plan.index("-m pytest")


def test_a_missing_npm_is_one_sentence():
    env = {"PATH": "/nonexistent", "HOME": "/tmp"}
    result = subprocess.run(["/usr/bin/make", "-B", "infra/node_modules/.package-lock.json"], cwd=REPO, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "install Node.js 18 or newer (it brings npm)" in result.stderr


@pytest.mark.skipif(not PROJECT_NODE.exists(), reason="run `make infra-node` (make test does) to install it")
def test_the_cdk_runs_on_the_pinned_node_and_prints_text():
    """jsii's runtime prints a boxed end-of-life notice under Node 20, which its Python side passes on as byte
    strings (b'!!!...'); on the pinned Node there is none, in the CLI or under the Python app."""
    version = subprocess.run([str(PROJECT_NODE), "--version"], capture_output=True, text=True, check=True).stdout
    assert int(version.strip().lstrip("v").split(".")[0]) in SUPPORTED_NODE
    assert os.environ.get("JSII_NODE") == str(PROJECT_NODE)  # tests/infra/conftest.py
    env = os.environ | {"PATH": f"{PROJECT_NODE.parent}:{os.environ['PATH']}", "JSII_NODE": str(PROJECT_NODE)}
    env.pop("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", None)
    cli = subprocess.run([str(PROJECT_NODE.parent / "cdk"), "--version"], cwd=INFRA, env=env, capture_output=True,
                         text=True, check=True)
    app = subprocess.run([sys.executable, "-c", "import aws_cdk; aws_cdk.App().synth()"], cwd=INFRA, env=env,
                         capture_output=True, text=True, check=True)
    output = cli.stdout + cli.stderr + app.stdout + app.stderr
    assert "end-of-life" not in output and "b'" not in output and "!!!" not in output
