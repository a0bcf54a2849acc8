"""The token budget: how many tokens a text costs, and how the prompt's tokens are shared out.

The prompt is the system prompt, then the recalled memories, then the conversation's summary, then the
recent window ending with the user's new message. Recall (memories plus summary) has a bounded share;
the window gets the rest, so a long conversation or a long memory never pushes the prompt over.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from memchat.settings import Settings

# Template tokens around each message (role markers, separators): generous for common chat templates.
MESSAGE_OVERHEAD_TOKENS = 8


def estimate_tokens(text: str) -> int:
    """A conservative token count for text the model has not measured for us.

    Subword tokenizers spend about four bytes per token on English: half the bytes of ASCII text stays above
    the real count. Other scripts cost far more in tokenizers trained mostly on English (SmolLM2 spends 0.55
    tokens per byte of Japanese, and one per byte on rarer ideographs), and a byte-level tokenizer never
    spends more than one token per byte: so each byte of a character outside ASCII counts as a token.
    """
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / 2) + len(text.encode()) - ascii_chars + MESSAGE_OVERHEAD_TOKENS


def memory_budget(settings: Settings) -> int:
    """Tokens the remembered context may use: the prompt's budget less the system prompt."""
    return settings.prompt_budget - estimate_tokens(settings.system_prompt)


def window_budget(settings: Settings) -> int:
    """Tokens the recent window always has, whatever recall takes: the summary folds what falls past it."""
    return memory_budget(settings) - settings.recall_budget_tokens
