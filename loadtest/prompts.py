"""The prompt set (prompts.json) and the conversations users draw from it."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROMPTS_FILE = Path(__file__).with_name("prompts.json")


@dataclass(frozen=True)
class PromptSet:
    conversations: tuple[tuple[str, ...], ...]

    @classmethod
    def load(cls, path: Path = PROMPTS_FILE) -> PromptSet:
        raw = json.loads(path.read_text(encoding="utf-8"))["conversations"]
        conversations = tuple(tuple(str(text) for text in conversation) for conversation in raw)
        if not conversations or not all(conversations):
            raise ValueError(f"{path}: every conversation needs at least one message")
        return cls(conversations)

    def conversations_for(self, seed: int) -> Iterator[tuple[str, ...]]:
        """Endless conversations in an order that depends only on `seed` (so a run can be repeated)."""
        rng = random.Random(seed)
        order = list(self.conversations)
        while True:
            rng.shuffle(order)
            yield from order

    def long_conversation(self, turns: int, seed: int = 0) -> tuple[str, ...]:
        """One conversation of `turns` messages: the whole set, one conversation after another, cycled."""
        messages: list[str] = []
        for conversation in self.conversations_for(seed):
            messages.extend(conversation)
            if len(messages) >= turns:
                return tuple(messages[:turns])
        raise AssertionError("unreachable: conversations_for never ends")


@cache
def prompt_set() -> PromptSet:
    return PromptSet.load()


__all__ = ["PROMPTS_FILE", "PromptSet", "prompt_set"]
