"""The token budget: what a text costs and how the prompt's tokens are shared out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from memchat.memory.budget import MESSAGE_OVERHEAD_TOKENS, estimate_tokens, memory_budget, window_budget


def test_ascii_costs_half_its_bytes_rounded_up_and_every_other_byte_a_token_plus_the_template_overhead():
    assert estimate_tokens("abc") == 2 + MESSAGE_OVERHEAD_TOKENS
    assert estimate_tokens("Lisboa é bonita") == 7 + 2 + MESSAGE_OVERHEAD_TOKENS  # 14 ASCII, é takes two bytes
    assert estimate_tokens("灯" * 10) == 30 + MESSAGE_OVERHEAD_TOKENS  # three bytes each


def test_an_empty_text_still_costs_the_template_overhead():
    assert estimate_tokens("") == MESSAGE_OVERHEAD_TOKENS


@given(st.text())
def test_the_estimate_never_falls_below_half_the_utf8_bytes_nor_exceeds_them(text):
    assert len(text.encode()) / 2 + MESSAGE_OVERHEAD_TOKENS <= estimate_tokens(text)
    assert estimate_tokens(text) <= len(text.encode()) + 1 + MESSAGE_OVERHEAD_TOKENS, "at most a token a byte"


def test_the_memory_budget_is_the_prompt_budget_less_the_system_prompt(settings):
    assert memory_budget(settings) == settings.prompt_budget - estimate_tokens(settings.system_prompt)


def test_the_window_keeps_the_memory_budget_less_recalls_share(settings):
    assert window_budget(settings) == memory_budget(settings) - settings.recall_budget_tokens
    assert window_budget(settings) > settings.recall_budget_tokens
