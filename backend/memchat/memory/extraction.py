"""Learning memories from a user's message: what the model is asked, and how its answer is checked.

The model only proposes; nothing it proposes is kept unless the user's own message says it. A value
whose meaningful words are not all in the message is dropped, as is a subject the message gives no cue
for. That check, not the model's quality, keeps invented facts, facts about the assistant and copies of
the prompt's own wording out of memory. "Remember that ..." and "forget ..." are read without the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from memchat.memory.memories import SINGLE_VALUED, Subject
from memchat.memory.recall import terms, words

MAX_PROPOSALS = 6
MAX_VALUE_WORDS = 12
MAX_VALUE_CHARS = 160

# JSON Schema of the model's answer, sent as TGI's `response_format` grammar.
EXTRACTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "memories": {
            "type": "array",
            "maxItems": MAX_PROPOSALS,
            "items": {
                "type": "object",
                "properties": {
                    "subject": {"type": "string", "enum": [s.value for s in Subject if s is not Subject.NOTE]},
                    "value": {"type": "string", "maxLength": MAX_VALUE_CHARS},
                },
                "required": ["subject", "value"],
            },
        }
    },
    "required": ["memories"],
}

EXTRACTION_INSTRUCTIONS = (
    "Read the user's message and list the lasting facts the user states about themselves: their name, "
    "where they live (home), their diet, their work, their family, what they like (preference), what they "
    "are working on (project), and plans with a date (plan). Copy each value from the message in the "
    "user's own words, at most eight words. Leave out questions, requests and anything not about the user. "
    'Answer with JSON only, in the form {"memories": [{"subject": "...", "value": "..."}]}; '
    'when the message states no such fact, answer {"memories": []}.'
)

# A single-valued subject replaces what memchat knew, so its proposal needs a cue in the message.
CUES: dict[Subject, re.Pattern[str]] = {
    Subject.NAME: re.compile(r"\b(name|call me|i'm|i am|im)\b", re.I),
    Subject.HOME: re.compile(r"\b(live|lives|living|moved|move|moving|based|home|reside|relocated|from)\b", re.I),
    Subject.DIET: re.compile(r"\b(vegetarian|vegan|eat|eating|diet|allergic|allergy|pescatarian|meat|gluten|"
                             r"lactose|halal|kosher|food)\b", re.I),
    Subject.WORK: re.compile(r"\b(work|works|working|job|employed|profession|career|i'm an?|i am an?)\b", re.I),
    # The others add a memory rather than replace one, but still need the message to speak of them:
    # "How do I boil an egg?" holds no family member, whatever a small model proposes.
    Subject.FAMILY: re.compile(r"\b(family|wife|husband|partner|spouse|child|children|kids?|sons?|daughters?|"
                               r"mother|father|mum|mom|dad|parents?|sisters?|brothers?|siblings?|grand\w+|"
                               r"aunt|uncle|cousins?|niece|nephew|baby|twins?|pets?|dogs?|cats?)\b", re.I),
    Subject.PREFERENCE: re.compile(r"\b(love|loves|like|likes|enjoy|enjoys|favou?rite|prefer|fan|into|hobby|"
                                   r"hate|dislike|passion)\b", re.I),
    Subject.PROJECT: re.compile(r"\b(building|build|working on|writing|making|project|learning|studying|"
                                r"training|renovating)\b", re.I),
    Subject.PLAN: re.compile(r"\b(plan|plans|planning|going|trip|travel|travelling|traveling|fly|flying|visit|"
                             r"next|tomorrow|week|month|year|wedding|appointment|january|february|march|april|"
                             r"may|june|july|august|september|october|november|december|\d{1,2}(st|nd|rd|th)?)\b",
                             re.I),
}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CLAUSE_BREAK = re.compile(r"[,;:]")

_SENTENCE_START = r"(?:^|(?<=[.!?\n])\s*)"
_REMEMBER = re.compile(_SENTENCE_START + r"\s*(?:please\s+|also\s+|and\s+)?(?:do\s+)?remember\s+(?:that\s+)?"
                       r"(?P<value>[^.!?\n]{3,160})(?P<end>[.!?]?)", re.I)
_FORGET = re.compile(_SENTENCE_START + r"\s*(?:please\s+|also\s+|and\s+)?forget\s+(?:that\s+|about\s+)?"
                     r"(?P<value>[^.!?\n]{2,160})(?P<end>[.!?]?)", re.I)
# "Forget all about my trip" names one thing: only these words alone ask for everything.
_EVERYTHING = re.compile(r"^(?:everything|all)(?:\s+(?:(?:that\s+)?you\s+know\s+)?(?:about|of)\s+me"
                         r"|\s+(?:that\s+)?you\s+know)?\s*$", re.I)


@dataclass(frozen=True)
class Proposal:
    subject: Subject
    value: str


@dataclass(frozen=True)
class Forget:
    """The user asked to forget something: `query` names it, or `everything`."""

    query: str
    everything: bool = False


# The commonest ways people state the single-valued facts, read without the model: a small model misses
# many of them, and these phrasings are unambiguous. Everything else is the model's to propose.
_NAME_WORD = r"[A-Z][\w'-]+"
_PLACE = r"[A-Z][\w'-]+(?:[ -][A-Z][\w'-]+)*"
_STATED: tuple[tuple[Subject, re.Pattern[str]], ...] = (
    # Names and places must be capitalised as written: only the verbs around them ignore case.
    # ... and a negation before them ("Don't call me Bob", "I'm not living in Paris") states nothing.
    (Subject.NAME, re.compile(rf"\b(?<!n't )(?<!not )(?<!never )(?i:my name is|call me|i'm called|i am called) "
                              rf"({_NAME_WORD}(?: {_NAME_WORD})?)")),
    (Subject.HOME, re.compile(rf"\b(?i:i live|i'm living|i am living|i'm based|i am based|i moved|i've moved|"
                              rf"i have moved|we moved|i relocated|i've relocated) (?i:in|to) ({_PLACE})")),
    (Subject.HOME, re.compile(rf"\b(?i:i'm|i am)\b(?:(?!\b(?i:not|no|never)\b)[^.,;!?]){{0,40}}?"
                              rf"\b(?i:living|based) (?i:in) ({_PLACE})")),
    (Subject.DIET, re.compile(r"\bi(?:'m| am)(?: now| a| now a| strictly| strictly a)? "
                              r"(vegetarian|vegan|pescatarian|gluten[- ]free|lactose[- ]intolerant)\b", re.I)),
    (Subject.WORK, re.compile(r"\bi work as an? ([a-z][a-z -]{2,40}?)(?=[.,;!?]| and | at | in | now|$)", re.I)),
)


def stated(text: str) -> list[Proposal]:
    """The single-valued facts the message states in the commonest phrasings (no model involved)."""
    found = []
    for subject, pattern in _STATED:
        for match in pattern.finditer(text):
            end = re.search(r"[.!?\n]", text[match.end():])
            if end is None or end.group() != "?":  # "Do I live in Lisbon?" states nothing
                found.append(Proposal(subject, match.group(1).strip()))
    return found


_PROPOSABLE = frozenset(EXTRACTION_SCHEMA["properties"]["memories"]["items"]["properties"]["subject"]["enum"])


def parse_proposals(raw: str) -> list[Proposal]:
    """The model's answer as proposals; anything malformed is no proposal (the grammar makes it rare)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    entries = data.get("memories") if isinstance(data, dict) else None
    proposals = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        subject, value = entry.get("subject"), entry.get("value")
        # Only the schema's subjects: a note comes from the user's own "remember that", never the model.
        if isinstance(subject, str) and isinstance(value, str) and subject in _PROPOSABLE:
            proposals.append(Proposal(Subject(subject), " ".join(value.split()).strip(" .,;:!\"'")))
    return proposals[:MAX_PROPOSALS]


def statements(text: str) -> str:
    """The message without its questions: "Do I live in Lisbon?" states nothing, while "I work as a nurse,
    is that tiring?" still states the work (a question's last clause is the question)."""
    kept = []
    for sentence in _SENTENCE.findall(text):
        if sentence.rstrip().endswith("?"):
            sentence = _CLAUSE_BREAK.split(sentence)[:-1]
            kept.extend(sentence)
        else:
            kept.append(sentence)
    return " ".join(kept)


def validate(proposal: Proposal, source: str) -> bool:
    """Whether the user's message says this: every meaningful word of the value is in one of its
    statements (not its questions), the value is short, and the statement has its subject's cue."""
    value = proposal.value
    if not value or len(value) > MAX_VALUE_CHARS or len(words(value)) > MAX_VALUE_WORDS:
        return False
    value_terms = set(terms(value))
    said = statements(source)
    if not value_terms or not value_terms <= set(terms(said)):
        return False
    cue = CUES.get(proposal.subject)
    return cue is None or bool(cue.search(said))


def validated(proposals: list[Proposal], source: str) -> list[Proposal]:
    """The proposals the message supports, one per single-valued subject (the last the model gave)."""
    kept: dict[tuple[Subject, str], Proposal] = {}
    for proposal in proposals:
        if validate(proposal, source):
            key = (proposal.subject, "" if proposal.subject in SINGLE_VALUED else proposal.value.casefold())
            kept[key] = proposal
    return list(kept.values())


def remembered(text: str) -> list[Proposal]:
    """Notes the user asked to keep ("Remember that my locker code is 4521."); a question is no order."""
    notes = []
    for match in _REMEMBER.finditer(text):
        value = match.group("value").strip(" ,;:")
        if match.group("end") != "?" and terms(value):
            notes.append(Proposal(Subject.NOTE, value))
    return notes


def forgotten(text: str) -> list[Forget]:
    """What the user asked to forget ("Forget my address.", "Please forget everything about me.")."""
    requests = []
    for match in _FORGET.finditer(text):
        value = match.group("value").strip(" ,;:")
        if match.group("end") == "?":
            continue
        if _EVERYTHING.match(value):
            requests.append(Forget(value, everything=True))
        elif terms(value):
            requests.append(Forget(value))
    return requests
