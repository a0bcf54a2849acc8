"""What the user is making or learning now: "building a shed", "learning Japanese", "doing up the attic"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.language import roots
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import I_AM, I_HAVE, WE_ARE, found, matches, object_phrase
from memchat.memory.statements import OTHERS, RELATIONS, Clause


def project(clause: Clause) -> Iterator[Proposal]:
    """What the user is making or learning, as the clause says it; never a thing done in a sitting (see `_moment`)."""
    for proposal in _project(clause):
        if not _moment(proposal.value, clause.sentence):
            yield proposal


# A making that lasts a sitting is no project: one done for tonight or tomorrow ("practising my presentation for
# tomorrow", "studying for a quiz tomorrow", "building a fire in the garden tonight"), a thing written or made in
# minutes ("a thank-you card", "my nails"), or learning "a lot" from something.
# ("today" and "right now" are not enough: "Made good progress on a shed today", "Deep into my revision right now")
_TODAY = re.compile(r"\b(?:tonight|tomorrow|this (?:morning|afternoon|evening)|later today|while (?:i|we) wait)\b",
                    re.I)
_SITTING = re.compile(r"\b(?:card|cards|email|emails|letter|note|message|text|reply|post|comment|list|fire|tea|coffee|"
                      r"dinner|lunch|breakfast|supper|snack|nails|bed|cake|cupcakes|pie|meal|sandwich|pizza|soup|salad|"
                      # ("learning a lot", never "building a little budgeting app": a little thing is a thing)
                      r"playlist)$|^(?:\w+ )?(?:a lot|a bit|a little)\b(?! (?!(?:from|about|more|of|at|on|with|every|"
                      r"each|by)\b)[a-z])", re.I)


def _moment(value: str, sentence: str) -> bool:
    return bool(_TODAY.search(sentence) or _SITTING.search(object_phrase(value) or value))


# The user with someone else, as the subject of a making they share: "me and my brother building a treehouse", "my
# flatmate and I are starting a zine".
WITH_ME = r"(?:(?:me and (?:my |our |a |an )?[\w'-]+|(?:my |our )?[\w'-]+ and (?:i|me))(?: are| r)?)"
# What is made as a work, named without its article as chat drops it: "making small mobile game in unity", "building
# website for my shop" (a venture or a long work too: "starting youtube channel").
_WORK = (r"(?:app|game|mobile game|video game|website|site|web app|plugin|bot|extension|chatbot|font|zine|comic|"
         r"album|ep)")


def _project(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    verbs = (r"building|writing|knitting|sewing|renovating|restoring|learning|studying for|studying|training for|"
             r"working on|putting together|developing|designing|painting|coding|teaching myself|making|crocheting|"
             r"refurbishing|converting|planting|composing|recording|researching|practising|practicing|doing up|"
             r"fixing up|trying to learn|preparing for|started writing|started building|started learning|"
             r"trying to finish|finishing|trying to build|trying to write|setting up|launching|starting up|writting|"
             r"working towards|working toward|piecing together|prepping for|logging miles for|"
             # (a skill made good again: "polishing up my German before the move")
             r"brushing up on|brushing up|polishing up on|polishing up")
    obj = r"(?P<obj>[^,.;!?]+)"
    for match in matches(rf"(?:^|\b(?:{I_AM}|{I_HAVE}|{WE_ARE}|{WITH_ME}|i|we|been|currently|still|finally|slowly|busy|"
                         rf"started|just started|begun|in the middle of|halfway through|"
                         # hours given to it: "stayed up finishing a shed"
                         rf"stayed up|stayed up late|up late|up all night)\s+)(?P<verb>{verbs}) "
                         rf"{obj}", text):
        verb, value = match.group("verb").casefold(), _object(match.group("obj"))
        if not value or rx.match(r"(?:from|about|that|it|you|this|a lot|hard|out|is|are|was|were|has|will|what|how|"
                                 r"against|why|where|when|who)\b",
                                 value, re.I):
            continue  # ("The shed I'm building is nearly done": what follows the verb is the sentence's own verb)
        if rx.match(_RESOLVE, value, re.I):
            continue  # ("building my confidence": a resolve, nothing made)
        # ("teaching myself to crochet" is learning it, as "learning to crochet" is)
        if value.casefold().startswith("to ") and verb not in ("learning", "trying to learn", "started learning",
                                                                "teaching myself"):
            continue
        if verb == "making" and not rx.search(r"\b(?:own|a|an)\b", value) and not rx.match(
                rf"(?:[\w'-]+ ){{0,3}}?(?:{_WORK}|{_VENTURE}|{_LONG_WORK})s?\b", value, re.I) and not _SOLD.search(
                match.group("obj")):
            continue  # ("making money", "making friends"; but "making website for my shop", "making soap to sell")
        verb = rx.sub(r"^(?:started|trying to) ", "", verb).replace("trying to finish", "finishing")
        yield Proposal(Subject.PROJECT, f"{verb} {value}")
    # Any making verb tried, by its lemma, with its thing: "trying to crochet a blanket", "trying to upholster an old
    # armchair" (never an errand, a sitting or a resolve: "trying to fix my bike", "trying to make a decision")
    for match in matches(rf"(?:^|\b(?:{I_AM}|{WE_ARE}|{WITH_ME}|i|we|been|still|currently|just|really|finally)\s+)"
                         rf"(?:still |really |finally )?trying to (?P<verb>[a-z]+) "
                         rf"(?P<obj>(?:a|an|my|our|some) [^,.;!?]+)", text):
        verb, value = match.group("verb").casefold(), _object(match.group("obj"))
        if roots(verb) & _TRIED and value and not rx.match(_RESOLVE, value, re.I) and not rx.search(_NOT_MADE, value,
                                                                                                      re.I):
            yield Proposal(Subject.PROJECT, f"{verb} {value}")
    # A venture of words or voices one runs or hosts, alone or with someone: "Me and a mate run a small podcast about
    # non-league football", "I host a radio show" (a trade's premises run are a work: "I run a bakery").
    for match in matches(rf"(?:^(?=co-)|\b(?:{I_AM}|{WE_ARE}|{WITH_ME}|i|we|also|still|now)\s+)(?:also |still |now )?"
                         rf"(?P<verb>run|running|host|hosting|co-host|co-hosting|co-run|co-running) "
                         rf"(?P<obj>(?:a|an|my|our) (?:[\w'-]+ ){{0,3}}?{_VOICED}s?\b[^,.;!?]*)", text):
        value = object_phrase(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {value}")
    # The thing first, then the user making it, as a clause that describes it: "The shed I'm building is nearly done"
    described = rx.match(rf"^(?P<obj>(?:the|my|our|this) [\w' -]{{2,30}}?) (?:(?:that|which) )?(?:{I_AM}|{I_HAVE} been|"
                         rf"{WE_ARE}|i|we) (?:currently |still |slowly )?(?P<verb>{verbs})(?= (?:is|are|has|'s)\b|$)",
                         text, re.I)
    if described:
        thing = described.group("obj")
        yield Proposal(Subject.PROJECT, f"{described.group('verb').casefold()} {thing[0].lower()}{thing[1:]}")
    # Any other making or learning verb, by its lemma ("rebuilding" is "build" done again, "brewing" "brew"),
    # when what follows is a thing ("a motorbike", "my own beer"): "I'm in the process of rebuilding a motorbike".
    for match in matches(rf"(?:^|\b(?:{I_AM}|{I_HAVE} been|{WE_ARE}|been|currently|still|finally|slowly|busy|"
                         rf"in the process of|in the middle of|halfway through|way through)\s+)"
                         rf"(?P<verb>(?:re-)?[a-z]+ing) "
                         rf"(?P<obj>(?:a|an|my|our|the|some) [^,.;!?]+)", text):
        verb, value = match.group("verb").casefold(), _object(match.group("obj"))
        if _making(verb) and len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, f"{verb} {value}")
    for match in matches(r"\b(?:taking|doing|having|started|starting|signed up for|signed up to|enrolled in|"
                         r"enrolled on|enrolled onto|booked|booked onto|booked on) "
                         r"(?:a |an |some )?"
                         r"(?P<value>(?!(?:a|an|the|my|some|few|new|online|night|evening|morning|weekly|day|"
                         r"weekend|short|free|local)\b)[a-z]+(?: [a-z]+)? "
                         r"(?:lessons|classes|class|course))\b", text):
        yield Proposal(Subject.PROJECT, match.group("value"))  # "I'm taking piano lessons"
    for match in matches(r"\b(?:doing|studying for|working on|taking|started|starting|halfway through) (?:a |an |my )?"
                         r"(?P<value>(?:msc|ma|ba|bsc|phd|mba|masters|master's|bachelor's|doctorate|degree|diploma|"
                         r"certificate|apprenticeship|pgce|nvq|a-levels|gcses) (?:in|on) [^,.;!?]+)", text):
        yield Proposal(Subject.PROJECT, object_phrase(match.group("value")))
    for match in matches(r"\b(?:taking|doing|started|starting|on|enrolled in|signed up for) (?:a |an )?(?:\w+ )?"
                         r"(?P<kind>course|class|classes|lessons|degree|diploma|apprenticeship) (?:in|on) "
                         r"(?P<obj>[^,.;!?]+)", text):
        value = object_phrase(rx.split(r"\s+and\s+", match.group("obj"), maxsplit=1)[0])  # "...and loving it"
        if value:
            yield Proposal(Subject.PROJECT, f"{match.group('kind').casefold()} in {value}")
    # a day given to working on it: "Spent all of Saturday sanding an old Vespa"
    yield from found(Subject.PROJECT, r"^(?:i |we )?spen[dt] (?:all of |the whole of |most of |all )?(?:the |my |our )?"
                     r"(?:\w+ ){0,2}?[a-z]+ing (?P<obj>(?:a|an|my|our) [^,.;!?]+)", text, "obj", object_phrase)
    for match in matches(rf"(?:\b(?:{I_HAVE}|i|we) |^(?:finally |just |recently )?)(?:just |recently |finally )?"
                         rf"(?:started|begun|began) (?P<obj>(?:a|an|my|our) "
                         rf"[^,.;!?]+)", text):
        value = object_phrase(match.group("obj"))
        if len(value.split()) > 1:
            yield Proposal(Subject.PROJECT, value)
    # In the middle of a thing, or the thing coming along: "halfway through a kitchen renovation", "my novel is
    # coming along".
    # A class one is in, and what one is working through: "for my woodwork class", "working my way through..."
    for match in matches(r"\bmy (?P<value>(?!(?:next|last|first|old|new|online|evening|morning)\b)[a-z]+(?: [a-z]+)? "
                         r"(?:class|course|lessons|apprenticeship|diploma|degree))\b", text):
        yield Proposal(Subject.PROJECT, match.group("value"))
    # a part of it done, time given to it, lessons in it: "Finally finished chapter one of my memoir!"
    for pattern in (rf"\bchapter \w+ of {obj}", rf"\bon (?:the )?(?:last|final|next|first) chapter of {obj}",
                    rf"\b\w+ {HOW_FAR_IN} {obj}",
                    rf"^(?:an? |quick |progress )*(?:update|report) on {obj}(?=:)",
                    rf"\bspen[dt] (?:the|my|all|every|most) (?:\w+ )?(?:weekend|evening|day|morning|week|night)s? "
                    rf"on {obj}"
                    rf"(?=.*\b(?:nearly|almost|half|mostly|finally) (?:done|finished|there)\b)",
                    # (a subject named, never the user's own clause: "I have been taking classes twice a week")
                    rf"^(?!(?:i|we|i've|we've|i'm|we're|been|have|taking|doing|going to|attending)\b)"
                    rf"(?![^,.;!?]*\b(?:taking|doing|attending|having|been)$){obj} (?:lessons|classes) "
                    rf"(?:twice|once|three times|every|each|on)\b"):
        for match in matches(pattern, clause.sentence if "spen" in pattern else text):
            value = object_phrase(rx.split(r"\s+and\s+", match.group("obj"), maxsplit=1)[0])  # "...novel and stuck"
            if value:
                yield Proposal(Subject.PROJECT, value)
    for match in matches(rf"^(?:almost|nearly|finally|just about|halfway) (?:done|finished|through) [a-z]+ing {obj}",
                         text):
        value = object_phrase(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, value)  # "Almost done knitting a blanket!"
    deep = rf"(?:deep|{BODY_DEEP}|up to my (?:eyes|neck))"
    # "Deep into my exam revision right now"
    yield from found(Subject.PROJECT, rf"^(?:{I_AM} |{WE_ARE} )?{deep} in(?:to)? {obj}", text, "obj", object_phrase)
    for match in matches(r"\b(?:trying|hoping|aiming|working|racing|rushing|need) to (?:get|have) "
                         r"(?P<obj>(?:a|an|my|our|the) [\w' -]{2,40}?) (?:launched|finished|built|done|published|"
                         r"released|off the ground|up and running|ready|live)\b", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))  # "Trying to get my app launched before summer"
    # a thing slogged through, getting somewhere with, or learnt on an app: "Grinding through the bar exam revision",
    # "slowly getting there with a garden shed", "doing japanese on duolingo every morning"
    for match in matches(rf"\b(?:grinding|slogging|ploughing|plowing|powering|wading) (?:my way )?through {obj}|"
                         rf"\bgetting (?:there|somewhere) with (?P<made>(?:a|an|my|our) [^,.;!?]+)", text):
        value = object_phrase(match.group("obj") or match.group("made"))
        words = set(rx.findall(r"[\w'-]+", value.casefold()))
        if value and not rx.search(_NOT_MADE + r"|\b(?:paperwork|admin|emails?|inbox|traffic|it|this|that)$", value,
                                   re.I) and not words & _PEOPLE:
            yield Proposal(Subject.PROJECT, value)
    # a goal worked at, its progress counted both ways: "trying to lose weight, 8kg down 5 to go", "aiming to read 40
    # books this year, 12 done 28 left"
    yield from found(Subject.PROJECT, rf"^(?:{I_AM} )?(?:trying|working|aiming|hoping) to (?P<obj>(?!(?:get|find|"
                     r"figure|work|decide|understand|sleep|remember|stay|be|keep|make sense)\b)[\w' -]{2,40}?),? "
                     r"\d+\s?[a-z]{0,6} (?:down|done|lost|in|gone),? (?:\d+\s?[a-z]{0,6} )?(?:to go|left)\b", text,
                     "obj", object_phrase)
    # (the app named first: "doing Duolingo Spanish every night"; never "doing duolingo every night")
    yield from found(Subject.PROJECT, r"\b(?:doing|on|my) (?:duolingo|babbel|memrise|busuu|pimsleur) "
                     r"(?P<obj>(?!(?:every|each|at|on|in|for|again|daily|lessons?|streak|and|with|before|after|while|"
                     r"now|today|since|is|app|too|lol)\b)[a-z]+)(?= |$|[,.;!?])", text, "obj", object_phrase)
    # one more of a thing made by a craft, counted: "on my fourth crochet blanket this year", "my 3rd knitted jumper"
    for match in matches(r"\b(?:on|starting|started|finishing|finished) (?:my|our) (?:second|third|fourth|fifth|sixth|"
                         r"seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)) (?P<obj>[\w' -]{2,30}?)(?=\s*$|\s*[,.;!?]| "
                         r"(?:this|of|and|now|already|since|for|in|so)\b)", text):
        if any(_making(word) or roots(word) & PROJECT_LEMMAS for word in match.group("obj").casefold().split()):
            yield Proposal(Subject.PROJECT, match.group("obj"))
    # training or revision named with its toll: "ironman training is eating my life", "bar exam prep is consuming me"
    for match in matches(r"^(?:my |our )?(?P<obj>[\w' -]{2,25}? (?:training|prep|revision)) (?:is|are|'s) (?:\w+ )?"
                         r"(?:eating|taking over|consuming|swallowing|ruling|killing)\b", text):
        if not rx.search(_NOT_MADE + r"|^(?:the|this|that|work|staff|mandatory|sleep|potty)\b", match.group("obj"),
                         re.I):
            yield Proposal(Subject.PROJECT, match.group("obj"))
    # a programme followed, counted in weeks, and a thing made again and again that comes out wrong: "doing couch to
    # 5k, week 4 now", "my bagels keep turning out dense"
    yield from found(Subject.PROJECT, r"^(?:{I_AM} )?doing (?P<obj>(?!(?:the|my|it|this|that|nothing|well|ok|okay|"
                     r"fine|good|great)\b)[\w' -]{2,30}?),? (?:on |now on |in )?(?:week|day|month) \d+\b".replace(
                         "{I_AM}", I_AM), text, "obj", object_phrase)
    for match in matches(r"^(?:my|our) (?P<obj>[\w' -]{2,20}?) (?:keeps?|still|always) (?:coming|comes|turning|turns) "
                         r"out (?:too |so |really |all |completely |a bit |kind of |kinda )?(?:flat|dense|gummy|raw|"
                         r"burnt|burned|dry|soggy|lopsided|wonky|wrong|cracked|bitter|sour|runny|hard|tough|stodgy|"
                         r"crooked|uneven|lumpy|sticky|like|as)\b", text):
        words = set(match.group("obj").casefold().split())
        if not words & (_PEOPLE | {"hair", "teeth", "tooth", "rash", "skin", "nose", "eye", "eyes", "period"}):
            yield Proposal(Subject.PROJECT, match.group("obj"))
    yield from found(Subject.PROJECT, r"\b(?:doing|learning|practising|practicing|studying) (?P<obj>[\w ]{2,20}?) on "
                     r"(?:duolingo|babbel|memrise|busuu|drops|pimsleur|rosetta stone)\b", text, "obj", object_phrase)
    yield from found(Subject.PROJECT, rf"\b(?:working|work|worked|ploughing|plowing) (?:my|our) way through {obj}",
                     text, "obj", object_phrase)
    # Taking something up, having a go at it, having it on the go, or one's evenings going into it.
    for match in matches(rf"\b(?:(?:{I_HAVE}|i|we|just|recently) (?:just |recently )?(?P<took>taken|took|picked) up|"
                         rf"^(?:just |recently )?(?P<began>picked|took) up|"
                         rf"(?:having|had|have) a (?:go|crack|stab) at|"
                         rf"(?:my|our) (?:evenings|weekends|nights|spare time|free time|mornings) "
                         rf"(?:go|goes|are going) "
                         rf"into|(?:started|starting|begun|began) on) {obj}", text):
        value = object_phrase(match.group("obj"))
        picked = "picked" in (str(match.group("took")).casefold(), str(match.group("began")).casefold())
        if value and not rx.match(r"(?:it|that|this|them|the idea|you)\b", value, re.I) and not (
                picked and _fetched(match.group("obj"), clause.sentence)):
            yield Proposal(Subject.PROJECT, value)
    for match in matches(r"\b(?:get|getting) (?P<obj>(?:a|an|my|our|the) [^,.;!?]+?) (?:finished|done|built|painted|"
                         r"sorted|fixed|restored|written|ready|up and running)\b", text):
        if not match.group("obj").casefold().startswith("the "):  # "get the boiler fixed" is an errand
            yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in matches(rf"^(?:{I_HAVE} |i |we )?(?:got|have) (?P<obj>(?:a|an|my|our|the|two|some) [^,.;!?]+?) "
                         rf"(?:on the go|half (?:built|done|finished|painted|written|made|knitted|sewn))\b", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in matches(r"\b(?:in the middle of|halfway through|midway through|busy with|deep into|nearly done with|"
                         r"(?:making|made) (?:good |great |some |slow |steady |real )?progress (?:on|with)|"
                         r"in training for|(?:i'm|im|i am|we're) training for|"
                         r"almost done with|almost finished with|finishing off|plugging away at|chipping away at|"
                         # the last part of the way: "On the home stretch with a kayak now"
                         r"on the (?:home|final|last) (?:stretch|straight|leg) (?:with|of)) "
                         r"(?P<obj>(?:a|an|my|our|the) [^,.;!?]+)", text):
        value = object_phrase(match.group("obj"))
        if len(value.split()) > 1 and not rx.search(_NOT_MADE, value, re.I):
            yield Proposal(Subject.PROJECT, value)
    for match in matches(r"^(?P<obj>(?:my|our|the) [\w' -]{2,40}?) (?:is|are|'s) (?:slowly |finally |really )?"
                         r"(?:coming along|nearly done|almost done|almost finished|nearly finished|taking shape|"
                         r"progressing|going well)",
                         text):
        if not rx.search(r"\b(?:i'm|im|i am|we're|i've|i|we|that|which)\b", match.group("obj"), re.I):
            yield Proposal(Subject.PROJECT, match.group("obj"))  # (what the user is making is read above)
    # the thing named as one's project: "My treehouse project is taking forever"
    for match in matches(r"^(?:my|our) (?P<obj>(?!(?:side|big|current|latest|pet|passion|new|main|last|old|next|work|"
                         r"school|group|team|class|final|uni|college)\b)[\w' -]{2,30}?) project\b", text):
        yield Proposal(Subject.PROJECT, f"{match.group('obj')} project")
    # at work on a thing, and far along: "Been at a garden shed all weekend, nearly there"
    for match in matches(rf"^(?:{I_HAVE} |i've |i |we )?been at (?P<obj>(?:a|an|my|our|the) [^,.;!?]+)", text):
        if rx.search(r"\b(?:nearly|almost|half|mostly|finally) (?:done|finished|there)\b", clause.sentence, re.I):
            value = object_phrase(match.group("obj"))
            if value and not rx.search(r"\b(?:desk|work|office|computer|laptop|home|gym|pub|party|hospital|school)$",
                                       value, re.I):
                yield Proposal(Subject.PROJECT, value)
    # progress reported under the thing's name: "birdhouse update: walls are up, roof next" (never "Life update: ...")
    for match in matches(r"^(?:the |my |our )?(?P<obj>[\w' -]{2,30}?) (?:update|progress report)\s*:(?P<news>.*)$",
                         clause.sentence):
        thing = match.group("obj")
        unmade = rx.search(_NOT_MADE + "|" + _NOT_UPDATED, thing, re.I)
        if rx.search(_PROGRESS, match.group("news"), re.I) and not unmade and (
                thing.split()[-1].casefold() not in RELATIONS):  # ("Kid update: Ben is in bed")
            yield Proposal(Subject.PROJECT, thing)
    # practice or study that tells, and the last part left of a making: "My piano practice is finally paying off",
    # "Only the epilogue left to write for my memoir!"
    for match in matches(r"^(?:my|our) (?P<obj>[\w' -]{2,20}?) (?:practice|practise|practising|practicing|revision|"
                         r"training|lessons) (?:is|are) (?:finally |really |slowly )?(?:paying off|getting somewhere|"
                         r"going well|coming along)\b", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    for match in matches(rf"^(?:only|just) (?:the|a|one|two|three) [\w -]{{2,20}}? (?:left|to go)(?: to \w+)? "
                         rf"(?:for|on|in|of) {obj}", text):
        value = object_phrase(match.group("obj"))
        if value and not rx.search(_NOT_MADE, value, re.I):
            yield Proposal(Subject.PROJECT, value)
    # a stretch of one's evenings given to it, and a thing taken up again by a pronoun after a making verb: "My
    # evenings this month are all about the cello", "The birdhouse is in bits while I rebuild it"
    yield from found(Subject.PROJECT, r"^(?:my|our) (?:evenings|weekends|nights|mornings|spare time|free time) "
                     r"(?:this (?:month|week|year|term|summer|winter)|at the moment|right now|lately|these days) "
                     rf"(?:are|is) (?:all )?(?:about|for|going on|going into) {obj}", text, "obj", object_phrase)
    taken = rx.match(r"^(?P<obj>(?:the|my|our|an?) [\w' -]{2,30}?) (?:is|are|'s)\b[^.!?]*?\b(?:i|we|i'm|im|we're) "
                     r"(?:\w+ly )?(?P<verb>[a-z]+) (?:it|them)\b", clause.sentence, re.I)
    if taken and _making(taken.group("verb")) and not _errand(taken.group("verb")) and taken.group("obj") in text:
        yield Proposal(Subject.PROJECT, taken.group("obj"))
    # the time it takes up, the days one is into it, the part of it one is at, and a thing that will not make
    # itself: "a kayak is eating all my weekends", "Day 40 of Japanese on Duolingo", "Stuck on the roof of the shed",
    # "the bookcase won't build itself"
    for match in matches(rf"^{obj} (?:is|are|'s) (?:eating|taking|swallowing|using) (?:up )?(?:all )?(?:of )?my "
                         rf"(?:weekends|evenings|nights|free time|spare time)\b", text):
        value = match.group("obj")
        if rx.match(r"(?:a|an|my|our|the)\b", value, re.I) and not rx.search(_NOT_MADE, value, re.I):
            yield Proposal(Subject.PROJECT, value)
    # (and the weeks or months into it: "month 3 of learning the banjo", "week 6 of my coding bootcamp")
    # (never a state lived in: "month 6 of living in Leeds", "week 5 of being unemployed")
    for match in matches(rf"^(?:day|week|month) \d+ of (?!\w+ing (?:for|to)\b)"
                         rf"(?!(?:living|being|having|working|waiting|staying|renting|trying|looking|marriage|parenthood|retirement|unemployment|isolation|"
                         rf"quarantine|rehab|physio|ivf|my new job|the new job)\b){obj}", text):
        value = object_phrase(match.group("obj"))
        if value and not rx.search(_NOT_MADE, value, re.I):
            yield Proposal(Subject.PROJECT, value)
    for match in matches(rf"\b(?:stuck on|finished|finishing|started|starting|working on|doing|fitting|building|"
                         rf"painting|sanding) the {_PART} (?:of|for|on) (?:the|my|our) {obj}", text):
        value = object_phrase(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, value)
    for match in matches(r"(?:^|, )(?:the|my|our) (?P<obj>[\w' -]{2,30}?) (?:won't|wont|isn't going to) "
                         r"(?P<verb>[a-z]+) itself\b", text):
        if _making(match.group("verb")) and not _errand(match.group("verb")):
            yield Proposal(Subject.PROJECT, match.group("obj"))
    # a craft one is getting into: "I'm getting into pottery, just started classes" (never "getting into bed",
    # "into trouble", "into the car")
    for match in matches(rf"(?:^|\b(?:{I_AM}|{WE_ARE}|slowly|really|finally)\s+)(?:slowly |really |properly |finally )?"
                         rf"getting (?:really |properly |seriously )?into (?P<obj>(?!{_NOT_TAKEN_UP}\b)[a-z][\w-]+"
                         rf"(?: (?!{_AFTER_CRAFT}\b)[a-z][\w-]+)?)(?=$|[,.;!?]| {_AFTER_CRAFT}\b)", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    # ground worked into a garden's making: "digging a pond in the back garden", "I've been clearing an allotment plot"
    for match in matches(rf"(?:^|\b(?:{I_AM}|{I_HAVE} been|{WE_ARE}|been|currently|still|slowly|busy|in the middle of|"
                         rf"halfway through)\s+)(?P<verb>digging|clearing|levelling|leveling|paving|terracing|turfing|"
                         rf"fencing|reclaiming) (?P<obj>(?:a|an|my|our|the|some) (?:[\w'-]+ ){{0,3}}?"
                         rf"{_GROUND}s?)\b", text):
        yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {match.group('obj')}")
    # a venture grown or started: "im growing a youtube channel about fishing", "we're starting a podcast"
    for match in matches(rf"(?:^|\b(?:{I_AM}|{I_HAVE} been|{WE_ARE}|{WITH_ME}|are|been|currently|slowly|busy|just|"
                         rf"finally)\s+)(?P<verb>growing|starting|started|starting up|building up|setting up) "
                         rf"(?P<obj>(?:(?:a|an|my|our) )?(?:[\w'-]+ ){{0,3}}?{_VENTURE}s?\b"
                         # (the venture's own name ends it: never "started a new shop job")
                         rf"(?=\s*$|\s*[,.;!?]|\s+(?:about|on|for|with|called|named|where|that|which|in|from|and|to)\b)"
                         rf"[^,.;!?]*)", text):
        value = object_phrase(match.group("obj"))
        if value and not rx.search(r"\b(?:is|are|was|takes|can|seems|must)\b", match.group("obj"), re.I):
            yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {value}")
    # a work for the screen or the stage shot, directed or staged: "shooting a short film for uni", "directing a play
    # for the village hall" (never a gun, a wedding or a match: "shooting a wedding on saturday" is a job's day)
    for match in matches(rf"(?:^|\b(?:{I_AM}|{I_HAVE} been|{WE_ARE}|{WITH_ME}|been|currently|still|busy|finally)\s+)"
                         rf"(?P<verb>shooting|directing|staging|storyboarding|scripting) "
                         rf"(?P<obj>(?:a|an|my|our) (?:[\w'-]+ ){{0,2}}?{_SCREEN}s?\b[^,.;!?]*)", text):
        value = object_phrase(match.group("obj"))
        if value:
            yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {value}")
    # a venture on the side named by what it makes or sells: "my little side hustle making clay earrings is finally
    # getting orders", "our etsy shop selling hand-dyed yarn" (a business of its own is a work: see work.py)
    for match in matches(r"^(?:my|our) (?:little |small |tiny |new |own )?(?P<obj>(?:side hustle|side business|"
                         r"side gig|etsy shop|etsy store|depop shop|depop) (?:making|selling|baking|printing|designing|"
                         r"sewing|knitting|crocheting|painting|upcycling) [^,.;!?]+?)"
                         r"(?= (?:is|are|has|'s|keeps|just|finally|now)\b|\s*$|\s*[,.;!?])", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    # a project named by its kind, what it is on kept: "doing a science fair project on plants"
    for match in matches(r"\b(?:doing|working on|making|building|finishing) (?:a|an|my|our) "
                         r"(?P<obj>(?!(?:side|big|group|team|work|new|quick|small|little)\b)[\w' -]{2,30}? project)"
                         r"(?: (?P<on>on|about) (?P<topic>[^,.;!?]+))?", text):
        topic = _object(match.group("topic") or "")
        yield Proposal(Subject.PROJECT, f"{match.group('obj')} {match.group('on')} {topic}" if topic
                       else match.group("obj"))
    # a long piece of work named with its deadline or its toll: "my thesis is due in 6 weeks", "my dissertation on
    # climate migration is killing me"
    for match in matches(rf"^(?:my|our) (?P<obj>(?:[\w'-]+ ){{0,2}}?{_LONG_WORK}(?: (?:on|about) [\w' -]{{2,40}}?)?) "
                         r"(?:is|'s) (?:\w+ )?(?:due|killing me|eating my|taking over|doing my head in|driving me|"
                         # (the toll on the user whole: "my thesis is eating me alive", "my portfolio is destroying me")
                         r"stressing me|consuming|swallowing|eating me|destroying me|ruining my|burying me|"
                         r"crushing me|breaking me|the death of me)", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    # (or counted by how far it has come, in its own units: "thesis is at 60 pages", "my memoir is up to twelve
    # chapters"; never "the novel", which may be one being read)
    for match in matches(rf"^(?:my |our )?(?P<obj>(?:(?!(?:the|this|that|a|an|his|her|their|your)\b)[\w'-]+ ){{0,2}}?"
                         rf"{_LONG_WORK})(?: is|'s) (?:now |finally |only |already |nearly |almost |just )?"
                         rf"(?:at|up to|over|past|on) (?:about |around )?[\w,.]+k? (?:pages|words|chapters)\b", text):
        yield Proposal(Subject.PROJECT, match.group("obj"))
    yield from found(Subject.PROJECT, rf"\bmy (?:side |big |current |latest |pet |passion |new |main )?project"
                     rf"(?: for| this| at| right)?"
                     rf"(?: \w+){{0,2}}?(?: is\b|:) {obj}", text, "obj", object_phrase)
    for match in matches(rf"^(?P<verb>{verbs}|finishing|completing) {obj} (?:is|has been|keeps|takes|will be) "
                         rf"(?:\w+ )?(?:my )?(?:project|taking|keeping|up|all|big|main)", text):
        yield Proposal(Subject.PROJECT, f"{match.group('verb').casefold()} {object_phrase(match.group('obj'))}")


# What one gets into that is no craft taken up: a place, a state, a habit, a fight.
_NOT_TAKEN_UP = (r"(?:the|a|an|my|our|your|his|her|their|it|that|this|them|bed|trouble|debt|shape|character|fights?|"
                 r"arguments?|work|town|gear|position|heaven|college|uni|university|school|a routine|routine|habits?|"
                 r"the habit|detail|details|politics|an argument|hot water|bad habits|mischief|drugs|drink|drinking|"
                 r"gambling|bed|character|costume|office|uniform|mood|it|things)")
_AFTER_CRAFT = r"(?:properly|seriously|again|lately|now|this|at|in|and|since|recently|these|big|more)"
# Ground a garden is made of: "a pond", "an allotment plot", "the veg patch".
# (never ground only kept: "clearing the path", "weeding the lawn" are chores)
_GROUND = (r"(?:allotment plot|veg patch|vegetable patch|veg bed|vegetable bed|raised bed|flower bed|wildflower meadow|"
           r"bog garden|pond|allotment|plot|patio|flowerbed|border|trench|foundation|meadow|orchard|terrace|rockery)")
# A venture one grows or starts: "a youtube channel", "a podcast", "an etsy shop".
_VENTURE = (r"(?:channel|podcast|blog|vlog|newsletter|business|startup|start-up|brand|shop|store|side hustle|band|zine|"
            r"website|book club|running club|choir|charity|community garden|food bank|clothing line|label|magazine|"
            # a trade's own premises: "starting a small home bakery", "setting up a nail salon"
            r"bakery|cafe|café|salon|food truck|catering business|studio|stall|agency)")
# A venture of words or voices made episode by episode, run or hosted as a pastime: "a podcast", "a newsletter" (a
# group led is a role, not a making: "I run a small choir").
_VOICED = r"(?:channel|podcast|blog|vlog|newsletter|zine|fanzine|magazine|radio show)"
# The makings tried ("trying to <verb> a thing"), by lemma: PROJECT_LEMMAS without what is as often a chore, a
# sitting or a choice ("trying to make a decision", "trying to finish my dinner", "trying to fix my bike").
_TRIED = frozenset("build write knit sew renovate restore design paint code crochet refurbish redo convert compose "
                   "brew carve quilt weave embroider decorate remodel refit assemble craft sculpt construct landscape "
                   "upcycle illustrate upholster animate tile plaster rewire insulate compile".split())
# What is built or grown in oneself, a resolve and nothing made: "building my confidence", "trying to build a habit".
_RESOLVE = (r"(?:(?:a|an|my|our|some|up|up my|up our)\s+)?(?:\w+\s+)?(?:confidence|strength|stamina|muscle|muscles|"
            r"habit|habits|routine|relationship|relationships|trust|career|life|case|reputation|savings|credit|"
            r"resilience|tolerance|rapport|network|following|audience|bridge|bridges|self-esteem|immunity|"
            r"core|fitness|courage|patience|skills?)\b(?!\s+\w)")
# A thing made to be sold is a venture's making: "making handmade soap to sell at market", "knitting hats to sell".
_SOLD = re.compile(r"\bto sell\b|\bfor (?:sale|selling)\b", re.I)
# A work for the screen or the stage: "a short film", "a music video", "the school panto".
_SCREEN = (r"(?:film|movie|documentary|music video|youtube video|play|musical|panto|pantomime|web series|pilot|"
           r"sketch|skit|trailer)")
# A piece of work long in the making: "my thesis", "my dissertation on climate migration".
_LONG_WORK = r"(?:thesis|dissertation|novel|memoir|manuscript|portfolio|coursework|capstone|epq)"

# How deep in a making one is, by the body: "knee-deep in a memoir", "elbow-deep in the attic".
BODY_DEEP = r"(?:knee|waist|neck|elbow|ankle|shoulder)[- ]deep"
# How far into a making one is, by its units: "three chapters into a memoir", "two coats in on the attic".
# (and by the words written: "about 40k words into my novel")
HOW_FAR_IN = r"(?:chapters|pages|rows|weeks|months|coats|hours|days|sessions|lessons|words) (?:into|in on)"
# The parts of a thing being made: "stuck on the roof of the birdhouse".
_PART = r"(?:roof|frame|legs|base|walls|doors?|drawers|shelves|hull|deck|lid|sleeves|chorus|ending|intro|final chapter)"
# News of a making under way, and what an update is of that is none: "walls are up, roof next"; "Life update".
# What one picks up that is no pursuit taken up: someone collected ("picked up my sister from the airport", "Sam at the
# station", "Noor, she's my niece"), a thing fetched or caught ("some milk", "a cold", "a shift"). "Picked up" is a
# pursuit only as "picked up knitting", "picked up Japanese", "picked up the cello".
_FETCHED = re.compile(r"^(?:a|an|some|my|our|his|her|their|your)\b|\b(?:from|at|off|for)\b", re.I)
_PEOPLE = RELATIONS | OTHERS  # ("kids", "children" and "baby" are relations)
_COLLECTED = re.compile(r"^[^,.;!?]*[,;]\s*(?:she|he|they)(?:'s|'re| is| are| was| were)\b", re.I)


def _fetched(obj: str, sentence: str) -> bool:
    """Whether what was picked up (the words after "picked up", to the clause's end) is a person or a thing fetched."""
    words = rx.findall(r"[\w'-]+", obj.casefold())
    after = sentence[sentence.find(obj) + len(obj):] if obj in sentence else ""
    return bool(_FETCHED.search(obj) or _PEOPLE.intersection(words) or _COLLECTED.match(after))


_PROGRESS = (r"\b(?:next|done|finished|painted|built|fitted|nearly|almost|halfway|started|up|on|in|left|to go|"
             r"coat|stage)\b")
_NOT_UPDATED = r"^(?:life|weather|health|baby|news|status|quick|traffic|family|school|travel|covid|diet|weight|house)\b"
# What one is in the middle of or busy with that is no making: a day, a move, a meeting, one's job.
_NOT_MADE = (r"\b(?:day|week|night|month|year|move|holiday|road|street|room|meeting|conversation|film|movie|match|game|"
             r"work|job|commute|flu|cold|trip|lockdown|holidays|term|semester|chemo|treatment|antibiotics|meds|"
             r"recovery|heatwave|rain|strike|strikes|leave|maternity|paternity|pregnancy|school|uni|ramadan|lent|"
             r"dry january|veganuary|sobriety|diet)$")

# What people make, mend or learn as a project, by lemma; "re-" (rebuild, redecorate) is the same work again.
PROJECT_LEMMAS = frozenset(
    "build write knit sew renovate restore learn study train develop design paint code make crochet refurbish redo "
    "convert compose record research practise practice fix prepare finish launch brew carve quilt weave "
    "embroider decorate remodel refit assemble craft sculpt draw film edit produce organise organize translate "
    "program create construct landscape upcycle illustrate publish upholster model map animate "
    # a trade's work on a room, and a collection put together: "retiling the bathroom", "compiling a cookbook"
    "tile plaster rewire insulate compile".split())


# What a making's object runs on to that is no part of it: a new clause after "and" ("retiling the bathroom and the
# grout has gone patchy"), and what a plan or a pitch is for is kept ("a business plan for a food truck").
_AND_THEN = re.compile(r"\s+and\s+(?=(?:the|it|it's|its|my|our|i|i'm|im|we|we're|now|then|there|this|that|so)\b)", re.I)
_FOR_WHAT = re.compile(r"^(?P<doc>[^,.;!?]*?\b(?:plan|proposal|pitch|application|bid|case|brief|budget|design|"
                       r"designs|prototype|mock-up|mockup|logo|menu|website|app) for (?:a|an|my|our|the) [\w' -]+?)"
                       r"(?=$|[,.;!?]| and\b| but\b|\s+(?:so|because|that|which|before|by|in|at|this|next)\b)", re.I)


def _object(text: str) -> str:
    text = _AND_THEN.split(text, maxsplit=1)[0]
    planned = _FOR_WHAT.match(text)
    value = planned.group("doc").strip() if planned else object_phrase(text)
    # ("re-doing our kitchen bit by bit": how it goes is no part of it)
    return rx.sub(r"\s+(?:bit by bit|step by step|little by little|slowly|gradually|one \w+ at a time)$", "", value)


def _errand(verb: str) -> bool:
    """A verb of mending is an errand, not a making, when all it takes is "it": "the boiler won't fix itself"."""
    return bool(roots(verb.casefold()) & {"fix", "repair", "mend"})


def _making(gerund: str) -> bool:
    gerund = gerund.replace("re-", "re", 1) if gerund.startswith("re-") else gerund  # "Re-doing" is "redoing"
    found = roots(gerund)
    if gerund.startswith("re") and len(gerund) > 6:
        found |= roots(gerund[2:])
    return bool(found & PROJECT_LEMMAS)
