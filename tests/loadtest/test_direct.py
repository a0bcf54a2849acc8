"""The baseline builds the worker's prompt: system prompt, newest turns within the budget, the new message."""

from __future__ import annotations

import pytest

from loadtest.direct import SYSTEM_PROMPT, DirectConversation, DirectModel, DirectResult, endpoint_client
from memchat.memory import estimate_tokens
from memchat.model import ChatMessage
from memchat_local.replay import ReplayEngine
from tests.local.conftest import ENDPOINT_NAME, serve


def test_the_first_prompt_is_the_system_prompt_and_the_message() -> None:
    conversation = DirectConversation(max_new_tokens=64)
    assert conversation.prompt("Hello!") == [ChatMessage("system", SYSTEM_PROMPT), ChatMessage("user", "Hello!")]


def test_later_prompts_carry_the_conversation_oldest_first() -> None:
    conversation = DirectConversation(max_new_tokens=64)
    conversation.remember("Hi, I am Ann.", DirectResult(text="Hello Ann!", completion_tokens=4))
    assert [m.content for m in conversation.prompt("Who am I?")] == [
        SYSTEM_PROMPT, "Hi, I am Ann.", "Hello Ann!", "Who am I?",
    ]


def test_the_oldest_turns_fall_out_once_the_budget_is_full() -> None:
    text = "x" * 200  # 108 estimated tokens
    budget_for_turns = 600
    max_new = 2048 - budget_for_turns - estimate_tokens(SYSTEM_PROMPT)
    conversation = DirectConversation(max_new_tokens=max_new)
    for index in range(5):
        conversation.remember(f"{index}{text}", DirectResult(text=f"answer {index}", completion_tokens=100))
    prompt = conversation.prompt(text)
    kept = [m.content for m in prompt[1:]]
    assert kept[-1] == text
    assert kept[0].startswith("3")  # turns 3 and 4 fit; turn 2 would overflow the budget
    used = sum(estimate_tokens(m.content) if m.role == "user" else 108 for m in prompt[1:])
    assert used <= budget_for_turns


def test_a_failed_answer_leaves_only_the_question_in_memory() -> None:
    conversation = DirectConversation(max_new_tokens=64)
    conversation.remember("Hello?", DirectResult(text="", completion_tokens=0))
    assert [m.role for m in conversation.prompt("Again?")] == ["system", "user", "user"]


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_the_baseline_reads_the_endpoint_in_its_servers_wire(server: str) -> None:
    with serve(ReplayEngine(ttft_ms=0, tokens_per_second=5000, reply_tokens=8), server=server) as endpoint:
        model = DirectModel(endpoint_client(endpoint.url), endpoint_name=ENDPOINT_NAME, max_tokens=8,
                            server=server)  # type: ignore[arg-type]
        result = model.generate([ChatMessage("user", "Hi")])

    assert result.error is None
    assert (result.completion_tokens, len(result.text.split())) == (8, 8)

