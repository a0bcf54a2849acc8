"""The everyday phrasings of facts, read without the model: the floor under what memory learns.

A deployment's model can be small, slow or down (the embedded SmolLM2-135M proposes mostly noise), so
first-person statements of the common subjects are read here by rule, from the clauses that
`statements` keeps (the user's own, present, unhedged words). Every value is copied from the message.
The rules were written against the phrasing bank's dev half only (evaluation/bank/dev.py); its test
half measures them.

    words.py       the pieces rules are written with (pronouns, places, where an object ends, slips)
    notes.py       the user's own notes ("remember that ...")
    traits.py      what the user is, has or lives with, kept as notes ("I have asthma", "I speak Yoruba")
    names.py       introductions
    home.py, diet.py, work.py, family.py, preference.py, project.py, plan.py
                   one subject's rule each (RULES below says in which order they read)
    past.py        facts told as over, for the memory's history
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from memchat.memory.language import said_within
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import OCCUPATIONS
from memchat.memory.phrasings.diet import aside, barred, diet
from memchat.memory.phrasings.family import asked, family
from memchat.memory.phrasings.home import home, household
from memchat.memory.phrasings.names import names
from memchat.memory.phrasings.notes import notes
from memchat.memory.phrasings.past import PastFact, past
from memchat.memory.phrasings.plan import plan
from memchat.memory.phrasings.preference import preference
from memchat.memory.phrasings.project import PROJECT_LEMMAS, project
from memchat.memory.phrasings.traits import set_aside, trait
from memchat.memory.phrasings.words import Rule, mended, tidy
from memchat.memory.phrasings.work import opening, work
from memchat.memory.statements import Speaker, clauses

__all__ = ["PROJECT_LEMMAS", "PastFact", "floor", "names", "notes", "past"]

_USER = frozenset({Speaker.USER})
# The clause rules in the order `floor` reads them, each with whose clauses it reads: only family reads a
# relative's clause too ("my sister lives in Leeds" names a sister, and says nothing of the user's home); household
# and barred read someone else's for what it says of the user ("My landlord in Nantes...", "Doctor's banned me
# from...").
RULES: tuple[tuple[frozenset[Speaker], Rule], ...] = (
    (_USER, home), (_USER, diet), (_USER, work), (frozenset({Speaker.USER, Speaker.KIN}), family),
    (_USER, preference), (_USER, project), (_USER, plan), (_USER, trait), (frozenset({Speaker.OTHER}), household),
    (frozenset({Speaker.USER, Speaker.OTHER}), barred),
)


def floor(message: str) -> list[Proposal]:
    """Every fact the message states in a phrasing these rules read, with the user's own notes."""
    message = mended(message)
    found: dict[tuple[Subject, str], Proposal] = {}
    facts = [*names(message), *aside(message), *asked(message), *opening(message), *set_aside(message),
             *_from_clauses(message)]
    # "Just so you know, I'm vegan" is a diet, not a note: a note whose words are another subject's fact is that fact;
    # but a plan is what notes are kept for, and the note keeps all of it ("remember our anniversary is 9th June")
    kept_notes = [note for note in notes(message) if not [*names(note.value), *(
        p for p in _from_clauses(note.value) if p.subject not in (Subject.PLAN, Subject.NOTE))]]
    # A date that comes back every year is a trait's note, not a plan that passes: "my birthday's on the 2nd of March"
    traits = [p for p in facts if p.subject is Subject.NOTE]
    facts = [p for p in facts
             if p.subject is not Subject.PLAN or not any(said_within(p.value, t.value) for t in traits)]
    for proposal in [*kept_notes, *facts]:
        value = tidy(proposal.value)
        if value:
            found.setdefault((proposal.subject, value.casefold()), Proposal(proposal.subject, value))
    kept = [p for p in found.values() if not _named_elsewhere(p, found.values())]
    # One work is kept (the last): a job named by its occupation outranks a workplace ("shifts at the hospital, the
    # joys of being a porter").
    return sorted(kept, key=lambda p: p.subject is Subject.WORK and bool(set(p.value.casefold().split())
                                                                         & OCCUPATIONS))


def _named_elsewhere(proposal: Proposal, found: Iterable[Proposal]) -> bool:
    """A relative or pet without a name, when the message names it too: "a cat" beside "cat Pepper"."""
    if proposal.subject is not Subject.FAMILY:
        return False
    bare = {word for word in proposal.value.casefold().split() if word not in ("a", "an", "one", "our", "my")}
    return any(other.subject is Subject.FAMILY and other is not proposal
               and bare < set(other.value.casefold().split()) for other in found)


def _from_clauses(message: str) -> Iterator[Proposal]:
    for clause in clauses(message):
        if clause.past:
            continue
        for speakers, function in RULES:
            if clause.speaker in speakers:
                yield from function(clause)
