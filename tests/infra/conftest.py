"""Fixtures: the memchat stack synthesized once per test module, bundling skipped, cdk-nag on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

INFRA = Path(__file__).resolve().parents[2] / "infra"
# The CDK app lives in infra/ (it is not an installed package); the backend is installed (memchat).
sys.path.insert(0, str(INFRA))
# jsii runs the CDK library on the Node.js the deploy toolchain pins (infra/package.json, installed by
# `make infra-node`, which `make test` runs first), not on whatever Node the machine has.
PROJECT_NODE = INFRA / "node_modules" / ".bin" / "node"
if PROJECT_NODE.exists():
    os.environ["JSII_NODE"] = str(PROJECT_NODE)

# The CDK is imported once JSII_NODE is set: its JavaScript runtime starts with the first import.
import pytest  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from .stacks import ALWAYS_ON, DEFAULT, EVERYTHING_ON, synthesize  # noqa: E402


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return synthesize(DEFAULT, tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="module")
def everything_on(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return synthesize(EVERYTHING_ON, tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="module")
def always_on(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return synthesize(ALWAYS_ON, tmp_path_factory.mktemp("cdk.out"))
