"""Values found by their structure, whatever words lead up to them: a name beside a word for a relative, a
diet's word said of the user, what a verb of making works on, a place before a trip, what a trade's verb acts on.

The rules (`phrasings`) read a fact from the words that lead up to it, one way of saying it at a time, and nine
rounds of adding those ways stopped carrying to speech they were not written for. A span is read from the value's
own shape instead, and is only a candidate: `extraction.floor` keeps it when validation finds that one of the
user's own present clauses states it (the same check a model's proposal passes: every word said, by the user,
of the user, with a cue for its subject, and agreeing on negation). So the gate is one, shared by the rules, the
spans and the model, and a span needs no phrasing of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.language import cue_set, roots, tokens
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import WORK_WORDS
from memchat.memory.phrasings import PROJECT_LEMMAS
from memchat.memory.phrasings.words import AFTER_DIET, CAP, DIET, MONTH, NOT_NAMES, object_phrase
from memchat.memory.statements import RELATIONS, Clause, Speaker, clauses

__all__ = ["spans"]

_RELATION = r"(?P<rel>" + "|".join(sorted((re.escape(r) for r in RELATIONS if "-" not in r or r.count("-") < 3),
                                           key=len, reverse=True)) + r")"
_NAME = rf"(?P<name>(?!(?:I|I'm|I've|I'll|I'd|The|My|Our|A|An)\b){CAP})"
# A name beside a word for a relative or a pet, in either order: "Pepper the cat", "Granny Ruth", "cat Pepper".
# A relation before the name is written in lower case ("our rescue dog Pepper"), or is a title ("Granny Ruth"):
# "Cat Stevens" is a singer.
_AFTER_NAME = ("is|was|has|had|turns|turned|will|and|just|says|said|lives|loves|comes|came|visits|visited|gets|got|"
               "can|can't|won't|keeps|always|never|still|who|from|to|at|in|on|with|for|starts|started|wants|needs|"
               "hates|likes|knows|thinks|goes|went|is|isn't|doesn't|did|does|finally|really|today|tomorrow|this|next")
_TITLES = r"(?:Granny|Grandma|Grandpa|Gran|Grandad|Granddad|Nan|Nana|Nanna|Auntie|Aunty|Aunt|Uncle|Cousin|Mum|Mom|Dad)"
# A child called by what they are to the user, then the name: "My little one Ana has chickenpox".
_CALLED = re.compile(rf"\b(?i:my|our) (?P<rel>(?i:little one|little man|little girl|little boy|youngest|eldest|oldest|"
                     rf"baby|middle one|middle child)) {_NAME}\b")
_NAMED_RELATIVE = (_CALLED, re.compile(rf"\b{_NAME}(?:, (?i:my|our)| (?i:the)) (?i:little |old |lovely |new |baby )?"
                              rf"{_RELATION}\b"),
                   # (a name, not a word that the name qualifies: "Granny Smith apples", "Uncle Tom's Cabin")
                   re.compile(rf"\b(?P<rel>{_TITLES}|" + _RELATION.removeprefix("(?P<rel>") + rf" {_NAME}"
                              rf"(?='?(?:[\s,.!?;:)]*$|[,.!?;:)]|\s+(?:{_AFTER_NAME})\b))"))
# What may follow a diet's word said of the user, so that it is no noun's modifier ("a vegan friend", "vegan
# recipes"): the end, a pronoun for the user ("the vegan one"), an adverb, a conjunction.
_AFTER_DIET = frozenset("one here now myself too since and but so these nowadays again though btw anyway mostly "
                        "lol haha really mainly days".split())
# A diet said of the user: a verb of being or becoming with the user for subject, a few words before it ("I'm
# the vegan one", "we went fully vegan", "been veggie since uni").
_SAID_OF_USER = re.compile(r"(?:\b(?:i'm|im|i am|we're|we are|i've been|ive been|we've been|i became|we became|"
                           r"i turned|we turned|i went|we went|i've gone|we've gone)|"
                           r"^(?:been|went|gone|turned|became|being|stayed|staying))(?: [\w-]+){0,2} $", re.I)
_LIKING_BEFORE = re.compile(r"\b(?:love|loves|like|likes|enjoy|enjoys|hate|hates|prefer|into|about|fan of|fond of|"
                            r"tired of|sick of|watch|watching|without)\s+$", re.I)
# Verbs that say how one is, feels or gets by, never what one's work acts on.
_NOT_TRADES = frozenset("am have has had love like hate enjoy prefer want need get got go went think know feel "
                        "live eat drink do did say said mean guess hope wish try tried use used see saw look make "
                        "take took give gave keep kept let put find found really just also still always never "
                        "usually often can can't could will would should might must".split())
_NOT_OBJECTS = frozenset("alone together well lots everything nothing something anything home late early hard fast "
                         "mostly badly".split())
_WORK_WORDS = frozenset("client customer patient living shift job trade business regular booking appointment "
                        "salon workshop".split())


def spans(message: str) -> Iterator[Proposal]:
    """Every candidate value the message's own present clauses hold by structure (validation decides)."""
    for clause in clauses(message):
        if clause.past:
            continue
        if clause.speaker in (Speaker.USER, Speaker.KIN):
            yield from _relatives(clause)
        if clause.speaker is Speaker.USER:
            yield from _diets(clause)
            yield from _pursuits(clause)
            yield from _trips(clause)
            yield from _trades(clause)


def _relatives(clause: Clause) -> Iterator[Proposal]:
    for pattern in _NAMED_RELATIVE:
        for match in pattern.finditer(clause.text):
            name, relation = match.group("name"), match.group("rel").casefold()
            word = name.casefold()
            # (a verb's form is no name: "Taking the kids to Kyoto")
            # (nor a place after its preposition: "we moved to Bilbao the kids have been happier")
            placed = rx.search(r"\b(?:to|in|from|at|near|into|around|across|outside|via)\s+$",
                               clause.text[:match.start("name")], re.I)
            if word not in NOT_NAMES and word not in RELATIONS and word not in _NOT_A_NAME \
                    and not word.endswith(("ing", "ed")) and not placed:
                yield Proposal(Subject.FAMILY, f"{relation} {name}")


def _diets(clause: Clause) -> Iterator[Proposal]:
    """A diet's word said of the user: after a first-person subject, and followed by no noun it would modify."""
    for match in rx.finditer(rf"\b(?P<diet>{DIET})\b(?P<after>[^\w]*\w*)", clause.text, re.I):
        after = tokens(match.group("after"))
        if after and after[0] not in AFTER_DIET:
            continue
        if _SAID_OF_USER.search(clause.text[: match.start()]):
            yield Proposal(Subject.DIET, match.group("diet"))


# The verbs of a pursuit, wherever they stand; not the everyday ones ("making a fuss", "writing a report", "fixing a
# tap", "working on a deadline"), which the rules read only after "I'm".
_PURSUITS = (PROJECT_LEMMAS | {"train", "study"}) - {"make", "write", "fix", "edit", "prepare", "organise", "organize",
                                                      "record", "produce", "create", "film", "map", "model", "draw",
                                                      "program", "code", "finish", "launch", "translate", "research",
                                                      "plant", "paint", "design", "develop"}
# Words that open a sentence capitalised without naming anyone: "Before the kids, we lived in Leeds".
_NOT_A_NAME = frozenset("before after since with without for about behind beside besides unlike like than then once "
                        "until while during despite except near past round through".split())
# The words that may stand before the user's own pursuit: "Week three of training for...", "I'm slowly restoring...".
_LEADS_TO_PURSUIT = frozenset("of am i'm im been are we're currently still busy finally slowly just started begun now "
                              "also and properly seriously secretly i we been".split())
# (what is done to "the" thing is mostly a chore: "painting the hallway", "fixing the boiler")
_MAKING = re.compile(r"\b(?P<verb>[a-z]+ing)(?: (?P<prep>for|on|at|up))? (?P<obj>(?:a|an|my|our|some) "
                     r"[^,.;:!?]+)", re.I)


# A verb of keeping at something, with what it keeps at: "cracking on with a shed", "chipping away at a novel".
PERSEVERING = re.compile(r"\b(?:crack|press|push|plod|plough|plow|plug|chip|beaver|slog|soldier)(?:s|ed|ing|ging|"
                         r"ping|ged|ped)? (?:on|away) (?:with|at)\b", re.I)
_KEPT_AT = re.compile(PERSEVERING.pattern + r" (?P<obj>(?:a|an|my|our|some) [^,.;:!?]+)", re.I)


def _pursuits(clause: Clause) -> Iterator[Proposal]:
    """What a verb of making, learning or training works on, wherever the verb stands: "Week three of training for
    a triathlon", "Made good progress restoring an old Vespa"; and what the user keeps at."""
    for match in _KEPT_AT.finditer(clause.text):
        value = _noun_phrase(match.group("obj"))
        if len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, value)
    for match in _MAKING.finditer(clause.text):
        verb = match.group("verb").casefold()
        before = tokens(clause.text[: match.start()])
        if before and before[-1] not in _LEADS_TO_PURSUIT:
            continue  # "a man knitting a scarf": the verb is someone else's
        if not roots(verb) & _PURSUITS or _LIKING_BEFORE.search(
                clause.text[: match.start()]):
            continue
        value = _noun_phrase(match.group("obj"))
        if len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, value)


# A trip named by its place: "Our Hanoi trip is booked for June", "the Lima holiday in May".
_TRIP = re.compile(rf"\b(?i:our|my|the) (?P<place>{CAP}(?: {CAP})?) (?P<what>(?i:trip|holiday|getaway|break|"
                   rf"city break|weekend|visit|wedding))\b(?P<rest>[^.;!?]*)")
_WHEN = re.compile(rf"\b(?:is|are)? ?(?:booked |planned |set |on )?(?:for|in|on|at|over) (?P<when>{MONTH}|easter|"
                   rf"christmas|the summer|half term)|\b(?P<soon>is coming up|is booked|is on|next (?:week|month|year)|"
                   rf"soon)\b", re.I)


def _trips(clause: Clause) -> Iterator[Proposal]:
    for match in _TRIP.finditer(clause.text):
        when = _WHEN.search(match.group("rest"))
        if when and not rx.search(r"\b(?:was|were|went|had been|did)\b", match.group("rest"), re.I):
            dated = f" {when.group('when')}" if when.group("when") else ""
            yield Proposal(Subject.PLAN, f"{match.group('place')} {match.group('what').casefold()}{dated}")


def _trades(clause: Clause) -> Iterator[Proposal]:
    """What a trade's verb acts on, when the clause says it is work: "I cut hair and most of my clients are
    regulars" (a verb whose doer is an occupation, or a word for work beside it)."""
    match = rx.match(r"(?i:i) (?P<verb>[a-z]+) (?P<obj>(?!(?:a|an|the|my|our|your|it|them|you|to|out|up|in|on|at|"
                     r"for|about|with|that|this)\b)[a-z][\w-]*(?: [a-z][\w-]*)?)", clause.text)
    if not match or match.group("verb") in _NOT_TRADES or match.group("verb").endswith(("ed", "ing")):
        return
    verb = match.group("verb")
    if match.group("obj").split()[0].casefold().endswith("ly") or match.group("obj").split()[0] in _NOT_OBJECTS:
        return  # "I cook separately": how, not what
    # a word for work beside it, not the verb alone: "I bake cakes for the kids" is no trade
    if WORK_WORDS & (cue_set(clause.sentence) - roots(verb)):
        value = _noun_phrase(match.group("obj"))
        if value:
            yield Proposal(Subject.WORK, f"{verb} {value}")


_PHRASE_END = re.compile(r"\s+(?:and|but|or|so|because|while|which|who|that|when|if|since|until|as|than|is|are|was|"
                         r"were|has|have|had|will|won't|can|can't|my|our|i|we|before|after|every|each)\b.*$", re.I)


def _noun_phrase(text: str) -> str:
    """A noun phrase from the start of `text`: to where an object phrase ends, or a conjunction or verb begins."""
    return _PHRASE_END.sub("", object_phrase(text)).strip()
