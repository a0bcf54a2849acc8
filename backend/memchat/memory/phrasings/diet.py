"""What the user eats and cannot: named diets, "I can't eat shellfish", allergies, refusals with no verb."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from memchat.memory import patterns as rx
from memchat.memory.language import lemma, tokens
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.traits import CONDITIONS, NEVER_EATEN, before_wish
from memchat.memory.phrasings.words import AFTER_DIET, DIET, I_AM, I_HAVE, NEGATION, WE_ARE, matches, object_phrase
from memchat.memory.statements import BODY, OTHERS, RELATIONS, Clause, Speaker, clauses, framed, own_words, sentences

# What a diet's word describes when it comes first: "the dinner needs to be veggie friendly" is the dinner's.
_MODIFIED = frozenset("friendly options option recipes recipe dishes dish menu meals meal restaurant restaurants place "
                      "places alternative alternatives version versions food-wise".split())


# What a diet kept does to the user's days, said after it: "keeping kosher makes eating out awkward".
_KEPT_DOES = frozenset("makes make means has is".split())


# What a diet's word opening a clause may describe rather than the user ("Vegan food is great").
_THINGS = frozenset("food meat diet".split())


# The diets that keep no meat: beside one of them, "no meat" is the diet said twice ("Gave up meat, vegan ever since").
_MEAT_FREE = frozenset(("vegan", "vegetarian", "veggie", "plant-based", "plant based", "pescatarian", "pescetarian",
                        "raw vegan"))


# Who is off a food: "I'm off dairy", "been off coffee", "kept off alcohol all year".
OFF = r"(?:i'm|im|i am|been|gone|going|went|stay|staying|stayed|keep|keeping|kept)"


# What one is doing now, given as the reason for a refusal: it refuses for now ("No drinks for me, I'm driving").
_FOR_NOW = re.compile(r"\b(?:for me|thanks),? (?:as |because |cos |since )?(?:i'm|im|i am) (?!allergic|intolerant|"
                      r"sensitive)[a-z]+ing\b", re.I)


# What a food does to the user whenever they eat it, put as a condition: "I break out in hives if I eat eggs".
_REACTION = (r"\b(?:i|me) (?:always |just )?(?:break out in|come out in|get|swell up|throw up|feel sick|feel ill|"
             r"get sick|get ill|end up in hospital|react|go red)\b[\w ]{0,20}? (?:if|when|whenever|every time) "
             r"(?:i|we) (?:so much as )?(?:eat|drink|have|touch|look at)")
# A food refused by what one would sooner do: "I'd rather starve than eat pork".
_SOONER = r"\b(?:i'd|i would|id) (?:rather|sooner) [\w ]{2,25}? than (?:eat|drink|have|touch)"


def aside(message: str) -> Iterator[Proposal]:
    """A diet said in a sentence the clause reader sets aside, a question or a condition or a wish: the diet the user
    says they share ("Any dinner ideas for a vegan like me?"), what a food does whenever they eat it ("I break out in
    hives if I eat eggs"), what they would sooner do than eat it ("I'd rather starve than eat pork")."""
    text = own_words(message)
    for match in rx.finditer(rf"\b(?:a|an|fellow|other|us) (?P<diet>{DIET})s? like (?:me|myself|us)\b", text, re.I):
        yield Proposal(Subject.DIET, match.group("diet"))
    for match in rx.finditer(rf"(?:{_REACTION}|{_SOONER}) (?:any )?(?P<food>[\w-]+(?: (?:or|and) [\w-]+)?)", text,
                             re.I):
        items = _foods(match.group("food"))
        if items:
            yield Proposal(Subject.DIET, "no " + " or ".join(items))
    for clause in before_wish(message):
        yield from diet(clause)  # "I follow a plant-based diet and would like a breakfast idea"
    for sentence in sentences(text):
        sentence = sentence.strip()
        yield from _standing(sentence)
        yield from _left_out(sentence)
        yield from _after_request(sentence)
        yield from _lately(sentence)
        ordered = _ORDERED.match(sentence)
        rest = sentence[ordered.end():] if ordered else ""
        # (a question after a comma is a clause of its own: "doctor told me to cut out sugar, what can I have?")
        asked = sentence.endswith("?") and "," not in rest
        if ordered and not asked and not _FOR_A_WHILE.search(sentence) and not rx.search(
                r"\b(?:but|though|yet)\b", rest, re.I):
            items = _foods(ordered.group("food"))
            if items:
                yield Proposal(Subject.DIET, "no " + " or ".join(items))


# A diet's word opening a sentence with no verb, told how lately: "mostly plant-based these days", "carnivore diet rn
# just meat eggs butter, how much salt..." (a negation or a question after its comma is another part's: "...need ideas
# that arent tofu"; never what is said of the diet, "Vegan these days is everywhere", nor asked of it, "keto diet now,
# is it worth it?").
_LATELY = re.compile(rf"(?:(?:mostly|mainly|fully|strictly|pretty much|basically|full|100%) )?"
                     rf"(?P<diet>{DIET}|(?P<kind>[\w-]+) diet) (?:these days|nowadays|now|rn|atm|at the moment|lately|"
                     rf"since (?:\w+ )?\w+|for (?:\w+ )?(?:years|months|weeks)|"
                     # (or who says it, as a self-introduction: "vegan girlie here, is honey actually vegan?")
                     rf"(?P<here>(?:(?:girlie|girl|gal|guy|lad|lass|bloke|dude|person|mum|mom|dad|student|household|"
                     rf"family|fam|gang|bestie|kid|teen|boy) )?here))"
                     rf"(?=\s*$|[.!]|\s+(?:just|so|and|but|lol|only|mostly|mainly)\b)", re.I)


def _lately(sentence: str) -> Iterator[Proposal]:
    head = rx.split(r"\s*[,;:]\s*|\s+[-\u2013\u2014]\s+", sentence, maxsplit=1)[0]
    match = _LATELY.match(head)
    if not match or NEGATION.search(head) or head.rstrip().endswith("?") or (not match.group("here") and rx.search(
            r"\b(?:is|does|would|will|can|could) (?:it|that|this)\b|\bworth it\b", sentence, re.I)):
        return  # (a self-introduction is never asked of the diet: "vegan here, is that a myth about honey?")
    kind = (match.group("kind") or "").casefold()
    if kind not in _NO_KIND and kind not in ("my", "the", "a", "on", "no", "new", "his", "her", "their"):
        yield Proposal(Subject.DIET, match.group("diet"))


# What a request for food asks for ("a paella recipe", "dinner ideas"), and what makes it a story's.
_FOOD_ASKED = re.compile(r"\b(?:recipes?|meals?|dinners?|lunch(?:es)?|breakfasts?|brunch|suppers?|snacks?|desserts?|"
                         r"puddings?|menus?|dish(?:es)?|cakes?|bakes?|curry|curries|soups?|salads?|sandwich(?:es)?|"
                         r"food|cook|meal plan|shopping list)\b", re.I)
_FOR_OTHERS = re.compile(r"\b(?:for|of) (?:my|our|the|his|her|their|a|some)\b|\b(?:guests?|visitors?|everyone|"
                         r"everybody|party|crowd|group|team|class)\b", re.I)
_STORY = re.compile(r"\b(?:story|stories|poem|scene|character|novel|script|pretend|imagine|role[- ]?play)\b", re.I)


def _after_request(sentence: str) -> Iterator[Proposal]:
    """The rule a requested dish must keep, said after the request's comma: "can u give me a paella recipe without
    prawns, i'm allergic to shellfish", "need a lasagna recipe, only halal meat for me". The request states nothing,
    so the clause reader sets the sentence aside whole; its last clause, read alone, is the user's own (or a
    relative's, or a hedge, which the clause reader tells apart as it does everywhere)."""
    head, comma, tail = sentence.rpartition(",")
    if not comma or not _FOOD_ASKED.search(head) or _STORY.search(sentence):
        return
    if _FOR_OTHERS.search(tail) or OTHERS.intersection(tokens(tail)) or RELATIONS.intersection(tokens(tail)):
        return  # the rule of those the dish is for: "I need a cake recipe, halal for my guests"
    if not (framed(head) or rx.match(r"(?:i )?(?:need|want|looking for|after|searching for)\b", head.strip(), re.I)):
        return
    for clause in clauses(tail.strip()):
        if clause.speaker is Speaker.USER and not clause.past:
            yield from diet(clause)


# A doctor's order to give a food up, which the clause reader sets aside as reported speech, but which is the user's
# rule: "doctor told me to cut out sugar completely", "My GP has advised me to avoid alcohol".
_ORDERED = re.compile(r"^(?:(?:so|and|well|also|btw|honestly|ugh),? )?(?:my |the )?(?:doctor|doc|gp|dietitian|"
                      r"dietician|allergist|consultant|nutritionist|specialist|cardiologist|dentist)(?: has|'s)? "
                      r"(?:\w+ly )?(?:told|ordered|advised|instructed) me to (?:\w+ly )?(?:cut out|avoid|give up|"
                      r"quit|stay off|come off|stay away from|keep off|stop (?:eating|drinking|having)|"
                      r"cut (?=\S+ out\b)) (?:all |any )?(?P<food>[\w-]+(?: (?:or|and) [\w-]+)?)", re.I)


# Someone whose word bars the user from a food: "Doctor's banned me from eggs", "my GP has taken me off gluten".
# (or a diet the user is put on, in any tense: "doctor put me on low FODMAP for my IBS")
_BARRED = re.compile(r"^(?:my |the )?(?:doctor|doc|gp|dietitian|dietician|allergist|consultant|nutritionist)"
                     r"(?:'s| has)? "
                     rf"(?:\w+ )?(?:(?:banned|barred|forbidden|taken|took|put) me (?:from|off) (?:eating |drinking )?"
                     rf"(?P<food>[\w-]+(?: (?:or|and) [\w-]+)?)|put me on (?:a |the )?(?:strict )?(?P<diet>{DIET})\b)",
                     re.I)


def barred(clause: Clause) -> Iterator[Proposal]:
    """A diet the user is barred from by someone whose word is the user's rule (read from that one's clause)."""
    match = _BARRED.match(clause.text)
    if match and match.group("diet") and not clause.negated:
        yield Proposal(Subject.DIET, match.group("diet"))
        return
    items = _foods(match.group("food")) if match and not clause.negated else []
    if items:
        yield Proposal(Subject.DIET, "no " + " or ".join(items))


# A refusal for a day, a week or a dare is no diet ("No coffee for me today", "off sugar for a week as a challenge"),
# nor is a plate too full ("I can't eat another bite").
# (a day itself is not enough: "3 years sober today" is a diet's anniversary)
_FOR_A_WHILE = re.compile(r"\b(?:for (?:me )?(?:today|tonight)|(?:just|only) (?:today|tonight)|this (?:morning|evening|"
                          r"week)|for (?:a|one|two) (?:day|week|weekend)s?|challenge|dare|bet)\b", re.I)
_FULL = re.compile(r"\b(?:another|seconds|a bite|a thing|anything else)\b", re.I)


# An allergy said with no food, or with a pronoun for it ("i'm allergic", "I have been allergic to them since
# childhood"), and the food its sentence asks to be left out: "can u make this pancake recipe without eggs, i'm
# allergic", "Kindly exclude eggs from any recipe; I have been allergic to them".
_ALLERGIC_TO_IT = re.compile(r"^(?:(?:and|but|so|cos|because|as|since) )?(?:i'm|im|i am|i've been|ive been|"
                             r"i have been) (?:\w+ly |super |so |very |badly )?(?:allergic|intolerant)"
                             r"(?: (?:to|of) (?:it|them|those|these|that|this))?"
                             r"(?: (?:since|from) [\w ]{1,20}| lol| tho| though| btw)?\W*$", re.I)
_LEFT_OUT = (r"\b(?:without|exclude|excluding|leave out|leaving out|omit|omitting|minus|hold the|cut out|take out|"
             r"swap out|no)(?: any| the| all)? (?P<food>[\w-]+(?: (?:or|and) [\w-]+)?)")


# A diet the user holds as their standing, in an opening apposition to "I": "As a vegetarian of some fifty years'
# standing, I would welcome...", "Being coeliac, I...", "as a lifelong vegan i..." (never a diet of the noun after it,
# "As a vegan baker, I...", nor an apposition to another, "As a vegan, what do you think?", nor a past "I").
_STANDING = re.compile(rf"^(?:as|being) (?:(?:a|an) )?(?:(?:lifelong|life-long|strict|committed|long-time|longtime|"
                       rf"practising|practicing|proud|devout|\w+ly) )?(?P<diet>{DIET})(?: of [\w' -]{{1,40}})?\s*,?\s+"
                       rf"(?:(?:myself|too|here|personally),?\s+)?(?P<main>(?:i|i'm|im|i'd|i've|i'll|we|we're|my|our)\b)"
                       rf"(?! (?:was|were|used|had|\w+ed)\b)", re.I)


def _standing(sentence: str) -> Iterator[Proposal]:
    match = _STANDING.match(sentence)
    if match and not _STORY.search(sentence):
        yield Proposal(Subject.DIET, match.group("diet"))


def _left_out(sentence: str) -> Iterator[Proposal]:
    """The food a sentence asks to be left out, when a later part of it says the user is allergic with no food or with
    a pronoun for it (the clause reader's guards read that part: "my son's allergic" is no user's)."""
    parts = rx.split(r"\s*[,;]\s*|\s+[-\u2013\u2014]\s+", sentence)
    for at, part in enumerate(parts):
        if not at or not _ALLERGIC_TO_IT.match(part):
            continue
        if not any(c.speaker is Speaker.USER and not c.negated and not c.past for c in clauses(part)):
            return
        for match in rx.finditer(_LEFT_OUT, ", ".join(parts[:at]), re.I):
            items = _foods(match.group("food"))
            if items:
                yield Proposal(Subject.DIET, "no " + " or ".join(items))
        return


def diet(clause: Clause) -> Iterator[Proposal]:
    if _FOR_A_WHILE.search(clause.sentence):
        return
    found = list(_diet(clause))
    before = _named_before(clause)
    named = any(p.value.casefold() in _MEAT_FREE for p in found) or before.casefold() in _MEAT_FREE
    # what the user does eat, said after the refusal: "I don't eat meat but I do eat fish" (one diet, the whole of it)
    but = rx.match(r"\W*but (?:i |we )?(?:do|still|will|happily|can|definitely) (?:eat|have) "
                   r"(?P<food>[\w-]+(?: (?:or|and) [\w-]+)?)", clause.sentence.partition(clause.text)[2],
                   re.I) if clause.negated else None
    eaten = _foods(but.group("food")) if but else []
    for proposal in found:
        if _FULL.search(proposal.value):
            continue
        if eaten and proposal.value.startswith("no "):
            yield Proposal(Subject.DIET, f"{proposal.value} but {' and '.join(eaten)}")
            continue
        if named and proposal.value.casefold() in ("no meat", "no red meat", "meat-free", "meat free"):
            continue
        if before and proposal.value.startswith("no "):
            # what the diet named before rules out, as its consequence: one diet, the whole of it ("lactose intolerant
            # so ice cream is a no" is "lactose intolerant, no ice cream", never the ice cream alone)
            yield Proposal(Subject.DIET, f"{before}, {proposal.value}")
            continue
        yield proposal
    # (what follows from it may be in the diet's own clause, which "which means" does not end: "gluten intolerant, which
    # means pasta is a no")
    within = _SO_AFTER_DIET.match(clause.text)
    if within and clause.text[within.end():].strip():
        yield from diet(replace(clause, text=clause.text[within.end():].strip()))


# A sentence that opens by naming the user's diet, then gives what follows from it: "I'm doing keto at the moment so
# bread is a no", "pescatarian, so fish is fine but no chicken", "Teetotal here, so no alcohol".
_SO_AFTER_DIET = re.compile(rf"^(?:(?:i|we|i'm|im|i am|we're|we are|i've|we've)(?: (?:\w+ly|now|doing|do|on|a|an|"
                            rf"going|gone|been|keep|keeping|follow|following|strict|strictly|fully|mostly|eat))* )?"
                            rf"(?P<diet>{DIET})\b(?: (?:here|now|these days|nowadays|at the moment|atm|myself|too|"
                            rf"diet|food|family))*,?\s+(?:so|which means|meaning|hence)\b", re.I)


def _named_before(clause: Clause) -> str:
    """The diet the clause's sentence named before it, when this clause says what follows from it."""
    at = clause.sentence.find(clause.text)
    named = _SO_AFTER_DIET.match(clause.sentence[:at]) if at > 0 else None
    return named.group("diet") if named else ""


# What says no kind of diet: "I'm on a strict diet", "I eat a balanced diet".
_NO_KIND = frozenset("strict new proper healthy balanced normal good bad special crash weird same this that my whole "
                     "restricted restrictive".split())


# What opens a clause of its own after "and" rather than the next food of a list: "I'm allergic to peanuts and the place
# does a lot of satay" (never "allergic to place"), "I can't eat eggs and my son can't either".
_NEW_SUBJECT = r"(?:the|my|our|your|his|her|their|this|that|these|those|it|i|we|he|she|they|you|there)\b"


def _diet(clause: Clause) -> Iterator[Proposal]:
    if clause.ahead:
        return  # "Going vegan next month", "probably going vegan soon": not the diet yet
    text = clause.text
    if not clause.negated:
        for match in matches(rf"\b(?:{I_AM}|{I_HAVE} been|been|being|be|going|gone|went|become|became|strict|strictly|"
                             rf"full|turned|turn|switched to|converted to|"
                             rf"now|fully|a|an|eat|only eat|keep|follow|on a|on the|^on|"
                             # (a diet kept or done: "keeping kosher makes eating out awkward", "doing keto atm")
                             rf"(?P<doing>keeping|doing|following|sticking to|stick to)) (?:a |an |strict |strictly |"
                             # (a diabetic's type: "I'm type 2 diabetic")
                             rf"fully |now |mostly |type (?:1|2|one|two) )?(?P<diet>{DIET})\b", text):
            # A diet's word after an article that is not the user's predicate modifies what follows it: "I made a vegan
            # lasagne" says nothing of the user's diet ("I'm a vegan chef" does).
            after = tokens(text[match.end():])[:1]
            modifier = rx.search(r"\b(?:a|an)\s+(?:[a-z]+ )?$", text[:match.start("diet")], re.I) and not rx.search(
                rf"\b(?:{I_AM}|{WE_ARE}|been|being)\s+(?:a|an)\s+(?:[a-z]+ )?$", text[:match.start("diet")], re.I)
            if match.group("doing") and after and after[0] not in AFTER_DIET | _KEPT_DOES:
                continue  # what is done is the diet's kind of thing: "I'm doing vegan baking for the fair"
            if not (modifier and after and after[0] not in AFTER_DIET) and not (after and after[0] in _MODIFIED):
                yield Proposal(Subject.DIET, match.group("diet"))
        for match in matches(rf"(?:\b(?:only eat|eat only|keep|eat) |^)(?P<diet>{DIET})(?: here\b)?", text):
            after = tokens(text[match.end():])[:1]
            if match.start() == 0 and after and (after[0] in _THINGS | _MODIFIED or after[0] not in AFTER_DIET):
                # a diet's word that opens a clause about things is theirs ("Vegan food is great"), and one that a
                # verb or a noun follows is the clause's subject, not the user's diet ("Keto is a fad", "Vegan cheese
                # is disgusting")
                continue
            yield Proposal(Subject.DIET, match.group("diet"))
        # a diet that is all one eats, with no verb: "Only halal meat for me", "Jain food only", "pure veg only yaar"
        for match in matches(rf"^(?:only |strictly )?(?P<diet>{DIET})(?: (?:food|meat|meals|stuff))? "
                             rf"(?:only|for me)\b", text):
            yield Proposal(Subject.DIET, match.group("diet"))
        # a diet's word as a fragment of its own, told how long it has lasted or how wholly: "Gave up meat in 2015,
        # vegan ever since", "pescatarian all the way"
        for match in matches(rf",\s*(?P<diet>{DIET}) (?:ever since|since then|ever after|from then on|for \w+ years|"
                             rf"for years|all the way|now|these days|nowadays)\b|"
                             # how long first: "two years sober this month", "3 years vegan"
                             rf"^(?:\w+|\d+) (?:years?|months?|weeks?|days?) (?P<after>{DIET})\b|"
                             # how far into it: "day 12 of keto", "week three on paleo"
                             rf"^(?:day|week|month) (?:\w+|\d+) (?:of|on|into) (?P<into>{DIET})\b", text):
            if match.group("into"):
                yield Proposal(Subject.DIET, match.group("into"))
                continue
            if match.group("after"):
                yield Proposal(Subject.DIET, match.group("after"))
                continue
            yield Proposal(Subject.DIET, match.group("diet"))
    # a diet named by what it is, a kind of diet or of fasting, or a "low-" one: "I follow a Jain diet", "doing
    # intermittent fasting, 16:8", "I'm on low-FODMAP for IBS" (never a diet of no kind: "I'm on a strict diet")
    if not clause.negated:
        for match in matches(rf"(?:^|\b(?:{I_AM}|i|we|been|now) )(?:(?:\w+ly|now|still) )?"
                             r"(?:on|follow|following|doing|do|keep to|keeping to|stick to|sticking to|eat) "
                             r"(?:a |an |the )?(?:strict )?"
                             r"(?P<diet>(?P<kind>[\w-]+) diet|(?:intermittent|alternate[- ]day) fasting|"
                             r"low-(?:carb|fat|salt|sugar|sodium|fodmap|cal|calorie|gi|histamine|protein|residue|"
                             r"oxalate|purine|fibre|fiber)(?: diet)?)\b", text):
            kind = match.group("kind") or ""
            # (a diet of a kind the rules name is that diet, read above: "I'm on a vegan diet" is vegan)
            if kind.casefold() not in _NO_KIND and not rx.fullmatch(DIET, kind, re.I):
                yield Proposal(Subject.DIET, match.group("diet"))
    # a heading that names the diet, over its list: "Dietary stuff: vegan, no soy", "Allergies: peanuts and eggs"
    heading = rx.match(r"^(?:my )?(?P<head>diet|dietary (?:stuff|needs|requirements?|restrictions|info)|(?:food )?"
                       r"allergies|allergy)\s*[:\u2013\u2014-]\s*(?P<items>[^.!?;]+)", clause.sentence, re.I)
    if heading and not clause.negated:
        allergies = heading.group("head").casefold().endswith(("allergies", "allergy"))
        listed = []
        for item in rx.split(r",\s*(?:and\s+)?|\s+and\s+", heading.group("items")):
            named = rx.fullmatch(rf"\s*(?P<diet>{DIET})\s*", item, re.I)
            refused = rx.fullmatch(r"\s*(?:no|zero) (?P<food>[\w -]{2,30}?)\s*", item, re.I)
            if named:
                listed.append(named.group("diet"))
            elif refused or allergies:
                food = _food(refused.group("food") if refused else item)
                if food and food.casefold() not in ("none", "nothing", "n/a", "nope"):
                    listed.append(f"no {food}")
        if listed:  # one diet, the whole list: "vegan, no soy"
            yield Proposal(Subject.DIET, ", ".join(listed))
    one = (r"[\w-]+(?: (?!(?:or|and|nor|years|months|weeks|ages|in|on|at|for|since|from|with|after|before|because|"
           r"when|anymore|any|at|now|these|this|last|ever|again)\b)[\w-]+)?")
    # (what has the food in it is the food refused: "can't have anything with soy in it")
    food = (rf"(?:(?:anything|stuff|things|food) (?:with|containing) (?:any )?)?"
            rf"(?P<food>{one}(?:(?:,| or| and| nor) (?!{_NEW_SUBJECT}){one})*)")
    negative = (
        rf"\b(?:can't|cannot|can not|cant|don't|dont|do not|never|won't|no longer) (?:\w+ly )?(?:eat|drink|touch|"
        # (a meal one can't "do" is an appointment missed: "so I can't do lunch")
        rf"stomach|do(?! (?:lunch|dinner|breakfast|brunch|supper|drinks|meals?)\b)|tolerate|handle|"
        # what one dare not have: "I can't risk peanuts"
        rf"digest|risk|chance)(?: any)? {food}",
        # (its "do" left off, as many say it who learnt English later: "I not eat pork", "we no drink alcohol")
        rf"\b(?:i|we) (?:not|no) (?:can |could |\w+ly )?(?:eat|drink|touch|take|eating|drinking)(?: any)? {food}",
        # a long abstinence, in the perfect: "I haven't touched alcohol in years", "haven't eaten meat since 2019"
        rf"\b(?:haven't|have not|havent|hasn't|not) (?:\w+ly )?(?:eaten|drunk|touched|had)(?: any)? {food}"
        rf"(?= (?:in|for) (?:years|ages|months|decades|a decade|a long time)| since\b)",
        # "have" refuses a food as a modal's permission ("I can't have nuts") or, habitually, of a bare mass
        # noun ("I don't have dairy"), never as possession ("I don't have a dog", "I don't have time").
        rf"\b(?:can't|cannot|can not|cant|couldn't|mustn't|shouldn't|won't|am not allowed to) have(?: any)? {food}",
        # permission withheld with no verb: "Not allowed soy any more, doctor's orders"
        rf"\b(?:not|no longer|never) allowed (?:to (?:have|eat|drink) )?(?:any )?{food}",
        rf"\b(?:don't|dont|do not|never) have (?!(?:a|an|the|my|our|your|any|much|many|enough|one|two|some|"
        rf"time|money|kids|children|plans|idea|clue|choice|access|space|room|energy|patience|friends|family|"
        # ("never have been": a perfect, no food refused)
        rf"pets|siblings|a|been|had|done|gone|got|tried)\b){food}",
        rf"\b(?:avoid|avoiding|cut out|cutting out|given up|gave up|giving up|quit|"
        rf"{OFF} off|stay (?:\w+ )?away from|"
        # ("I gave up on the treehouse" is no food)
        # (passing on a food is refusing it only for all of it: "I'll pass on anything with peanuts")
        rf"steer (?:\w+ )?clear of|skip|keep away from|pass on(?= anything with| any | all )) "
        rf"(?!on\b|about\b|with\b|trying\b|it\b|to\b|for\b|out\b|home\b|now\b|work\b|sick\b|(?!anything)[a-z]+ing\b|"
        # (nor is a time: "gave up in November", "quit last year", "gave up years ago")
        rf"in\b|at\b|last\b|this\b|that\b|years?\b|ages\b|"
        # ("I quit my job", "I gave up the cello": what has a determiner is no food given up)
        rf"(?-i:[A-Z])|my\b|the\b|a\b|an\b|his\b|her\b|our\b|their\b|your\b|job\b|school\b|uni\b|college\b|smoking\b)"
        rf"{food}",
        # (after a clause the sentence gives as its reason: "we're hindu so no beef for me"; never what one is doing,
        # which refuses for now: "training for a 10k so no drinks for me")
        rf"^(?:[\w ]{{2,20}}, |(?![\w' ]*\b(?!being\b)\w+ing\b)[\w' ]{{2,30}} (?:so|hence|which means) )?(?:\w+ly )?"
        rf"(?:no|zero) {food},? for me",
        rf"^(?:no|zero) {food},? please,? (?:i'm|i am|im) (?:allergic|intolerant)",
        rf"^{food} (?:makes|make|made|gives|give|gave|leaves|leave) me (?:(?:a|an|such a|the) )?(?:\w+ )?(?:ill|sick|"
        rf"unwell|hives|rash|heartburn|migraines?|headaches?|stomach ache|stomachache|cramps|bloated|reaction|"
        # (what the body does is the food's: "caffeine gives me palpitations", "coffee gives me the jitters")
        rf"itchy|nauseous|queasy|spots|palpitations|reflux|indigestion|diarrh?o?ea|the runs)\b",
        # a food that makes a part of the body react: "tree nuts make my throat close up", "prawns make my lips swell"
        rf"^{food} (?:\w+ly )?(?:makes|make|made) my (?:throat|tongue|lips|mouth|face|airways?|eyes|skin) (?:\w+ )?"
        rf"(?:close|swell|tighten|itch|tingle|puff|blow|burn|break out|go)\b",
        # a part of the body that reacts to the food: "my throat closes up with tree nuts"
        rf"\bmy (?:throat|tongue|lips|mouth|face|airways?|eyes) (?:\w+ly )?(?:closes|close|swells|swell|tightens|"
        rf"tighten|itches|itch|tingles|tingle|puffs|puff|blows)(?: up)? (?:with|from|after|around|"
        rf"if i (?:eat|have|touch)|when i (?:eat|have|touch)|whenever i (?:eat|have|touch))(?: any)? {food}",
        rf"\b(?:can't|cannot|can not|cant|won't|wont|don't|dont|never) (?:go|come) (?:anywhere )?near {food}",
        rf"^{food} (?:puts|put|sends|send|lands|land) me (?:in|into|to) (?:the )?(?:hospital|a&e|er|bed)\b",
        rf"\b(?:my )?(?:{'|'.join(BODY)}) (?:(?:can't|cannot|can not|cant|won't|doesn't|does not|"
        rf"just can't) (?:\w+ly )?(?:take|handle|tolerate|digest|cope with|deal with|do|stand)|"
        rf"(?:\w+ly )?(?:hates|rejects))(?: any)? {food}",
        # "cut peanuts out of my diet"
        rf"\b(?:cut|cutting|cuts|taken|took|take) {food} out(?: of (?:my|our) (?:diet|life|lives))?\b",
        # the food and the user at odds: "dairy and I don't get on"
        rf"^{food} and (?:i|me) (?:(?:don't|do not|dont|never|just don't) (?:get on|get along|agree|mix)|"
        rf"(?:are not|aren't|are no|are never|will never be) (?:friends|a match|a good match)|(?:are|'re) (?:sworn )?"
        rf"enemies)",
        # (the user named first: "me and shellfish are enemies", "me and dairy don't get along")
        rf"^(?:me|i) and {food} (?:(?:don't|do not|dont|never|just don't) (?:get on|get along|agree|mix)|(?:are not|"
        rf"aren't|are no|are never|will never be) (?:friends|a match|a good match)|(?:are|'re) (?:sworn )?enemies)",
        # trouble from anything with it in: "Anything with pork in it and I'm in trouble"
        rf"^(?:anything|everything|something) with {food} in (?:it|them)\b[^.!?]*\b(?:and|,) "
        rf"(?:i'm|im|i am|i get|i end up) (?:in trouble|ill|sick|poorly|in hospital|done for|toast|dead|in bed|"
        rf"covered in hives|bloated)",
        rf"\bintolerant (?:to|of) {food}",
        # a food checked for because of an allergy: "I always check the ingredients for peanuts because of my allergy"
        rf"\b(?:check|checking|read|reading) (?:the )?(?:ingredients|labels?|menus?) for {food}"
        rf"(?=,? (?:because of|due to|what with) my (?:allergy|allergies|intolerance))",
        rf"\b(?:sensitive|sensitivity) to {food}",
        # A change that lasts: "I've stopped eating meat", "I quit drinking alcohol", "I gave up sugar".
        rf"\b(?:stopped|quit|quitting|stopping|stop|given up|gave up|giving up|cut down on|off) (?:eating|drinking) "
        rf"{food}",
        # The food as the subject: "Dairy doesn't agree with me", "Nuts are off the menu for me".
        rf"^{food} (?:doesn't|does not|don't|do not|dont|doesnt|never) (?:agree|sit well) with me",
        rf"^{food} (?:is|are|'s|isn't|aren't|is not|are not) (?:a no-go|a no-no|a (?:hard |big |firm )?no|off-limits|"
        rf"off limits|off the menu|"
        rf"out of the question|not for me|a no go|banned|off the table)(?: for me)?\b",
        rf"^{food} (?:isn't|aren't|is not|are not|isnt|arent) for me\b",
        # the food equated with harm: "Shellfish is basically poison to me"
        rf"^{food} (?:is|are|'s|=) (?:\w+ly |pure |actual )?(?:poison|my kryptonite|kryptonite|my enemy|the enemy|"
        rf"death|instant death|certain death|a death sentence)"
        rf"(?: (?:to|for) me)?\b",
        # a refusal with no verb, told with how long it has lasted: "No soy since my diagnosis", "No pork for years"
        # off a food, with no subject, told how long: "Off coffee completely since November"
        rf"^off (?:\w+ly )?{food}(?= (?:\w+ly )?(?:since|for|now)\b| for good|(?: completely| entirely| totally)\s*$)",
        rf"^(?:no|zero) {food} (?:since|for) (?:my |the |about |over )?(?:diagnosis|\d{{4}}|years|ages|months|decades|"
        rf"a year|\w+ years|\w+ months|uni|school|childhood)\b",
    )
    for pattern in negative:
        refusal = f"(?:no|zero) {food}" in pattern or pattern.startswith("^(?:anything") or "ingredients" in pattern
        if refusal and _FOR_NOW.search(clause.sentence):
            continue  # "No drinks for me, I'm training for a marathon": a refusal for now, for what one is doing
        target = clause.sentence if refusal else text
        # (the abstinence dated by a clause of its own: "haven't eaten meat since I was 14"; found by string, not by a
        # pattern made of the clause, which would be compiled anew for every clause and push the rules' own patterns
        # out of re's cache)
        after = clause.sentence.partition(text)[2] if "haven't" in pattern else ""
        if rx.match(r"\s+since\b", after):
            target = f"{text} since"
        for match in matches(pattern, target):
            if rx.match(r"(?:enough|much|too|so|very)\b", match.group("food"), re.I):
                continue  # an amount refused is no food refused: "I don't drink enough water"
            items = _foods(match.group("food"))
            if items:  # one diet, however many foods: "no soy or eggs"
                yield Proposal(Subject.DIET, "no " + " or ".join(items))
    # a food that would kill the user, where the sentence names an allergy: "peanuts would literally kill me lol
    # (allergy)" (with none it is a manner of speaking: "this commute would kill me")
    deadly = rx.match(rf"^{food} (?:would|could|will|can|might|would\w*|could\w*) (?:\w+ly )?(?:kill|finish off) me\b",
                      text, re.I)
    if deadly and rx.search(r"\b(?:allerg\w*|anaphyla\w*|epi-?pens?|intoleran\w*|coeliac|celiac)\b", clause.sentence,
                            re.I):
        items = _foods(deadly.group("food"))
        if items:
            yield Proposal(Subject.DIET, "no " + " or ".join(items))
    # drinking refused with nothing after it, in the user's own words (alcohol is meant, but never said): "I don't
    # drink", "Don't drink, never have"
    # (the message may say more of it, which is the diet then, one to a user: "I don't drink; no alcohol at all",
    # "Teetotal, I don't drink", "I don't drink, alcohol gives me migraines")
    if rx.search(r"^(?:i )?(?:don't|do not|dont|never) drink(?:\s*[.!,;]|\s*$| (?:anymore|any more|at all)\b)", text,
                 re.I) and not rx.search(rf"\b(?:{DIET}|no|zero|alcohol|booze|wine|beer|spirits|drinks|allergic|"
                                         rf"intolerant)\b", own_words(clause.sentence), re.I):
        yield Proposal(Subject.DIET, "no drinking")
    # a refusal with no verb after a clause that names the diet: "Teetotal here, so no alcohol"
    bare = rx.match(rf"^(?:so |and |but |which means |meaning )?(?:no|zero) {food}[.!]*$", text, re.I)
    if bare and rx.match(rf"^(?:(?:i'm|im|i am|we're|we are) )?(?:\w+ )?{DIET}\b", clause.sentence, re.I):
        items = _foods(bare.group("food"))
        if items:
            yield Proposal(Subject.DIET, "no " + " or ".join(items))
    # (and the preposition of another language: "I am allergic for nuts", "allergic on strawberries")
    for match in matches(rf"\b(?P<cue>allergic|alergic|allergc|alergc) (?P<prep>to|for|on|of|from) {food}", text):
        if NEGATION.search(text[:match.start()]):
            continue  # "I'm not allergic to soy, that was my brother"
        if match.group("prep").casefold() != "to" and rx.match(r"(?:years|months|weeks|ages|life|a while|now|long|"
                                                               r"decades|some|the|my|a|an|this|that)\b",
                                                               match.group("food"), re.I):
            continue  # "allergic for years", "allergic from the start"
        for item in _foods(match.group("food")):
            if item.casefold() in NEVER_EATEN:
                continue  # "I'm allergic to cats": an allergy, but no diet
            # The user's own word: "alergic" is no word a memory may add, so a typo's fact is "no X" (and so is
            # "allergic for nuts": "allergic to" would be a word they did not write).
            yield Proposal(Subject.DIET, f"{match.group('cue')} to {item}" if match.group("cue") == "allergic"
                           and match.group("prep").casefold() == "to" else f"no {item}")
    # A home or a person free of a food: "our house is peanut-free", "I'm strictly dairy-free".
    for match in matches(rf"\b(?:{I_AM}|{WE_ARE}|(?:our|my) (?:house|home|kitchen|household|family|diet) is|i keep|"
                         rf"we keep|i eat|we eat|i'm strictly|i've gone|i went) "
                         rf"(?:strictly |completely |totally |fully |"
                         rf"entirely |a )?(?P<food>[a-z]+)-free\b", text):
        if match.group("food").casefold() not in _NOT_DIETS:
            yield Proposal(Subject.DIET, f"{match.group('food')}-free")
    # A food, then a refusal of it by a pronoun: "Alcohol keeps me up, so I've cut it out completely."
    for match in matches(r"^(?P<food>[\w-]+) (?:[\w,]+ ){1,6}?(?:so |and )?(?:i've |i have |i |we've |we )?"
                         r"(?:cut (?:it|them) out|"
                         r"given (?:it|them) up|gave (?:it|them) up|stopped (?:eating|drinking) (?:it|them)|"
                         r"quit (?:it|them)|avoid (?:it|them)|steer clear of (?:it|them)|stay away from (?:it|them)|"
                         r"never touch (?:it|them))\b",
                         clause.sentence):
        item = _food(match.group("food"))
        if item:
            yield Proposal(Subject.DIET, f"no {item}")
    for match in matches(rf"\b(?:allergy|allergies|intolerance|intolerant|reaction|sensitivity) (?:to|with) {food}",
                         text):
        for item in _foods(match.group("food")):
            yield Proposal(Subject.DIET, f"no {item}")  # "I've got an allergy to gluten"
    # (how bad it is comes before the food: "severe soy allergy so pls double check")
    for match in matches(rf"\b(?:a |an |my )?(?:(?:severe|serious|bad|mild|nasty|major|life-threatening|deadly|"
                         rf"really bad|proper) )?{food} (?P<kind>allergy|intolerance)\b", text):
        if NEGATION.search(text[:match.start()]):
            continue  # "I don't have a soy allergy, I checked"
        item = _food(match.group("food"))
        # (its article left off after "have": "i have shellfish allergy", "got peanut allergy")
        owned = rx.match(r"(?:have|got|has) (?P<food>[\w-]+)$", item, re.I)
        if owned and rx.search(r"\b(?:i|we|i've|ive|we've)\s*$|^\s*$", text[:match.start()], re.I):
            item = owned.group("food")
        if item and item.split()[0] not in ("an", "a", "my", "severe", "bad", "serious", "got", "have", "has", "had",
                                            "of", "because", "to", "for", "with", "from", "the"):
            yield Proposal(Subject.DIET, f"{item} {match.group('kind')}")  # "soy intolerance" is no allergy


# What "-free" says of things that are no food: "stress-free", "smoke-free", "hands-free".
_NOT_DIETS = frozenset("stress smoke pain debt car care hands tax scent fragrance cruelty plastic clutter rent fee "
                       "duty toll hassle worry risk germ drama screen paper cash fuss mess".split())
_NOT_FOOD = frozenset("it them that this those these any anything much meat-free food foods stuff things at all "
                      # a time is no food: "I can't do Thursday"
                      "monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight mornings "
                      "evenings weekends nights mondays tuesdays wednesdays thursdays fridays saturdays sundays "
                      "a an the my for "
                      # chat's asides after the food: "Allergic to soy btw"
                      "btw lol tbh fyi pls "
                      # what gives one headaches or palpitations and is never eaten: "work gives me palpitations"
                      "work stress exams exam interviews deadlines flying heights crowds driving".split())


def _foods(foods: str) -> list[str]:
    """Each food of a list ("soy or eggs", "nuts, eggs and milk")."""
    parts = rx.split(r",\s*|\s+(?:or|and|nor)\s+", object_phrase(foods))
    return [item for item in (_food(part) for part in parts) if item]


# What is never eaten however it is described, which "can't handle", "can't stomach" or "avoid" take as often as a food:
# "cant handle loud music", "I can't do early mornings", "I avoid heavy traffic" (by the lemma of the phrase's last
# word, its head: "loud music" is music, so no food, and never "no loud").
_CONDITIONS = frozenset(CONDITIONS)
_NEVER_EATEN_HEADS = frozenset("music noise sound song heat cold weather crowd people traffic queue morning night "
                               "evening film movie show series stress pressure exam interview deadline height flying "
                               "driving work smoke light screen commute spider needle blood".split())


def _food(food: str) -> str:
    food = object_phrase(food)
    if rx.match(r"(?:after|before|during|until|till|past|between|late|early|at|on|in|out|outside)\b", food, re.I):
        return ""  # when or where, never what: "I don't eat after 8pm", "I not eat out"
    if food.casefold() in _CONDITIONS:
        return ""  # a condition one has not is no food refused: "I don't have asthma"
    if {lemma(word) for word in food.casefold().split()} & (RELATIONS | OTHERS):
        return ""  # a person is never a food: "me and my sister are enemies"
    heads = [lemma(word) for word in food.casefold().split()]
    heads = [word for word in heads if word in _NEVER_EATEN_HEADS or word not in _NOT_FOOD]
    if heads and heads[-1] in _NEVER_EATEN_HEADS:
        return ""
    words = [word for word in food.split() if word.casefold() not in _NOT_FOOD]
    if not words or food.casefold() in _NOT_FOOD:
        return ""
    return " ".join(words)
