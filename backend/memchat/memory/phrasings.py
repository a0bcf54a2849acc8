"""The everyday phrasings of facts, read without the model: the floor under what memory learns.

A deployment's model can be small, slow or down (the embedded SmolLM2-135M proposes mostly noise), so
first-person statements of the common subjects are read here by rule, from the clauses that
`statements` keeps (the user's own, present, unhedged words). Every value is copied from the message.
The rules were written against the phrasing bank's dev half only (evaluation/bank/dev.py); its test
half measures them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from memchat.memory.language import is_word, lemma, near, roots
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import COMPOUNDS, OCCUPATIONS
from memchat.memory.statements import OTHERS, RELATIONS, Clause, Speaker, clauses, framed, own_words

I_AM = r"(?:i'm|i am|im)"
I_HAVE = r"(?:i've|i have|ive|we've|we have)"
WE_ARE = r"(?:we're|we are|were)"
ARTICLE = r"(?:a|an)"
_CAP = r"[A-Z\u00C0-\u024F][\w'\u00C0-\u024F-]*"
PLACE = (rf"(?!(?:I|I'm|Im|I've|I'll|I'd)\b){_CAP}"
         rf"(?:[ -](?:de |del |la |le |am |upon |on )?(?!(?:I|I'm|I've|I'll|I'd)\b){_CAP}){{0,3}}")
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_MONTH = r"(?:" + "|".join(MONTHS) + r")\b"  # a whole word: "in marine biology" is no date
# Where an object phrase ends: "building a shed in the garage" is "a shed".
_OBJECT_END = re.compile(
    r"\s+(?:in the|in my|in our|at|on|for|this|these|every|each|"
    r"for work|with|lately|recently|nowadays|now|these days|right now|all day|more than|so|because|since|when|"
    r"and i|and we|but|which|that|who|after|before|at weekends|at night|most|again|too|as well|anymore|"
    r"any more|completely|at all|for good|every day|full stop|whatsoever|by trade|by profession|by training|"
    r"last|(?:\w+ )?(?:years|months|weeks|days) ago|ago|yesterday|today|tonight|tomorrow|around|until|till|"
    r"ourselves|myself|by hand|from scratch)\b.*$", re.I)
_TRAILING = re.compile(r"[\s,.;:!?)]+$|\s+(?:pls|please|thanks|thx|ty|lol|haha)$", re.I)
# Words that follow "I'm" without being a name: states, nationalities, beliefs (written capitalised too).
NOT_NAMES = frozenset(
    "back here home fine good great ok okay sorry new tired done ready sure not so just really very still also "
    "going trying looking working living based from in at on a an the british english irish scottish welsh "
    "american canadian australian french german italian spanish portuguese dutch polish indian chinese "
    "japanese korean mexican brazilian catholic muslim jewish christian hindu buddhist vegan vegetarian "
    "retired married single divorced pregnant allergic alone free busy bored stuck sick ill confused "
    "interested curious excited worried afraid glad happy sad out up down over there back round".split())
DIETS = ("vegetarian", "vegan", "pescatarian", "pescetarian", "halal", "kosher", "gluten-free", "dairy-free",
         "lactose-free", "lactose intolerant", "gluten intolerant", "coeliac", "celiac", "keto", "paleo", "teetotal",
         "plant-based", "flexitarian", "diabetic", "tee-total", "veggie", "sober", "alcohol-free", "sugar-free",
         "nut-free", "meat-free", "egg-free", "wheat-free", "raw vegan", "low-carb", "low carb")
_DIET = r"(?:" + "|".join(re.escape(d).replace(r"\-", "[- ]") for d in sorted(DIETS, key=len, reverse=True)) + r")"


# The words the rules key on that never become part of a value, so a slip in one ("I wrok as a nurse",
# "my favourtie food") can be mended without putting a word in the user's mouth.
_CUE_WORDS = ("live", "lives", "living", "moved", "based", "work", "works", "working", "remember", "favourite",
              "favorite", "really", "called", "name", "because", "currently", "recently")
_SLIP = re.compile(r"\b[a-z]{3,}\b", re.I)


def _mended(message: str) -> str:
    """The message with a slip in a cue word mended, when the slip is no word itself and near one cue only."""
    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.casefold()
        if lowered in _CUE_WORDS or is_word(lowered):
            return word
        near_cues = [cue for cue in _CUE_WORDS if near(lowered, cue)]
        return near_cues[0] if len(near_cues) == 1 else word
    return _SLIP.sub(mend, message)


def floor(message: str) -> list[Proposal]:
    """Every fact the message states in a phrasing these rules read, with the user's own notes."""
    message = _mended(message)
    found: dict[tuple[Subject, str], Proposal] = {}
    for proposal in [*notes(message), *names(message), *_from_clauses(message)]:
        value = _tidy(proposal.value)
        if value:
            found.setdefault((proposal.subject, value.casefold()), Proposal(proposal.subject, value))
    return list(found.values())


def _tidy(value: str) -> str:
    value = " ".join(value.split())
    previous = None
    while previous != value:
        previous = value
        value = _TRAILING.sub("", value).strip(" ,;:.!?\"'")
    return value


def _object(text: str) -> str:
    """An object phrase from the start of `text` to where it ends."""
    text = re.split(r"[,.;:!?()\n]", text, maxsplit=1)[0]
    return _OBJECT_END.sub("", text).strip()


# ---------------------------------------------------------------- notes: the user's "remember that"

_NOTE = re.compile(
    r"(?:^|(?<=[.!?\n])\s*|\bso\s+|^[^\w\s]+\s*)"
    r"(?P<asks>(?:can|could|would|will) you\s+|(?:i )?(?:need|want) you to\s+)?"
    r"(?:(?:oh|also|and|ok|okay|btw|ps|one more thing|last thing)[,:]?\s+)*(?:please\s+|pls\s+|just\s+)?"
    r"(?:(?:do\s+)?(?:remember|memori[sz]e)(?:\s+(?:this|that|it))?(?:\s+for me)?(?:\s+that)?|"
    r"(?:don't|do not|dont) let me forget(?:\s+that)?|"
    r"make a (?:mental )?note(?:\s+of this)?(?:\s+that)?|take a note|note (?:this|that)(?: down)?|"
    r"keep in mind(?:\s+that)?|"
    r"for future reference|for reference|note to self|(?:save|store|keep) (?:this|that)(?!\s+in\b)(?:\s+for me)?|"
    # an order whose object is the thing itself: "save my gate code: 4521", "hold onto my PIN, it's 4521"
    r"(?:save|store|note|hold on ?to|hang on ?to|keep hold of|jot down|write down|log|record)(?= my\b)|"
    r"for (?:next time|later|the future|future use)(?=\s*:)|"
    # putting it somewhere: "stick this in your memory:", "file this away:"; and "worth remembering:"
    r"(?:stick|put|pop|keep|store|save|file|lock|log) (?:this|that|it) (?:in|into|on) (?:your|my|the) "
    r"(?:memory|memory bank|"
    r"brain|notes|file|files|records|head)|worth (?:remembering|noting|knowing)(?=\s*:)|"
    r"jot (?:this|that) down|hold on to this(?:\s+for me)?|write (?:this|that) down|(?:don't|dont|do not) forget"
    r"(?:\s+that)?|bear in mind(?:\s+that)?|just so you know|file this away|for the record|"
    r"write down(?:\s+that)?|note down(?:\s+that)?|jot down(?:\s+that)?|"
    r"(?:hang|hold) on to (?:this|that)(?:\s+for me)?|"
    r"commit (?:this|that|it) to memory|in case i forget|so i don't forget|so i dont forget|keep (?:this|that) handy|"
    # the same orders in other words: remind, log, record, take note, add or put in memory, a heading "Note:"
    r"remind me(?:\s+later)?(?:\s+that)?|(?:log|record) (?:this|that)(?:\s+for me)?|take note(?:\s+of this|\s+that)?|"
    r"keep a note(?:\s+of this|\s+that)?|make sure you remember(?:\s+that)?|(?:please\s+)?don't lose this|"
    r"(?:add|put) (?:this|that) (?:to|in|into) (?:my|your) (?:notes|memory)|"
    r"keep (?:this|that) in (?:your )?(?:memory|mind)|remember (?:this|that) for (?:later|next time)|"
    r"(?:never|don't ever|do not ever) forget(?:\s+that)?|(?:hold|hang) onto (?:this|that)(?:\s+for me)?|"
    r"(?:pin|bookmark|stash) (?:this|that)(?:\s+for me)?|keep a record(?:\s+of this|\s+that)?|"
    r"(?:(?:a |quick |a quick )?(?:note|memo|reminder)(?: for (?:you|later|the future|next time))?)(?=\s*:))"
    r"\s*[:,-]?\s+(?P<value>(?:[^.!?\n]|[.!?](?=[^\s.!?]))+)(?P<end>[.!?]?)", re.I)
# "FYI, my locker code is 3306, please remember it.": the order comes after what it keeps.
_NOTE_AFTER = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?:fyi,?\s+|btw,?\s+)?(?P<value>[^.!?\n]{3,160}?),?\s+(?:so\s+)?"
                         r"(?:please\s+)?(?:remember|note|save|keep|store|memori[sz]e|don't forget|dont forget|"
                         r"do not forget)(?: (?:it|that|this))?(?:\s+for me)?"
                         r"\s*(?P<end>[.!?]|$)", re.I)


# "Can you keep track of this? My locker code is 4521.": the order, then what it keeps.
_NOTE_NEXT = re.compile(r"(?:(?:can|could|would|will) you\s+|please\s+|^|(?<=[.!?\n])\s*)(?:please\s+)?"
                        r"(?:remember|keep track of|note|"
                        r"save|store|"
                        r"hold on to|keep|memori[sz]e|make a note of)\s+(?:this|that|the following)(?:\s+for me)?"
                        r"\s*[?:.!]+\s+"
                        r"(?P<value>(?:[^.!?\n]|[.!?](?=[^\s.!?]))+)(?P<end>[.!]?)", re.I)


# Keeping a thing somewhere, then the thing: "Please keep my bike lock code on file: 3306."
_NOTE_KEEP = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?P<asks>(?:can|could|would|will) you\s+)?(?:please\s+)?"
                        r"(?:keep|hold|store|save|file|put) (?P<thing>my [\w' -]{2,40}?) (?:on file|on record|safe|"
                        r"somewhere safe|somewhere|in (?:your )?memory|in mind)\s*[:,-]\s*(?:it's |it is |its )?"
                        r"(?P<code>[^.!?\n]+)(?P<end>[.!?]?)", re.I)
# What the next sentence says a kept thing is: "Can you store my gate code? It's 7730."
_IT_IS = re.compile(r"\s*(?:it's|it is|its|that's|that is)\s+(?P<what>[^.!?\n]{1,60})", re.I)


def notes(message: str) -> list[Proposal]:
    """What the user asked to keep ("Remember that my locker code is 4521."); a question is no order."""
    found = []
    for match in _NOTE_KEEP.finditer(message):
        found.append(Proposal(Subject.NOTE, f"{match.group('thing')}: {_tidy(match.group('code'))}"))
    for match in [*_NOTE.finditer(message), *_NOTE_AFTER.finditer(message), *_NOTE_NEXT.finditer(message)]:
        value = _tidy(match.group("value"))
        told = _IT_IS.match(message, match.end())
        if told and value.casefold().startswith("my ") and len(value.split()) <= 6:
            value = f"{value}: {_tidy(told.group('what'))}"
        asked = "asks" in match.groupdict() and match.group("asks")  # "Can you remember that ...?" is an order
        if not 3 <= len(value) <= 160 or value.casefold() in ("this", "that", "it", "this for me", "that for me"):
            continue  # "Remember this!! My code is 4521.": the note is in the next sentence
        if (match.group("end") != "?" or asked) and re.search(r"[^\W_]", value) and not value.casefold().startswith(
                ("to ", "when ", "what ", "how ", "why ", "if ", "me ", "my name", "who ", "where ")):
            found.append(Proposal(Subject.NOTE, value))
    return found


# ---------------------------------------------------------------- names

# A name is never the pronoun that starts a clause ("I'm Lucia btw" names Lucia, not "I'm Lucia").
_NAME = rf"(?P<name>(?!(?:I|I'm|Im|I've|I'd|I'll)\b)(?![\w'-]*\d){_CAP}(?: (?!(?:I|I'm|Im)\b){_CAP})?)"
_GREETING = r"(?i:hi+|hey+|hello+|hiya|heya|howdy|good (?:morning|afternoon|evening)|morning|evening)"
_NAMING = (r"my name is|my name's|my names|the name is|my (?:nmae|naem|nam|nme|anme) is|name's|the name's|"
           r"my name is actually|"
           r"my first name is|"
           r"my full name is|i'm called|i am called|call me|i go by|go by|everyone calls me|friends call me|"
           r"people call me|they call me|known as|know me as|you can call me|"
           r"(?:address|refer to) me as")
_NAME_PATTERNS = (
    re.compile(rf"\b(?i:{_NAMING}) {_NAME}"),
    re.compile(rf"^{_NAME}(?: (?i:is my name|is my first name|is the name)|'s (?i:the name|my name))\b"),
    re.compile(rf"^(?:(?i:hi|hey|hello|hiya|morning|evening)(?i: there| all| everyone)?[,!]?\s+)?{_NAME}"
               rf"(?: (?i:from) {PLACE})?,? (?i:here|speaking|again)\b"),
    re.compile(rf"^(?i:it's me|its me|it is me),? {_NAME}\b"),
    re.compile(rf"^(?i:name): {_NAME}\b"),
    re.compile(rf"^{_NAME},? (?i:by the way|btw)\b"),
    re.compile(rf"^(?i:quick intro|intro|about me|a bit about me|introductions?|me)\s*[:=\u2013\u2014-]\s*{_NAME}"
               rf"(?=\s*(?:[,.;!]|$|\s-\s))"),
    re.compile(rf"^(?i:yours truly|yours sincerely|yours|kind regards|best wishes|regards|love|warmly),?\s+{_NAME}"
               rf"\s*[.!]?$"),  # "Yours truly, Ingrid."
    re.compile(rf"^(?i:myself)[:,]?\s+{_NAME}(?=\s*(?:[,.;!]|$|\s(?i:from|here|and)\b))"),  # "Myself Mateo, from Pune"
    re.compile(rf"^(?:{_GREETING}[,!]?\s+)*(?i:it's|its|it is|this is) {_NAME}"
               rf"(?:[.!,]|\s+(?i:again|here|speaking|writing|from)\b|$)"),
    re.compile(rf"^{_NAME} (?i:is what) (?i:everyone|everybody|people|they|my friends|most people|folks) "
               rf"(?i:call|calls) me\b"),
    re.compile(rf"(?:^|[:,]\s*|{_GREETING}[,!]?\s+|(?i:myself)[:,]?\s+|"
               rf"^(?:(?i:so|well|ok|okay|anyway|right|and|oh|btw|also|yeah|yes|first|firstly|first off)[,]?\s+)+)"
               rf"(?i:i'm|i am|im) {_NAME}"
               rf"(?=\s*(?:[.!,;:()\u2013\u2014]|\s-\s|$|"
               rf"\b(?:and|here|by the way|btw|nice|from|but|again|too|also|aged|who)\b))"),
)
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|don't|dont|do not|no longer|n't)\b[^,.;:]*$", re.I)
_LOWER_NAME = re.compile(r"(?:(?:^|[:,]\s*)(?:(?:hi+|hey+|hello+|hiya|heya|howdy)[,!]?\s+)(?:i'm|i am|im)|"
                         r"\b(?:" + _NAMING + r"))"
                         r" (?P<name>[a-z][\w'-]+)(?=\s*(?:[.!,]|$|\b(?:and|btw|here|again|lol|by the way)\b))"
                         r"|^(?:(?:hi+|hey+|hello+|hiya|heya|howdy)[,!]?\s+)(?P<here>[a-z][\w'-]+),? here\b"
                         r"|^(?:me|name|myself)\s*[=:]\s*(?P<equals>[a-z][\w'-]+)(?=\s*(?:[,.!]|$))"
                         r"|^(?:(?:hi+|hey+|hello+|hiya|heya|howdy)[,!]?\s+)?(?:it's|its|it is|this is) "
                         r"(?P<again>[a-z][\w'-]+)(?:,?\s+(?:again|here|speaking)\b|\s*[.!]|\s*$)")
_THANKS_SIGNED = re.compile(rf"^\s*(?i:thanks|thank you|cheers|ta|many thanks|thx)\b[^\n.!?]*[.!]+\s+"
                            rf"(?P<name>{_CAP})\s*$")
_SIGN_OFFS = frozenset("bye goodbye thanks cheers later night x xx xxx xo again so".split())
_SIGNATURE = re.compile(rf"\n\s*(?:[\u2013\u2014-]+\s*|(?i:cheers|thanks|best|regards|love|yours),?\s*\n?\s*)"
                        rf"(?P<name>{_CAP}(?: {_CAP})?)\s*$")


def names(message: str) -> list[Proposal]:
    text = own_words(message)
    found = []
    asked_who = False
    for sentence in re.findall(r"[^.!?\n]+[.!?]*", text):
        body = sentence.strip()
        answer = re.match(rf"{_NAME}(?=\s*(?:[,.!]|$| here\b| -))", body) if asked_who else None
        if answer and answer.group("name").split()[0].casefold() not in NOT_NAMES | OTHERS | OCCUPATIONS:
            found.append(Proposal(Subject.NAME, _name(answer.group("name"))))  # "Who am I? Ingrid, a nurse."
        asked_who = bool(re.fullmatch(r"(?i:(?:so,? )?who am i\??|about me:?|me\?)", body))
        if body.endswith("?"):  # "my name is Kwame, can you help me?": the question is the last clause
            body = ",".join(re.split(r"(?<=[,;:])", body)[:-1]).rstrip(",;: ")
        if not body or re.search(r"\b(?i:call you|name you|your name|you're called|you are called)\b",
                                          body):
            continue
        for pattern in _NAME_PATTERNS:
            for match in pattern.finditer(body):
                name = match.group("name")
                if _NEGATED_BEFORE.search(body[:match.start("name")]) or framed(body[:match.start("name")]):
                    continue  # "Don't call me Bob", "Pretend my name is Bob"
                first = name.split()[0].casefold()  # "Nurse here" is a job, "Vegan here" a diet
                not_a_name = NOT_NAMES | OTHERS | OCCUPATIONS  # "Everyone here is...": a pronoun, no name
                inflected = is_word(first) and lemma(first) != first and not first.endswith("s")  # "Been here"
                if first not in not_a_name and first not in DIETS and not re.search(r"-[a-z]", name) and not inflected:
                    found.append(Proposal(Subject.NAME, _name(name)))
        lowered = _LOWER_NAME.search(body)
        if lowered and body == body.lower():
            name = lowered.group("name") or lowered.group("here") or lowered.group("again") or lowered.group("equals")
            if name not in NOT_NAMES and not _NEGATED_BEFORE.search(body[:lowered.start()]) and not framed(
                    body[:lowered.start()]):
                found.append(Proposal(Subject.NAME, name))
    thanked = _THANKS_SIGNED.search(message.rstrip())
    if thanked and thanked.group("name").casefold() not in _SIGN_OFFS | NOT_NAMES and not _announced(message):
        found.append(Proposal(Subject.NAME, thanked.group("name")))  # "Cheers for the help! Aoife"
    signature = _SIGNATURE.search(message.rstrip())
    if signature and ("\n\n" in message or re.search(r"\n\s*[\u2013\u2014-]", message)) and not _announced(message):
        found.append(Proposal(Subject.NAME, signature.group("name")))
    return found


def _announced(message: str) -> bool:
    return own_words(message).count("\n") < message.strip().count("\n") - 2


def _name(name: str) -> str:
    """A name with a surname, unless the second word is not part of it ("Sam Here")."""
    parts = name.split()
    return parts[0] if len(parts) > 1 and parts[1].casefold() in NOT_NAMES | {"by", "btw", "again"} else name


# ---------------------------------------------------------------- the clause rules

Rule = Callable[[Clause], Iterator[Proposal]]
_RULES: list[tuple[frozenset[Speaker], Rule]] = []


def rule(*speakers: Speaker) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        _RULES.append((frozenset(speakers or (Speaker.USER,)), function))
        return function
    return register


def _from_clauses(message: str) -> Iterator[Proposal]:
    for clause in clauses(message):
        if clause.past:
            continue
        for speakers, function in _RULES:
            if clause.speaker in speakers:
                yield from function(clause)


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
    for clause in clauses(_mended(message)):
        if not clause.past or clause.negated or clause.speaker is not Speaker.USER:
            continue
        until = _UNTIL.search(clause.text.casefold())
        for function in _PAST_RULES:
            for proposal in function(clause):
                value = _tidy(proposal.value)
                if value:
                    found.setdefault((proposal.subject, value.casefold()),
                                     PastFact(Proposal(proposal.subject, value), until and until.group("year")))
    return list(found.values())


def _search(pattern: str, text: str) -> Iterator[re.Match[str]]:
    return re.finditer(pattern, text, re.I)


@rule()
def home(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    place = rf"(?P<place>{PLACE})"
    patterns = (
        rf"\b(?i:live|lived|living|lives|liev|lve|livin|based|residing|reside|settled|settle down|moved|relocated|"
        rf"moved back|moved out|"
        rf"moved over|stay|staying)(?i: out of| in| to| at) {place}",
        rf"\b(?i:back home) (?i:to|in) {place}",
        rf"\b(?i:call|calls|called|calling) {place} (?i:home)\b",
        rf"\b{place}-(?i:based)\b",
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:down|up|over|out) (?i:in) {place}",
        rf"\b{place} (?i:resident|local)\b",
        rf"\b{place} (?i:has been|is now|has become) (?i:my |our )?(?i:home)\b",
        rf"^(?i:greetings|hello|hi|love) (?i:from) {place}",
        rf"\b(?i:house|flat|home|apartment|place) (?i:is) (?i:in) {place}",
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:now |currently )?(?i:in|based in) {place},? (?i:now|these days|"
        rf"nowadays)\b",
        rf"\b(?i:local to|a local of|a local in) {place}",
        rf"\b(?i:live|living|lives|based|i'm|im|i am|we're|we are) (?i:just |right )?(?i:outside|near|close to|"
        rf"on the edge of|north of|"
        rf"south of|east of|west of) {place}",
        rf"\b(?i:been|i've been|i have been|we've been) (?i:in) {place} (?i:for|since|about|around|nearly|almost|"
        rf"over|going on)\b",
        rf"\b{place} (?i:is where) (?i:i|we)(?i:'ve| have)? (?i:live|live now|call home|am based|ended up|settled|"
        rf"landed|put down roots|grew roots)\b",
        rf"\b(?i:my|our) (?i:city|town|village|hometown|home town|neighbourhood|neighborhood|island|suburb),? {place}",
        rf"\b(?i:flat|house|home|apartment|place|cottage|garden|street|neighbourhood|neighborhood) (?i:in) {place}",
        rf"\b(?i:home is|home's) (?i:now |still )?{place}",
        rf"\b{place} (?i:is) (?i:my )?(?i:home)\b",
        rf"\b(?i:here in) {place}",
        rf"\b(?i:writing|messaging) (?i:to you )?(?i:from) {place}",
        rf"\b(?i:from|grew up in|born in|raised in|born and raised in|born and bred in) {place} (?i:originally )?"
        rf"(?i:and) (?i:i |we )?(?i:still )?(?i:live|living|am based|reside) (?i:there|here)",
        rf"\b(?i:home for me|home for us|home) (?i:is|has been|is now) {place}",
        rf"\b(?i:resident|residents) (?i:of) {place}",
        rf"\b(?i:made|make) {place} (?i:my|our) (?i:home)\b",
        rf"\b{place},? (?i:where) (?i:i|we) (?i:live|now live|am based|are based|call home)\b",
        rf"\b(?i:since|after) (?i:moving|relocating) (?i:to) {place}",
    )
    if re.search(r"\b(?:(?<!since )(?<!after )(?<!before )moving|will|'ll|going to|next|soon|plan)\b", text, re.I):
        return  # "I'm moving to Leeds in June" is a plan
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            yield Proposal(Subject.HOME, _place(match.group("place")))
    # Any other present clause of the user's that speaks of their home (by lemma: live, home, flat, settle,
    # local...) and places it with a preposition: "our little terrace in Leeds is freezing", "I'm a local of
    # Porto". One place only, so "I work in Leeds but my home is..." is never guessed at.
    if _HOME_WORDS & clause.roots:
        places = {_place(m.group("place")) for m in re.finditer(rf"\b(?i:in|near|outside|of|across|around) {place}",
                                                                 text)}
        if len(places) == 1:
            yield Proposal(Subject.HOME, places.pop())
    if clause.sentence.islower():  # a user who writes in lower case (one lower-case clause is not enough)
        for match in _search(r"\b(?:(?:i |we |just |i just |we just |i've |we've )?(?:live|living|liev|moved|based|"
                             r"relocated|settled) (?:in|to)|(?:i'm|im|we're) (?:now )?in(?= [\w ]{1,30}? now\b)|"
                             r"^home is|^home's) "
                             r"(?P<place>[a-z][\w' -]{1,30})", text):
            yield Proposal(Subject.HOME, _object(match.group("place")))


_HOME_WORDS = frozenset("live home flat house apartment settle reside resident local neighbourhood neighborhood "
                        "cottage rent hometown terrace bungalow commute".split())


def _place(place: str) -> str:
    return re.split(r"\s+(?:In|For|Since|With|And|At|On)\b", place)[0]


@rule()
def diet(clause: Clause) -> Iterator[Proposal]:
    text = clause.text
    if not clause.negated:
        for match in _search(rf"\b(?:{I_AM}|{I_HAVE} been|been|being|be|going|gone|went|become|became|strict|strictly|"
                             rf"turned|turn|switched to|converted to|"
                             rf"now|fully|a|an|eat|only eat|keep|follow|on a) (?:a |an |strict |strictly |fully |"
                             rf"now |mostly )?(?P<diet>{_DIET})\b", text):
            yield Proposal(Subject.DIET, match.group("diet"))
        for match in _search(rf"(?:\b(?:only eat|eat only|keep|eat) |^)(?P<diet>{_DIET})(?: here\b)?", text):
            yield Proposal(Subject.DIET, match.group("diet"))
    one = (r"[\w-]+(?: (?!(?:or|and|nor|years|months|weeks|ages|in|on|at|for|since|from|with|after|before|because|"
           r"when|anymore|any|at|now|these|this|last|ever|again)\b)[\w-]+)?")
    food = rf"(?P<food>{one}(?:(?:,| or| and| nor) {one})*)"
    negative = (
        rf"\b(?:can't|cannot|can not|cant|don't|dont|do not|never|won't|no longer) (?:\w+ly )?(?:eat|drink|touch|"
        rf"stomach|do|tolerate|handle|"
        rf"digest)(?: any)? {food}",
        # a long abstinence, in the perfect: "I haven't touched alcohol in years", "haven't eaten meat since 2019"
        rf"\b(?:haven't|have not|havent|hasn't|not) (?:\w+ly )?(?:eaten|drunk|touched|had)(?: any)? {food}"
        rf"(?= (?:in|for) (?:years|ages|months|decades|a decade|a long time)| since\b)",
        # "have" refuses a food as a modal's permission ("I can't have nuts") or, habitually, of a bare mass
        # noun ("I don't have dairy"), never as possession ("I don't have a dog", "I don't have time").
        rf"\b(?:can't|cannot|can not|cant|couldn't|mustn't|shouldn't|won't|am not allowed to) have(?: any)? {food}",
        rf"\b(?:don't|dont|do not|never) have (?!(?:a|an|the|my|our|your|any|much|many|enough|one|two|some|"
        rf"time|money|kids|children|plans|idea|clue|choice|access|space|room|energy|patience|friends|family|"
        rf"pets|siblings|a)\b){food}",
        rf"\b(?:avoid|avoiding|cut out|cutting out|given up|gave up|giving up|(?:i'm|im|i am|been|gone|going|went|stay|"
        rf"staying|stayed) off|stay (?:\w+ )?away from|"
        # ("I gave up on the treehouse" is no food)
        rf"steer (?:\w+ )?clear of|skip|keep away from) "
        rf"(?!on\b|about\b|with\b|trying\b|it\b|to\b|for\b|out\b|home\b|now\b|work\b|sick\b|[a-z]+ing\b)"
        rf"{food}",
        rf"^(?:[\w ]{{2,20}}, )?(?:\w+ly )?(?:no|zero) {food},? for me",
        rf"^(?:no|zero) {food},? please,? (?:i'm|i am|im) (?:allergic|intolerant)",
        rf"^{food} (?:makes|make|made|gives|give|gave|leaves|leave) me (?:(?:a|an|such a|the) )?(?:\w+ )?(?:ill|sick|"
        rf"unwell|hives|rash|heartburn|migraines?|headaches?|stomach ache|stomachache|cramps|bloated|reaction|"
        rf"itchy|nauseous|queasy|spots)",
        # "cut peanuts out of my diet"
        rf"\b(?:cut|cutting|cuts|taken|took|take) {food} out(?: of (?:my|our) (?:diet|life|lives))?\b",
        # the food and the user at odds: "dairy and I don't get on"
        rf"^{food} and (?:i|me) (?:don't|do not|dont|never|just don't) (?:get on|get along|agree|mix)",
        rf"\bintolerant (?:to|of) {food}",
        rf"\b(?:sensitive|sensitivity) to {food}",
        # A change that lasts: "I've stopped eating meat", "I quit drinking alcohol", "I gave up sugar".
        rf"\b(?:stopped|quit|quitting|stopping|stop|given up|gave up|giving up|cut down on|off) (?:eating|drinking) "
        rf"{food}",
        # The food as the subject: "Dairy doesn't agree with me", "Nuts are off the menu for me".
        rf"^{food} (?:doesn't|does not|don't|do not|dont|doesnt|never) (?:agree|sit well) with me",
        rf"^{food} (?:is|are|'s|isn't|aren't|is not|are not) (?:a no-go|a no-no|off-limits|off limits|off the menu|"
        rf"out of the question|not for me|a no go|banned|off the table)(?: for me)?\b",
        rf"^{food} (?:isn't|aren't|is not|are not|isnt|arent) for me\b",
    )
    for pattern in negative:
        refusal = "(?:no|zero) (?P<food>" in pattern
        for match in _search(pattern, clause.sentence if refusal else text):
            items = _foods(match.group("food"))
            if items:  # one diet, however many foods: "no soy or eggs"
                yield Proposal(Subject.DIET, "no " + " or ".join(items))
    for match in _search(rf"\b(?P<cue>allergic|alergic|allergc|alergc) to {food}", text):
        for item in _foods(match.group("food")):
            # The user's own word: "alergic" is no word a memory may add, so a typo's fact is "no X".
            yield Proposal(Subject.DIET, f"{match.group('cue')} to {item}" if match.group("cue") == "allergic"
                           else f"no {item}")
    # A home or a person free of a food: "our house is peanut-free", "I'm strictly dairy-free".
    for match in _search(rf"\b(?:{I_AM}|{WE_ARE}|(?:our|my) (?:house|home|kitchen|household|family|diet) is|i keep|"
                         rf"we keep|i eat|we eat|i'm strictly|i've gone|i went) "
                         rf"(?:strictly |completely |totally |fully |"
                         rf"entirely |a )?(?P<food>[a-z]+)-free\b", text):
        if match.group("food").casefold() not in _NOT_DIETS:
            yield Proposal(Subject.DIET, f"{match.group('food')}-free")
    # A food, then a refusal of it by a pronoun: "Alcohol keeps me up, so I've cut it out completely."
    for match in _search(r"^(?P<food>[\w-]+) (?:[\w,]+ ){1,6}?(?:so |and )?(?:i've |i have |i |we've |we )?"
                         r"(?:cut (?:it|them) out|"
                         r"given (?:it|them) up|gave (?:it|them) up|stopped (?:eating|drinking) (?:it|them)|"
                         r"quit (?:it|them)|avoid (?:it|them)|steer clear of (?:it|them)|stay away from (?:it|them)|"
                         r"never touch (?:it|them))\b",
                         clause.sentence):
        item = _food(match.group("food"))
        if item:
            yield Proposal(Subject.DIET, f"no {item}")
    for match in _search(rf"\b(?:allergy|allergies|intolerance|intolerant|reaction|sensitivity) (?:to|with) {food}",
                         text):
        for item in _foods(match.group("food")):
            yield Proposal(Subject.DIET, f"no {item}")  # "I've got an allergy to gluten"
    for match in _search(rf"\b(?:a |an |my )?{food} (?:allergy|intolerance)\b", text):
        item = _food(match.group("food"))
        if item and item.split()[0] not in ("an", "a", "my", "severe", "bad", "serious", "got", "have", "has", "had",
                                            "of", "because", "to", "for", "with", "from", "the"):
            yield Proposal(Subject.DIET, f"{item} allergy")


# What "-free" says of things that are no food: "stress-free", "smoke-free", "hands-free".
_NOT_DIETS = frozenset("stress smoke pain debt car care hands tax scent fragrance cruelty plastic clutter rent fee "
                       "duty toll hassle worry risk germ drama screen paper cash fuss mess".split())
_NOT_FOOD = frozenset("it them that this those these any anything much meat-free food foods stuff things at all "
                      "a an the my for".split())


def _foods(foods: str) -> list[str]:
    """Each food of a list ("soy or eggs", "nuts, eggs and milk")."""
    parts = re.split(r",\s*|\s+(?:or|and|nor)\s+", _object(foods))
    return [item for item in (_food(part) for part in parts) if item]


def _food(food: str) -> str:
    food = _object(food)
    words = [word for word in food.split() if word.casefold() not in _NOT_FOOD]
    if not words or food.casefold() in _NOT_FOOD:
        return ""
    return " ".join(words)


@rule()
def work(clause: Clause) -> Iterator[Proposal]:
    if clause.negated or _FORMER_JOB.search(clause.text):
        return  # "my ex-job as a carpenter was stressful" is history
    text = clause.text
    # "as a(n) <job>" after a word for working ("I work nights as a paramedic", "make a living as a welder"):
    # the longest start of what follows that ends in an occupation.
    for match in _search(rf"\b(?:work|works|working|worked|employed|job|career|shifts?|day|days|nights|life|years?|"
                         rf"living|trained|qualified|hired|contracted|self-employed|freelance|full-time|part-time)"
                         rf"(?: (?:for|at|in) [^,.;!?]{{1,40}}?)? "
                         rf"as {ARTICLE} (?P<job>[^,.;!?]+)", text):
        job = _job(match.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    lead = re.match(r"(?P<job>(?:[\w-]+ ){0,2}[\w-]+) (?:for|at|with|in) (?:the |a |an )?[\w -]+(?:[,;].*)?$", text,
                    re.I)
    if lead and not _VERB.search(text) and not re.search(r"\b\w+(?:ed|ing)\b", text, re.I):
        job = _job(lead.group("job"))
        if job == lead.group("job"):
            yield Proposal(Subject.WORK, job)
    for match in _search(r"^(?:my )?(?:day job|main job|job title|job|occupation|profession|trade|work|role|"
                         r"position)\s*[:\u2013\u2014-]\s*"
                         r"(?:a |an )?(?P<job>[^,.;!?]+)", text):  # "Day job: baker."
        job = _job(match.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    for match in _search(r"^(?P<job>(?:[\w-]+ ){0,2}[\w-]+) here\b", text):  # "Nurse here, so shifts are rough"
        job = _job(match.group("job"))
        if job == match.group("job"):
            yield Proposal(Subject.WORK, job)
    for match in _search(rf"(?:\b(?:{I_AM}|{I_HAVE} been|been|being|by day i'm|by day i am|as the only|as the|"
                         rf"as {ARTICLE}|my (?:day |main |full-time |part-time )?(?:job|profession|occupation|"
                         rf"trade) is)|^am) "  # ("am a carpenter": the subject dropped)
                         rf"(?:{ARTICLE} )?(?P<job>[^,.;!?]+)", text):
        job = _job(match.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    for match in _search(r"\b(?:(?:earn|make) (?:my|a|our) living|my (?:day |main )?job is|"
                         r"i spend my (?:days|working days|working life)) "
                         r"(?P<job>[a-z]+ing (?:[\w-]+ ){0,2}?[\w-]+)", text):
        yield Proposal(Subject.WORK, _object(match.group("job")))  # "I earn my living fixing cars"
    for match in _search(r"\bi (?P<job>(?!work\b|live\b)[a-z]+ (?:[\w-]+ ){0,3}?[\w-]+) (?:for a living|for work|"
                         r"professionally|for my job|full[- ]time|part[- ]time)\b", text):
        yield Proposal(Subject.WORK, match.group("job"))
    for match in _search(r"\bi (?P<job>(?:teach|lecture|tutor|coach|nurse|manage|run|own) (?:a |an |my own |small |"
                         r"a small |an independent )*[\w-]+(?: (?!of\b)[\w-]+)?(?: of [\w-]+)?)", text):
        value = _object(match.group("job"))
        if len(value.split()) > 1 and not re.search(r"\b(?:myself|me|you|it|them|him|her|late|out|away)\b",
                                                     value, re.I) and not _PASTIME.search(value):
            yield Proposal(Subject.WORK, value)
    for match in _search(rf"\b(?:{I_AM} in|i do|i work in) (?P<sector>{_SECTOR})\b", text):
        yield Proposal(Subject.WORK, match.group("sector"))
    for match in _search(rf"\b(?:shift|shifts|day|days|week|nights?) (?:at|in) (?:the|my|our) (?P<business>(?:[\w-]+ )?"
                         rf"(?:{_BUSINESS}|hospital|school|warehouse|factory|office|site|depot|station|ward))\b", text):
        yield Proposal(Subject.WORK, match.group("business"))  # "a double shift at the bakery"
    # What one teaches in, and the business one owns: "I lecture in data science", "I've got my own bakery".
    for match in _search(r"\bi (?P<verb>teach|lecture|tutor) in (?P<field>[^,.;!?]+)", text):
        value = _object(match.group("field"))
        if value:
            yield Proposal(Subject.WORK, f"{match.group('verb')} in {value}")
    for match in _search(rf"\b(?:{I_HAVE}(?: got)?|i|we|i've got|we've got) (?:run |own |have |got )?(?:my|our) own "
                         rf"(?P<business>(?:[\w-]+ )?(?:{_BUSINESS}))\b", text):
        yield Proposal(Subject.WORK, f"own {match.group('business')}")
    # A job with no verb: "plumber by trade", and a clause that is only a job ("Still a trainee carpenter").
    for match in _search(r"^(?:a |an )?(?P<job>(?:[\w-]+ ){0,2}[\w-]+) by (?:trade|profession|training|day)\b", text):
        job = _job(match.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    verbless = re.match(r"(?i:(?:still|now|just|currently) )?(?:a|an) (?P<job>[^,.;!?]+)(?:[,;].*)?$", text)
    if verbless and not _VERB.search(verbless.group("job")):
        job = _job(verbless.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    for match in _search(r"\bi drive (?P<vehicle>(?:a|an|the) (?:bus|taxi|cab|tram|lorry|truck|train|van|ambulance|"
                         r"forklift|delivery van|school bus|minicab|coach))\b", text):
        yield Proposal(Subject.WORK, f"drive {match.group('vehicle')}")
    for match in _search(r"\bi work (?:in|for|at) (?P<place>(?:the |a |an )?[\w&-]+(?: (?!as\b)[\w&-]+){0,2})", text):
        value = _object(match.group("place"))
        if re.match(r"\s+as\s+an?\b", text[match.end():], re.I):
            continue  # "I work for the NHS as a paramedic": the job is the fact, read above
        if value and value.casefold() not in ("home", "the morning", "the evening", "night"):
            yield Proposal(Subject.WORK, f"works in {value}" if text.lower().count(" in ") else value)


_BUSINESS = (r"business|company|firm|practice|salon|studio|cafe|café|restaurant|pub|bar|shop|bookshop|bakery|"
             r"brewery|agency|consultancy|clinic|garage|stall|store|florist|farm|surgery|workshop|bike shop|"
             r"coffee shop|food truck|catering company|cleaning company")
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|does|did)\b", re.I)


_FORMER_JOB = re.compile(r"\b(?:ex-?|former|old|previous|last|first) ?(?:job|career|work|role|life|trade)\b", re.I)


# What one runs or coaches for love, not a living: "I run a small choir", "I coach a kids' football team".
_PASTIME = re.compile(r"\b(?:choir|club|group|society|circle|marathon|race|5k|10k|errands?|bath|meetup|"
                      r"book club|page|blog|channel|podcast|server)\b", re.I)
_SECTOR = (r"sales|marketing|finance|construction|accounting|accountancy|it|tech|retail|hospitality|healthcare|"
           r"health care|education|insurance|logistics|publishing|advertising|banking|law|medicine|nursing|engineering|"
           r"manufacturing|real estate|property|recruitment|hr|human resources|consulting|software|pharma|"
           r"government|the civil service|the army|the navy|the police|journalism|media|tv|film|fashion|catering")


# A job held no longer: "a former teacher", "a retired nurse" is history, never the current work.
_FORMER = re.compile(r"^(?:a |an |the )?(?:former|retired|ex|ex-\w+|previous|one-time|onetime|erstwhile|old)\b", re.I)


def _job(phrase: str) -> str:
    """The longest start of the phrase (four words at most) that ends in an occupation: "plumber means..."."""
    phrase = phrase.strip()
    if _FORMER.match(phrase) or re.match(r"\w+ing (?:the|a|an|my|our|his|her|their|some)\b", phrase, re.I):
        return ""  # "a retired nurse" is history; "seeing the dentist" is an errand, not a job
    words = _object(phrase).split()
    for count in range(min(4, len(words)), 0, -1):
        if _occupation(" ".join(words[:count])):
            return " ".join(words[:count])
    return ""


def _occupation(phrase: str) -> bool:
    words = _object(phrase).casefold().split()
    return bool(words) and (words[-1].rstrip("s") in OCCUPATIONS or words[-1] in OCCUPATIONS
                            or " ".join(words[-2:]) in COMPOUNDS)


@rule(Speaker.USER, Speaker.KIN)
def family(clause: Clause) -> Iterator[Proposal]:
    # "My kids Ana and Ben won't go to bed" still names them: a negation does not undo a relation, unless it
    # denies the relation itself ("I don't have a dog called Rex").
    if clause.unrelated:
        return
    text = clause.text
    # A relation may carry up to two modifiers of its own: "my lovely wife Priya", "my 5-year-old son Ben",
    # "my teenage daughter Lena" (the last word must be a relation; a modifier may not be another person).
    relation = (r"(?:(?:two|three|four|five|2|3|4|5) )?(?P<rel>other half|(?:[a-z0-9\u00e9-]+ ){0,2}?"
                r"[a-z\u00e9-]+?)")
    name = rf"(?P<name>{_CAP})"
    names_list = rf"(?P<names>{_CAP}(?:(?:, | and | & ){_CAP})*)"
    # "The kids (Ana and Ben)", "The grandkids, Ben and Otto, are staying", "with Lena and Otto, my two daughters"
    for match in [*re.finditer(rf"\b(?i:the) {relation}s?(?: \(|, ){names_list}", text),
                  *re.finditer(rf"{names_list}, (?i:my|our) (?:(?i:two|three|four|both|little|lovely) )?{relation}s?\b",
                               clause.sentence)]:
        rel = match.group("rel").casefold()
        if _related(rel):
            for person in re.split(r", | and | & ", match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    for match in re.finditer(rf"\b(?i:my|our) {relation}s?(?:,? | \(){names_list}", text):
        rel = match.group("rel").casefold()
        if _related(rel):
            for person in re.split(r", | and | & ", match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    # An appositive, between commas or in brackets: "Ana, my daughter, ...", "Ben (my son) has a cold".
    for match in re.finditer(rf"(?:^|, )(?:\w+ ){{0,5}}?{name}(?:,| \() ?(?i:my|our) {relation}\b", clause.sentence):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    for match in re.finditer(rf"\b(?i:my|our) {relation}s?(?:'s?)?(?: (?i:names?))? (?i:are|is|'re) "
                             rf"(?i:called |named )?"
                             rf"{names_list}", text):
        rel = match.group("rel").casefold()  # "Our kids are Ana and Noor."
        if _related(rel):
            for person in re.split(r", | and | & ", match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    if clause.sentence.islower():  # "my husband aoife says hi": in lower case, a name is no verb's form
        for match in re.finditer(r"(?:\b(?:my|our) |^)(?P<rel>[a-z-]+)(?: (?:are|is|called|named))? "
                                 r"(?P<names>[a-z][\w'-]+(?: and [a-z][\w'-]+)?)",
                                 text):
            rel = match.group("rel")
            if rel in RELATIONS or rel.rstrip("s") in RELATIONS:
                for person in match.group("names").split(" and "):
                    if _lower_name(person):
                        yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    for match in re.finditer(rf"\b(?i:my|our) {relation}(?:'s| is) (?i:name is|called|named) {name}", text):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    for match in re.finditer(rf"^{name} (?i:is) (?i:my|our) {relation}\b", text):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    for match in re.finditer(rf"(?<!^)\b{name}\b[^,.;!?]*, (?i:my) (?P<rel>youngest|eldest|oldest|little one|baby)\b",
                             clause.sentence):
        yield Proposal(Subject.FAMILY, f"{match.group('rel')} {match.group('name')}")
    for match in re.finditer(rf"\b(?i:i'm married to|i am married to|married to|engaged to) {name}", text):
        yield Proposal(Subject.FAMILY, f"married to {match.group('name')}")
    for match in re.finditer(rf"^{name} (?i:and i|and me) (?i:have been|'ve been|are|got|were|just got) "
                             rf"(?i:happily |finally |recently )?(?i:married|engaged)\b", text):
        yield Proposal(Subject.FAMILY, f"married to {match.group('name')}")  # "Priya and I have been married..."
    # A pet or child one has, got or took in, named: "We have a dog called Rex", "Got a cat named Luna",
    # "We adopted a rabbit, Biscuit, last month".
    for match in re.finditer(rf"(?:^(?i:got|just got|(?P<took>adopted|rescued))|"
                             rf"\b(?i:(?:i|we) (?:have|have got|'ve got|got|just got|"
                             rf"(?P<taken>adopted|rescued|just adopted|just rescued|took in))|i've got|we've got|"
                             rf"there's)) "
                             rf"(?:(?i:a|an|two|three|four|five|one) )?{relation}s?(?:,? (?i:called|named) |, ){name}",
                             text):
        rel = match.group("rel").casefold()
        # one adopts or rescues only an animal (or a child), so any one word names it: "a greyhound, Dash"
        adopted = bool(match.group("took") or match.group("taken")) and len(rel.split()) == 1 and rel not in OTHERS
        if rel.split()[-1].rstrip("s") in RELATIONS or adopted:
            yield Proposal(Subject.FAMILY, f"{_singular(rel)} {match.group('name')}")
    for match in re.finditer(rf"\b(?:(?i:i|we) (?i:have|have got|got)|(?i:i've|we've|ive) (?i:got )?) ?"
                             rf"(?i:two|three|four|five|six|a|an|one) "
                             rf"{relation}s?,? {names_list}", text):
        if match.group("rel").casefold().split()[-1].rstrip("s") in RELATIONS:
            for person in re.split(r", | and | & ", match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(match.group('rel').casefold())} {person}")
    for match in _search(r"\b(?:i'm|i am|im) (?:a |an )?(?P<value>(?:mum|mom|dad|mother|father|parent|"
                         r"grandmother|grandfather|grandparent|grandma|grandpa) (?:of|to) (?:\w+))", text):
        yield Proposal(Subject.FAMILY, match.group("value"))
    # A parent to children named: "Mum to Noor and Ben", "I'm dad to Otto".
    for match in re.finditer(rf"(?:^|\b(?i:i'm|i am|im) )(?i:a |an )?(?i:mum|mom|dad|mother|father|parent|mama|papa) "
                             rf"(?i:of|to) {names_list}", text):
        parent = re.search(r"(?i:mum|mom|dad|mother|father|parent|mama|papa) (?i:of|to)", match.group(0)).group(0)
        for person in re.split(r", | and | & ", match.group("names")):
            yield Proposal(Subject.FAMILY, f"{parent.casefold()} {person}")
    # A count of pets or children, then their names: "Two cats at home: Luna and Pepper."
    for match in re.finditer(rf"^(?i:two|three|four|five) {relation}s?(?: (?i:at home|here|in the house))?\s*[:,-]\s*"
                             rf"{names_list}", text):
        rel = match.group("rel").casefold()
        if _related(rel):
            for person in re.split(r", | and | & ", match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    # A parent's count, then the names: "Mum of two here, Ana and Milo."
    for match in re.finditer(rf"(?i:mum|mom|dad|mother|father|parent) (?i:of|to) (?i:two|three|four|five)"
                             rf"(?: (?i:kids|children|boys|girls))?(?: (?i:here))?,? {names_list}", clause.sentence):
        parent = match.group(0).split()[0].casefold()
        for person in re.split(r", | and | & ", match.group("names")):
            yield Proposal(Subject.FAMILY, f"{parent} of {person}")
    # A pet or child, then its name: "I've got a cat and her name is Luna", "we have a son, his name's Ben".
    for match in re.finditer(rf"\b(?i:have|got|adopted|rescued) (?i:a|an) {relation},? (?i:and )?"
                             rf"(?i:her|his|its|their) "
                             rf"(?i:name is|name's|names are) {name}", text):
        rel = match.group("rel").casefold()
        if rel.split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{rel} {match.group('name')}")
    for match in _search(r"^(?:my|our) (?P<rel>wife|husband|partner|fiance|fiancee|girlfriend|boyfriend) and i\b",
                         text):
        yield Proposal(Subject.FAMILY, match.group("rel"))
    # A household stated without names: "I'm married", "we have three kids", "I've got a 5-year-old son".
    for match in _search(rf"\b{I_AM} (?:happily |newly |recently |now )?(?P<value>married|engaged|a widow|a widower|"
                         rf"widowed|a single (?:mum|mom|dad|parent))\b(?! to\b)", text):
        if not clause.negated:
            yield Proposal(Subject.FAMILY, match.group("value"))
    for match in _search(r"\b(?:i|we)(?: have|'ve got| have got| got)\s+(?P<value>(?:a|an|one|two|three|four|five|six) "
                         r"(?:[\w-]+ )??(?P<rel>[a-z-]+))\b"
                         r"(?!,? (?:called|named|(?-i:[A-Z])|and (?:her|his|its|their) name))", text):
        rel = match.group("rel").casefold()
        if not clause.negated and (rel in RELATIONS or rel.rstrip("s") in RELATIONS) and rel not in ("family", "boy",
                                                                                                     "girl"):
            yield Proposal(Subject.FAMILY, match.group("value"))


def _related(relation: str) -> bool:
    """"wife", "little sister", "5-year-old son": a relation, its modifiers naming no one else."""
    words = relation.split()
    if relation == "other half" or not words:
        return relation == "other half"
    return (words[-1] in RELATIONS or words[-1].rstrip("s") in RELATIONS) and not OTHERS & set(words[:-1])


_FUNCTION_WORDS = frozenset("and are is was were will would can could just has had have the a an who that which "
                            "also still never always really so too very not got gets love like hate want need "
                            "go went come came make made say said think know loves likes".split())


def _lower_name(word: str) -> bool:
    """A lower-case word after "my son" is a name unless it is a function word or a verb's form ("plays")."""
    return word not in _FUNCTION_WORDS and word not in NOT_NAMES and lemma(word) == word and len(word) > 1


def _singular(relation: str) -> str:
    irregular = {"children": "child", "kids": "kid", "grandchildren": "grandchild"}
    return irregular.get(relation, relation[:-1] if relation.endswith("s") and relation[:-1] in RELATIONS
                         else relation)


@rule()
def preference(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    thing = r"(?P<thing>[^,.;!?]+)"
    # With its subject, or dropped as people do in chat ("Love a bit of jazz, me"; never "Like I said..." or
    # "Enjoy your weekend": "like" and the imperative's "your" are left out).
    for match in _search(rf"(?:\b(?:i|we|i've|we've|i have) (?:always |really |absolutely |just |truly |totally |do |"
                         rf"much |far |still |[a-z]+ly )*"
                         rf"(?P<verb>love|loved|adore|adored|enjoy|enjoyed|like|liked|hate|hated|dislike|can't stand|"
                         rf"prefer|dig|rate|relish|cherish|treasure|luv|lurve)|"
                         rf"^(?:really |absolutely |just )?(?P<dropped>love|luv|lurve|adore|"
                         rf"enjoy|dig)(?= (?!to\b|i\b|me\b|your\b))) {thing}", text):
        value = re.sub(r"^to (?:go )?", "", _preferred(match.group("thing")), flags=re.I)
        if value and not re.match(r"(?:it|that|this|you|when|how|the idea|be|have|get|know|hear|see|my|our|your|his|"
                                  r"nothing|anything|everything|something|"
                                  r"her|their|him|them)\b", value, re.I):
            verb = (match.group("verb") or match.group("dropped")).casefold()
            if verb == "prefer":  # "I much prefer cider to beer": what it is preferred to is no liking
                value = re.split(r" (?:to|over|rather than|than) ", value, maxsplit=1)[0]
            yield Proposal(Subject.PREFERENCE, f"{verb} {value}" if verb in ("hate", "hated", "dislike", "can't stand")
                           else value)
    patterns = (
        rf"\b(?:big |huge |great |massive )?fan of {thing}",
        rf"(?:^|\b{I_AM} )(?:really |so |totally )?(?:into|obsessed with|passionate about|crazy about|addicted to|"
        rf"mad about) "
        rf"{thing}",
        rf"(?:\bmy |^)(?:favou?rite|fave|fav) (?:\w+ ){{0,3}}?(?:is|are|has to be|would be) {thing}",
        rf"^{thing} (?:is|are) (?:one of )?my (?:favou?rite|best loved)",
        rf"\b(?:i|we) (?:love|like|enjoy) nothing (?:more|better) than {thing}",
        rf"\bthere's nothing i (?:love|like|enjoy) more than {thing}",
        rf"\b{I_AM} (?:always|never not) (?:up for|down for) {thing}",
        rf"\b(?:you )?(?:can't|cannot|cant) beat {thing}",
        rf"\b(?:i've|i have|i|we've|we) (?:always |really |properly |long )?(?:got|gotten|been getting|been) "
        rf"(?:really |so |very |big )?into {thing}",
        rf"^{thing} (?:is|are|'s) (?:right |just |totally |very much )?up my (?:street|alley)",
        rf"^(?:my )?(?:weekends|evenings|sundays|saturdays|summers|holidays|days off) are (?:for|made for|all about) "
        rf"{thing}",
        rf"\b{I_AM} (?:at my )?happiest (?:when|while) (?:i'm |im |i am )?{thing}",
        rf"\bi live for {thing}",
        r"\b(?:i|we) (?:usually |always |often |still )?(?:play|go|do) "
        r"(?!(?:to|the|my|back|home|out|for|in|on|it|that|this)\b)(?P<thing>[\w' -]{2,30}?) "
        r"(?:every|most|each) (?:day|week|weekend|weekends|morning|evening|night|saturday|sunday|monday|tuesday|"
        r"wednesday|thursday|friday)\b",
        rf"^{thing} (?:is|are) my (?:weakness|obsession|religion|everything|fave|fav)\b",
        rf"^(?:honestly,? )?{thing} (?:is|are) (?:my favou?rite|the best thing|my guilty pleasure|my happy place|"
        rf"my passion|my hobby|my thing)",
        rf"\bnothing beats {thing}",
        rf"\bi could (?:listen to|watch|eat|read|play|drink) {thing} all day",
        rf"\bi could (?:spend|happily spend|lose) (?:hours|days|all day|whole days|a whole day|forever) {thing}",
        rf"^{thing} (?:is|are) (?:top of my list|my top pick|my number one|number one for me|the one for me)",
        # "Fave thing ever: ramen"
        rf"^(?:my )?(?:fave|fav|favourite|favorite)(?: \w+){{0,3}}\s*[:\u2013\u2014-]\s*{thing}",
        rf"\bmy go-to(?: [\w ]{{1,25}}?)? (?:is|are) {thing}",
        rf"\bmy idea of (?:a )?(?:perfect|good|great|ideal|lovely) (?:day|night|weekend|evening|time|holiday|sunday) "
        rf"(?:is|would be) {thing}",
        rf"\bi spend (?:most |all |my |most of my )?(?:weekends|evenings|free time|spare time) {thing}",
        rf"\bwhenever i (?:get|have) (?:a )?(?:free|spare) (?:evening|moment|day|minute|weekend),? i (?:play|go|do) "
        rf"{thing}",
        rf"\bmy hobb(?:y|ies) (?:is|are|include) {thing}",
        rf"\b(?:can't|cannot|cant) get enough of {thing}",
        rf"\b(?:a )?(?:sucker|soft spot) for {thing}",
        rf"\b(?:never (?:get|grow) tired of|never say no to) {thing}",
        rf"\bin my (?:free|spare|own) time,? (?:i|we) (?:love to |like to )?(?:play|do|go|watch|read|paint|cook|bake|"
        rf"sing|draw|write|run|swim|cycle|garden|knit|sew) {thing}",
        rf"^{thing} (?:makes|make) me (?:so |really )?(?:happy|smile)",
        rf"^{thing} (?:is|are) the best\b",
        rf"^{thing} (?:is|are) my go-to\b",
        rf"\b(?:{I_AM} )?(?:really |very |so )?(?:fond of|keen on|partial to) {thing}",
        rf"\bget (?:a |such a )?(?:real |huge |big )?kick out of {thing}",
        rf"\b{I_AM} all about {thing}",
        rf"\b{I_AM} (?:totally |completely |really |so )?(?:hooked on|big on|a big believer in|nuts about|wild about) "
        rf"{thing}",
        rf"\bnothing makes me (?:happier|happy|smile more) than {thing}",
        rf"\bthere's nothing (?:quite )?(?:like|better than) {thing}",
        rf"\b{I_AM} (?:a |an )?(?:big |huge |real )?(?P<thing>[\w-]+(?: [\w-]+)?) person\b",
        rf"^{thing} (?:is|are) (?:life|everything|my jam|my favourite|my favorite)\b",
        # what a pastime does for its lover: "jazz keeps me sane", "nothing relaxes me like kayaking",
        # "you'll usually find me fishing on Sundays", "k-pop never gets old", "give me ramen any day"
        rf"^{thing} (?:keeps|keep|makes|make|gets|get) me (?:sane|going|happy|calm|smiling|grounded)\b",
        rf"\bnothing \w+s me (?:like|more than|better than) {thing}",
        rf"\b(?:you'll|you will|you can|you'd) (?:usually |always |often |mostly )?find me {thing}",
        rf"^{thing} never (?:gets|get|grows|grow) old\b",
        r"^give me (?P<thing>[^,.;!?]+?) (?:any day|any time|anytime|every time|over anything)\b",
        rf"\b(?:i've got|i have|i've|i got|i have got) (?:a |such a )?(?:real |huge |big |massive )?(?:thing|weakness|"
        rf"soft spot|passion|love) for {thing}",
    )
    for pattern in patterns:
        for match in _search(pattern, text):
            value = _preferred(match.group("thing"))
            if value:
                yield Proposal(Subject.PREFERENCE, value)
    keen = r"(?:(?:a |an )?(?:huge|big|massive|great|die-hard|lifelong|total|keen|devoted|proper) )"
    for match in _search(rf"(?:^|\b{I_AM} ){keen}?(?P<thing>[\w' -]{{2,40}}?) (?:fan|lover|enthusiast|nerd|geek|buff)"
                         rf"(?: here)?\b(?! of)", text):
        value = _preferred(re.sub(rf"^{keen}", "", match.group("thing"), flags=re.I))
        if value and not re.match(r"(?:a|an|the|not|no)$", value, re.I):
            yield Proposal(Subject.PREFERENCE, value)


def _preferred(thing: str) -> str:
    value = _OBJECT_END.sub("", thing).strip()
    value = re.sub(r"^(?:a (?:bit|spot|drop|slice|plate|bowl) of|a good|a nice|some good) ", "", value, flags=re.I)
    value = re.sub(r"\s+(?:to coffee|to tea|over \w+|than \w+|to relax|on a \w+ night|ever invented)$", "", value)
    return value if 0 < len(value.split()) <= 6 else ""


@rule()
def project(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    verbs = (r"building|writing|knitting|sewing|renovating|restoring|learning|studying for|studying|training for|"
             r"working on|putting together|developing|designing|painting|coding|teaching myself|making|crocheting|"
             r"refurbishing|converting|planting|composing|recording|researching|practising|practicing|doing up|"
             r"fixing up|trying to learn|preparing for|started writing|started building|started learning|"
             r"trying to finish|finishing|trying to build|trying to write|setting up|launching|starting up|writting|"
             r"working towards|working toward")
    obj = r"(?P<obj>[^,.;!?]+)"
    for match in _search(rf"(?:^|\b(?:{I_AM}|{I_HAVE}|{WE_ARE}|i|we|been|currently|still|finally|slowly|busy|"
                         rf"started|just started|begun|in the middle of|halfway through)\s+)(?P<verb>{verbs}) "
                         rf"{obj}", text):
        verb, value = match.group("verb").casefold(), _object(match.group("obj"))
        if not value or re.match(r"(?:from|about|that|it|you|this|a lot|hard|out)\b", value, re.I):
            continue
        if value.casefold().startswith("to ") and verb not in ("learning", "trying to learn", "started learning"):
            continue
        if verb == "making" and not re.search(r"\b(?:own|a|an)\b", value):
            continue
        verb = re.sub(r"^(?:started|trying to) ", "", verb).replace("trying to finish", "finishing")
        yield Proposal(Subject.PROJECT, f"{verb} {value}")
    # Any other making or learning verb, by its lemma ("rebuilding" is "build" done again, "brewing" "brew"),
    # when what follows is a thing ("a motorbike", "my own beer"): "I'm in the process of rebuilding a motorbike".
    for match in _search(rf"(?:^|\b(?:{I_AM}|{I_HAVE} been|{WE_ARE}|been|currently|still|finally|slowly|busy|"
                         rf"in the process of|in the middle of|halfway through|way through)\s+)(?P<verb>[a-z]+ing) "
                         rf"(?P<obj>(?:a|an|my|our|the|some) [^,.;!?]+)", text):
        verb, value = match.group("verb").casefold(), _object(match.group("obj"))
        if _making(verb) and len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, f"{verb} {value}")
    for match in _search(r"\b(?:taking|doing|having|started|starting|signed up for|signed up to|enrolled in|"
                         r"enrolled on|enrolled onto|booked|booked onto|booked on) "
                         r"(?:a |an |some )?"
                         r"(?P<value>(?!(?:a|an|the|my|some|few|new|online)\b)[a-z]+(?: [a-z]+)? "
                         r"(?:lessons|classes|class|course))\b", text):
        yield Proposal(Subject.PROJECT, match.group("value"))  # "I'm taking piano lessons"
    for match in _search(r"\b(?:doing|studying for|working on|taking|started|starting|halfway through) (?:a |an |my )?"
                         r"(?P<value>(?:msc|ma|ba|bsc|phd|mba|masters|master's|bachelor's|doctorate|degree|diploma|"
                         r"certificate|apprenticeship|pgce|nvq|a-levels|gcses) (?:in|on) [^,.;!?]+)", text):
        yield Proposal(Subject.PROJECT, _object(match.group("value")))
    for match in _search(r"\b(?:taking|doing|started|starting|on|enrolled in|signed up for) (?:a |an )?(?:\w+ )?"
                         r"(?P<kind>course|class|classes|lessons|degree|diploma|apprenticeship) (?:in|on) "
                         r"(?P<obj>[^,.;!?]+)", text):
        value = _object(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, f"{match.group('kind').casefold()} in {value}")
    for match in _search(rf"(?:\b(?:{I_HAVE}|i|we) |^(?:finally |just |recently )?)(?:just |recently |finally )?"
                         rf"(?:started|begun|began) (?P<obj>(?:a|an|my|our) "
                         rf"[^,.;!?]+)", text):
        value = _object(match.group("obj"))
        if len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, value)
    # In the middle of a thing, or the thing coming along: "halfway through a kitchen renovation", "my novel is
    # coming along".
    # A class one is in, and what one is working through: "for my woodwork class", "working my way through..."
    for match in _search(r"\bmy (?P<value>(?!(?:next|last|first|old|new|online|evening|morning)\b)[a-z]+(?: [a-z]+)? "
                         r"(?:class|course|lessons|apprenticeship|diploma|degree))\b", text):
        yield Proposal(Subject.PROJECT, match.group("value"))
    for match in _search(rf"\b(?:working|work|worked|ploughing|plowing) (?:my|our) way through {obj}", text):
        value = _object(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, value)
    # Taking something up, having a go at it, having it on the go, or one's evenings going into it.
    for match in _search(rf"\b(?:(?:{I_HAVE}|i|we|just|recently) (?:just |recently )?(?:taken|took) up|"
                         rf"(?:having|had|have) a (?:go|crack|stab) at|"
                         rf"(?:my|our) (?:evenings|weekends|nights|spare time|free time|mornings) "
                         rf"(?:go|goes|are going) "
                         rf"into|(?:started|starting|begun|began) on) {obj}", text):
        value = _object(match.group("obj"))
        if value and not re.match(r"(?:it|that|this|them|the idea|you)\b", value, re.I):
            yield Proposal(Subject.PROJECT, value)
    for match in _search(r"\b(?:get|getting) (?P<obj>(?:a|an|my|our|the) [^,.;!?]+?) (?:finished|done|built|painted|"
                         r"sorted|fixed|restored|written|ready|up and running)\b", text):
        if not match.group("obj").casefold().startswith("the "):  # "get the boiler fixed" is an errand
            yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in _search(rf"^(?:{I_HAVE} |i |we )?(?:got|have) (?P<obj>(?:a|an|my|our|the|two|some) [^,.;!?]+?) "
                         rf"on the go\b", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in _search(r"\b(?:in the middle of|halfway through|midway through|busy with|deep into|nearly done with|"
                         r"(?:making|made) (?:good |great |some |slow |steady |real )?progress (?:on|with)|"
                         r"in training for|(?:i'm|im|i am|we're) training for|"
                         r"almost done with|almost finished with|finishing off|plugging away at|chipping away at) "
                         r"(?P<obj>(?:a|an|my|our) [^,.;!?]+)", text):
        value = _object(match.group("obj"))
        if len(value.split()) > 1 and not re.search(r"\b(?:day|week|night|month|year|move|holiday)$", value, re.I):
            yield Proposal(Subject.PROJECT, value)
    for match in _search(r"^(?P<obj>(?:my|our) [\w' -]{2,40}?) (?:is|are) (?:slowly |finally |really )?"
                         r"(?:coming along|nearly done|almost done|almost finished|nearly finished|taking shape|"
                         r"progressing|going well)",
                         text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in _search(rf"\bmy (?:side |big |current |latest |pet |passion |new |main )?project"
                         rf"(?: for| this| at| right)?"
                         rf"(?: \w+){{0,2}}?(?: is\b|:) {obj}", text):
        value = _object(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, value)
    for match in _search(rf"^(?P<verb>{verbs}|finishing|completing) {obj} (?:is|has been|keeps|takes|will be) "
                         rf"(?:\w+ )?(?:my )?(?:project|taking|keeping|up|all|big|main)", text):
        yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {_object(match.group('obj'))}")


# What people make, mend or learn as a project, by lemma; "re-" (rebuild, redecorate) is the same work again.
PROJECT_LEMMAS = frozenset(
    "build write knit sew renovate restore learn study train develop design paint code make crochet refurbish redo "
    "convert compose record research practise practice fix prepare finish launch brew carve quilt weave "
    "embroider decorate remodel refit assemble craft sculpt draw film edit produce organise organize translate "
    "program create construct landscape upcycle illustrate publish upholster model map animate".split())


def _making(gerund: str) -> bool:
    found = roots(gerund)
    if gerund.startswith("re") and len(gerund) > 6:
        found |= roots(gerund[2:])
    return bool(found & PROJECT_LEMMAS)


_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH_CAP = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_WHEN = (rf"(?:next (?:week|month|year|weekend|summer|spring|autumn|fall|winter|{_MONTH}|{_DAY})|"
         rf"this (?:weekend|summer|spring|autumn|fall|winter|{_DAY})|(?:over|at|for) (?:christmas|easter|new year|"
         rf"the new year|thanksgiving|half term|half-term|the bank holiday)|tomorrow|tonight|in {_MONTH}|on {_MONTH}|"
         rf"in (?:a|two|three|four|a few|six) (?:days|weeks|months)|in the (?:summer|spring|autumn|winter)|"
         rf"{_MONTH} \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}|for {_MONTH}|the week after next|"
         rf"over the (?:holidays|summer|weekend|break)|at the end of {_MONTH}|later this (?:year|month)|soon|"
         rf"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|for (?:our|my) (?:anniversary|honeymoon|"
         rf"birthday)|coming up|this coming (?:week|weekend|month|{_DAY})|at the weekend|"
         rf"in (?:a couple of|a couple|couple of|a few|\d+) (?:days|weeks|months)|on the \d{{1,2}}(?:st|nd|rd|th)\b|"
         rf"(?:early|mid|late|the end of|end of|the start of|start of|the beginning of|beginning of)[ -]{_MONTH}|"
         rf"after (?:christmas|easter|new year|the holidays)|in the new year|next (?:few )?(?:days|weeks))")


@rule()
def plan(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    lowered = text.casefold()
    # "Next stop: Lima, in March!", "March is Reykjavik for us."
    stop = re.search(rf"^(?i:next stop|next up|next destination)\s*[:,-]?\s*(?P<place>{PLACE}),? (?P<when>{_WHEN})",
                     text, re.I) or re.search(rf"^(?P<when>{_MONTH_CAP}) (?i:is|will be|means) (?P<place>{PLACE})"
                                              rf"(?: (?i:for (?:us|me)))?[.!]?$", text)
    away = re.search(rf"^(?i:(?:a |our |my )?(?:weekend|week|trip|holiday|break|city break|getaway|few days|"
                     rf"long weekend|fortnight|night)(?: away)? (?:in|to)) (?P<place>{PLACE}) (?P<when>(?i:coming up|"
                     rf"soon|{_WHEN}))", text)
    if away:  # "Weekend away in Hanoi coming up!"
        yield Proposal(Subject.PLAN, f"{away.group('place')} {away.group('when')}")
        return
    # A place and a time with excitement, or alone: "Kyoto next month, so excited!", "Hanoi in June ✈️".
    excited = re.search(rf"^(?P<place>{PLACE}) (?P<when>(?i:{_WHEN}))(?:[,!]? (?i:so |super |really )?"
                        rf"(?i:excited|can't wait|cant wait|yay|woo+|here we come|finally)|\s*[.!]*$)",
                        clause.sentence.strip(),
                        re.I if clause.sentence.islower() else 0)
    if excited and not re.match(_WHEN, excited.group("place"), re.I):  # "Kyoto next month, so excited!"
        yield Proposal(Subject.PLAN, f"{excited.group('place')} {excited.group('when')}")
        return
    if stop:
        when = stop.group("when")
        yield Proposal(Subject.PLAN, f"{stop.group('place')} {when if ' ' in when else 'in ' + when}")
        return
    if not re.search(_WHEN, lowered) and not re.search(r"\b(?:planning|booked|going to|will|'ll)\b", lowered):
        return
    action = (r"(?:flying|going|heading|travelling|traveling|off|driving|moving|visiting|getting married|on my way|"
              r"on our way|en route|"
              r"running|starting|start|doing(?! up\b)|"
              r"taking|sitting|planning|booked|visit|fly|go|travel|move|spend(?:ing)?|"
              r"have|having|be|leave|leaving|trip|holiday|vacation|flight|road trip|"
              r"got(?! married| engaged| back| home| (?:a|the|a new) job(?! interview))|"
              r"headed|jetting off|attending|hosting|throwing|celebrating|seeing|meeting|sitting|"
              r"(?:due|about|set|scheduled|booked) to (?:fly|go|travel|visit|leave|move|start|run|be))")
    # "Lima in June, finally booked it!", "The plan is Lima in November."
    settled = re.search(rf"^(?P<plan>{PLACE} (?:in|on|for|next|this|at|over) [^,.;!?]+)[,!.]? (?i:finally |just |all )?"
                        rf"(?i:booked|sorted|confirmed)\b|"
                        rf"\b(?i:(?:the|our|my) plan is (?:to (?:go to |visit |fly to |head to )?)?)"
                        rf"(?P<aim>[^,.;!?]+)", text)
    if settled:
        value = _trimmed(settled.group("plan") or settled.group("aim"))
        if re.search(_WHEN, value.casefold()):
            yield Proposal(Subject.PLAN, value)
            return
    ahead = re.search(r"\b(?:(?:can't|cannot|cant) wait for|looking forward to|counting down to|excited about|"
                      r"excited for) (?:my |our )?(?P<plan>.+)$", text, re.I)
    if ahead and re.search(_WHEN, ahead.group("plan").casefold()):  # "Can't wait for my trip to Lima in June!"
        yield Proposal(Subject.PLAN, _trimmed(ahead.group("plan")))
        return
    match = re.search(rf"(?:^|\b(?:{I_AM}|{WE_ARE}|i'll|we'll|i will|we will|i|we|i've|we've|just)\s+)"
                      rf"(?P<plan>{action}\b.*)$", text, re.I)
    if match is None:
        match = re.search(r"\b(?:my|our) (?P<plan>[\w' ]{2,30}?)(?: (?:is|are)|'s) (?P<when>(?:on|in|at|this|next|"
                          r"tomorrow)\b.*)$", text, re.I)
        if match:  # "My sister's wedding is in June", "My interview's on May 3"
            yield Proposal(Subject.PLAN, _trimmed(f"{match.group('plan')} {match.group('when')}"))
        else:
            lead = re.search(rf"^(?P<when>{_WHEN})[, ]+(?:{WE_ARE}|{I_AM}|i'll|we'll|i|we) (?P<plan>.+)$", lowered)
            if lead:
                start = lead.start("plan")
                yield Proposal(Subject.PLAN, _trimmed(f"{text[start:]} {text[:lead.end('when')]}"))
        return
    plan_text = match.group("plan")
    lead = re.search(rf"^(?P<when>{_WHEN})[, ]", lowered)
    if lead:  # "Next June we're off to Lima": the date leads
        plan_text = f"{plan_text} {text[:lead.end('when')]}"
    if not re.search(_WHEN, plan_text.casefold()) and not re.search(
            r"\b(?:trip|holiday|wedding|married|visit|conference|appointment|interview|course)\b", lowered):
        return
    yield Proposal(Subject.PLAN, _trimmed(plan_text))


def _trimmed(text: str) -> str:
    words = _tidy(re.sub(r"^(?:be |have |having |planning |planning a |booked |off |got )", lambda m: m.group(0)
                         if m.group(0).strip() in ("booked", "off") else "", text)).split()
    return " ".join(words[:12])


# Only what one has one of at a time has a history worth keeping; "I used to love jazz" says nothing lasting.
_PAST_RULES: tuple[Rule, ...] = (home, work, diet)
