"""The pieces every phrasing rule is written with: pronoun and place patterns, the words that end an
object phrase, the diets named by one word, and a slip in a cue word mended."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from memchat.memory import patterns as rx
from memchat.memory.language import is_word, near
from memchat.memory.language import mended as word_mended
from memchat.memory.memories import Proposal, Subject
from memchat.memory.statements import Clause

I_AM = r"(?:i'm|i am|im)"
I_HAVE = r"(?:i've|i have|ive|we've|we have)"
WE_ARE = r"(?:we're|we are|were)"
ARTICLE = r"(?:a|an)"
# A word that negates what follows it.
NEGATION = re.compile(r"\b(?:not|never|no longer|cannot)\b|n't\b", re.I)
CAP = r"[A-Z\u00C0-\u024F][\w'\u00C0-\u024F-]*"
# An order to the assistant is no place: "Forget where I live", "Remember, where I live it rains".
_ORDERS = r"Forget|Remember|Delete|Remove|Erase|Note|Tell|Guess|Ask|Say|Update|Change|Save|Store|Keep|Add"
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
# A month is a time, never a place: "moved in april" dates the move.
PLACE = (rf"(?!(?:I|I'm|Im|I've|I'll|I'd|{_ORDERS})\b)(?!(?i:{'|'.join(MONTHS)})\b){CAP}"
         rf"(?:[ -](?:de |del |la |le |am |upon |on )?(?!(?:I|I'm|I've|I'll|I'd)\b){CAP}){{0,3}}")
MONTH = r"(?:" + "|".join(MONTHS) + r")\b"  # a whole word: "in marine biology" is no date
# Where an object phrase ends: "building a shed in the garage" is "a shed".
OBJECT_END = re.compile(
    r"\s+(?:in the|in my|in our|at|on|for|this|these|every|each|"
    r"for work|with|lately|recently|nowadays|now|these days|right now|all day|more than|so|because|since|when|"
    r"and i|and we|but|which|that|who|after|before|at weekends|at night|most|again|too|as well|anymore|"
    r"any more|completely|at all|for good|every day|full stop|whatsoever|by trade|by profession|by training|"
    r"last|(?:\w+ )?(?:years|months|weeks|days) ago|ago|yesterday|today|tonight|tomorrow|around|until|till|"
    r"ourselves|myself|by hand|from scratch|pretty much|all the time|non-stop|constantly|at the moment|atm|rn|tbh|"
    r"all (?:weekend|week|night|morning|evening|afternoon|summer|winter|year|month)|"
    r"lol)\b.*$", re.I)
# What a value may end in that is no part of it: marks, chat's asides ("birthday on the 3rd of june btw"), and a
# bracket opened and never closed ("anniversary 14 feb (yes", of "our anniversary is 14 feb (yes, cringe i know)").
_TRAILING = re.compile(r"[\s,.;:!?]+$|\s+(?:pls|please|thanks|thx|ty|lol|haha|btw|tbh|fyi|fr|ngl|lmao|imo)$|"
                       r"\s*\([^()]*$", re.I)
# Words that follow "I'm" without being a name: states, nationalities, beliefs (written capitalised too).
NOT_NAMES = frozenset(
    "back here home fine good great ok okay sorry new tired done ready sure not so just really very still also "
    "going trying looking working living based from in at on a an the british english irish scottish welsh "
    "american canadian australian french german italian spanish portuguese dutch polish indian chinese "
    "japanese korean mexican brazilian catholic muslim jewish christian hindu buddhist vegan vegetarian "
    # the faiths the language's lexicon does not know ("Jain here, so no onion or garlic" is no name)
    "jain sikh parsi zoroastrian mormon rasta rastafarian wiccan pagan quaker baptist methodist anglican "
    "retired married single divorced pregnant allergic alone free busy bored stuck sick ill confused "
    "interested curious excited worried afraid glad happy sad out up down over there back round "
    # an answer that denies ("Me? Hardly."), never a name
    "hardly barely never nope nah no yes yeah maybe sure "
    # a day or a season, never a name ("hey it's Monday again ugh"); the months that are names too (April, May,
    # June, August) are left to what follows them
    "monday tuesday wednesday thursday friday saturday sunday weekend christmas easter halloween "
    "january february march july september october november december "
    # a word that opens a sentence ("Currently writing my thesis"), or a contraction before a name ("It's Priya again",
    # "Name's Olu btw": the name is read after it)
    "currently actually honestly basically finally literally seriously anyway apparently obviously clearly usually "
    "normally today tonight tomorrow yesterday it's its name's that's this here's there's he's she's".split())
DIETS = ("vegetarian", "vegan", "pescatarian", "pescetarian", "halal", "kosher", "gluten-free", "dairy-free",
         "lactose-free", "lactose intolerant", "gluten intolerant", "coeliac", "celiac", "keto", "paleo", "teetotal",
         "plant-based", "flexitarian", "diabetic", "tee-total", "veggie", "sober", "alcohol-free", "sugar-free",
         "nut-free", "meat-free", "egg-free", "wheat-free", "raw vegan", "low-carb", "low carb",
         # the diets of India and of doctors' orders, said as people say them
         "pure veg", "eggetarian", "low fodmap", "low-fodmap", "low sodium", "low-sodium",
         "low salt", "low-salt")
# What may follow a diet's word said of the user, so that it modifies no noun ("a vegan lasagne", "vegan recipes"):
# the end, a word for the user ("the vegan one"), an adverb, a conjunction or a preposition, a word for a diet.
AFTER_DIET = frozenset("one here now myself too since and but so these nowadays again though btw anyway mostly lol "
                       "haha really mainly days for in at from on because as or nor with when after before if ever "
                       "diet food meat only all by person these life".split())
DIET = r"(?:" + "|".join(re.escape(d).replace(r"\-", "[- ]") for d in sorted(DIETS, key=len, reverse=True)) + r")"


# The words the rules key on that never become part of a value, so a slip in one ("I wrok as a nurse",
# "my favourtie food") can be mended without putting a word in the user's mouth.
_CUE_WORDS = ("live", "lives", "living", "moved", "based", "work", "works", "working", "remember", "favourite",
              "favorite", "really", "called", "name", "because", "currently", "recently")
_SLIP = re.compile(r"\b[a-z]{3,}\b", re.I)
# A contraction typed without its apostrophe is no slip of a cue word: "ive got hay fever" is not "live got".
_UNMARKED = frozenset("ive weve youve theyve".split())


def mended(message: str) -> str:
    """The message with a slip in a cue word mended, when the slip is no word itself and near one cue only, and a
    gerund whose g is dropped ("trainin for a marathon") given it back."""
    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.casefold()
        if lowered in _CUE_WORDS or lowered in _UNMARKED or is_word(lowered):
            return word
        if lowered.endswith("in") and word_mended(lowered) != lowered:
            return word + "g"  # a gerund's g dropped as it is said: "trainin", "learnin", "buildin"
        # a letter held for feeling ("i loooove spicy food", "soooo good"): a run of three or more, said twice or once
        for repeats in (r"\1\1", r"\1"):
            held = rx.sub(r"([a-z])\1{2,}", repeats, lowered)
            if held != lowered and len(held) > 2 and is_word(held):  # ("sooo good" keeps its praise)
                return held
        near_cues = [cue for cue in _CUE_WORDS if near(lowered, cue)]
        return near_cues[0] if len(near_cues) == 1 else word
    # ("'s" after a name and before "been" or "got" is "has", never a possessive: "Berlin's been home")
    # (and before "home", "is": "Glasgow's home now")
    for shape, verb in ((_HAS, "has"), (_IS_HOME, "is")):
        message = shape.sub(lambda m, verb=verb: m.group(0) if m.group("name").casefold() in _PRONOUNS
                            else f"{m.group('name')} {verb} ", message)
    # ("w" and "w/" are "with" as they are typed: "obsessed w board games")
    message = rx.sub(r"(?<![\w/])(?i:w/?)(?= [a-z])", "with", message)
    return _CHAT.sub(lambda m: CHAT_SPELLINGS[m.group(0).casefold()], _SLIP.sub(mend, message))


_HAS = re.compile(r"\b(?P<name>[A-Z][\w-]*)['\u2019]s (?=(?:been|got)\b)")
# ...and before "home", "is": "Glasgow's home now" (a place's own home would be "Glasgow's homes").
_IS_HOME = re.compile(r"\b(?P<name>[A-Z][\w-]*)['\u2019]s (?=home\b(?! (?:of|to|for|page|team|ground|office|"
                      r"secretary)\b))")
_PRONOUNS = frozenset("it that there he she what who where here this everything nothing something life".split())


# Words as they are said or typed in chat, read as what they stand for ("tryna learn welding", "goin to Hanoi", "can u
# remember my code"): hand-written, as no dictionary spells them so. (Only where a value never keeps the word, or keeps
# a form of it: "going" is said in "goin"; or a word that carries no meaning of its own: "milo n noor".) The single
# letters only in lower case, as chat types them: "R" and "U" are names ("I'm learning R", "U Thant").
CHAT_SPELLINGS = {"tryna": "trying to", "goin": "going", "u": "you", "r": "are", "n": "and", "rmb": "remember"}
_CHAT = re.compile(r"(?<![\w'/&-])(?:(?i:" + "|".join(w for w in CHAT_SPELLINGS if len(w) > 1) + ")|"
                   + "|".join(w for w in CHAT_SPELLINGS if len(w) == 1) + r")(?![\w'/&-])")



def tidy(value: str) -> str:
    value = " ".join(value.split())
    previous = None
    while previous != value:
        previous = value
        value = _TRAILING.sub("", value).strip(" ,;:.!?\"'")
        if value.endswith(")") and value.count("(") < value.count(")"):
            value = value[:-1]  # a bracket closed that the value never opened; one it opened stays: "son Leo (7)"
    return value


def object_phrase(text: str) -> str:
    """An object phrase from the start of `text` to where it ends."""
    text = rx.split(r"[,.;:!?()\n]", text, maxsplit=1)[0]
    return OBJECT_END.sub("", text).strip()


# A subject's rule: the facts of that subject one clause states.
Rule = Callable[[Clause], Iterator[Proposal]]


def matches(pattern: str, text: str) -> Iterator[re.Match[str]]:
    """Every match of a rule's pattern in a clause's text, case folded."""
    return rx.finditer(pattern, text, re.I)


def found(subject: Subject, pattern: str, text: str, group: str, clean: Callable[[str], str]) -> Iterator[Proposal]:
    """A fact of `subject` for each match of a rule's pattern whose `group`, cleaned, is not empty."""
    for match in matches(pattern, text):
        value = clean(match.group(group))
        if value:
            yield Proposal(subject, value)
