"""What the user does for a living: "I work as ...", a trade by its verb ("I teach"), an employer, a business."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from memchat.memory import patterns as rx
from memchat.memory.language import lemma
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import COMPOUNDS, OCCUPATIONS
from memchat.memory.phrasings.words import ARTICLE, I_AM, I_HAVE, NEGATION, found, matches, object_phrase
from memchat.memory.statements import EMOJI, OTHERS, RELATIONS, Clause, own_words, sentences

# A trip for work is no job: "I only go there for work" says where, not what.
_TRAVEL = re.compile(r"^(?:\w+ly |only |just )?(?:go|goes|come|travel|commute|fly|head|pop|moved|relocated)\b|"
                     r"\b(?:there|here|abroad|away|home|back|over|in|out)$", re.I)


def work(clause: Clause) -> Iterator[Proposal]:
    if clause.negated and not clause.ahead:
        # a negation in a later part of the clause denies that part only: "I fix boilers for a living and even I
        # can't figure out my own" (but "I don't fix boilers for a living" denies the work itself)
        head = _before_negation(clause.text)
        if head:
            yield from work(replace(clause, text=head, negated=False))
        return
    if clause.ahead or _FORMER_JOB.search(clause.text):
        return  # "my ex-job as a carpenter was stressful" is history
    text = clause.text
    yield from _fragment(clause)
    # "as a(n) <job>" after a word for working ("I work nights as a paramedic", "make a living as a welder"):
    # the longest start of what follows that ends in an occupation.
    yield from found(Subject.WORK, rf"\b(?:work|works|working|worked|employed|job|career|shifts?|day|days|nights|"
                     rf"life|years?|living|trained|qualified|hired|contracted|self-employed|freelance|full-time|part-time)"
                     rf"(?: (?:for|at|in) [^,.;!?]{{1,40}}?)? "
                     rf"as {ARTICLE} (?P<job>[^,.;!?]+)", text, "job", _job)
    # (its article left off, as many say it who learnt English later: "I work as electrician", "I'm working like
    # nurse"; and a family's trade, the user in its "we": "we are farmer", "we're bakers")
    yield from found(Subject.WORK, r"\b(?:i|we)(?: am| are|'m|'re)? (?:work|works|working)"
                     r"(?: (?:for|at|in) [^,.;!?]{1,40}?)? (?:as|like) "
                     r"(?P<job>(?!(?:a|an|the|my|our|if|you|he|she|they|it)\b)[^,.;!?]+)", text, "job", _job)
    yield from found(Subject.WORK, r"^(?:we're|we are|were) (?P<job>(?!(?:the|my|our|your|their|not|no)\b)[^,.;!?]+)",
                     text, "job", _job)
    # ("Receptionist at a vet clinic.": its full stop too)
    lead = rx.match(r"(?P<job>(?:[\w-]+ ){0,2}[\w-]+) (?:for|at|with|in) (?:the |a |an )?[\w -]+(?:[,;].*)?[.!]*$",
                    text, re.I)
    # (never a job done to the user or for their need: "nurse at the clinic gave me wrong dose", "lawyer for my
    # divorce, how much")
    if lead and not _VERB.search(text) and not rx.search(r"\b\w+(?:ed|ing)\b|\bat home\b", text, re.I) and not (
            _theirs(clause.sentence)) and not _done_to_me(text):
        job = _job(lead.group("job"))
        if job == lead.group("job") and not _SUBJECTS.intersection(job.casefold().split()):
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
                     rf"(?P<stance>(?:(?:{_STANCE}) )*)(?:{ARTICLE} )?(?P<job>[^,.;!?]+)", text):
        job = _job(match.group("job"))
        # (a stance makes a likeness of a job done for one's own: "i'm literally a therapist for my friends")
        if job and not (match.group("stance") and rx.match(r"\s*(?:for|to) (?:my|our|all my|the whole)\b",
                                                           match.group("job")[len(job):], re.I)):
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
    # (the "I" dropped before a bare verb, as chat drops it: "drive lorries for a living mostly overnight"; only before
    # "for a living" or "professionally": with its "I" dropped, a verb "full time" is as often a course or a move as a
    # job)
    # (never "for work", which says what a thing is done for, not what the work is: "i wake 5am for work", "I wear a
    # suit for work", "I travel a lot for work")
    for match in matches(r"(?:\bi |^(?=(?P<verb>[a-z]+) ))(?P<job>(?!work\b|live\b)[a-z]+ (?:[\w-]+ ){0,3}?[\w-]+) "
                         r"(?P<how>for a living|professionally|full[- ]time|part[- ]time)\b", text):
        verb = (match.group("verb") or "").casefold()
        if verb and match.group("how").casefold() not in ("for a living", "professionally"):
            continue
        if verb and (verb.endswith(("ing", "ed")) or (verb.endswith("s") and lemma(verb) != verb)
                     or verb in _NOT_VERBS):
            continue  # "Writing for a living...", "Nobody paints for a living": no bare verb of the user's
        if not _TRAVEL.search(match.group("job")):
            yield Proposal(Subject.WORK, match.group("job"))
    # a job named in brackets after the user's work: "I cook for a living (head chef at a small bistro)"
    for match in matches(r"^i (?:\w+ ){0,3}?(?:for a living|for work|by trade|shifts|nights|full[- ]time|part[- ]time)"
                         r"\s*\((?:a |an )?(?P<job>(?:[\w-]+ ){0,2}[\w-]+)(?: (?:at|for|with|in|on) [^()]*)?\)", text):
        if _job(match.group("job")) == match.group("job"):
            yield Proposal(Subject.WORK, match.group("job"))
    # software, made for a living: "I write software for a bank" (never for fun: "I make games in my spare time")
    for match in matches(r"\bi (?P<job>(?:write|build|develop|design|test|code|make) (?:software|code|apps|web apps|"
                         r"websites|games|firmware))(?!\s+(?!(?:for|at|in|and|but|with|so|as|now|mostly|professionally|"
                         r"full|part|on)\b)[a-z])", text):
        if not _HOBBY.search(clause.sentence):
            yield Proposal(Subject.WORK, match.group("job"))
    # ("farm" too, a trade by its verb alone: "I farm sheep"; a family's farm in the user's "we": "We farm sheep and
    # beef on the hill country")
    for match in matches(r"(?:\bi |^(?:(?:and|so|but|well) )?we (?=farm\b))"
                         r"(?P<job>(?:teach|lecture|tutor|coach|nurse|manage|run|own|farm) (?:a |an |my own |"
                     r"small |little |a little |tiny |a tiny |"
                     r"a small |an independent )*[\w-]+(?: (?!of\b)[\w-]+)?(?: of [\w-]+)?)", text):
        # (a pair cut at its joint is the first of it: "We farm sheep and beef" is "farm sheep")
        value = rx.sub(r"\s+(?:and|or|but|with|plus)$", "", object_phrase(match.group("job")), flags=re.I)
        # (teaching or coaching one's own is no job: "I teach my dog new tricks", "I coach my son's team"; and what one
        # owns is a living only when it is a business: "I own a small bakery", never "I own a Tesla")
        owned = rx.match(r"own\b", value, re.I) and not rx.search(rf"\b(?:{_BUSINESS})\b", value, re.I)
        if len(value.split()) > 1 and not rx.search(r"\b(?:myself|me|you|it|them|him|her|late|out|away)\b",
                                                 value, re.I) and not _PASTIME.search(value) and not (
                RELATIONS.intersection(w.removesuffix("'s") for w in value.casefold().split())) and not owned:
            yield Proposal(Subject.WORK, value)
    # (the kind of it too, and the job said to be in it: "my job is in civil engineering", "I'm in corporate law")
    for match in matches(rf"\b(?:{I_AM} in|i do|i work in|{I_HAVE} (?:worked|been working|been) in|"
                         rf"my (?:day |main )?(?:job|work|career) is in) "
                         rf"(?P<sector>(?:(?!(?:{_NOT_KINDS})\b)[a-z-]+ )?(?:{_SECTOR}))\b", text):
        yield Proposal(Subject.WORK, match.group("sector"))
    # (a trade's world worked with no preposition, as it is said: "i work retail", "I work security at a club"; or its
    # work opening the clause, said what it is like: "working retail during the holidays should be illegal", never
    # what it must or seems to be from outside: "working retail must be awful")
    for match in matches(rf"(?:\bi (?:\w+ly |still |just |now )?work|^working) (?P<sector>{_WORKED})\b"
                         rf"(?! (?:must|might|may|would|could|sounds|seems|looks)\b)", text):
        yield Proposal(Subject.WORK, match.group("sector"))
    # (the "I'm" left off before it, for whom or where: "in marketing for a skincare brand", "in IT at a bank")
    for match in matches(rf"^(?:(?:still|now|currently|mostly) )?in (?P<sector>(?:(?!(?:{_NOT_KINDS})\b)[a-z-]+ )?"
                         rf"(?:{_SECTOR})) (?:for|at|with) (?!(?:example|instance|beginners|dummies|kids|short|sure|"
                         rf"now|once|real|general|fact|a while|a bit)\b)[\w&]", text):
        yield Proposal(Subject.WORK, match.group("sector"))
    # a trade said to be one's living: "ranching's my living", "joinery is my trade" (never a pronoun's: "that's my
    # job", "it's my living room"; nor a chore's "job", which any household has: "cooking is my job at home")
    for match in matches(r"(?:^|[,;] (?:and |but |so )?|\band )(?P<job>(?!(?:it|that|this|which|what|there|here|he|"
                         r"she|they|his|her|who|one|mine)\b)[a-z][\w-]*(?: [a-z][\w-]*)?)(?:'s| is) my "
                         r"(?:living|livelihood|trade|profession|bread and butter)\b(?! room)", text):
        yield Proposal(Subject.WORK, match.group("job"))
    # years spent in a service or a trade's world, said as the present, the clause nothing else: "Twenty-two years in
    # the police and I'm still on shifts", "ten years in hospitality, still love it" (never ended, nor what they did:
    # "twenty years in sales before I retired", "Ten years in the army taught me discipline")
    sector = rx.match(rf"(?:{_NUMBER}|(?:twenty|thirty|forty|fifty)[- ](?:one|two|three|four|five|six|seven|eight|"
                          rf"nine|odd))\+? (?:years?|yrs) (?:in|with) (?P<sector>{_SECTOR})(?: now| and counting)?"
                          rf"(?:[.!]*$|(?:,|\s+and)\s+(?:i|i'm|im|i've|ive|still|now)\b)", text, re.I)
    if sector and not rx.search(r"\b(?:until|till|before|after) (?:i|we)\b|\b(?:retired|retiring|quit|left|gave up|"
                                r"ended|used to|did|spent|served|was|were)\b", clause.sentence, re.I) and not (
            _theirs(clause.sentence)):
        yield Proposal(Subject.WORK, sector.group("sector"))
    # a trade's own place, "my" one, where only its keeper is: "up at 3am to bake bread at my bakery", "back-to-back
    # cuts at my salon" (never a place anyone may call theirs: "my cafe", "my shop", "my studio", "my gym")
    for match in matches(r"\b(?:at|in|from|run|runs|own|owns) (?:my|our) (?:own |little |small |tiny )?"
                         r"(?P<business>bakery|salon|hair salon|nail salon|barbershop|barber shop|restaurant|bistro|"
                         r"brewery|food truck|florist|pizzeria|patisserie)\b", text):
        yield Proposal(Subject.WORK, match.group("business"))
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
    # vehicles driven as a trade, as many or by the ride-hailing app, with or without the "I": "I drive buses for the
    # council", "drive uber full time" (never one trip: "I drive the kids to school", "drove a van to Leeds")
    for match in matches(r"(?:\bi |^)(?:\w+ly )?drive (?P<vehicle>(?:buses|taxis|cabs|trams|lorries|trucks|trains|vans|"
                         r"ambulances|forklifts|coaches|minicabs|artics|hgvs|uber|lyft|bolt|ola)\b(?: (?:eats\b))?)"
                         r"(?! (?:to|into|from|back)\b)", text):
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
        after = rx.match(r"\s+as\s+(?:an?\s+)?(?P<job>[^,.;!?]+)", text[match.end():], re.I)
        if after and (after.group(0).split()[1].casefold() in ("a", "an") or _job(after.group("job"))):
            continue  # "I work for the NHS as a paramedic", "I work in restaurant as cook": the job is the fact, above
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
           r"government|the civil service|the army|the navy|the police|journalism|media|tv|film|fashion|catering|"
           # (security only as a trade, never as what it secures: "I do security at a mall", not "security updates")
           r"security(?!\s+(?!(?:at|for|in|and|but|on|with|so|as|now|mostly|nights|full|part)\b)[a-z])")
# The trades' worlds one works with no preposition: "i work retail" (never "I work it out", "I work sales figures").
_WORKED = r"retail|hospitality|construction|security|catering|logistics|healthcare|events|customer service"
# What comes before a sector that is no kind of it: "I do some marketing", "I'm in the sales team".
_NOT_KINDS = (r"my|the|a|an|his|her|our|their|your|some|any|no|all|this|that|more|less|lots|bit|love|charge|touch|"
              r"trouble|debt|bed|pain|it|its|and|or|so|too|also|still|now|currently|mostly")
# A bare verb that is no verb of the user's: "Nobody paints for a living", "People sing for a living".
_NOT_VERBS = frozenset("nobody people everyone everybody someone somebody they he she you we who folk".split())
# What is made for love, not a living: "I write code for fun".
_HOBBY = re.compile(r"\b(?:for fun|hobby|spare time|free time|on the side|for kicks|as a side)\b", re.I)


# How one is what one is, said between "I'm" and the job: "i'm literally a barista", "im lowkey a cashier at tesco",
# "I am currently a staff nurse" (never what is not yet or not quite, or only like one: "nearly", "almost", "basically",
# "kinda").
_STANCE = (r"literally|just|only|still|now|currently|actually|officially|technically|lowkey|legit|also|really|"
           r"proudly|finally|genuinely|honestly")


# A job held no longer: "a former teacher", "a retired nurse" is history, never the current work.
_FORMER = re.compile(r"^(?:a |an |the )?(?:former|retired|ex|ex-\w+|previous|one-time|onetime|erstwhile|old)\b", re.I)


def _job(phrase: str) -> str:
    """The longest start of the phrase (four words at most) that ends in an occupation: "plumber means..."."""
    phrase = phrase.strip()
    if _FORMER.match(phrase) or rx.match(r"\w+ing (?:the|a|an|my|our|his|her|their|some)\b", phrase, re.I):
        return ""  # "a retired nurse" is history; "seeing the dentist" is an errand, not a job
    if rx.match(r"\w+ing (?:as|like)\b", phrase, re.I):
        return ""  # "I am working like nurse": the job is what follows, read by the "like" rule
    if rx.match(r"(?:married|engaged|related|friends|going out) (?:to|with)\b|(?:dating|seeing)\b", phrase, re.I):
        return ""  # "I'm married to a teacher": the job is the spouse's
    if rx.match(r"(?:on|in|at|off|aboard|onto|into|by|near|to) (?:the|a|an|my|our)\b", phrase, re.I):
        return ""  # where one is or has been: "I'm on the train to Glasgow", "I've been to the GP twice"
    words = object_phrase(phrase).split()
    for count in range(min(4, len(words)), 0, -1):
        # (an occupation's word after "to" is a verb's infinitive: "anyway wat to cook with leftover rice", "learning
        # how to nurse a cold"; and one after an article is another's, the job of someone the words name: "a mother of
        # a paramedic")
        if _occupation(" ".join(words[:count])) and not (count > 1 and words[count - 2].casefold() == "to") and not (
                _DETERMINERS.intersection(word.casefold() for word in words[1:count])):
            # (a job a modal follows is a likeness, not the user's: "as a doctor would, I checked his pulse")
            if rx.match(r"\s*(?:would|could|will|might|should|does|did|do)\b", phrase[len(" ".join(words[:count])):],
                        re.I):
                return ""
            return " ".join(words[:count])
    return ""


def _occupation(phrase: str) -> bool:
    words = object_phrase(phrase).casefold().split()
    return bool(words) and (words[-1].rstrip("s") in OCCUPATIONS or words[-1] in OCCUPATIONS
                            or " ".join(words[-2:]) in COMPOUNDS)


# A negation typed without its apostrophe, as chat types it: "and still cant fix my own".
_UNMARKED_NEGATION = re.compile(r"\b(?:dont|doesnt|didnt|cant|wont|isnt|arent)\b", re.I)


def _before_negation(text: str) -> str:
    """The clause up to the part a negation is in, when an earlier part of it is free of one: "I fix boilers for a
    living and even I can't figure out my own" gives "I fix boilers for a living"."""
    found_negations = [m for m in (NEGATION.search(text), _UNMARKED_NEGATION.search(text)) if m]
    if not found_negations:
        return ""
    negation = min(found_negations, key=lambda m: m.start())
    cuts = list(rx.finditer(r",\s*|\s+(?:and|but|though|although|yet)\s+", text[:negation.start()], re.I))
    # (the negated part has a subject of its own: a hedge on the work itself denies it, "I'm a nurse, or not anymore",
    # "I'm a teacher, well technically not yet"; its apostrophe dropped as chat drops it: "and still cant fix my own")
    if not cuts or not rx.match(r"(?:(?:and|but|even|still|yet|so|then) )*(?:i|i'm|im|we|we're|my|our|it|it's|its|"
                                r"they|people|nobody|no one|everyone|everybody|he|she|you|the|that|this|"
                                r"[a-z]+ (?:don't|doesn't|never|can't|won't|isn't|aren't|dont|doesnt|cant|wont|isnt|"
                                r"arent))\b",
                                text[cuts[-1].end():], re.I):
        return ""
    return text[:cuts[-1].start()].strip()


# An occupation with no verb, opening its sentence, and what is said of it: its hours ("Lawyer, 60 hour weeks.", "nurse,
# nights mostly"), its years ("paramedic for 11 years now", "dentist, 5 years in"), a correction ("electrician, I
# mean"), a consequence ("freelance graphic designer, which means..."). What follows its comma is one of those, so an
# address is no job: "Chef, can you...", "Doctor, I have a rash", "Driver, take me home", "Waiter, another round".
_NUMBER = (r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
           r"sixty)")
_FRAGMENT = re.compile(rf"(?P<job>(?:(?!(?:for|since)\b)[\w-]+ ){{0,2}}(?!(?:for|since)\b)[\w-]+)(?:,?\s+i mean\b|"
                       rf"\s+(?:(?:for|since) )?{_NUMBER}\+? (?:years?|yrs?|months?|decades?)\b|"
                       rf",\s*(?:{_NUMBER}\+? (?:years?|yrs?|hours?|hrs?|hour|hr|days?|nights?|shifts?)\b|"
                       rf"(?:which means|meaning|so)\b|(?:\w+ )?(?:nights|days|weekends|shifts|earlies|lates|mostly|"
                       rf"mainly|part[- ]time|full[- ]time|self-employed|freelance|agency|overnight|on call|"
                       rf"long hours)\b))", re.I)
_OPENING = re.compile(r"(?:(?:yeah|yes|yep|ok|okay|so|well|and|but|um|erm|er|honestly|lol|haha|hi|hey|hello)[\s,.!]*)*",
                      re.I)
# (nor the verb a job is said with: "work as cashier at lidl" is "cashier")
_SUBJECTS = frozenset("i i'm im am we we're are is was you he she they it as like work works working".split())
_DETERMINERS = frozenset("my his her their our your the a an this that these those some any no".split())


def _fragment(clause: Clause) -> Iterator[Proposal]:
    at = clause.sentence.find(clause.text)
    if at < 0 or clause.sentence.rstrip().endswith("?"):
        return
    starts = [at] if _OPENING.fullmatch(clause.sentence[:at]) else []
    # (or after a comma in the user's own clause, which names no one else before it: "I run my own salon, hairdresser
    # 15 years", never "Went to see my dad, mechanic for 30 years")
    for comma in rx.finditer(r", ", clause.text):
        if not (RELATIONS | OTHERS).intersection(w.removesuffix("'s") for w in clause.text[:comma.start()].casefold()
                                                 .split()):
            starts.append(at + comma.end())
    for start in starts:
        yield from _fragment_at(clause, start)


def _fragment_at(clause: Clause, at: int) -> Iterator[Proposal]:
    match = _FRAGMENT.match(clause.sentence, at)
    job = match.group("job") if match else ""
    # (nor a job ended: "Nurse for 20 years until I retired")
    ended = rx.search(r"\b(?:until|till|before) (?:i|we)\b|\b(?:retired|retiring|quit|left|gave up|ended)\b",
                      clause.sentence, re.I)
    # (a subject and its verb are no part of a verbless job: "I am nurse in hospital since 5 years" is "nurse")
    if job and _job(job) == job and not (_DETERMINERS | _SUBJECTS).intersection(job.casefold().split()) and not (
            ended) and not (
            _theirs(clause.sentence)):
        yield Proposal(Subject.WORK, job)


def _done_to_me(text: str) -> bool:
    """A job someone else does to the user or for their need: "nurse at the clinic gave me...", "lawyer for my
    divorce", "chef in the video used saffron" (a past form the language knows, or "me" or "for my")."""
    words = [word.casefold() for word in rx.findall(r"[\w'-]+", text)]
    return bool({"me", "us"}.intersection(words)) or bool(rx.search(r"\b(?:for|with) (?:my|our)\b", text, re.I)) or (
        any((lemma(word) != word and not word.endswith("s")) or (word.endswith("ed") and len(word) > 4)
            for word in words)) or bool(rx.match(rf"(?:{'|'.join(_VERB_JOBS)}) for\b", text, re.I))


def _theirs(sentence: str) -> bool:
    """A verbless job said of a relative or someone else named after it: "mechanic for 10 years, my uncle"."""
    last = rx.search(r",\s*(?:my|our) (?:[\w'-]+ )?(?P<who>[\w'-]+)[.!]*$", sentence)
    return bool(last) and (last.group("who").casefold() in RELATIONS or last.group("who").casefold() in OTHERS)


# A job typed in haste with no verb at all, where a sentence opens or after one of its commas, and what is said of it
# after: its "life" ("nurse life, my feet r dead"), its years ("mechanic 15 yrs"), where or on what it is done ("chef
# at italian restaurant", "police officer on night shift", "professor of chemistry"), how it is going ("social worker
# and burned out"), or the day's matter after a comma ("pharmacist, customer asked about ibuprofen"), however the
# sentence ends: the question is the matter's, the job is the user's. An address is no job: "Chef, can you...",
# "Doctor, I have a rash", "Driver, take me home"; nor an appointment ("dentist at 3pm, nervous"), a choice ("nurse or
# doctor, which pays more?"), a search ("best plumber in Leeds, any tips") or a story's part.
_TAIL = (r"(?P<tail> life| (?:for |since )?\d+\+? ?(?:yrs?|years?)(?: now)?| (?P<prep>at|for|in|on|with|of) "
         r"(?P<where>[\w'&-]+(?: [\w'&-]+){0,5})| and (?P<then>[\w'-]+)[^,;]*)?")
_BARE = re.compile(rf"(?P<job>(?:[\w-]+ ){{0,3}}?[\w-]+){_TAIL}\s*[.!?]*", re.I)
# What opens an address's next words, or a question's: "Chef, can you...", "Doctor, my son has a fever".
_ADDRESSED = re.compile(r"(?:can|could|would|will|please|pls|plz|"
                        r"what|whats|what's|how|why|where|when|who|which|is|are|do|does|should|i|i'm|im|i've|me|my|"
                        r"we|our|you|your|u|ur|thank|thanks|thx|hi|hello|hey|or|and|vs|any|sorry|excuse|quick)\b", re.I)
# A time, which makes a job an appointment: "dentist at 3pm", "vet on monday", "doctor tmrw morning".
_WHEN = re.compile(r"\b(?:\d{1,2}(?::\d\d)? ?(?:am|pm)|today|tonight|tomorrow|tmrw|tmr|yesterday|monday|tuesday|"
                   r"wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|next|this|morning|"
                   r"afternoon|evening|noon|o'clock|appointment|appt|later|soon)\b|\bat \d", re.I)
# What a verbless job's words may not hold: whose it is, which one is sought, a choice between two.
_NOT_MINE = frozenset("my his her their our your the a an this that these those some any no best good great cheap "
                      "local nearest recommended which what who how or vs versus and dear hey hi mr mrs ms dr "
                      "fake bad rude future aspiring wannabe would-be dream find need hire every each i we you he "
                      "she it they always never usually often sometimes just also really".split())
# What a tail may not hold: someone else, or what is done to the user ("doctor at the clinic said...").
_NOT_TAIL = frozenset("said says told tells asked asks is are was were has have had wants gave gives thinks my his her "
                      "their your he she they me i i'm im because so but home".split())
# Surnames that are trades too, which open a sentence as a name: "Baker, the guy from accounts".
_SURNAMES = frozenset("baker cook mason porter hunter fisher cooper butler carter potter archer smith taylor shepherd "
                      "miller barber gardener weaver turner".split())
_STORY = re.compile(r"\b(?:story|roleplay|role-play|role play|pretend|character|poem|scene|novel|script|costume|"
                    r"halloween|game|joke)\b", re.I)


def opening(message: str) -> Iterator[Proposal]:
    """A job said with no verb where a sentence or one of its parts opens, in a question as in a statement; a job
    that frames the user's sentence, asides on one, signs the message off or is rued in a question."""
    yield from _verbless(message)
    # (an emoji inside brackets ends nothing: "(barista life 🫠)" is one aside, where `own_words` would stop it)
    own = own_words(rx.sub(r"\([^()\n]*\)", lambda m: EMOJI.sub(" ", m.group(0)), message))
    previous = ""
    for sentence in sentences(own):
        if _STORY.search(sentence):
            continue
        yield from _framing(sentence)
        yield from _aside(previous, sentence)
        previous = sentence
        yield from _life(sentence)
        yield from _rued(sentence)
    yield from _signed(own)


# "As a <job>" (or "speaking as", "in my role as") opening a sentence or a part of it whose subject is the user: the
# frame is the work, whatever the rest does (a passive, a request, a negation of something else): "As a GP in a rural
# practice I am often asked...", "As HR manager for a logistics firm I need...", "as a graphic designer i physically
# cannot look at comic sans", "As a carpenter, how do I ask for a raise?" (the clause rule reads a frame the rest of
# whose sentence is dropped with no "I"). Never one whose "I" is in the past or a supposition ("As a teacher I used
# to...", "As a nurse I'd earn more"), nor a likeness ("As a doctor would, I...").
_FRAME = re.compile(r"(?:^|[,;]\s+)(?:(?:so|well|and|but|ok|okay|honestly|basically|now)[\s,]+)*"
                    r"(?:(?:speaking|writing) |in my (?:role|capacity|position|job|work) )?as (?:a |an )?"
                    r"(?P<job>[\w-]+(?: [\w-]+){0,3}?)(?P<where> (?:in|at|for|with|on|of) [^,;.!?()]{1,60}?)?,? "
                    r"(?:(?P<asked>(?:(?:how|what|where|when|why|which)(?: [\w-]+)? )?"
                    r"(?:do|can|should|could|shall|must|"
                    r"would|am) i\b)|(?P<i>i|i'm|im|i've|ive|i'd|i'll)\s+(?P<rest>[\w'-]+(?: [\w'-]+){0,3}))", re.I)
# What the user's verb after the frame may not be: the past, or a supposition ("As a nurse I would earn more"), but for
# a request's politeness ("As a barrister I would be grateful for...").
_FRAMED_NOW = re.compile(r"(?:(?:\w+ly|often|always|still|just|also|sometimes|never|now|too|regularly|often) )*"
                         r"(?!(?:was|were|had|did|used|would|will|could|might|should|wanted|went)\b)(?P<verb>[\w'-]+)",
                         re.I)
_POLITE = re.compile(r"(?:\w+ly )?(?:like|love|appreciate|be grateful|welcome|prefer|value)\b", re.I)


def _framing(sentence: str) -> Iterator[Proposal]:
    for match in _FRAME.finditer(sentence):
        job, where = match.group("job"), match.group("where") or ""
        before = sentence[:match.start()].casefold().split()
        if _job(job) != job or _DETERMINERS.intersection(job.casefold().split()) or (
                RELATIONS | OTHERS).intersection(w.removesuffix("'s") for w in before):
            continue
        if rx.search(r"\b(?:for|with|to) (?:my|our)\b", where, re.I):
            continue  # "as a carer for my mum I...": one's own is no job
        i, rest = (match.group("i") or "").casefold(), match.group("rest")
        if match.group("asked"):  # a question of the user's own: "As a carpenter, how do I ask for a raise?"
            now = True
        elif i in ("i'd", "i'll"):
            now = bool(_POLITE.match(rest))
        else:
            verb = _FRAMED_NOW.match(rest)
            now = bool(verb) and not (verb.group("verb").casefold().endswith("ed")
                                      and lemma(verb.group("verb").casefold()) != verb.group("verb").casefold())
        if now:
            yield Proposal(Subject.WORK, job)


# A job in brackets that comments on the sentence it ends, as a rant's aside: after the sentence is over (its stop or
# an emoji, which `own_words` makes a stop), or said as a job's "life" or with a comment of its own: "if i steam one
# more oat milk i'm quitting (barista life)", "my boss wants the dashboard by friday 🙃 (data analyst, if that wasn't
# obvious)". Never a bracket that names the word before it ("the guy at the counter was rude (cashier)", "a
# documentary about a surgeon (brain surgeon, in fact)"), nor one in a sentence about the user's people ("my sister
# is exhausted (nurse life)").
_ASIDE = re.compile(r"(?P<before>[^()]*?)\s*\(\s*(?:a |an )?(?P<job>(?:[\w-]+ ){0,2}?[\w-]+)"
                    r"(?P<life> life)?(?:\s*(?:lol|lmao|haha|ngl|fr|tbh|smh|ugh|[.!]))*"
                    r"(?P<comment>,\s*[^()]+)?\s*\)[\s.!]*$", re.I)
_PERSON_WORDS = frozenset("guy man woman lady person someone somebody who friend girl boy bloke dude".split())


def _aside(previous: str, sentence: str) -> Iterator[Proposal]:
    match = _ASIDE.fullmatch(sentence.strip())
    if not match:
        return
    job, before = match.group("job"), match.group("before").rstrip()
    if not before and previous.strip():  # (the bracket after a stop or an emoji: its own sentence)
        before = previous.rstrip() if previous.rstrip().endswith((".", "!")) else f"{previous.rstrip()}."
    words = before.casefold().split()
    if _job(job) != job or (_NOT_MINE | _SUBJECTS).intersection(job.casefold().split()) or not words:
        return
    last = words[-1].strip(".,!;:")
    if last in _PERSON_WORDS | RELATIONS | OTHERS or _occupation(last) or RELATIONS.intersection(
            w.removesuffix("'s") for w in words):
        return
    comment = match.group("comment") or ""
    if (RELATIONS | OTHERS).intersection(comment.casefold().replace(",", " ").split()):
        return
    if before.endswith((".", "!")) or match.group("life") or comment:
        yield Proposal(Subject.WORK, job)


# "<job> life" opening a sentence, and what it means or is: "paralegal life means reading 300 pages before lunch",
# "line cook life = burns on both arms" (never asked about: "what is nurse life like?"; nor where it is lived: "student
# life in Leeds is expensive", which anyone may say).
_LIFE = re.compile(r"(?P<job>(?:[\w-]+ ){0,2}[\w-]+) life\s*(?:=|:|->|>|\bmeans\b|\bis\b|\bbe like\b|\bhits\b|"
                   r"\bhas\b|\bain't\b|\bisn't\b|\bisnt\b|\bgot\b|\bin a nutshell\b)", re.I)


def _life(sentence: str) -> Iterator[Proposal]:
    text = sentence.strip()
    text = text[_LEAD.match(text).end():]
    match = _LIFE.match(text)
    if not match or text.endswith("?"):
        return
    job = match.group("job")
    words = job.casefold().split()
    # (a student's life is a topic anyone talks of: "student life is so expensive")
    if _job(job) == job and not (_NOT_MINE | _SUBJECTS | RELATIONS | {"student", "students"}).intersection(words):
        yield Proposal(Subject.WORK, job)


# A rueful question about the change that made the user what they are: "why did i become a teacher 😭", "why on earth
# did I train as a lawyer" (never a wish, or someone else's: "why did i want to be a vet", "why did my son become...").
_RUED = re.compile(r"\bwhy (?:on earth |the hell |tf |oh why )?did i (?:ever |even )?(?:become|train as|train to be|"
                   r"qualify as|choose to be|decide to be|sign up to be) (?:a |an )?(?P<job>[^,.;!?()]+)", re.I)


def _rued(sentence: str) -> Iterator[Proposal]:
    for match in _RUED.finditer(sentence):
        job = _job(match.group("job"))
        if job and not _DETERMINERS.intersection(job.casefold().split()):
            yield Proposal(Subject.WORK, job)


# A letter's sign-off at the message's end, a name and then a job title: "Kind regards, Dr. Amara Okafor,
# Veterinarian", "Best wishes,\nTom Hale\nChartered Surveyor". Never a sign-off that only thanks a job ("Thanks,
# nurse"), nor one the message asks to be written ("...signed: Yours sincerely, A. Patient, Nurse").
_SIGN_OFF = re.compile(r"(?:^|[.!?\n]\s*)(?:(?:(?:kind|warm|warmest|best|many|with) )?(?:regards|wishes|thanks)|"
                       r"(?:yours )?(?:sincerely|faithfully|truly)|thank you|best|cheers)", re.I)


def _signed(own: str) -> Iterator[Proposal]:
    offs = [m for m in _SIGN_OFF.finditer(own) if rx.match(r"\s*[,\n]", own[m.end():])]
    if not offs:
        return
    off = offs[-1]
    if rx.search(r"(?::\s*$|\b(?:sign|signed|signing|ending|end it|end with|close with|closing)\b)",
                 own[:off.start()], re.I):
        return
    parts = [part.strip(" .") for part in rx.split(r"[,\n]", own[off.end():]) if part.strip(" .")]
    if len(parts) < 2 or len(parts) > 4 or _occupation(parts[0]) or not parts[0][:1].isupper():
        return  # (the first part names the user)
    for part in parts[1:]:
        if _job(part) == part and not (_DETERMINERS | _SUBJECTS).intersection(part.casefold().split()):
            yield Proposal(Subject.WORK, part)
            return


def _verbless(message: str) -> Iterator[Proposal]:
    for sentence in sentences(own_words(message)):
        if _STORY.search(sentence) or _theirs(sentence):
            continue  # (nor a job whose owner is named after it: "mechanic for 10 years, my uncle")
        parts = rx.split(r"\s*[,;:]\s*|\s+[-\u2013\u2014]\s+", sentence.strip())
        for index, part in enumerate(parts):
            # (never after someone else is named: "my dad, mechanic 30 years")
            if (RELATIONS | OTHERS).intersection(w.removesuffix("'s") for w in " ".join(parts[:index]).casefold()
                                                 .split()):
                break
            part = part[_LEAD.match(part).end():].strip()
            later = parts[index + 1] if index + 1 < len(parts) else ""
            job = _bare(part, later)
            if job:
                yield Proposal(Subject.WORK, job)
                return


def _bare(part: str, later: str) -> str:
    """The job a verbless part of a sentence is, given what follows it; empty when it is none."""
    match = _BARE.fullmatch(part)
    if not match or part.rstrip().endswith("?"):
        return ""
    job, words = match.group("job"), match.group("job").casefold().split()
    if _job(job) != job or (_NOT_MINE | _SUBJECTS).intersection(words) or not (
            words[-1] in OCCUPATIONS or " ".join(words[-2:]) in COMPOUNDS):
        return ""
    if len(words) == 1 and words[0] in _SURNAMES and job[0].isupper():
        return ""
    if rx.search(r"\b(?:until|till|before) (?:i|we)\b|\b(?:retired|retiring|quit|left|gave up|ended|used to)\b",
                 f"{part} {later}", re.I):
        return ""  # "mechanic 30 yrs, retired now"
    where = match.group("where") or ""
    if where and (_done_to_me(where) or (
            match.group("prep").casefold() == "of" and rx.match(r"(?:the|this|that|a|an|our|my)\b", where, re.I)) or (
            match.group("prep").casefold() == "for" and words[-1] in _VERB_JOBS) or _WHEN.search(
            match.group("where")) or _NOT_TAIL.intersection(
            match.group("where").casefold().split()) or RELATIONS.intersection(match.group("where").casefold().split())
            or (match.group("prep").casefold() in ("for", "with") and rx.search(r"\b(?:my|our)\b", match.group(
                "where"), re.I))):
        return ""
    then = (match.group("then") or "").casefold()
    if then and (then in _NOT_MINE or then in _ADDRESSED_WORDS or _job(then) or then in RELATIONS):
        return ""
    # (whose the job is, asked, or a short question of it: "architect of the building, who was it", "personal
    # trainer, worth it?", "Waiter, the bill please")
    short = not match.group("tail") and len(later.split()) <= 4
    if rx.match(r"(?:who|whose|worth)\b", later, re.I) or (short and rx.search(r"\?|\b(?:please|pls|plz)\b", later,
                                                                                re.I)):
        return ""
    if not match.group("tail"):
        # (a job alone before a comma: the next part must say the day's matter, not address the job or ask)
        first = later.split()[0] if later.split() else ""
        if not first or _ADDRESSED.fullmatch(first) or _ORDER.match(later) or _job(later) or _WHEN.match(later):
            return ""
    return job


# The jobs whose word is a verb too, which "for" makes the verb: "cook for 6 people, ideas?".
_VERB_JOBS = frozenset("cook coach guide host judge model nurse tutor clean cater drive".split())
_ADDRESSED_WORDS = frozenset("i i'm im me you your u he she they his her their".split())
# What may open a sentence before its verbless job: "ok so nurse life".
_LEAD = re.compile(r"(?:(?:yeah|yes|yep|ok|okay|so|well|and|but|um|erm|er|honestly|lol|haha|hi|hey|hello)\b[\s,.!]*)*",
                   re.I)
# An order to the assistant with the user in it, which the job before it addresses: "Driver, take me home".
_ORDER = re.compile(r"(?:tell|give|take|bring|get|show|let|write|make|help|find|send|book) (?:me|us|my|our)\b", re.I)
