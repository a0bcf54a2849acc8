"""The seeded data set: personas, and the sessions in which they chat, state facts, update them, ask
about them, and ask memchat to forget.

Facts are stated in passing among filler, each in a phrasing of the bank (`evaluation.bank`, one half of
it); each probe names the word it needs and the words that must not reach the prompt (a superseded home,
a forgotten canary). Everything follows from the seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Literal

from evaluation.bank import Example, Split, examples, key_words

FILLER = [
    "Can you explain how photosynthesis turns sunlight into sugar, in simple words?",
    "Give me three tips for sleeping better when it is hot outside.",
    "What is the difference between a list and a tuple in Python?",
    "How long should I boil an egg if I want the yolk still soft?",
    "Suggest a short stretching routine I could do at my desk.",
    "Why is the sky blue during the day but red at sunset?",
    "Write a two-line poem about autumn leaves.",
    "How do I remove a coffee stain from a cotton shirt?",
    "What are good questions to ask at the end of a job interview?",
    "Explain compound interest with a small example.",
    "What is a good way to memorise a short speech?",
    "Summarise the plot of a classic detective story in three sentences.",
    "How do noise cancelling headphones work?",
    "Recommend a simple weekly routine for learning a new language.",
    "What should I pack for a weekend hiking trip?",
    "How can I keep basil alive on a windowsill?",
]
NEVER = [("What is my dog's name?", "dog"), ("Which car do I drive?", "car"), ("What is my blood type?", "blood")]


@dataclass(frozen=True)
class Probe:
    """A question whose prompt must hold `gold` and none of `absent` (in the remembered part)."""

    gold: str | None
    scope: Literal["within", "across", "updated", "forgotten", "never", "long"]
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class Say:
    text: str
    probe: Probe | None = None
    states: tuple[tuple[str, str], ...] = ()  # (subject, gold value) stated by this message


@dataclass(frozen=True)
class Action:
    """A protocol action other than a message: deleting a memory that holds `target`, clearing all,
    or deleting the current conversation."""

    kind: Literal["deleteMemory", "clearMemories", "deleteConversation"]
    target: str = ""


Step = Say | Action


@dataclass
class Session:
    steps: list[Step] = field(default_factory=list)


@dataclass
class Persona:
    pid: str
    sessions: list[Session]
    canaries: list[str]  # strings that must be gone from every item and later prompt once deleted


def _canary(rng: random.Random) -> str:
    return "".join(rng.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(3)) + str(rng.randint(1000, 9999))


def _filler(rng: random.Random, n: int) -> list[Step]:
    return [Say(rng.choice(FILLER)) for _ in range(n)]


PROBES = {
    "name": "What's my name again?",
    "home": "Remind me, which city do I live in?",
    "diet": "Can you suggest a dinner that fits my diet?",
    "work": "What do I do for a living?",
    "family": "Who is in my family?",
    "preference": "What do I like doing in my free time?",
    "project": "What was I working on again?",
    "plan": "What plans do I have coming up?",
}


def _key(example: Example) -> str:
    """What a probe looks for: the longest key word of the example's first fact, as the user wrote it."""
    gold = example.golds[0]
    written = [w for w in re.findall(r"[^\W_]+", gold.value) if set(key_words(w)) <= set(gold.keys)]
    return max(written, key=len).casefold()


def _facts(rng: random.Random, bank: list[Example], never_word: str) -> dict[str, Example]:
    """One example of the bank for each subject a probe asks about, and a second home (the update), chosen
    so that the old home's word and the never-stated word appear in no other fact's message."""
    by_subject: dict[str, list[Example]] = {}
    for example in bank:
        if not example.is_trap:
            by_subject.setdefault(example.subject, []).append(example)
    while True:
        facts = {subject: rng.choice(by_subject[subject]) for subject in PROBES}
        facts["update"] = rng.choice(by_subject["home"])
        old = _key(facts["home"])
        others = [e.text.casefold() for s, e in facts.items() if s != "home"]
        if (_key(facts["update"]) != old and not any(old in text for text in others)
                and not any(re.search(rf"\b{never_word}\b", e.text, re.I) for e in facts.values())):
            return facts


def _say(example: Example) -> Say:
    return Say(example.text, states=tuple((g.subject, g.value) for g in example.golds))


def persona(rng: random.Random, index: int, bank: list[Example], *, filler: int = 8, long_turns: int = 0) -> Persona:
    """One persona's multi-session chat: facts from the phrasing bank in passing, probes within and across
    conversations, an update, a forgotten canary, a never-stated fact, and (with `long_turns`) one long
    conversation."""
    never_question, never_word = rng.choice(NEVER)
    facts = _facts(rng, bank, never_word)
    canary, canary2 = _canary(rng), _canary(rng)
    first = Session([
        _say(facts["name"]), _say(facts["home"]), _say(facts["diet"]),
        *_filler(rng, 2),
        _say(facts["work"]),
        *_filler(rng, 2),
        _say(facts["family"]), _say(facts["preference"]), _say(facts["project"]), _say(facts["plan"]),
        *_filler(rng, filler),
        *(Say(PROBES[s], Probe(_key(facts[s]), "within")) for s in ("name", "home", "diet")),
    ])
    second = Session([
        *(Say(PROBES[s], Probe(_key(facts[s]), "across"))
          for s in ("name", "work", "preference", "project", "plan", "family")),
        _say(facts["update"]),
        *_filler(rng, 2),
    ])
    how = rng.choice(["message", "deleteMemory", "clearMemories"])
    forget_steps: list[Step] = (
        [Say("Please forget my locker code.")] if how == "message"
        else [Action("deleteMemory", canary)] if how == "deleteMemory" else [Action("clearMemories")])
    third = Session([
        Say(PROBES["home"], Probe(_key(facts["update"]), "updated", absent=(_key(facts["home"]),))),
        Say(f"Remember that my locker code is {canary}."),
        *_filler(rng, 1),
        *forget_steps,
        *_filler(rng, 1),
        Say("What is my locker code?", Probe(None, "forgotten", absent=(canary,))),
        Say(never_question, Probe(None, "never", absent=(never_word,))),
    ])
    fourth = Session([
        Say(f"Remember that my bike lock code is {canary2}."),
        *_filler(rng, 1),
        Action("deleteConversation"),
    ])
    sessions = [first, second, third, fourth]
    if long_turns:
        long = Session([
            _say(facts["name"]), _say(facts["preference"]),
            *_filler(rng, long_turns - 4),
            Say(PROBES["name"], Probe(_key(facts["name"]), "long")),
            Say(PROBES["preference"], Probe(_key(facts["preference"]), "long")),
        ])
        sessions.insert(0, long)
    return Persona(f"p{index:03d}", sessions, [canary, canary2])


def personas(seed: int, count: int, *, split: Split, filler: int = 8, long_turns: int = 200) -> list[Persona]:
    """`count` personas from `seed`, stating facts in the phrasings of one half of the bank; the first has
    the long conversation (a fact at turn 1)."""
    rng, bank = random.Random(seed), examples(split)
    return [persona(rng, i, bank, filler=filler, long_turns=long_turns if i == 0 else 0) for i in range(count)]
