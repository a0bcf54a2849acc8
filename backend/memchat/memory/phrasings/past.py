"""Facts the user tells as over ("I used to live in Oslo", "I lived in Leeds until 2019"): read by the
present rules from past clauses, kept as history with their end, never current."""

from __future__ import annotations

import re
from dataclasses import dataclass

from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.diet import diet
from memchat.memory.phrasings.home import home
from memchat.memory.phrasings.words import Rule, mended, tidy
from memchat.memory.phrasings.work import work
from memchat.memory.statements import Speaker, clauses


@dataclass(frozen=True)
class PastFact:
    """A home, job or diet the user states as over ("I used to live in Oslo", "I lived in Leeds until 2019"):
    it goes to the memory's history with its end, and is never current."""

    proposal: Proposal
    until: str | None = None  # the year it ended, when the user says it


_UNTIL = re.compile(r"\b(?:until|till|til|up to|before)\s+(?:(?:about|around|early|late|mid)[ -]?)?"
                    r"(?P<year>(?:19|20)\d\d)\b")


def past(message: str) -> list[PastFact]:
    """Facts the user's own past clauses state, read by the same rules as present ones (`home`, `work`,
    `diet`), each with the year it ended when the clause says it."""
    found: dict[tuple[Subject, str], PastFact] = {}
    for clause in clauses(mended(message)):
        if not clause.past or clause.negated or clause.speaker is not Speaker.USER:
            continue
        until = _UNTIL.search(clause.text.casefold())
        for function in _PAST_RULES:
            for proposal in function(clause):
                value = tidy(proposal.value)
                if value:
                    found.setdefault((proposal.subject, value.casefold()),
                                     PastFact(Proposal(proposal.subject, value), until and until.group("year")))
    return list(found.values())




# Only what one has one of at a time has a history worth keeping; "I used to love jazz" says nothing lasting.
_PAST_RULES: tuple[Rule, ...] = (home, work, diet)
