"""Fixtures: the memchat stack synthesized once per test module, bundling skipped, cdk-nag on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The CDK app lives in infra/ (it is not an installed package); the backend is installed (memchat).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "infra"))
# jsii's banner about Node 20's end of life would otherwise open every test run (infra.mk does the same).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import pytest
from aws_cdk.assertions import Template

from .stacks import DEFAULT, EVERYTHING_ON, synthesize


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return synthesize(DEFAULT, tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="module")
def everything_on(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return synthesize(EVERYTHING_ON, tmp_path_factory.mktemp("cdk.out"))
