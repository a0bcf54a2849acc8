"""Learning memories from a user's message: what the model is asked, and how its answer is checked.

The rules (`phrasings`) read the everyday phrasings of facts without the model; the model proposes
more; nothing it proposes is kept unless one of the user's own clauses says it (`statements`): every
meaningful word of the value is there by lemma, the clause is about the user, present, unhedged, has a
cue for the subject and agrees on negation. That check, not the model's quality, keeps invented facts,
other people's facts, facts about the assistant and copies of the prompt's own wording out of memory.
"Remember that ..." and "forget ..." are read without the model.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from memchat.memory import patterns as rx
from memchat.memory.language import is_word, lemma, roots, said_within, tokens
from memchat.memory.memories import SINGLE_VALUED, Proposal, Subject
from memchat.memory.occupations import COMPOUNDS, OCCUPATIONS, WORK_WORDS, occupation_roots
from memchat.memory.phrasings import PROJECT_LEMMAS, notes
from memchat.memory.phrasings import floor as rules
from memchat.memory.phrasings.diet import OFF
from memchat.memory.phrasings.family import BROOD, counted
from memchat.memory.phrasings.home import BELONGING, HOME_FRAME, KNOWN_PLACES, LASTED, NATIVE, NEAR_ME, SINCE
from memchat.memory.phrasings.plan import TIME_OFF
from memchat.memory.phrasings.preference import ALL_OF, HABITS, REVOLVES, ROLES
from memchat.memory.phrasings.project import BODY_DEEP, HOW_FAR_IN
from memchat.memory.phrasings.words import DIET, DIETS, MONTH, NEGATION, mended
from memchat.memory.recall import terms, words
from memchat.memory.spans import PERSEVERING, spans
from memchat.memory.statements import DONE_BY, IM_IN, OTHERS, RELATIONS, WILLING, Clause, Speaker, clauses

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

# A food's danger told by the body or a faith's rule, which refuses it as a cue word does (one list, read by both).
# Not the faith's name: "I'm not Muslim, pork is fine for me" refuses nothing.
_BODY_AND_FAITH = "throat epipen epi-pen anaphylaxis anaphylactic vomit puke cramp cramps unwell haram"

# Cue lemmas: a clause that states a subject speaks of it with one of these (or names a job or a relative).
CUES: dict[Subject, frozenset[str]] = {
    Subject.HOME: frozenset("live base move relocate settle reside home flat house apartment here street commute swap "
                            "timezone council landlord landlady "
                            "neighbourhood neighborhood cottage resident local town city village suburb area address "
                            "rent "
                            "stay hometown emigrate".split()),
    Subject.DIET: frozenset(("eat drink diet food vegetarian vegan pescatarian pescetarian halal kosher gluten "
                             "lactose dairy meat allergic allergy intolerant intolerance avoid ill sick cut coeliac "
                             "celiac keto paleo teetotal plant-based flexitarian veggie hive rash sensitive "
                             "sensitivity agree sober "
                             "no-go no-no off-limits menu stop quit "
                             # what one keeps away from or cannot take, by lemma: "I haven't touched milk in years"
                             "touch skip stomach tolerate digest reaction react bloat hospital "
                             # a food equated with harm: "shellfish is basically poison to me"
                             "poison kryptonite "
                             # what a food does to the body: "soy sets off my eczema"
                             "eczema migraine headache heartburn nausea itch itchy swell flare "
                             # what it takes to survive a food, and a faith's rule: "Shellfish means an EpiPen for me",
                             # "Prawns put me in anaphylaxis once", "pork is haram for me"
                             + _BODY_AND_FAITH).split()),
    Subject.WORK: frozenset("work job profession career employ living shift freelance run teach lecture tutor "
                            "coach own manage trade trainee apprentice firm company employer office client "
                            "self-employed business".split()) | WORK_WORDS,
    Subject.FAMILY: frozenset(["married", "marry", "engage", "engaged", "widow", "widower", "widowed", *RELATIONS]),
    Subject.PREFERENCE: frozenset("love like enjoy adore favourite favorite prefer fan into hobby passion hate "
                                  "dislike beat obsess obsessed relax weekend best stand crazy hook big nuts wild "
                                  "happy happier keen fond addict devote appreciate treasure cherish relish savour "
                                  "savor crave nerd geek buff lover enthusiast thrill delight pleasure joy fun unwind "
                                  "weakness sucker go-to jam thing spare free pastime evening weekends happiest "
                                  "adore passionate mad nuts wild "
                                  # what a pastime does for its lover: "jazz keeps me sane", "I really dig k-pop"
                                  "dig sane calm soothe cheer rate rave swear luv lurve fav fave repeat loop "
                                  # a thing praised is a thing liked: "bach is sooo good"
                                  "good great amazing awesome brilliant lovely wonderful fantastic incredible "
                                  "delicious "
                                  "tasty yummy whenever "
                                  # what one listens to, and one who drinks or eats a thing keenly ("a big tea drinker")
                                  "listen drinker eater playlist "
                                  # what is watched or read again and again: "bingeing old sitcoms", "a rewatch of"
                                  "binge rewatch reread "
                                  # what cannot be resisted: "I can never resist dark chocolate"
                                  "resist".split()) | ROLES,
    Subject.PROJECT: frozenset("build write make work learn study train renovate restore knit sew develop design "
                               "project finish start teach paint code practise practice prepare crochet compose "
                               "together course class lesson degree diploma apprenticeship set launch brew carve quilt "
                               "weave embroider decorate redecorate remodel refit assemble craft sculpt draw film edit "
                               "produce organise organize translate program create construct landscape upcycle "
                               "illustrate publish upholster model animate fix repair record research plant grow "
                               "rebuild refurbish overhaul msc phd mba masters "
                               "practise hobby evening progress revise revision launch chapter "
                               # clipped forms of its verbs: "prepping for a marathon", "the kitchen reno"
                               "prep reno "
                               # taking a thing on, and the work of the hands on it: "tackling the attic", "sanded the
                               # legs of the bookcase"
                               "tackle sand varnish glue stain sew plaster tile".split())
    | PROJECT_LEMMAS,  # every making verb the rules read
    Subject.PLAN: frozenset("plan trip travel fly go visit book holiday holidays wedding marry married appointment "
                            "interview conference course next tomorrow week weekend soon will 'll january february "
                            "tmrw tmr 2moro "
                            "march april may june july august september october november december off head "
                            "start i'll we'll christmas easter leave test exam surgery operation audition "
                            # what is coming, as chat says it: "gonna do route 66", "knee op on the 14th",
                            # "retiring at the end of the year", "baby's due in March"
                            "gonna op procedure retire due "
                            "monday tuesday wednesday thursday friday "
                            "saturday sunday tonight".split()),
}
SPEAKERS: dict[Subject, tuple[Speaker, ...]] = {Subject.FAMILY: (Speaker.USER, Speaker.KIN)}
# Someone who comes with the user's home: their clause places it ("My landlord in Nantes won't fix the heating").
_HOUSEHOLD = re.compile(r"^(?:my|our) (?:landlord|landlady|letting agent|neighbours?|neighbors?|flatmates?|"
                        r"housemates?) "
                        r"(?:in|here in) ")
# "Here" is where the speaker is, whoever the clause is about: "Our kids go to school here in Porto", "the
# supermarket near me in Cork" place the user.
_HERE_IN = rf"\b{NEAR_ME} in "
_HERE_IN_END = re.compile(rf"{_HERE_IN}$")


# A proposal's value is looked for in a clause by string, never by a pattern made of it: such a pattern is compiled
# anew for each value and pushes the rules' own patterns out of re's cache (test_extraction.py).
def _word_starts(value: str, text: str) -> list[int]:
    """Where `value` starts in `text` at the start of a word (nothing of a word just before it)."""
    out, start = [], text.find(value)
    while start != -1 and value:
        if start == 0 or not _word_char(text[start - 1]):
            out.append(start)
        start = text.find(value, start + 1)
    return out


def _places_of(value: str, text: str) -> list[int]:
    """Where `value` starts in `text` as whole words (nothing of a word just before or just after it)."""
    return [start for start in _word_starts(value, text)
            if start + len(value) == len(text) or not _word_char(text[start + len(value)])]


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
# Words a value may add to what the message says: "no shellfish" for "I can't eat shellfish".
NEGATIVE_MARKERS = frozenset("no not non free without avoid avoids avoiding".split())
VALUE_FILLER = frozenset("a an the my our of to in on at for from with and or is are it its".split())
# The words that name a subject and tell nothing of it: "Work: work" for "I work as a nurse", "Diet: my diet" (the
# embedded model proposes them, and every word is said and cued). A value of these words alone is no fact.
SUBJECT_WORDS = frozenset({subject.value for subject in Subject} | {"job", "career", "occupation", "profession"})
HEDGES = frozenset("hardly barely rarely seldom scarcely".split())
AVOIDING = frozenset(("allergic allergy intolerant intolerance avoid ill sick cut hive rash sensitive sensitivity stop "
                      "hospital reaction react eczema migraine headache heartburn nausea itch itchy swell flare "
                      "quit no-go no-no off-limits poison kryptonite " + _BODY_AND_FAITH).split())


_SENTENCE_START = r"(?:^|(?<=[.!?\n])\s*)"
_FORGET = re.compile(_SENTENCE_START + r"\s*(?:please\s+|also\s+|and\s+)?forget\s+(?:that\s+|about\s+)?"
                     r"(?P<value>[^.!?\n]{2,160})(?P<end>[.!?]?)", re.I)
# "Forget all about my trip" names one thing: only these words alone ask for everything.
_EVERYTHING = re.compile(r"^(?:everything|all)(?:\s+(?:(?:that\s+)?you\s+know\s+)?(?:about|of)\s+me"
                         r"|\s+(?:that\s+)?you\s+know)?\s*$", re.I)


@dataclass(frozen=True)
class Forget:
    """The user asked to forget something: `query` names it, or `everything`."""

    query: str
    everything: bool = False


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


class Drop(StrEnum):
    """Why a proposal was not kept: what operators count per digest (never the text itself)."""

    MALFORMED = "malformed"  # empty, or longer than a memory may be
    NOT_STATED = "not_stated"  # a word the user's own statements never say
    NOT_INTRODUCED = "not_introduced"  # a name the user did not give in an introduction
    SOMEONE_ELSE = "someone_else"  # said of another person ("my sister lives in Leeds")
    PAST = "past"  # not the present: a past state ("I used to live in Oslo"), or one ahead ("I'm moving to Oslo")
    NO_CUE = "no_cue"  # the clause does not speak of the subject
    NEGATED = "negated"  # "I'm not vegan"; or "no shellfish" where nothing was refused


def floor(message: str) -> list[Proposal]:
    """What memory learns from a message without the model: the rules' facts (`phrasings`), and the values found
    by structure (`spans`) that validation finds the user's own clauses state, one per single-valued subject."""
    found = rules(message)
    for span in spans(message):
        if any(p.subject is span.subject and (span.subject in SINGLE_VALUED or _overlap(p.value, span.value))
               for p in found):
            continue  # the rules read it already ("dog Pepper" beside "our dog Pepper")
        if span.subject is Subject.PLAN and any(p.subject is Subject.NOTE and said_within(span.value, p.value)
                                                for p in found):
            continue  # a note holds it: "my birthday's on the 2nd of March" comes back every year, and never passes
        if judge(span, message) is None:
            found.append(span)
    return found


def _overlap(value: str, other: str) -> bool:
    """One value's words, by lemma, are among the other's: "kids Ana" is "kid Ana" said again."""
    return said_within(value, other) or said_within(other, value)


def validate(proposal: Proposal, source: str) -> bool:
    """Whether the user's message says this (`judge` finds no reason to drop it)."""
    return judge(proposal, source) is None


def judge(proposal: Proposal, source: str) -> Drop | None:
    """Why the message does not support this proposal, or None when it does: the rules read it there, or
    one of the user's own present, unhedged clauses about themselves (`statements.clauses`) holds every
    meaningful word of the value, by lemma, with a cue for its subject, and agrees with it on negation ("I
    can't eat shellfish" supports "no shellfish" and "shellfish-free", never "shellfish"; "I'm not vegan"
    supports nothing). The reason given is the first that the best-matching clause fails."""
    value = proposal.value
    if not value or len(value) > MAX_VALUE_CHARS or len(words(value)) > MAX_VALUE_WORDS:
        return Drop.MALFORMED
    if any(p.subject is proposal.subject and _within(value, p.value) for p in rules(source)):
        return None
    if proposal.subject in (Subject.NAME, Subject.NOTE):
        return Drop.NOT_INTRODUCED  # a name only from an introduction; a note only from an order the rules read
    value_words = [word for word in tokens(value) if word not in VALUE_FILLER]
    needed = [word for word in value_words if word not in NEGATIVE_MARKERS]
    if not needed or all(lemma(word) in SUBJECT_WORDS for word in needed):
        return Drop.MALFORMED
    if not _shaped(proposal.subject, needed, source):
        return Drop.NO_CUE
    reasons = []
    found = clauses(mended(source))  # read as the rules read it, a slip in a cue word mended ("i liv in Leeds")
    for clause in [*found, *_joined(found, needed)]:
        if not all(roots(word) & clause.roots for word in needed):
            continue
        reason = _clause_drops(proposal, clause, needed, value_words)
        if reason is None:
            return None
        reasons.append(reason)
    return min(reasons, key=list(Drop).index, default=Drop.NOT_STATED)


_NAMED = frozenset("called named nicknamed".split())  # "greyhound called Pip"
# What a relative is named with besides the relation and the name: "married to Lucia", "mum of two", "sister-in-law
# Agnes", "little brother".
_KIN_WORDS = frozenset("married engaged widowed to of and in law step half great grand two three four five six twin "
                       "twins little big older younger elder eldest youngest oldest baby new late".split())


def _shaped(subject: Subject, needed: list[str], source: str) -> bool:
    """Whether a value has the shape of its subject, which no clause can lend it (each a value the embedded model
    proposed and the clause let through):
    - a number alone is no fact of any subject ("preference: 3306" of "my parking spot number is 3306");
    - a place alone (one the rules know, or a name after "in", "to" or "from") is never a job, a project or a diet
      ("work: Tbilisi" of "In October I'll be in Tbilisi for work"; a relative may be married "to Lucia");
    - a relative's name is a relative, nothing else ("work: Lena" of "Bringing my daughter Lena to work");
    - a home is never a common noun the message puts a determiner before ("home: heat" of "the heat has been a lot");
    - a relative is named by relations and names: no diet, no job, no doing, and no other word of the language unless
      it stands by a relation ("family: school" of "Our kids go to school", but "my son milo", "luna the cat")."""
    joined = " ".join(needed)
    if all(word.isdigit() for word in needed):
        return False
    lowered = source.casefold()
    if subject in (Subject.WORK, Subject.PROJECT, Subject.DIET) and (joined in KNOWN_PLACES or (
            len(needed) == 1 and any(source[start].isupper() and not source[start:start + 2].isupper()
                                     and rx.search(r"\b(?:in|to|from|near) $", lowered[:start])
                                     for start in _places_of(joined, lowered)))):
        return False  # (a name after "in", "to" or "from" is a place: "in Tbilisi for work"; not "work in IT")
    words = tokens(lowered)
    if subject is not Subject.FAMILY and len(needed) == 1 and any(
            words[index - 1] in RELATIONS for index, word in enumerate(words) if index and word == needed[0]):
        return False
    if subject is Subject.HOME:
        return joined in KNOWN_PLACES or not any(
            rx.search(r"\b(?:the|a|an|some|my|our|your|their|his|her|this|that) $", lowered[:start])
            and source[start].islower() for start in _word_starts(needed[0], lowered))
    if subject is Subject.FAMILY:
        return not any(word in DIETS or word in OCCUPATIONS or (
            word.endswith(("ing", "ed")) and lemma(word) != word and word not in CUES[Subject.FAMILY]
            and word not in _NAMED) or not _kin_word(word, source, words) for word in needed)
    return True


def _kin_word(word: str, source: str, words: list[str]) -> bool:
    """A word of a relative's value: a relation, a word relations are named with, a name (a word the language does not
    know, or one written with a capital), or a word within a few of a relation ("kids ben and lena", never "kids go
    to school")."""
    if lemma(word) in RELATIONS or word in RELATIONS or word in _KIN_WORDS or word in _NAMED or not is_word(word):
        return True
    # (a casefold may lengthen the text, "Straße" to "strasse": a place past its end is no capital)
    if any(start < len(source) and source[start].isupper() for start in _places_of(word, source.casefold())):
        return True
    # (never a word a preposition governs: "Our kids go to school")
    return any(word == other and (not index or words[index - 1] not in _GOVERNING) and any(
        near in RELATIONS or lemma(near) in RELATIONS for near in words[max(0, index - 4):index + 4])
               for index, other in enumerate(words))


_GOVERNING = frozenset("to at in on from for into onto by about".split())


def _within(value: str, read: str) -> bool:
    """The value is what the rules read, or a run of its words, or one item of its list, of the same polarity: "Hanoi"
    of "Hanoi in June", "no eggs" of "no peanuts or eggs" (never "peanuts" of "no peanuts", nor "Rome in May" of "Rome,
    going in May")."""
    if value.casefold() == read.casefold():
        return True
    words, whole = tokens(value), tokens(read)
    if not set(words) - VALUE_FILLER - NEGATIVE_MARKERS or bool(set(words) & NEGATIVE_MARKERS) != bool(
            set(whole) & NEGATIVE_MARKERS):
        return False
    listed = rx.match(r"^(?:no|zero) (?P<items>.+)$", read.casefold())
    items = [["no", *tokens(item)] for item in rx.split(r",\s*|\s+(?:or|and|nor)\s+", listed.group("items"))] if (
        listed) else []
    return any(words == run[start:start + len(words)] for run in [whole, *items] for start in range(len(run)))


_TAKEN_UP = frozenset("it them that".split())  # a pronoun that takes up what the clause before named


def _joined(found: tuple[Clause, ...], needed: list[str]) -> list[Clause]:
    """A value told over the clauses of one sentence ("My husband and I are painting, Sam wants grey"; "Lima is
    happening, flights booked for May"): those clauses read as one, which is the user's, present, negated or
    hedged when any of them is, and about someone else when any of them is."""
    out = []
    for sentence in dict.fromkeys(clause.sentence for clause in found):
        parts = [c for c in found if c.sentence == sentence and any(roots(w) & c.roots for w in needed)]
        if len(parts) == 1:  # "No pork in mine, I react badly to it": the pronoun takes up the value
            after = [c for c in found if c.sentence == sentence and found.index(c) == found.index(parts[0]) + 1]
            # (or one's children by their count: "Ben, Noor and Lena done, my three are out the door")
            named = {person.casefold() for _, person in counted(sentence)}
            taken = [c for c in after if _TAKEN_UP.intersection(c.words) or (
                _COUNTED.search(c.text.casefold()) and named.intersection(needed))]
            if taken:
                parts += taken
                out.append(_as_one(parts))
                continue
        if len(parts) < 2 or any(all(roots(w) & c.roots for w in needed) for c in parts):
            continue  # one clause holds it all (read on its own above), or the sentence has one clause of it
        out.append(_as_one(parts))
    return out


def _as_one(parts: list[Clause]) -> Clause:
    speakers = {c.speaker for c in parts}
    return replace(parts[0], text=" ".join(c.text for c in parts), words=tuple(w for c in parts for w in c.words),
                   roots=frozenset().union(*(c.roots for c in parts)),
                   cues=frozenset().union(*(c.cues for c in parts)),
                   speaker=parts[0].speaker if len(speakers) == 1 else Speaker.OTHER,
                   negated=any(c.negated for c in parts), unrelated=any(c.unrelated for c in parts),
                   past=any(c.past for c in parts), ahead=any(c.ahead for c in parts))


def _clause_drops(proposal: Proposal, clause: Clause, needed: list[str], value_words: list[str]) -> Drop | None:
    """Why this clause, which holds the value's words, does not state it (None: it does)."""
    lowered = clause.text.casefold()
    household = proposal.subject is Subject.HOME and bool(
        _HOUSEHOLD.match(lowered) or any(_HERE_IN_END.search(lowered, 0, start)
                                         for start in _places_of(proposal.value.casefold(), lowered)))
    if (clause.speaker not in SPEAKERS.get(proposal.subject, (Speaker.USER,)) and not household) or _theirs(
            proposal, clause, needed):
        return Drop.SOMEONE_ELSE
    if proposal.subject is Subject.WORK and _sought(needed, clause):
        return Drop.SOMEONE_ELSE
    if proposal.subject is Subject.PREFERENCE and _liked_by_others(clause):
        return Drop.SOMEONE_ELSE
    if clause.past or _former(needed, clause) or (clause.ahead and proposal.subject in (Subject.HOME, Subject.WORK,
                                                                                         Subject.DIET)):
        return Drop.PAST
    if proposal.subject is Subject.PROJECT and _completed(needed, clause):
        return Drop.PAST  # "Finally finished the kayak last year": a project that is over
    if proposal.subject is Subject.PLAN and _CALLED_OFF.search(clause.text.casefold()):
        return Drop.NEGATED  # "The Lima trip got cancelled": a plan no more
    if proposal.subject is Subject.PLAN and (_TRAVELLED.search(clause.text.casefold())
                                             or _LAST_TIME.search(clause.text.casefold())):
        return Drop.PAST  # "We went to Lima in March": a trip that has been
    if not (_cues(proposal, clause) or _cued_by_value(proposal, needed) or _framed_by(proposal, clause)
            or (proposal.subject is Subject.PREFERENCE and _praised(proposal.value, clause))
            or (proposal.subject is Subject.FAMILY and _KIN_PHRASES.search(clause.text.casefold()))
            or (proposal.subject is Subject.DIET and _BARE_REFUSAL.match(clause.text.casefold())
                and _OWN_DIET.match(clause.sentence.casefold()))
            or _unclaimed(proposal, clause)):
        return Drop.NO_CUE
    # A negative value ("no shellfish") needs a clause that refuses or avoids; a plain one a plain clause.
    negative = any(word in NEGATIVE_MARKERS and word not in clause.words for word in value_words)
    refused = clause.negated and not HEDGES & set(clause.words)  # "I hardly ever eat eggs" refuses nothing
    if negative and _NO_RESTRICTION.search(clause.text.casefold()):
        return Drop.NEGATED  # "Gluten isn't a problem for me" refuses nothing
    if negative and not (proposal.subject is Subject.DIET and (refused or AVOIDING & clause.cues
                                                                or REFUSALS.search(clause.text.casefold())
                                                                or _TROUBLE.search(clause.sentence.casefold())
                                                                or _CHECKED.search(clause.sentence.casefold()))):
        return Drop.NEGATED
    if (clause.negated and not negative and proposal.subject is Subject.DIET and rx.fullmatch(DIET, needed[-1])
            and _MEAT_REFUSED.search(clause.text.casefold())):
        return None  # "dont eat meat, vegan for four years": the refusal is the diet's own
    if household and not NEGATION.search(lowered[:lowered.find(proposal.value.casefold())]):
        return None  # "The bins round ours in Ghent never get emptied": what is negated is no denial of the home
    if clause.negated and not negative and (proposal.subject is not Subject.FAMILY or clause.unrelated):
        return Drop.NEGATED  # ("my kids won't sleep" still names them: a negation does not undo a relation)
    return None


# The user in their own clause: a word of the first person, or a verb or a negation whose "I" is dropped ("Can't
# stand crowds", "Spending every weekend on the allotment").
_MINE = frozenset("i i'm im i've ive i'd i'll we we're we've me my mine us our ours myself ourselves".split())
_DROPPED_I = frozenset("can't cant cannot don't dont never".split())


# The subjects a clause may speak of with no word of their cue lexicon. Not a relative (a relation or a name is the
# cue), nor a diet or a job: given the embedded model's proposals for the held-back fresh set, those added wrong
# values (a diet or a job read from a line about one's family or tastes) and no right one.
_UNCUED = frozenset({Subject.HOME, Subject.PREFERENCE, Subject.PROJECT, Subject.PLAN})


def _unclaimed(proposal: Proposal, clause: Clause) -> bool:
    """A clause in the user's own voice that holds the value and no cue of any other subject speaks of the value's
    subject, whatever words it uses for it ("I live for heat", "im in dundee. why"): the cue lexicons are for telling
    subjects apart, and here there is nothing to tell apart. Never a clause whose words are about a thing rather than
    the user ("Lisbon is beautiful")."""
    if proposal.subject not in _UNCUED or not clause.words:
        return False
    lowered = clause.text.casefold()
    if proposal.subject is Subject.PREFERENCE and any(rx.search(r"\b(?:my|our) $", lowered[:start])
                                                      for start in _word_starts(proposal.value.casefold(), lowered)):
        return False  # what one has is no taste: "My smoking habit is getting expensive"
    first = clause.words[0]
    voiced = bool(_MINE.intersection(clause.words)) or first in _DROPPED_I or (
        first.endswith(("ed", "ing")) and lemma(first) != first)
    return voiced and not any(CUES[subject] & clause.cues for subject in CUES if subject is not proposal.subject)


# A thing equated with one's own taste: "jazz is totally my jam", "k-pop is such a vibe", "sailing on Sundays is the
# highlight of my week", "ramen is life".
_PRAISE = (r"(?: [\w-]+){0,3} (?:is|are|'s)(?: (?:so|such|totally|literally|honestly|just|really|absolutely))* "
           # (only the words of taste after "my": "Sam is my husband" equates a person, not a liking)
           r"(?:my (?:jam|thing|fave|fav|favourite|favorite|obsession|weakness|happy place|go-to|guilty pleasure|"
           r"comfort|everything|religion|vibe)\b|such an? \w+|the (?:highlight|high point|best part|best bit) of "
           r"my\b|life\b)")
_PRAISED = re.compile(_PRAISE)
# A refusal of meat or fish that a diet without them makes: "don't eat meat", "never touch fish".
_MEAT_REFUSED = re.compile(r"\b(?:don't|dont|do not|never|no longer|won't|wont) (?:eat|touch|have) (?:any )?"
                           r"(?:meat|fish|animal products|dairy)\b")


def _praised(value: str, clause: Clause) -> bool:
    """The value opens the clause and is equated with the user's taste."""
    text, value = clause.text.casefold(), value.casefold()
    return text.startswith(value) and bool(_PRAISED.match(text, len(value)))


def _cues(proposal: Proposal, clause: Clause) -> frozenset[str]:
    """The clause's cues for the subject, less those a place's own name holds: "Cape Town" says no town of the
    user's, "jobs in Cape Town" no home."""
    cues = CUES[proposal.subject] & clause.cues
    if proposal.subject is Subject.FAMILY:
        # (a hyphenated relation is a cue whole: "in-laws", "step-dad")
        cues |= RELATIONS & set(rx.findall(r"[a-z]+(?:-[a-z]+)+", clause.text.casefold()))
    if proposal.subject is Subject.HOME:
        cues -= {lemma(word.casefold()) for word in rx.findall(r"\b[A-Z][\w'-]*", proposal.value)}
    return cues


def _theirs(proposal: Proposal, clause: Clause, needed: list[str]) -> bool:
    """A relative's relative is theirs: "my sister's dog is called Pepper" names no pet of the user's."""
    if proposal.subject is not Subject.FAMILY:
        return False
    words = list(clause.words)
    for index, word in enumerate(words[:-1]):
        # "my son's teacher is called Aoife": the name is the teacher's, not a son's
        if word.removesuffix("'s") in RELATIONS and word.endswith("'s") and (
                words[index + 1] in OTHERS or words[index + 1] in RELATIONS or words[index + 1] in OCCUPATIONS):
            return True
    for index, word in enumerate(words[1:], 1):
        owner = word.removesuffix("'s")
        if owner != word and (owner in RELATIONS or owner in OTHERS) and words[index - 1] in ("my", "our") and any(
                roots(later) & roots(value) for later in words[index + 1:index + 3] for value in needed):
            return True
    # Someone else's relative, with none of the user's own in the clause: "Noor is my friend's daughter", "she's my
    # neighbour's kid" (but "my friend's daughter and my son Ben" still names a son)
    others_kin = any(word.endswith("'s") and word.removesuffix("'s") in OTHERS and words[index - 1] in ("my", "our")
                     and words[index + 1] in RELATIONS for index, word in enumerate(words[1:-1], 1))
    own_kin = any(word in RELATIONS and words[index - 1] in ("my", "our") for index, word in enumerate(words[1:], 1))
    return others_kin and not own_kin


# A job that is looked for, met or paid is someone else's: "we need to hire a nurse", "I'm seeing a plumber".
_SEEKING = re.compile(r"\b(?:hire|hiring|hired|employ|employing|find|finding|need|needs|needed|want|wants|looking for|"
                      r"look for|recommend|book|booked|booking|call|calling|see|seeing|saw|meet|meeting|met|ask|asked|"
                      r"consult|consulted|visit|visiting|contact|date|dating|dated|pay|paid|married to|marry|"
                      r"apply for|applying for|applied for|applications for)\s+"
                      r"(?:(?:a|an|the|another|some|our|my|your|good|new|local|decent|proper)\s+){0,2}"
                      r"(?:[\w-]+\s+)?$")


_LIKING = frozenset("love like enjoy adore prefer hate dislike".split())
_FIRST = frozenset("i i've i'd we we've we'd me".split())


def _liked_by_others(clause: Clause) -> bool:
    """The clause's verbs of liking all have someone else for their subject, and it has no other word of
    liking: "We had ramen at the fair and the kids loved it" says what the kids like."""
    words = list(clause.words)
    likings = [index for index, word in enumerate(words) if lemma(word) in _LIKING]
    if not likings or (CUES[Subject.PREFERENCE] - _LIKING) & clause.cues:
        return False
    for index in likings:
        subject = next((w for w in reversed(words[max(0, index - 3):index]) if not w.endswith("ly")
                        and w not in ("really", "just", "always", "do", "does", "totally", "absolutely", "all")), "")
        if not subject or subject in _FIRST or (subject == "and" and index > 1 and words[index - 2] in _FIRST):
            return False
        if not (subject in OTHERS or subject in RELATIONS or lemma(subject) in RELATIONS or subject == "kids"):
            return False
    return True


def _sought(needed: list[str], clause: Clause) -> bool:
    """The job in the value is the object of seeking, meeting or paying someone, not what the user is."""
    lowered = clause.text.casefold()
    return any(_SEEKING.search(lowered[:start]) for start in _word_starts(needed[0], lowered))


_FORMER = frozenset("former retired ex previous erstwhile one-time onetime".split())


# A making brought to its end, in the past: "finished the kayak", "completed my novel" (never "nearly finished",
# "finishing", "not finished yet").
_DONE = frozenset("finished completed wrapped".split())
_NOT_DONE = frozenset("nearly almost half mostly not never yet barely".split())
# A making given up is over too: "I gave up the cello after a month", "Gave up on a kayak ages ago" (a food given up
# is a diet, which is no project's business).
_ABANDONED = frozenset("abandoned ditched shelved scrapped".split())
_GIVING = frozenset("gave given giving".split())


def _completed(needed: list[str], clause: Clause) -> bool:
    """The project is named as done or given up: its words follow a past "finished" or "completed", or "gave up
    (on)", within a few words."""
    words = clause.words
    for index, word in enumerate(words):
        if (word in _ABANDONED or (word == "up" and index and words[index - 1] in _GIVING)) and any(
                roots(later) & roots(needed[0]) for later in words[index + 1:index + 5]):
            return True
        if word in _DONE and not _NOT_DONE & set(words[max(0, index - 2):index]) and "yet" not in words[index:]:
            if any(roots(later) & roots(needed[0]) for later in words[index + 1:index + 5]):
                return True
    return False


def _former(needed: list[str], clause: Clause) -> bool:
    """The value is named as what it was: "a retired teacher", "my former home in Leeds", "an ex-nurse"."""
    words = [part for word in clause.words for part in (word.split("-", 1) if word.startswith("ex-") else [word])]
    for index, word in enumerate(words):
        # ("my ex-job as a carpenter": the value may come a few words after)
        if word in _FORMER and any(roots(later) & roots(needed[0]) for later in words[index + 1:index + 6]):
            return True
    return False


# A denial of a restriction: "gluten isn't a problem for me", "I don't mind eggs".
_NO_RESTRICTION = re.compile(r"\b(?:isn't|aren't|is not|are not|not|never|no longer) (?:a |an |really a )?"
                             r"(?:problem|issue|bother)\b|\b(?:don't|do not|dont|wouldn't) mind\b|\bfine with\b|"
                             # an allergy denied: "I'm not allergic to soy, that was my brother"
                             r"\b(?:not|never been|no longer) (?:\w+ )?(?:allergic|intolerant|sensitive)\b|"
                             # an allergy one hasn't got: "I don't have a soy allergy, I checked"
                             r"\b(?:don't|do not|dont|haven't|have not|havent|never had) (?:have |got )?"
                             r"(?:a |an |any )?(?:[\w-]+ )?(?:allergy|allergies|intolerance)\b")
# A refusal with no verb of eating: "no shellfish for me", "soy is off the table", "dairy and I don't get on",
# "I steer well clear of pork". It supports a negative diet ("no soy") as a negated verb of eating does.
REFUSALS = re.compile(r"\b(?:no|zero) [\w -]+ for (?:me|us)\b|\boff the (?:table|menu)\b|\bsteer (?:\w+ )?clear of\b|"
                      # keeping away: "I keep clear", "staying away from alcohol this year"
                      r"\b(?:keep|keeps|keeping|kept|stay|stays|staying|stayed) (?:well )?(?:clear|away from)\b|"
                      # a thing swapped for another is given up: "swapped milk for oat milk"
                      r"^(?:i |we |i've |we've )?(?:swapped|swap|traded|replaced) (?:out )?[\w -]+ (?:for|with)\b|"
                      r"\b(?!(?:stress|smoke|pain|debt|hands|cruelty|plastic|clutter|rent|fee|duty|hassle|worry|risk)-)"
                      r"[a-z]+-free\b|"
                      rf"\b{OFF} off\b"
                      r"(?! to\b| for\b| work\b| sick\b)|"
                      r"\b(?:can't|cannot|cant|won't|wont|don't|dont|never) (?:go|come) (?:anywhere )?near\b|"
                      r"\b(?:and (?:i|me)|with me) (?:don't|do not|dont|never|just don't) "
                      r"(?:get on|get along|agree|mix)\b|\band (?:i|me) (?:are not|aren't|are no|are never) "
                      r"(?:friends|a match)\b")
# Relatives named by a phrase, not a word: "my other half", "my little one Ana", and one's children by their count
# before their names ("My two, Noor (7) and Ana (4), ...").
# One's children by their count, after their names: "Ben, Noor and Lena done, my three are out the door".
_COUNTED = re.compile(rf"\b(?:my|our) (?:{BROOD}) (?:are|were|have|had)\b")
_KIN_PHRASES = re.compile(r"\b(?:other half|little one|little man|little girl|little boy|middle one|middle child)\b|"
                          rf"\b(?:my|our) (?:{BROOD}), (?=[a-z])|{_COUNTED.pattern}")
# A refusal with no verb, after a clause that names the diet: "Teetotal here, so no alcohol", "I'm vegan, so no dairy".
_BARE_REFUSAL = re.compile(r"^(?:so |and |but |which means |meaning )?(?:no|zero) [\w -]+[.!]*$")
_OWN_DIET = re.compile(rf"^(?:(?:i'm|im|i am|we're|we are) )?(?:\w+ )?{DIET}\b")  # (never "my sister is vegan, so...")
_CALLED_OFF = re.compile(r"\b(?:cancelled|canceled|cancel|called off|call off|fell through|falls through|scrapped|"
                         r"scrap|off the table|not happening|isn't happening|is off|'s off)\b")
_TRAVELLED = re.compile(r"\b(?:i|we) (?:went|flew|travelled|traveled|visited|stayed|spent|got back|came back|"
                        r"returned)\b")
# A time gone by, which no plan is dated by: "lima was amazing last june" (but "the last weekend of June" is ahead).
_LAST_TIME = re.compile(rf"\blast (?:week|weekend|month|year|summer|spring|autumn|fall|winter|christmas|easter|"
                        rf"night|time|{MONTH}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?! of\b)|"
                        r"\b(?:weeks|months|years|days) ago\b")
# A food checked for because of an allergy, over a sentence's clauses.
_CHECKED = re.compile(r"\b(?:check|checking|read|reading) (?:the )?(?:ingredients|labels?|menus?) for [\w -]+,? "
                      r"(?:because of|due to|what with) my (?:allergy|allergies|intolerance)\b")
# A refusal over a sentence's clauses: "Anything with pork in it and I'm in trouble".
_TROUBLE = re.compile(r"^(?:anything|everything|something) with [\w -]+ in (?:it|them)\b.*\b(?:i'm|im|i am|i get|"
                      r"i end up) (?:in trouble|ill|sick|poorly|in hospital|done for|toast|in bed|bloated)\b")
# A thing done on a rhythm is a pastime or a pursuit: "could eat ramen every day", "cello lessons twice a week".
_HABIT = (r"\bevery (?:single )?(?:day|morning|evening|night|week|weekend|monday|tuesday|wednesday|thursday|friday|"
          r"saturday|sunday)\b|\b(?:once|twice|three times|four times) a (?:day|week|month)\b")
# Frames that state a subject with no word for it: "we've been in Porto since 2019" is a home.
_FRAMES: dict[Subject, re.Pattern[str]] = {
    Subject.HOME: re.compile(r"\b(?:my|our) (?:bit|part|corner|end|side|patch) of\b|\bon (?:my|our) doorstep\b|"
                             r"\bround (?:my|our) way\b|^(?:i |we )?ended up in\b|"
                             # one's dwelling by its kind, roots, the distance from the centre; a native still there
                             rf"\b(?:{HOME_FRAME})\b|\b{NATIVE}|{BELONGING}|"
                             r"\b(?:near|by|round|around) (?:me|us) in\b|"
                             # one's own services there, and one's daily round there: "my GP in Brno", "I walk the
                             # dog along the river in Ghent every morning"
                             r"^(?:my|our) (?:gp|doctor|dentist|vet|local|gym|corner shop|surgery|postman|postie) in\b|"
                             r"\bin [\w -]+ every (?:single )?(?:day|morning|evening|night)\b|"
                             r"\b(?:loving|enjoying|love|my|our) life in\b|^back in \w[\w -]* after\b|"
                             rf"\b(?:i've|we've|i have|we have|i|we)? ?been (?:here )?in \w[\w -]* {LASTED}\b|"
                             r"\bback home (?:to|in)\b"),
    # "we're doing up the attic", "I've taken up Japanese", "having a go at the cello", "a shed on the go"
    Subject.PROJECT: re.compile(r"\b(?:doing|do|fixing|fix) up\b|\b(?:sort|sorts|sorting|sorted|clear|clearing|kit|"
                                r"kitting) out\b|"
                                # how far in, how deep in, what effort is logged: "twenty hours into Japanese", "knee
                                # deep in a memoir", "logging miles for a marathon"
                                rf"\b{HOW_FAR_IN}\b|"
                                # the last part of the way, the time it takes up, a day of a run of them: "on the
                                # home stretch with a kayak", "a chess engine is eating all my weekends", "Day 40 of
                                # Japanese"
                                r"\bon the (?:home|final|last) (?:stretch|straight|leg)\b|"
                                r"\b(?:eating|taking|swallowing) (?:up )?(?:all )?(?:of )?my "
                                r"(?:weekends|evenings|nights|free time|spare time)\b|"
                                rf"^day \d+ of\b|\bto {DONE_BY}|"
                                rf"\b{BODY_DEEP} in\b|\bdeep into\b|"
                                r"\b(?:logging|clocking|racking up|putting in) (?:the )?(?:miles|hours|km|kilometres|"
                                r"laps)\b|\b(?:take|takes|took|taken|taking|picked|pick) up\b|"
                                r"\bin the middle of\b|^(?:i |we )?spen[dt] (?:all of |the whole of |most of )?"
                                r"(?:the |my |our )?(?:\w+ ){0,2}?[a-z]+ing (?:a|an|my|our)\b|"
                                r"\bha(?:ve|ving|d) a (?:go|crack|stab) at\b|\bon the go\b|\bstart(?:ed|ing)? on\b|"
                                r"\b(?:mid|half)?way through\b|\bgoes? into\b|"
                                r"^(?:an? |quick |progress )*(?:update|report) on\b|"
                                # progress under its name, or the last of it left: "birdhouse update: walls are up",
                                # "only the epilogue left to write for a memoir", "half built"
                                r"^[\w' -]{2,30}? (?:update|progress report)\s*:|"
                                r"^(?:only|just) (?:the|a|one|two|three) [\w -]{2,20}? (?:left|to go)\b|"
                                r"\bhalf (?:built|done|finished|painted|written|made)\b|"
                                # time given to it, and how far along it is: "spent the weekend on a kayak, nearly done"
                                r"\bspen[dt] (?:the|my|all|every|most) (?:\w+ )?(?:weekend|evening|day|morning|week|"
                                r"night)s? on\b|\b(?:nearly|almost|half|mostly) (?:done|finished|there)\b|"
                                r"\b(?:coming along|taking shape|getting there with)\b|" + _HABIT + "|"
                                # keeping at it: "cracking on with a shed", "chipping away at a novel"
                                + PERSEVERING.pattern),
    Subject.DIET: REFUSALS,
    # a job by how one's days are spent or by its trade: "I spend my days laying bricks", "plumber by trade"
    Subject.WORK: re.compile(r"\bspend (?:my|our) (?:days|working days|working life|time at work)\b|"
                             r"\bby (?:trade|profession|training|day)\b|"
                             r"^i \w+ [\w ]+ at (?:a|the) (?:place|firm|company|garage|salon|workshop|factory|"
                             r"warehouse|"
                             r"shop|bakery) (?:in|near|on|down|outside)\b|"
                             # a trade kept up for years: "I've been laying bricks since I left school"
                             r"\b(?:i've|i have|ive) been \w+ing\b.*\b(?:since (?:i )?(?:left|finished) (?:school|uni|"
                             r"college)|for (?:\w+ )?(?:years|decades))\b"),
    # a liking by what it does for one: "nothing relaxes me like...", "you'll find me fishing on Sundays",
    # "give me ramen any day", "k-pop never gets old"
    Subject.PREFERENCE: re.compile(r"\b(?:keeps?|makes?|gets?) me (?:sane|going|happy|calm|smiling)\b|"
                                   r"\bnothing \w+s me (?:like|more than)\b|\bfind me \w+ing\b|"
                                   r"^give me .+\b(?:any day|any time|anytime|every time)\b|"
                                   r"\bnever (?:gets?|grows?) old\b|\bup my (?:street|alley)\b|\bgo-to\b|"
                                   r"\bidea of (?:a )?(?:perfect|good|great|ideal|lovely)\b|"
                                   r"^(?:my )?(?:weekends|evenings|sundays|saturdays|summers|days off) "
                                   r"are (?:for|made for)\b|\blive on\b|\b(?:i'm|im|i am) (?:always |usually )?out "
                                   r"\w+ing\b|"
                                   # a need, and what nothing else comes close to
                                   r"\b(?:can't|cannot|cant|couldn't) (?:live|get through|survive|cope|function|go|"
                                   r"last|manage|do)\b[\w ]{0,25}\bwithout\b|"
                                   r"\bnothing (?:else )?(?:comes close|compares)\b|\bnever miss\b|" + _HABIT
                                   + "|" + WILLING + "|"
                                   # what one's days turn on, all of it seen, a habit of it, what alone calms one
                                   rf"\b{REVOLVES}\b|\b{ALL_OF}\b|^(?:my|our) [\w' -]{{2,30}}?(?<!ing) {HABITS}|"
                                   r"\bthe only thing (?:that |which )?\w+s (?:me|my)\b"),
}


# Frames that span the clauses of a sentence: "I'm in Tampere, so my timezone is different".
_SENTENCE_FRAMES: dict[Subject, re.Pattern[str]] = {
    Subject.PLAN: re.compile(TIME_OFF),
    Subject.DIET: re.compile(f"{_TROUBLE.pattern}|{_CHECKED.pattern}"),
    Subject.HOME: re.compile(r"\b(?:i'm|im|i am|we're|we are) (?:based )?in [\w' -]{2,30}?,? so (?:my |the |our )?"
                             r"(?:time ?zone|time difference)|" + SINCE.pattern),
    Subject.PREFERENCE: re.compile(r"^(?:anything|something) with .+ and (?:i'm|im|i am) (?:there|in|sold)[.!]*$|"
                                   r"^(?:just )?put on (?:some |a bit of )?[\w' -]{2,30}? and (?:i'm|im|i am) "
                                   r"(?:happy|content|sorted|set)\b|^(?:if|whenever) there's .+ on the menu,? "
                                   r"(?:i'm|i am|i'll|i) (?:always )?(?:ordering|order|getting|get|having|choosing)\b|"
                                   r",? (?:it's|its|that's|thats) (?:my|the) (?:favou?rite|best) (?:thing|part)\b|"
                                   r"^give me .+ and (?:i'm|im|i am) (?:sorted|happy|set|content|in heaven)\b|"
                                   rf"^if it's .+?,? (?:{IM_IN})\b"),
}


def _framed_by(proposal: Proposal, clause: Clause) -> bool:
    frame, whole = _FRAMES.get(proposal.subject), _SENTENCE_FRAMES.get(proposal.subject)
    return bool(frame and frame.search(clause.text.casefold())) or bool(
        whole and whole.search(clause.sentence.casefold()))


def _cued_by_value(proposal: Proposal, needed: list[str]) -> bool:
    """A job or a relative names its own subject: "I'm a nurse" needs no word for work."""
    last = needed[-1]
    if proposal.subject is Subject.WORK:
        # a trade by its verb names its doer's job: "I bake bread" (a baker)
        return (any(roots(word) & occupation_roots() for word in needed) or last in OCCUPATIONS
                or " ".join(needed[-2:]) in COMPOUNDS)
    if proposal.subject is Subject.FAMILY:
        return any(word in RELATIONS or lemma(word) in RELATIONS for word in needed)
    return False


def validated(proposals: list[Proposal], source: str, model: list[Proposal] | None = None) -> list[Proposal]:
    """The proposals the message supports, one per single-valued subject (the last given), then the model's
    (`sift`)."""
    return sift(proposals, source, model)[0]


def sift(proposals: list[Proposal], source: str,
         model: list[Proposal] | None = None) -> tuple[list[Proposal], Counter[Drop]]:
    """`validated`, with how many were dropped for each reason. The model's proposals come after the rules' and
    never take a one-valued subject's place from them: the embedded model's values that pass the check are still
    less often right than the rules' ("work: engineering" for "my job is in civil engineering", "home: nairobi"
    for the rules' "Nairobi")."""
    kept: dict[tuple[Subject, str], Proposal] = {}
    drops: Counter[Drop] = Counter()
    ruled: frozenset[Subject] = frozenset()
    for offered in (proposals, model or []):
        for proposal in offered:
            reason = judge(proposal, source)
            single = proposal.subject in SINGLE_VALUED
            if reason is not None:
                drops[reason] += 1
            elif not (single and proposal.subject in ruled):
                kept[(proposal.subject, "" if single else proposal.value.casefold())] = proposal
        ruled = frozenset(subject for subject, _ in kept)  # what the rules read, before the model's turn
    return list(kept.values()), drops


def remembered(text: str) -> list[Proposal]:
    """Notes the user asked to keep ("Remember that my locker code is 4521."); a question is no order."""
    return notes(text)


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
