"""The seeded data set: personas, and the sessions in which they chat, state facts, update them, ask
about them, and ask memchat to forget.

Facts are stated in passing among filler; each probe names the gold value it needs and the values that
must not reach the prompt (a superseded one, a forgotten one). Everything follows from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

NAMES = ["Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Keiko", "Lars",
         "Mina", "Nuno", "Olga", "Pavel", "Rosa", "Sven", "Tariq", "Ulla", "Vera", "Wanjiru", "Ximena", "Yusuf"]
CITIES = ["Lisbon", "Lyon", "Porto", "Oslo", "Krakow", "Tallinn", "Seville", "Ghent", "Bergen", "Turin", "Graz",
          "Utrecht", "Bilbao", "Tampere", "Brno", "Aarhus", "Cork", "Nantes"]
DIETS = ["vegetarian", "vegan", "pescatarian"]
JOBS = ["nurse", "carpenter", "data analyst", "architect", "teacher", "pilot", "baker", "translator", "welder"]
CHILDREN = ["Lena", "Milo", "Ivo", "Noor", "Tess", "Emil", "Zara", "Otto"]
HOBBIES = ["jazz piano", "bouldering", "chess", "sourdough baking", "birdwatching", "kayaking", "origami"]
PROJECTS = ["a cedar birdhouse", "a tiny rust compiler", "a family cookbook", "a garden shed", "a chess engine"]
PLACES = ["Kyoto", "Reykjavik", "Marrakesh", "Hanoi", "Santiago", "Tbilisi"]
MONTHS = ["March", "April", "May", "June", "July", "September", "October"]
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


def persona(rng: random.Random, index: int, *, filler: int = 8, long_turns: int = 0) -> Persona:
    """One persona's multi-session chat: facts in passing, probes within and across conversations, an
    update, a forgotten canary, a never-stated fact, and (with `long_turns`) one long conversation."""
    name, home, new_home = rng.choice(NAMES), *rng.sample(CITIES, 2)
    diet, job, child = rng.choice(DIETS), rng.choice(JOBS), rng.choice(CHILDREN)
    hobby, project, place, month = rng.choice(HOBBIES), rng.choice(PROJECTS), rng.choice(PLACES), rng.choice(MONTHS)
    day = rng.randint(2, 27)
    canary, canary2 = _canary(rng), _canary(rng)
    intro = rng.choice([
        f"Hi! My name is {name}, I am a {diet} living in {home}.",
        f"Hello there. My name is {name} and I live in {home}. Also, I'm {diet}.",
    ])
    first = Session([
        Say(intro, states=(("name", name), ("home", home), ("diet", diet))),
        *_filler(rng, 2),
        Say(f"Quick question before I forget: I work as a {job}, is it normal to feel tired after night shifts?",
            states=(("work", job),)),
        *_filler(rng, 2),
        Say(f"My daughter {child} keeps asking me about dinosaurs. Any book ideas?", states=(("family", child),)),
        Say(f"In my free time I love {hobby}.", states=(("preference", hobby),)),
        Say(f"These weekends I'm building {project}.", states=(("project", project),)),
        Say(f"On {month} {day} I fly to {place} for a conference.", states=(("plan", place),)),
        *_filler(rng, filler),
        Say("What's my name again?", Probe(name, "within")),
        Say("Remind me, which city do I live in?", Probe(home, "within")),
        Say("Can you suggest a dinner that fits my diet?", Probe(diet, "within")),
    ])
    update = rng.choice([f"Big news: I moved to {new_home} last week.", f"These days I am based in {new_home}."])
    second = Session([
        Say("Do you remember my name?", Probe(name, "across")),
        Say("What do I do for a living?", Probe(job, "across")),
        Say("Which hobby of mine could I do this weekend?", Probe(hobby, "across")),
        Say("What was I building again?", Probe(project, "across")),
        Say("When is my trip, and where to?", Probe(place, "across")),
        Say("What is my daughter's name?", Probe(child, "across")),
        Say(update, states=(("home", new_home),)),
        *_filler(rng, 2),
    ])
    how = rng.choice(["message", "deleteMemory", "clearMemories"])
    forget_steps: list[Step] = (
        [Say("Please forget my locker code.")] if how == "message"
        else [Action("deleteMemory", canary)] if how == "deleteMemory" else [Action("clearMemories")])
    never_question, never_word = rng.choice(NEVER)
    third = Session([
        Say("Where do I live now?", Probe(new_home, "updated", absent=(home,))),
        Say(f"Remember that my locker code is {canary}."),
        *_filler(rng, 1),
        *forget_steps,
        *_filler(rng, 1),
        Say("What is my locker code?", Probe(None, "forgotten", absent=(canary,))),
        Say(never_question, Probe(None, "never", absent=(never_word,))),
    ])
    if how == "clearMemories":  # everything is forgotten: later probes expect nothing recalled
        pass
    fourth = Session([
        Say(f"Remember that my bike lock code is {canary2}."),
        *_filler(rng, 1),
        Action("deleteConversation"),
    ])
    sessions = [first, second, third, fourth]
    if long_turns:
        fact = rng.choice(["oolong", "rooibos", "genmaicha", "sencha"])
        long = Session([
            Say(f"My name is {name}. My favourite tea is {fact}, by the way.",
                states=(("name", name), ("preference", fact))),
            *_filler(rng, long_turns - 3),
            Say("What's my name?", Probe(name, "long")),
            Say("Which tea do I like best?", Probe(fact, "long")),
        ])
        sessions.insert(0, long)
    return Persona(f"p{index:03d}", sessions, [canary, canary2])


def personas(seed: int, count: int, *, filler: int = 8, long_turns: int = 200) -> list[Persona]:
    """`count` personas from `seed`; the first has the long conversation (a fact at turn 1)."""
    rng = random.Random(seed)
    return [persona(rng, i, filler=filler, long_turns=long_turns if i == 0 else 0) for i in range(count)]
