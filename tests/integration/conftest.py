"""The real local stack for the integration suite: started once, with the embedded model."""

from __future__ import annotations

import pytest

from tests.integration.stack import LocalStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
    local = LocalStack(tmp_path_factory.mktemp("stack"), mode="llama",
                       extra=("--set", "MEMCHAT_MAX_NEW_TOKENS=48", "--set", "MEMCHAT_TEMPERATURE=0"))
    local.start()
    yield local
    local.stop()


@pytest.fixture(scope="session", params=["tgi", "vllm"])
def slow_stack(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The model endpoint in its load-test (replay) mode, slowed down so that stopping and leaving
    mid-answer happen while the answer is still streaming; an answer nobody follows stops after 1 s. Once
    per model server: the endpoint speaks its wire format and the backend reads it, as in AWS."""
    local = LocalStack(tmp_path_factory.mktemp(f"slow-stack-{request.param}"), mode="replay",
                       extra=("--model-server", request.param,
                              "--replay-ttft-ms", "50", "--replay-tokens-per-second", "20",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=200", "--set", "MEMCHAT_RESUME_GRACE_SECONDS=1"))
    local.start()
    yield local
    local.stop()


@pytest.fixture(scope="session")
def hostile_stack(tmp_path_factory: pytest.TempPathFactory):
    """For the fuzz and abuse suites: the replay model answering at once in a few tokens, and a rate limit
    out of the way of thousands of frames."""
    local = LocalStack(tmp_path_factory.mktemp("hostile-stack"), mode="replay",
                       extra=("--replay-ttft-ms", "0", "--replay-tokens-per-second", "2000",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=6", "--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=100000"))
    local.start()
    yield local
    local.stop()
