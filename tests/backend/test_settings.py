"""The settings object: the model server and its repetition control, read from MEMCHAT_* and checked at cold start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from memchat.settings import Settings


def test_the_model_server_is_tgi_unless_the_stage_says_vllm(monkeypatch: pytest.MonkeyPatch):
    assert Settings().model_server == "tgi"
    monkeypatch.setenv("MEMCHAT_MODEL_SERVER", "vllm")
    assert Settings().model_server == "vllm"


def test_a_model_server_memchat_cannot_read_fails_the_cold_start(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MEMCHAT_MODEL_SERVER", "lmi")
    with pytest.raises(ValidationError, match="model_server"):
        Settings()


def test_the_repetition_penalty_is_on_unless_the_stage_turns_it_off(monkeypatch: pytest.MonkeyPatch):
    assert Settings().repetition_penalty == 1.1
    monkeypatch.setenv("MEMCHAT_REPETITION_PENALTY", "1.0")
    assert Settings().repetition_penalty == 1.0


@pytest.mark.parametrize("penalty", ["0", "4", "-1"])
def test_a_repetition_penalty_outside_what_tgi_can_be_sent_fails_the_cold_start(monkeypatch, penalty: str):
    # TGI reaches it as presence_penalty + 2, and presence_penalty lies in (-2, 2).
    monkeypatch.setenv("MEMCHAT_REPETITION_PENALTY", penalty)
    with pytest.raises(ValidationError, match="repetition_penalty"):
        Settings()
