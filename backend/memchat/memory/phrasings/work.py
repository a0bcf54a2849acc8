"""What the user does for a living: "I work as ...", a trade by its verb ("I teach"), an employer, a business."""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import COMPOUNDS, OCCUPATIONS
from memchat.memory.phrasings.words import ARTICLE, I_AM, I_HAVE, found, matches, object_phrase
from memchat.memory.statements import RELATIONS, Clause

# A trip for work is no job: "I only go there for work" says where, not what.
_TRAVEL = re.compile(r"^(?:\w+ly |only |just )?(?:go|goes|come|travel|commute|fly|head|pop|moved|relocated)\b|"
                     r"\b(?:there|here|abroad|away|home|back|over|in|out)$", re.I)


def work(clause: Clause) -> Iterator[Proposal]:
    if clause.negated or clause.ahead or _FORMER_JOB.search(clause.text):
        return  # "my ex-job as a carpenter was stressful" is history
    text = clause.text
    # "as a(n) <job>" after a word for working ("I work nights as a paramedic", "make a living as a welder"):
    # the longest start of what follows that ends in an occupation.
    yield from found(Subject.WORK, rf"\b(?:work|works|working|worked|employed|job|career|shifts?|day|days|nights|"
                     rf"life|years?|living|trained|qualified|hired|contracted|self-employed|freelance|full-time|part-time)"
                     rf"(?: (?:for|at|in) [^,.;!?]{{1,40}}?)? "
                     rf"as {ARTICLE} (?P<job>[^,.;!?]+)", text, "job", _job)
    lead = rx.match(r"(?P<job>(?:[\w-]+ ){0,2}[\w-]+) (?:for|at|with|in) (?:the |a |an )?[\w -]+(?:[,;].*)?$", text,
                    re.I)
    if lead and not _VERB.search(text) and not rx.search(r"\b\w+(?:ed|ing)\b|\bat home\b", text, re.I):
        job = _job(lead.group("job"))
        if job == lead.group("job"):
            yield Proposal(Subject.WORK, job)
    yield from found(Subject.WORK, r"^(?:my )?(?:day job|main job|job title|job|occupation|profession|trade|work|role|"
                     r"position)\s*[:\u2013\u2014-]\s*"
                     r"(?:a |an )?(?P<job>[^,.;!?]+)", text, "job", _job)  # "Day job: baker."
    for match in matches(r"^(?P<job>(?:[\w-]+ ){0,2}[\w-]+) here\b", text):  # "Nurse here, so shifts are rough"
        job = _job(match.group("job"))
        if job == match.group("job"):
            yield Proposal(Subject.WORK, job)
    # (a change of state whose result lasts is today's job: "I ended up a baker", "I became a nurse in 2010")
    for match in matches(rf"(?:\b(?:{I_AM}|{I_HAVE} been|been|being|by day i'm|by day i am|as the only|as the|"
                     rf"(?:end|ended|ending) up(?: as)?|became|become|"
                     rf"as {ARTICLE}|my (?:day |main |full-time |part-time )?(?:job|profession|occupation|"
                     rf"trade) is)|^am) "  # ("am a carpenter": the subject dropped)
                     rf"(?:{ARTICLE} )?(?P<job>[^,.;!?]+)", text):
        job = _job(match.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    for match in matches(r"\b(?:(?:earn|make) (?:my|a|our) living|my (?:day |main )?job is|"
                     r"i spend my (?:days|working days|working life)) "
                     r"(?P<job>[a-z]+ing (?:[\w-]+ ){0,2}?[\w-]+)", text):
        yield Proposal(Subject.WORK, object_phrase(match.group("job")))  # "I earn my living fixing cars"
    # a trade kept up for years: "I've been laying bricks since I left school"
    for match in matches(r"^(?:i've|i have|ive) been (?P<job>[a-z]+ing [\w-]+(?: [\w-]+)?) "
                     r"(?:since (?:i )?(?:left|finished) (?:school|uni|college)|for (?:\w+ )?(?:years|decades))\b",
                     text):
        yield Proposal(Subject.WORK, match.group("job"))
    for match in matches(r"\bi (?P<job>(?!work\b|live\b)[a-z]+ (?:[\w-]+ ){0,3}?[\w-]+) (?:for a living|for work|"
                     r"professionally|for my job|full[- ]time|part[- ]time)\b", text):
        if not _TRAVEL.search(match.group("job")):
            yield Proposal(Subject.WORK, match.group("job"))
    for match in matches(r"\bi (?P<job>(?:teach|lecture|tutor|coach|nurse|manage|run|own) (?:a |an |my own |small |"
                     r"little |a little |tiny |a tiny |"
                     r"a small |an independent )*[\w-]+(?: (?!of\b)[\w-]+)?(?: of [\w-]+)?)", text):
        value = object_phrase(match.group("job"))
        # (teaching or coaching one's own is no job: "I teach my dog new tricks", "I coach my son's team"; and what one
        # owns is a living only when it is a business: "I own a small bakery", never "I own a Tesla")
        owned = rx.match(r"own\b", value, re.I) and not rx.search(rf"\b(?:{_BUSINESS})\b", value, re.I)
        if len(value.split()) > 1 and not rx.search(r"\b(?:myself|me|you|it|them|him|her|late|out|away)\b",
                                                 value, re.I) and not _PASTIME.search(value) and not (
                RELATIONS.intersection(w.removesuffix("'s") for w in value.casefold().split())) and not owned:
            yield Proposal(Subject.WORK, value)
    for match in matches(rf"\b(?:{I_AM} in|i do|i work in|{I_HAVE} (?:worked|been working|been) in) "
                         rf"(?P<sector>{_SECTOR})\b", text):
        yield Proposal(Subject.WORK, match.group("sector"))
    for match in matches(rf"\b(?:shift|shifts|day|days|week|nights?) (?:at|in) (?:the|my|our) (?P<business>(?:[\w-]+ )?"
                     rf"(?:{_BUSINESS}|hospital|school|warehouse|factory|office|site|depot|station|ward))\b", text):
        yield Proposal(Subject.WORK, match.group("business"))  # "a double shift at the bakery"
    # What one teaches in, and the business one owns: "I lecture in data science", "I've got my own bakery".
    for match in matches(r"\bi (?P<verb>teach|lecture|tutor) in (?P<field>[^,.;!?]+)", text):
        value = object_phrase(match.group("field"))
        if value:
            yield Proposal(Subject.WORK, f"{match.group('verb')} in {value}")
    for match in matches(rf"\b(?:{I_HAVE}(?: got)?|i|we|i've got|we've got) (?:run |own |have |got )?(?:my|our) own "
                     rf"(?P<business>(?:[\w-]+ )?(?:{_BUSINESS}))\b", text):
        yield Proposal(Subject.WORK, f"own {match.group('business')}")
    # A job with no verb: "plumber by trade", and a clause that is only a job ("Still a trainee carpenter").
    yield from found(Subject.WORK, r"^(?:a |an )?(?P<job>(?:[\w-]+ ){0,2}[\w-]+) by "
                     r"(?:trade|profession|training|day)\b", text, "job", _job)
    verbless = rx.match(r"(?i:(?:still|now|just|currently) )?(?:a|an) (?P<job>[^,.;!?]+)(?:[,;].*)?$", text)
    if verbless and not _VERB.search(verbless.group("job")):
        job = _job(verbless.group("job"))
        if job:
            yield Proposal(Subject.WORK, job)
    for match in matches(r"\bi drive (?P<vehicle>(?:a|an|the) (?:bus|taxi|cab|tram|lorry|truck|train|van|ambulance|"
                         r"forklift|delivery van|school bus|minicab|coach))\b", text):
        yield Proposal(Subject.WORK, f"drive {match.group('vehicle')}")
    # an employer joined, by its name: "Joined Amazon last month in HR", "I started at Deloitte in May" (never a
    # gym, a club or an app: a name, and not one of the apps people join)
    # ("the" only after "employed by": "I joined the Ramblers" is a walking club)
    for match in rx.finditer(r"\b(?:(?i:i (?:just |recently |finally )?(?:joined|started (?:at|with)|got (?:a |my )?"
                             r"(?:new )?job (?:at|with))) |(?i:i(?:'m| am) employed by) (?:the )?)"
                             r"(?P<employer>[A-Z][\w&-]*(?: [A-Z][\w&-]*){0,2})", text):
        employer = match.group("employer")
        if employer.casefold() not in _NOT_EMPLOYERS and not rx.match(r"\s+(?:as|for)\s", text[match.end():]):
            yield Proposal(Subject.WORK, f"works at {employer}")
    for match in matches(r"\bi work (?:in|for|at) (?P<place>(?:the |a |an )?[\w&-]+(?: (?!as\b)[\w&-]+){0,2})", text):
        value = object_phrase(match.group("place"))
        if rx.match(r"\s+as\s+an?\b", text[match.end():], re.I):
            continue  # "I work for the NHS as a paramedic": the job is the fact, read above
        if value and value.casefold() not in ("home", "the morning", "the evening", "night"):
            yield Proposal(Subject.WORK, f"works in {value}" if text.lower().count(" in ") else value)
    # (last, so a job it names wins over a workplace) the lot of one's job, or a generic "you" who is the user:
    # "the joys of being a welder", "when you're a baker"
    yield from found(Subject.WORK, rf"\b(?:(?:joys?|perks?|life|lot|downsides?|problem|trouble|fun) of being|"
                     rf"when you're) {ARTICLE} (?P<job>[^,.;!?]+)", text, "job", _job)
    # a trade plied at a workplace: "I bake bread at a place in town"
    for match in matches(r"^i (?P<job>(?!work\b|live\b|am\b|was\b)[a-z]+ [\w-]+(?: [\w-]+)?) at (?:a|the) "
                         r"(?:place|firm|company|garage|salon|workshop|factory|warehouse|shop|bakery) "
                         r"(?:in|near|on|down|outside)\b",
                         text):
        yield Proposal(Subject.WORK, match.group("job"))


# What people join that is no employer (an app, a network, a club of any name).
_NOT_EMPLOYERS = frozenset("twitter x instagram facebook reddit discord strava tiktok linkedin snapchat whatsapp "
                           "telegram threads bluesky mastodon duolingo slack zoom tinder hinge bumble netflix spotify "
                           "i".split())


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
    if _FORMER.match(phrase) or rx.match(r"\w+ing (?:the|a|an|my|our|his|her|their|some)\b", phrase, re.I):
        return ""  # "a retired nurse" is history; "seeing the dentist" is an errand, not a job
    if rx.match(r"(?:married|engaged|related|friends|going out) (?:to|with)\b|(?:dating|seeing)\b", phrase, re.I):
        return ""  # "I'm married to a teacher": the job is the spouse's
    if rx.match(r"(?:on|in|at|off|aboard|onto|into|by|near) (?:the|a|an|my|our)\b", phrase, re.I):
        return ""  # where one is: "I'm on the train to Glasgow" ("in sales" is a sector, read apart)
    words = object_phrase(phrase).split()
    for count in range(min(4, len(words)), 0, -1):
        if _occupation(" ".join(words[:count])):
            return " ".join(words[:count])
    return ""


def _occupation(phrase: str) -> bool:
    words = object_phrase(phrase).casefold().split()
    return bool(words) and (words[-1].rstrip("s") in OCCUPATIONS or words[-1] in OCCUPATIONS
                            or " ".join(words[-2:]) in COMPOUNDS)
