"""Where the user lives: "I live in ...", "moved to ...", "been in ... since", a home as a sentence's subject."""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import NEGATION, PLACE, matches, object_phrase
from memchat.memory.statements import Clause


def home(clause: Clause) -> Iterator[Proposal]:
    text = clause.text
    place = rf"(?P<place>{PLACE})"
    if clause.negated and not clause.ahead:
        # what is near the user, negated after it, is no denial of the home: "The bins round ours in Ghent never get
        # emptied"
        for match in rx.finditer(rf"\b(?i:{NEAR_ME}) (?i:in) {place}", text):
            if not NEGATION.search(text[:match.start()]):
                yield Proposal(Subject.HOME, _place(match.group("place")))
        return
    if clause.ahead:
        return  # ("I'm moving to Leeds in June", "staying in Leeds for a conference": no home yet)
    if STAY.search(text) and not LIVE.search(text):
        return  # a stay, in someone else's home or away from one's own: "I'm house-sitting in Brighton"
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
        rf"\b{place}-(?i:based)\b",
        # a fragment that says only where one is based: "Leeds based, originally from Cork"
        rf"^{place} (?i:based)(?=\s*[,.!;]|\s*$| (?i:now|here|these days|btw|originally)\b)",
        rf"\b(?i:i'm|im|i am|we're|we are) (?i:down|up|over|out) (?i:in) {place}",
        rf"\b{place} (?i:resident|local)\b",
        rf"\b{place} (?i:{NATIVE})",
        # one's dwelling by its kind or tenancy, roots put down, the distance from the centre: "I've got a one-bed in
        # Leeds", "flatsharing in Cork", "We put down roots in Ghent", "I'm ten minutes from the centre of Porto"
        rf"\b(?i:{HOME_FRAME}) {place}",
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
        rf"\b(?i:writing|messaging) (?i:to you )?(?i:from) {place}",
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
    )
    done = rx.match(r"(?:moving|relocating|the move)\b[^,;]* (?:was|has been)\b", text, re.I)  # a move looked back on
    ahead = rx.search(r"\b(?:(?<!since )(?<!after )(?<!before )moving|will|'ll|going to|next(?! door)|soon|plan)\b",
                      text, re.I)
    if ahead and not done:
        return  # "I'm moving to Leeds in June" is a plan
    for pattern in patterns:
        for match in rx.finditer(pattern, text):
            yield Proposal(Subject.HOME, _place(match.group("place")))
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
            # (nor past its date: "moved here to porto in 2019")
            place_words = rx.split(r"\s+(?:theres|there's|there|is|has|have|its|it's|everything|nothing|we|i|"
                                   r"in \d{4}|since|last)\b",
                                   object_phrase(match.group("place")))[0]
            if place_words.split()[0] not in _NOT_PLACES:  # "moved in april" dates the move
                yield Proposal(Subject.HOME, place_words)
        based = rx.match(r"^(?P<place>[a-z][\w' ]{1,30}?)[- ]based(?=\s*[,.!;]|\s*$| (?:now|here|these days|btw|"
                         rf"originally)\b)|^(?P<native>[a-z][\w' ]{{1,30}}?) {NATIVE}", text)
        based = based and (based.group("place") or based.group("native"))  # "porto born and bred, still here"
        if based and based.split()[0] not in _NOT_PLACES:  # "tampere based, originally from porto"
            yield Proposal(Subject.HOME, based)


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
LIVE = re.compile(r"\b(?:i|we) (?:still |now |actually )?(?:live|lived|'ve lived|have lived)\b", re.I)


# Where one is, then how long one has been there, past a dash or a comma: "I'm in Porto - have been since 2019".
SINCE = re.compile(r"\b(?:i'm|im|i am|we're|we are) in (?P<place>[\w' -]{2,30}?)\s*[-\u2013\u2014,]\s*(?:(?:and |i've |"
                   r"we've |i have |we have |have )?been (?:here |there )?(?:since|for)\b)", re.I)


_HOME_WORDS = frozenset("live home flat house apartment settle reside resident local neighbourhood neighborhood "
                        "council "
                        "cottage rent hometown terrace bungalow commute".split())


_NOT_PLACES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                        "june july august september october november december christmas easter".split())


# Those who come with a home: "My landlord in Nantes won't fix the heating" places the user's home.
_HOUSEHOLD = re.compile(rf"^(?i:my|our) (?i:landlord|landlady|letting agent|neighbours?|neighbors?|flatmates?|"
                        rf"housemates?) (?i:in|here in) (?P<place>{PLACE})|\b(?i:{NEAR_ME}) (?i:in) (?P<near>{PLACE})")


def household(clause: Clause) -> Iterator[Proposal]:
    """A home placed by someone who comes with it (read from their clause, which is about them)."""
    match = _HOUSEHOLD.search(clause.text)
    if match:  # (or what is near the user there: "New people moved in next door to us in Cork")
        yield Proposal(Subject.HOME, _place(match.group("place") or match.group("near")))


def _place(place: str) -> str:
    return rx.split(r"\s+(?:In|For|Since|With|And|At|On)\b", place)[0]
