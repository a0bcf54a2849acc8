"""The scripted model at the model seam: deterministic answers, titles, summaries and extractions.

It behaves like a competent but fallible model. It extracts what a model would from the user's
message (for a message of the phrasing bank, its gold values, as a strong model would propose them, but
missing one in `miss_rate`; for a trap, at `tempt_rate`, the proposal that tempts a naive model), and, at
a seeded rate, also proposes things the user never said (the prompt's own example, a value from the
assistant's side), which memchat's validation must drop. Its answers sometimes make a
wrong claim about the user, which extraction must never learn, since it reads only the user's words.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.bank import Example
from memchat.memory.extraction import EXTRACTION_INSTRUCTIONS
from memchat.memory.summary import SUMMARY_INSTRUCTIONS
from memchat.memory.titles import TITLE_INSTRUCTIONS
from memchat.model import ChatMessage, Completion, Finish, TextPiece

ANSWERS = [
    "Here is a short answer. Start with the basics, keep it simple, and try it once before you adjust anything.",
    "Good question. The main idea is to break the problem into small steps and check each one as you go.",
    "Sure. Most people find it easiest to practise a little every day rather than a lot once a week.",
]
WRONG_CLAIMS = ["As someone who lives in Paris, you might enjoy this.", "Since your name is Sam, here is a tip."]

# What a model reads out of a message, by subject: (pattern, group with the value).
_READINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("family", re.compile(r"\b(?i:my) (?:daughter|son|wife|husband|partner|sister|brother) ([A-Z]\w+)")),
    ("preference", re.compile(r"\bI (?:love|enjoy|really like) ([a-z][a-z ]+?)(?:[.,!]|$)")),
    ("preference", re.compile(r"\b(?i:my favourite) \w+ is ([a-z]+)")),
    ("project", re.compile(r"\bI'm building ([a-z][a-z ]+?)(?:[.,!]|$)")),
    ("plan", re.compile(r"\bI fly to ([A-Z]\w+)")),
    ("work", re.compile(r"\bI work as an? ([a-z][a-z ]+?)(?:,|\.| is)")),
    ("home", re.compile(r"\b(?:live in|moved to|based in) ([A-Z]\w+)")),
    ("name", re.compile(r"\bname is ([A-Z]\w+)")),
)
_INVENTED = [{"subject": "home", "value": "Paris"}, {"subject": "name", "value": "Sam"},
             {"subject": "preference", "value": "long walks on the beach"}]


@dataclass
class ScriptedStream:
    """A model stream of a few pieces, as `ModelClient.stream` returns one."""

    pieces: list[str]
    closed: bool = False

    def __iter__(self) -> Iterator[TextPiece | Finish]:
        for piece in self.pieces:
            if self.closed:
                return
            yield TextPiece(piece)
        yield Finish("stop", None, len(self.pieces))

    def close(self) -> None:
        self.closed = True


@dataclass
class ScriptedModel:
    seed: int = 7
    invent_rate: float = 0.3
    claim_rate: float = 0.2
    knows: Mapping[str, Example] = field(default_factory=dict)  # the bank's messages, by text
    miss_rate: float = 0.2
    tempt_rate: float = 0.5
    prompts: list[list[ChatMessage]] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=lambda: {"answer": 0, "title": 0, "summary": 0, "extract": 0})

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def stream(self, prompt: Sequence[ChatMessage], *, max_tokens: int, temperature: float,
               continue_final_message: bool = False) -> ScriptedStream:
        with self._lock:
            self.prompts.append(list(prompt))
            self.calls["answer"] += 1
            text = self._rng.choice(ANSWERS)
            if self._rng.random() < self.claim_rate:
                text = f"{self._rng.choice(WRONG_CLAIMS)} {text}"
        return ScriptedStream([word + " " for word in text.split()])

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int, temperature: float = 0.0,
                 json_schema: dict[str, Any] | None = None) -> Completion:
        system, user = messages[0].content, messages[-1].content
        with self._lock:
            if json_schema is not None or system == EXTRACTION_INSTRUCTIONS:
                self.calls["extract"] += 1
                return _completion(self._extract(user))
            if system == TITLE_INSTRUCTIONS:
                self.calls["title"] += 1
                question = user.split("\n", 1)[0].removeprefix("User: ")
                return _completion(" ".join(question.split()[:4]).rstrip("?.!,"))
            if system.startswith(SUMMARY_INSTRUCTIONS.split("{", 1)[0]):
                self.calls["summary"] += 1
                limit = re.search(r"at most (\d+) words", system)
                return _completion(_summarise(user, int(limit.group(1)) if limit else 150, self.knows))
        raise AssertionError(f"the scripted model has no script for: {system[:60]}")

    def _extract(self, message: str) -> str:
        example = self.knows.get(message)
        if example is None:
            found = [{"subject": subject, "value": match.group(1).strip()}
                     for subject, pattern in _READINGS for match in pattern.finditer(message)]
        else:
            found = [{"subject": g.subject, "value": g.value} for g in example.golds
                     if g.subject != "note" and self._rng.random() >= self.miss_rate]
            found += [{"subject": g.subject, "value": g.value} for g in example.tempting
                      if self._rng.random() < self.tempt_rate]
        if self._rng.random() < self.invent_rate:
            found.append(self._rng.choice(_INVENTED))
        return json.dumps({"memories": found})


def _completion(text: str) -> Completion:
    return Completion(text=text, finish_reason="stop", prompt_tokens=None, completion_tokens=len(text.split()))


_FIRST_PERSON = re.compile(r"\b(i|i'm|im|my|we|we're|we've|our)\b", re.I)


def _summarise(body: str, words: int, knows: Mapping[str, Example]) -> str:
    """Keep the user's first-person sentences and the bank's facts ("Hi, Sam here."), newest last,
    dropping the oldest past `words` words."""
    previous, _, new = body.partition("\n\nNew messages:\n")
    previous = previous.removeprefix("Summary so far:\n").strip()
    kept = [] if previous in ("", "(none)") else [f"The user said: {s}" for s in previous.split("The user said: ") if s]
    kept = [sentence.strip() for sentence in kept]
    for line in new.splitlines():
        said = line.removeprefix("User: ").strip()
        if line.startswith("User: ") and (_FIRST_PERSON.search(said) or said in knows):
            kept.append("The user said: " + said)
    while kept and sum(len(sentence.split()) for sentence in kept) > words:
        kept.pop(0)
    return " ".join(kept)
