"""What the user likes: "I love ...", favourites, pastimes, and what a liking does for them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from memchat.memory import patterns as rx
from memchat.memory.language import cue_set
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import I_AM, OBJECT_END, matches
from memchat.memory.statements import IM_IN, OTHERS, RELATIONS, WILLING, Clause

# What is said of the assistant or of the chat itself is no taste of the user's: "I'm a big fan of your answers",
# "I'm obsessed with this question".
_OF_THE_CHAT = re.compile(r"^(?:your?\b|(?:this|that|these|those) (?:question|questions|answer|answers|idea|chat|"
                          r"conversation|reply|replies|suggestion|suggestions|app|response|one)\b)", re.I)
# A clause taken in whole, its own subject within: "i love my job it makes me happy" is of the job, said twice.
_CLAUSE_IN = r"^(?:i|we)\b|\b(?:i'm|im|we're)\b| it$"
# A word that points at a thing without naming it.
_POINTER = r"(?:this|that|it|them|these|those|him|her|you|this one|that one|this stuff|that stuff)"
# How truly a thing is said to be what it is: "thrifting is genuinely my fav thing ever".
_TRULY = (r"(?:genuinely|honestly|literally|lowkey|low key|probably|definitely|actually|truly|just|basically|"
          r"officially|still|deffo|defo|easily|hands down|100%)")
# A mood of the day (diet.py's refusals for a while are read more narrowly: "3 years sober today" is a diet).
_OF_THE_DAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)


def preference(clause: Clause) -> Iterator[Proposal]:
    # (the clause's own words: "hate horror films with a passion, so for tonight no jump scares" holds a taste)
    if _OF_THE_DAY.search(clause.text):
        return  # a mood of the day is no taste: "I can't stand the heat today", "loving this sunshine this morning"
    for proposal in _preference(_before_the_contrast(clause)):
        if rx.fullmatch(_POINTER, proposal.value, re.I) or rx.search(_CLAUSE_IN, proposal.value, re.I):
            continue  # a pointer names nothing: "I'm obsessed with this", "addicted to it"
        if not _OF_THE_CHAT.search(rx.sub(r"^(?:love|hate|like|enjoy|adore) ", "", proposal.value, flags=re.I)):
            yield proposal


# A clause negated only by what follows its liking: a short contrast ("I like bullet points not essays"), or a
# defiance after it ("yes I'm a Taylor Swift fan, no I will not apologise"). The liking before is read on its own, when
# it has no negation of its own ("I'm not really into jazz" has none before "not" but "I'm", which names nothing).
_CONTRAST = re.compile(r"^(?P<head>.+?)(?:,?\s+(?=not (?:[\w'-]+ ){0,2}[\w'-]+[.!]*$)|"
                       r",\s+(?=(?:no|nope),? (?:i|i'm|im|i'll|i will|regrets|shame|apologies|judgement|judgment)\b))",
                       re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|hardly|barely|cannot|dont|cant|wont|isnt|arent)\b|n't\b", re.I)


# A liking before a comma, negated only by the clause after it: "Really hate the cold, can barely function below 10
# degrees", "I adore dim sum, can't get it round here" (never a question tagged on: "I love jazz, don't you").
_COMMA = re.compile(r"^(?P<head>[^,]+?),\s+(?!(?:don't|dont|do not|doesn't|isn't|aren't|right|no|not)\b)\S", re.I)
# "can't stand" negates nothing: it is a dislike's verb.
_STAND = r"\b(?:can't|cant|cannot) stand\b"


def _before_the_contrast(clause: Clause) -> Clause:
    head = (_CONTRAST.match(clause.text) or _COMMA.match(clause.text)) if clause.negated else None
    if head and not _NEGATION.search(rx.sub(_STAND, "stand", head.group("head"), flags=re.I)):
        return replace(clause, text=head.group("head"), negated=False)
    return clause


def _preference(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    thing = r"(?P<thing>[^,.;!?]+)"
    # With its subject, or dropped as people do in chat ("Love a bit of jazz, me"; never "Like I said..." or
    # "Enjoy your weekend": "like" and the imperative's "your" are left out).
    for match in matches(rf"(?:\b(?:i|we|i've|we've|i have) (?:always |really |absolutely |just |truly |totally |do |"
                         rf"much |far |still |[a-z]+ly )*"
                         rf"(?P<verb>love|loved|adore|adored|enjoy|enjoyed|like|liked|hate|hated|dislike|can't stand|"
                         rf"cant stand|cannot stand|listen to|"
                         rf"prefer|dig|rate|relish|cherish|treasure|luv|lurve|"
                         # the dislikes of a formal hand and of a strong one: "I detest the heat", "I can't abide
                         # loud music", "i despise early mornings"
                         rf"detest|detested|despise|despised|loathe|loathed|abhor|can't abide|cannot abide|"
                         rf"cant abide|can't bear|cannot bear)|"
                         # (after a comma only of a pointer, taken up below: "olives are grapes gone wrong, can't
                         # stand them")
                         rf"(?:^|, (?=(?:really |absolutely |just )?(?:love|luv|adore|hate|can't stand|cant stand|"
                         rf"cannot stand) (?:it|them)\b))(?:really |absolutely |just )?"
                         rf"(?P<dropped>love|luv|lurve|adore|amo|adoro|enjoy|dig|hate|can't stand|cant stand|"
                         rf"cannot stand|detest|despise|loathe|can't abide|cant abide|can't bear|cant bear)"
                         rf"(?= (?!to\b|i\b|me\b|your\b))) {thing}", text):
        if rx.match(r"(?:detest|despise|loathe|abhor|can't|cant|cannot)", match.group("verb") or match.group("dropped"),
                    re.I) and rx.match(r"to\b", match.group("thing"), re.I):
            continue  # a stronger dislike of a doing is a reluctance: "I can't bear to leave", "I loathe to say it"
        value = rx.sub(r"^to (?:go )?", "", _preferred(match.group("thing")), flags=re.I)
        topic = rx.match(_TOPIC, clause.sentence, re.I)
        verb = (match.group("verb") or match.group("dropped")).casefold()
        if topic and rx.fullmatch(r"(?:it|them|these|those)", value, re.I) and not verb.endswith("ed") and not (
                set(topic.group("topic").casefold().split()) & (RELATIONS | OTHERS)):
            value = topic.group("topic")  # "olives are just grapes gone wrong, can't stand them": the olives
        # (liking where one lives is a home, not a liking: "I like living there")
        if value and not rx.match(r"(?:it|that|this|you|when|how|the idea|be|have|get|know|hear|see|my|our|your|his|"
                                  r"living (?:in|there|here)|"
                                  r"nothing|anything|everything|something|"
                                  # (how the user would be called is their name's business, no taste: "at work
                                  # they call me Tom but i prefer full name")
                                  r"(?:full|first|last|real|middle|given|proper|short|whole) name|nickname|surname|"
                                  r"initials|being called|to be called|"
                                  # (a filler word alone names nothing: "Afrobeats is all I listen to honestly")
                                  r"(?:honestly|tbh|lol|too|though|anyway|really|actually|seriously|literally|"
                                  r"either|as well|also|a lot|loads|mostly|greatly|immensely|enormously|hugely|"
                                  r"tremendously|thoroughly|very much|so much|"
                                  # (nor how much, after a cleft: "fly fishing is what I enjoy most")
                                  r"(?:the )?most|best|more than anything|above all)[.!]*$|"
                                  # ("Birdwatching is what we love most about retirement", "What I like most is...")
                                  r"(?:the )?most (?:about|of all|is|are|was|were)\b|"
                                  r"her|their|him|them)\b", value, re.I):
            verb = (match.group("verb") or match.group("dropped")).casefold()
            if verb == "prefer":  # "I much prefer cider to beer": what it is preferred to is no liking
                value = rx.split(r" (?:to|over|rather than|than) ", value, maxsplit=1)[0]
            hates = verb in ("hate", "hated", "dislike") or verb.startswith((
                "detest", "despise", "loathe", "abhor")) or verb.endswith(("stand", "abide", "bear"))
            yield Proposal(Subject.PREFERENCE, f"{verb} {value}" if hates else value)
    patterns = (
        rf"\b(?:big |huge |great |massive )?fan of {thing}",
        # (with how much said between: "i'm literally obsessed with", "I'm kinda addicted to")
        rf"(?:^|\b{I_AM} )(?:(?:really|so|totally|literally|absolutely|completely|honestly|kinda|kind of|lowkey|"
        rf"properly|genuinely|seriously|slightly|a bit|a little|a tad|just|still|weirdly|unhealthily) )*"
        rf"(?:into|obsessed with|passionate about|crazy about|addicted to|"
        rf"mad about) "
        rf"{thing}",
        rf"(?:\bmy |^)(?:favou?rite|fave|fav) (?:\w+ ){{0,6}}?(?:is|are|has to be|would be) {thing}",
        # praise with no verb of liking: "bach is sooo good" (never "the weather is so good")
        rf"^(?!(?:the|this|that|it|today|life|everything|everyone|you|he|she|they|my day|work)\b){thing} (?:is|are|'s) "
        rf"(?:so+|really|just|honestly|absolutely|bloody|pretty|sooo+) (?:good|great|amazing|brilliant|awesome|"
        rf"lovely|gorgeous|delicious|tasty)\b",
        rf"^(?:(?:i|we) )?(?:pretty much|basically|practically|more or less) live on {thing}",
        # (and with the copula of Nigerian English: "gospel music na my favourite")
        rf"^{thing} (?:is|are|na) (?:one of )?my (?:{UTMOST} )?(?:favou?rite|best loved)",
        # a verdict of the best there is: "pineapple on pizza is elite", "a cold Guinness is the finest thing on earth"
        rf"^(?!{_NOT_A_THING}\b)(?:a |an )?{thing} (?:is|are|'s) (?:just |simply |honestly |absolutely |literally )?"
        rf"(?:elite|peak|top tier|top-tier|unbeatable|goated|the (?:finest|greatest|best) [\w-]+ "
        rf"(?:on (?:this|the|god's) (?:earth|planet|green earth)|on earth|in the world|ever(?: made| invented)?|"
        rf"there is|of all time))\b",
        rf"\b(?:i|we) (?:love|like|enjoy) nothing (?:more|better) than {thing}",
        rf"\bthere's nothing i (?:love|like|enjoy) more than {thing}",
        rf"\b{I_AM} (?:always|never not) (?:up for|down for) {thing}",
        rf"\b(?:you )?(?:can't|cannot|cant) beat {thing}",
        # (the subject may be dropped: "Been into chess since I was a kid")
        rf"(?:\b(?:i've|i have|i|we've|we) |^)(?:always |really |properly |long )?(?:got|gotten|been getting|been) "
        rf"(?:really |so |very |big )?into {thing}",
        rf"^{thing} (?:is|are|'s) (?:right |just |totally |very much )?up my (?:street|alley)",
        rf"^(?:my )?(?:weekends|evenings|sundays|saturdays|summers|holidays|days off) are (?:for|made for|all about) "
        rf"{thing}",
        # (and given over to a doing whole: "my weekends are just hiking", "my sundays = baking"; never a chore)
        rf"^(?:my )?(?:weekends|evenings|sundays|saturdays|summers|holidays|days off) (?:are|=) (?:just |basically |"
        rf"all |pretty much |mostly )?(?P<thing>(?!{_CHORE}\b)[a-z]+ing)\b(?! (?:to|for|on|off)\b)",
        rf"\b{I_AM} (?:at my )?happiest (?:when|while) (?:i'm |im |i am )?{thing}",
        # (a time of the week is no taste: "I live for the weekends")
        # a liking under way, its "I" dropped as chat does: "been loving sea shanties on my runs" (never a moment's
        # thing pointed at, or life itself: "loving the weather", "loving life at the moment"; nor a place named alone,
        # where one is for now: "loving Lisbon so far")
        rf"(?:^|\b(?:{I_AM}|i've been|ive been|been)\s+)(?:really |totally |absolutely |seriously |properly )?loving "
        rf"(?!(?:the|this|that|these|those|it|my|your|our|his|her|their|every|how|what|being|having|life|you|him|"
        rf"them|us|everything|all)\b)(?!(?-i:[A-Z])[\w'-]*(?: (?-i:[A-Z])[\w'-]*)*(?:\s*$|\s*[,.;!?]| (?:so far|"
        rf"already|lately|at the moment|right now)\b)){thing}",
        rf"\bi live for (?!(?:the )?(?:weekends?|fridays?|saturdays?|sundays?|holidays?|summers?|payday|my days off)\b)"
        rf"{thing}",
        r"\b(?:i|we) (?:usually |always |often |still )?(?:play|go|do|watch|listen to|read) "
        r"(?!(?:to|the|my|back|home|out|for|in|on|it|that|this)\b)(?P<thing>[\w' -]{2,30}?) "
        r"(?:(?:every|most|each) (?:day|week|weekend|morning|evening|night|saturday|sunday|monday|tuesday|"
        r"wednesday|thursday|friday)s?\b|whenever (?:i|we) (?:can|get the chance|get a chance)\b|as often as (?:i|we) "
        r"can\b)",
        rf"^{thing} (?:is|are) my (?:weakness|obsession|religion|everything|fave|fav)\b",
        # what one unwinds with, and what one is there for: "After work I unwind with bouldering", "Anything with ramen
        # and I'm there"
        rf"\bi (?:unwind|relax|chill|switch off|decompress) (?:with|by) {thing}",

        # what the user cannot do without, and what nothing else comes close to
        rf"\b(?:can't|cannot|cant|couldn't) (?:live|get through|survive|cope|function|go|last|manage|do)"
        rf"(?: (?:a|one|the|my|even) (?:day|week|month|weekend|morning|evening|single day))? without "
        rf"(?!(?:my|our|your|a|an|the|it|them|you|him|her)\b){thing}",
        rf"^(?!(?:i|we|you|he|she|they|it|that|this)\b){thing},? (?:all the way|every time)\b.*\bnothing (?:else )?"
        rf"(?:comes close|compares)\b",
        rf"^(?!(?:i|we|you|he|she|they|it|that|this)\b){thing},? nothing (?:else )?(?:comes close|compares)\b",
        # (how truly said between, a favourite as chat clips it, and a thing that is all the user is: "thrifting is
        # genuinely my fav thing ever", "roots reggae is my ting", "matcha is my entire personality")
        rf"^(?:honestly,? )?{thing} (?:is|are) (?:{_TRULY} )*(?:my (?:{UTMOST} )?(?:favou?rite|fave|fav)|"
        rf"the best thing|my guilty pleasure|my happy place|my passion|my hobby|my thing|my ting|"
        rf"my (?:entire|whole) personality)\b",
        rf"\bnothing beats {thing}",
        rf"^(?:the )?(?:best|favou?rite|happiest) (?:part|bit|hour|moment) of my (?:day|week|weekend|month|year) "
        rf"(?:is|has to be) {thing}",
        rf"\b(?:highlight) of my (?:day|week|weekend|month|year) (?:is|has to be) {thing}",
        rf"^{thing} on (?:repeat|a loop|loop)\b",
        # (for as long as it lasts, the "I" dropped too: "could eat thai curry every day tbh", "I could listen to sea
        # shanties for hours")
        rf"(?:^|\bi )could (?:happily )?(?:listen to|watch|eat|read|play|drink) {thing} (?:all day|for hours|forever|"
        rf"every day|every night|on repeat|all night)",
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
        # (and without its "of", as it is said: "Can't get enough curling in the winter"; never a pointer or an amount:
        # "can't get enough sleep")
        rf"\b(?:can't|cannot|cant) get enough (?:of )?(?!(?:sleep|time|rest|money|work|hours|done|of)\b){thing}",
        # the only one of its kind the user cares for: "basketball is the only sport i care abt", "jazz is the only
        # music we listen to"
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are) (?:honestly |literally |genuinely |basically )?the only "
        rf"(?!(?:person|people|one|man|woman|guy|girl|boy|human|friend|thing)\b)(?:[\w-]+ ){{1,2}}"
        rf"(?:i|we) (?:really |actually |even |genuinely )?(?:care (?:about|abt|for)|listen to|watch|"
        rf"read|play|follow|eat|drink|like|love|enjoy)\b",
        # a thing as one takes it, the more of a quality the better: "horror movies every friday night, the cheesier
        # the better", "coffee, the stronger the better" (never haste: "the sooner the better")
        # (a name alone is called to: "Sam, the louder the better")
        rf"^(?!{_NOT_A_THING}\b)(?!(?-i:[A-Z][a-z]+),)(?P<thing>[\w' -]{{2,30}}?)"
        rf"(?: (?:every|on|most) [\w ]{{2,20}}?)?,? the (?!(?:sooner|quicker|faster|earlier|quieter)\b)"
        rf"\w+(?:er|est) the better\b",
        # what one adds to everything, and an act seen live again and again: "I put peri-peri on literally everything",
        # "seen Taylor Swift live four times"
        rf"\b(?:i|we) (?:put|add|pour|sprinkle|dump|have) (?!(?:my|our|your|the|a|an|it|them|this|that|his|her|their|"
        rf"stickers|labels|names?)\b){thing} (?:on|in|with) (?:literally |basically |pretty much |"
        rf"almost )?(?:everything|anything)\b",
        rf"(?:^|\b(?:i've|i have|ive|i) )seen {thing} live (?:\w+ times|loads|so many times|countless times)\b",
        rf"\b(?:a )?(?:sucker|soft spot) for {thing}",
        # a liking named by its noun, as a formal hand puts it: "I take great pleasure in gardening", "I derive much
        # enjoyment from bridge", "I have a great love of choral music", "I have always had a passion for steam
        # engines" (never one that was: "I had a passion for...", a past clause)
        rf"\b(?:i|we) (?:\w+ly )?(?:take|find|derive|get|(?:have|'ve)(?: always| long)?(?: had)?) "
        rf"(?:great |much |real |enormous |immense |such |no end of |(?:a|an) (?:great |deep |real |lifelong |"
        rf"life-long |particular |special |keen |abiding |enduring |genuine )?)?"
        rf"(?:pleasure|enjoyment|delight|joy|love|passion|fondness|affection) (?:in|from|of|for) "
        rf"(?!(?:my|our|his|her|their|your|him|them|you|it|this|that|"
        # (nor news given: "I take pleasure in telling you")
        rf"telling|informing|saying|letting|announcing|confirming|reporting|welcoming|introducing)\b){thing}",
        # (and the other way round, the thing first: "Gardening has always been a great joy to me")
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are|has always been|have always been|has long been|remains?) "
        rf"(?:a |an |such a |such an )?(?:great |real |constant |lifelong |life-long |endless |enduring |particular )?"
        rf"(?:joy|pleasure|delight|passion|love) (?:to|for|of) me\b",
        # one who takes a thing in avidly: "I am an avid reader of crime novels"
        rf"\b{I_AM} (?:an? )?(?:avid|keen|devoted|voracious|lifelong|passionate) (?:reader|collector|follower|watcher|"
        rf"listener|player|viewer|consumer) of {thing}",
        rf"\b(?:never (?:get|grow) tired of|never say no to) {thing}",
        rf"\bin my (?:free|spare|own) time,? (?:i|we) (?:love to |like to )?(?:play|do|go|watch|read|paint|cook|bake|"
        rf"sing|draw|write|run|swim|cycle|garden|knit|sew) {thing}",
        rf"^{thing} (?:makes|make) me (?:so |really )?(?:happy|smile)",
        # what it brings the user, and how much of their life it is: "old maps bring me so much joy", "salsa dancing is
        # a huge part of my life" (never one's people or work: "my kids bring me joy")
        rf"^(?!{_NOT_A_THING}\b){thing} (?:brings?|gives?) me (?:so much |such |pure |real |genuine )?(?:joy|peace)\b",
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are) (?:a|such a) (?:big|huge|massive|major) part of my life\b",
        rf"^{thing} (?:is|are) the best\b",
        rf"^{thing} (?:is|are) my go-to\b",
        rf"\b(?:{I_AM} )?(?:really |very |so )?(?:fond of|keen on|partial to) {thing}",
        rf"\bget (?:a |such a )?(?:real |huge |big )?kick out of {thing}",
        rf"\b{I_AM} all about {thing}",
        # (the "I'm" dropped too: "seriously hooked on wordle", "huge on Formula 1 this season")
        rf"(?:\b{I_AM} |^)(?:totally |completely |really |so |seriously |properly |well |absolutely )?(?:hooked on|"
        rf"big on|huge on|a big believer in|nuts about|wild about) {thing}",
        rf"\bnothing makes me (?:happier|happy|smile more) than {thing}",
        rf"(?:\bthere's |^)nothing (?:quite )?(?:like|better than) {thing}",
        # (a kind of person one is, never a character or a superlative: "I am the clumsiest person alive")
        # (however much so: "I'm such a beach person", "a proper dog person")
        rf"\b{I_AM} (?:a |an |such a |such an |(?:a |an )?(?:proper|total|massive|complete) )?(?:big |huge |real )?"
        rf"(?P<thing>(?!{_CHARACTER}\b|(?:a|an)\b|[\w-]{{2,}}est\b)[\w-]+(?: [\w-]+)? person)\b",
        # and with the "I'm" dropped, the whole clause the kind of person: "Night owl person, not a lark" (never "Not
        # a morning person": the negated clause is not read; nor "good person", a character, see _CHARACTER)
        rf"^(?:a |an )?(?:big |huge |real )?(?P<thing>(?!{_CHARACTER}\b)[\w-]+(?: [\w-]+)? person)[.!]*$",
        rf"^{thing} (?:is|are) (?:life|everything|my jam|my favourite|my favorite)\b",
        # with how much said, or its joy named: "Bach is totally my jam", "jazz is such a vibe", "hiking is pure joy",
        # "sea shanties just hits different", "sailing on Sundays is the highlight of my week"
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are|'s) (?:totally |so |just |honestly |really |absolutely |literally |"
        rf"very much |always )?(?:my jam|such a vibe|a vibe|a whole vibe|pure joy|pure bliss|bliss|heaven|pure heaven|"
        rf"my happy place|the highlight of my (?:day|week|weekend|month|year)|the best part of my (?:day|week|"
        rf"weekend))\b",
        rf"^(?!{_NOT_A_THING}\b)(?P<thing>[^,.;!?]+?) (?:just |really |honestly |always )?(?:hits|hit) different\b",
        # a treat one gives oneself, and what a whole collection is: "I treat myself to pistachio ice cream every
        # payday", "my whole playlist is bach"
        rf"\b(?:i|we) (?:always |often |usually |sometimes )?treat (?:myself|ourselves) to {thing}",
        rf"^my (?:whole |entire )?(?:playlist|spotify|record collection|bookshelf|bookshelves|watchlist|"
        rf"watch list|library|wardrobe) (?:is|are) (?:just |all |basically |pretty much |mostly )?{thing}",
        # a thing every time, and without question: "bach all day every day", "ramen every friday, non negotiable"
        rf"^(?!{_NOT_A_THING}\b){thing},? all day,? every day\b",
        rf"^(?!{_NOT_A_THING}\b)(?P<thing>[\w' -]{{2,30}}?)(?: every \w+)?,? (?:non[- ]negotiable|no exceptions)\b",
        # a thing named, then called one's own by a pointer, and a choice made every time: "Bluegrass, that's my jam",
        # "I always go for the aisle seat"
        rf"^(?:mostly |all |just |definitely )?(?!{_NOT_A_THING}\b){thing},? (?:that's|thats|that is|it's|its) "
        rf"(?:my|our) (?:thing|jam|vibe|music|genre|happy place|religion)\b",
        # (never a pastime gone for: "I always go for a run")
        rf"\b(?:i|we) (?:always|usually|invariably|nearly always|almost always) (?:(?:pick|choose|book) "
        rf"(?:the |a |an )?|(?:go for|opt for) (?:the )?)(?!(?:the|a|an|same|wrong|cheapest|first|last|one|it|that|"
        rf"this|them|my|our|up|out|on|at|to|from|between|whatever|whichever)\b){thing}",
        # what the user lives by, and what they put first against another: "chess is my whole world", "Oat milk over
        # dairy every time" (what it is put before is no liking)
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are|'s) (?:my|our) (?:whole )?(?:life|world|religion)\b",
        # (the whole clause, or "over" is a place: never "Flying over the Alps every time is a thrill")
        rf"^(?!{_NOT_A_THING}\b)(?P<thing>[^,.;!?]+?) (?:over|>|before|instead of) [\w' -]+? "
        rf"(?:any day|every time|any time|anytime|every day|always|all day)(?: (?:for me|tbh|honestly|imo|lol))?[.!]*$",
        # what a pastime does for its lover: "jazz keeps me sane", "nothing relaxes me like kayaking",
        # "you'll usually find me fishing on Sundays", "k-pop never gets old", "give me ramen any day"
        # (the thing of "X is what keeps me sane" is read by the cleft below: never "X is what")
        rf"^(?![^,.;!?]* (?:is|are|'s) what\b){thing} (?:keeps|keep|makes|make|gets|get) me (?:sane|going|happy|calm|"
        rf"smiling|grounded)\b",
        # a thing put first, then called what the user does with it or what it does for them (a cleft): "yoga every
        # morning is the one thing I look forward to", "Afrobeats is all I listen to", "gardening is what keeps me
        # sane" (never a chore, a person or a pointer: "Work is what keeps me going")
        rf"^(?!{_NOT_A_THING}\b){thing} (?:is|are|'s) (?:what|all|the (?:one|only) thing|the thing)(?: that| which)? "
        rf"(?:(?:i|we) (?:\w+ )?(?:listen to|eat|watch|read|play|look forward to|live for|"
        # (and what the user likes best, by any verb of liking: "fly fishing is what I enjoy most", "opera is the
        # thing we love above all")
        rf"(?:love|enjoy|like|adore|relish) (?:the )?(?:most|best|above all|more than anything))\b(?! \w+ing\b)|"
        rf"(?:keeps|gets|makes) me (?:sane|going|happy|calm|smiling|grounded|through)\b)",
        # and the other way round, the thing after its copula: "the thing I look forward to all week is Thursday salsa"
        r"^(?:the )?(?:one |only |main )?(?:thing|things|what) (?:that )?(?:i|we) (?:\w+ )?(?:look forward to|"
        r"live for|can't live without|cannot live without|couldn't live without|can't do without|couldn't do without)"
        r"(?P<thing>(?: most| the most| all week| all day)? (?:is|are|has to be|would be) [^,.;!?]+)",
        # an allegiance for life: "Arsenal till I die" (never a burden: "paying this mortgage till I die")
        rf"^(?!{_NOT_A_THING}\b)(?P<thing>[\w' .&-]{{2,30}}?),? (?:till|until|'til|til) (?:i die|the day i die)\b",
        rf"\bnothing \w+s me (?:like|more than|better than) {thing}",
        rf"\b(?:you'll|you will|you can|you'd) (?:usually |always |often |mostly )?find me {thing}",
        rf"^{thing} never (?:gets|get|grows|grow) old\b",
        r"^give me (?P<thing>[^,.;!?]+?) (?:any day|any time|anytime|every time|over anything)\b",
        rf"\b(?:i've got|i have|i've|i got|i have got) (?:a |such a )?(?:real |huge |big |massive )?(?:thing|weakness|"
        rf"soft spot|passion|love) for {thing}",
        # a thing watched or read again and again: "been bingeing old sitcoms all week", "my third rewatch of ..."
        rf"(?:^|\b(?:been|i've been|i'm|im|i am|currently|just) )(?:(?:{_AGAIN})ing|binging) {thing}",
        # (and as a habit: "I binge true crime documentaries every weekend"; never "I binge eat", "binge on crisps")
        rf"\b(?:i|we) (?:often |always |usually |still )?(?:{_AGAIN}) (?!(?:eat|eating|drink|drinking|on|it|them|"
        rf"that|this)\b){thing}",
        rf"\bmy (?:\w+ )?(?:{_AGAIN}) of {thing}",
        # a willingness to have it at every turn: "I'd happily eat ramen for every meal" (the clause reader keeps this
        # "I'd" as a statement of taste, `statements._HYPOTHETICAL`)
        rf"{WILLING} {thing}",
        # any excuse taken, and a season of it counted down to: "Any excuse for ramen", "counting down to hiking season"
        rf"^(?:any|every) excuse (?:for|to (?:eat|have|go|get|watch|play|listen to)) {thing}",
        r"\b(?:counting down to|counting the days (?:to|till|until)|can't wait for|cant wait for|looking forward to|"
        r"roll on|bring on) (?:the )?(?P<thing>[a-z]+ing) season\b",
        # a thing that has the user in at its mention: "If it's ramen, count me in"
        rf"^if it's {thing},? (?:{IM_IN})\b",
        # what one's days turn on, what alone calms one, a habit of it, all of it seen: "Every holiday we book
        # revolves around fishing", "sailing is the only thing that switches my brain off", "my ramen habit", "I've
        # seen every episode of old sitcoms"
        rf"^(?:somehow )?(?:my|our|every|all (?:my|our)) [\w ]{{0,30}}?{REVOLVES} {thing}",
        # (after what leads up to it, and as it goes on: "..., surfing is the only thing keeping me sane")
        rf"(?:^|,\s*){thing} (?:is|are) the only thing (?:that |which )?(?:\w+s|\w+ing) (?:me|my)\b",
        rf"^(?:my|our) (?P<thing>[\w' -]{{2,30}}?)(?<!ing) {HABITS}",
        rf"\b(?:seen|watched|read|heard|played) {ALL_OF} {thing}",
        # what cannot be resisted, where every spare minute goes, what one seeks out first: "I can never resist dark
        # chocolate", "Every spare minute goes on chess", "First thing I do on holiday is find the nearest ramen place"
        rf"\b(?:can't|cannot|cant|can never|could never) resist {thing}",
        rf"^every (?:spare|free) (?:minute|moment|second|hour|evening|weekend) (?:goes|go) (?:on|into) {thing}",
        r"^(?:the )?first thing (?:i|we) do\b.*\b(?:find|look for|hunt down|track down|seek out) the (?:nearest|best|"
        r"closest) (?P<thing>[\w' -]{2,30}?) (?:place|shop|restaurant|bar|spot|stall|cafe|café)\b",
    )
    # a dislike told by its verdict or its effect, copied whole: "coriander tastes like soap", "clutter stresses me out"
    for match in matches(rf"^(?!{_NOT_A_THING}\b)(?P<thing>[\w' -]{{2,30}}?) (?:is|are|tastes?|smells?|feels?) "
                         rf"(?:so |just |absolutely |really |literally |honestly |properly |genuinely )?"
                         rf"(?:[\w-]+,? and )?{_VILE}|"
                         rf"^(?!{_NOT_A_THING}\b)(?P<nerve>[\w' -]{{2,30}}?) (?:really |honestly |just |genuinely |"
                         rf"properly )?{_NERVES}", text):
        if len(match.group(0).split()) <= 8:
            yield Proposal(Subject.PREFERENCE, match.group(0))
    fronted = rx.match(r"^(?:a bit of |some |a little |a good |a )?(?P<thing>[\w' -]{2,40}?)(?: on [\w ]{2,25})?, ",
                       clause.sentence, re.I)
    for pattern in patterns:
        # (a thing put first is the clause's whole subject, where and how kept: "pottering in the garden is my
        # favourite thing", never "pottering")
        first = pattern.replace("(?:honestly,? )?", "").startswith(f"^{thing}")
        for match in matches(pattern, text):
            value = _preferred(match.group("thing"), whole=first)
            if value.casefold() in ("it", "that", "them") and fronted:
                value = fronted.group("thing")  # "A bit of jazz on a Sunday, you can't beat it": what was put first
            if value:
                yield Proposal(Subject.PREFERENCE, value)
    # a role the thing plays for the user, named by a word for comfort or pleasure (by lemma, so every form of it
    # counts): "ramen is my comfort food", "jazz is my escape", "crosswords are my little treat"
    # (how much said before it, and "now" after: "parkrun every saturday is basically my church now")
    role = rx.match(r"^(?P<thing>[^,.;!?]+?) (?:is|are|'s) (?:basically |literally |honestly |just |kind of |kinda |"
                    r"pretty much |officially )?(?:my|our) (?P<role>[\w' -]{2,30}?)(?: (?:now|tbh|honestly|lol|fr))?"
                    # (or with a word to the assistant after its comma: "true crime podcasts are my comfort listen, is
                    # that weird")
                    r"(?:[\s.!]*$|,\s*(?=(?:is|isn't|am|right|lol|haha|ngl|tbh|honestly|idk)\b))", text, re.I)
    if role and ROLES & cue_set(role.group("role")):
        value = _preferred(role.group("thing"))
        if value:
            yield Proposal(Subject.PREFERENCE, value)
    # a liking told by what one always orders or by calling it one's favourite: "If there's ramen on the menu, I'm
    # ordering it", "sailing every weekend if the weather holds, its my favourite thing"
    ordered = rx.search(r"^(?:if|whenever) there's (?P<thing>[\w' -]{2,30}?) on the menu,? (?:i'm|i am|i'll|i) "
                        r"(?:always )?"
                        r"(?:ordering|order|getting|get|having|choosing)\b", clause.sentence, re.I) or rx.search(
        r"^(?P<thing>[\w' -]{2,30}?) (?:every|most|on|at|whenever)\b[^,]*,? (?:it's|its|that's|thats) (?:my|the) "
        r"(?:favou?rite|best) (?:thing|part)\b", clause.sentence, re.I)
    if ordered and ordered.group("thing") in text:
        yield Proposal(Subject.PREFERENCE, ordered.group("thing"))
    # a day spent at a thing and called the best of its week: "spent another saturday fishing and caught nothing, still
    # the best day of my week", "spent my whole sunday with old jazz records, honestly the best day of the week"
    spent = rx.search(r"^(?:i |we )?spent (?:my |our |another |all |the )?(?:whole |entire )?(?:sunday|saturday|"
                      r"weekend|day|evening|afternoon|morning|friday night|saturday night)s? (?:with |on |doing )?"
                      r"(?P<thing>(?!(?:the|my|our|a|an|some|it|that|this|them|his|her|their|at|in|with)\b)"
                      r"[\w' -]{2,30}?)(?= and\b|\s*[,.;!?]|$)", clause.sentence, re.I)
    if spent and spent.group("thing") in text and rx.search(r"\bbest (?:day|part|bit|time) of (?:the|my|our) "
                                                              r"(?:week|weekend|month|year)\b", clause.sentence, re.I):
        words = set(spent.group("thing").casefold().split())
        # (never company kept: "with my kids", "with Tom and Ana")
        if not rx.match(_CHORE, spent.group("thing"), re.I) and not words & (RELATIONS | OTHERS) and not (
                spent.group("thing")[0].isupper() and rx.search(r"\bwith $", spent.string[:spent.start("thing")])):
            yield Proposal(Subject.PREFERENCE, spent.group("thing"))
    there = rx.search(r"^(?:anything|something) with (?P<thing>[^,.;!?]+?) and (?:i'm|im|i am) (?:there|in|sold)[.!]*$",
                      clause.sentence, re.I)
    if there and there.group("thing") in text:  # "Anything with ramen and I'm there"
        yield Proposal(Subject.PREFERENCE, there.group("thing"))
    # a liking put as an order with its reward: "Give me some board games and a blanket and I'm sorted"
    given = rx.search(r"^give me (?:some |a bit of |a good |a |an )?(?P<thing>[^,.;!?]+?)(?: and [^,.;!?]+?)? and "
                      r"(?:i'm|im|i am) (?:sorted|happy|set|content|in heaven|good to go)\b", clause.sentence, re.I)
    if given and given.group("thing") in text:
        yield Proposal(Subject.PREFERENCE, given.group("thing"))
    put_on = rx.search(r"^(?:just )?put on (?:some |a bit of )?(?P<thing>[\w' -]{2,30}?) and (?:i'm|im|i am) "
                       r"(?:happy|content|sorted|set)\b", clause.sentence, re.I)
    if put_on and put_on.group("thing") in text:  # "Put on some jazz and I'm happy for hours"
        yield Proposal(Subject.PREFERENCE, put_on.group("thing"))
    # a list under a heading that names the liking: "Things I love: ramen, jazz and long walks", "Stuff I hate - crowds"
    listed = rx.search(r"^(?:(?:the )?(?:things|stuff)|what) (?:i|we) (?:really |truly )?"
                       r"(?P<verb>love|like|enjoy|adore|hate|can't stand|cant stand)(?: most)?\s*[:\u2013\u2014-]\s*"
                       r"(?P<items>[^.!?;]+)", clause.sentence, re.I)
    if listed:
        hates = listed.group("verb").casefold() in ("hate", "can't stand", "cant stand")
        for item in rx.split(r",\s*(?:and\s+)?|\s+and\s+", listed.group("items")):
            value = _preferred(item)
            if value and len(value.split()) <= 4:
                yield Proposal(Subject.PREFERENCE, f"{listed.group('verb').casefold()} {value}" if hates else value)
    # a pastime one is out at whenever one can: "Whenever I can, I'm out sailing"
    if rx.search(r"\b(?:whenever|every chance|any chance|every weekend|most weekends)\b", clause.sentence, re.I):
        for match in matches(rf"^{I_AM} (?:always |usually )?(?:out|off) (?P<thing>[a-z]+ing)\b", text):
            yield Proposal(Subject.PREFERENCE, match.group("thing"))
    keen = r"(?:(?:a |an )?(?:huge|big|massive|great|die-hard|lifelong|total|keen|devoted|proper) )"
    # (one who drinks or eats a thing is its lover only when keen: "a big tea drinker", never "a social drinker")
    # (the fan one has long been too: "I've been a Bach fan since I was a teen")
    being = rf"(?:{I_AM}|(?:(?:i've|i have|ive) )?(?:always |long )?been)"
    for match in matches(rf"(?:^(?!{being} )(?![^,.;!?]*\b{being} )|\b{being} )(?:{keen}?(?P<thing>[\w' -]{{2,40}}?) "
                         rf"(?:fan|lover|enthusiast|nerd|geek|buff)|"
                         rf"{keen}(?P<drunk>[\w' -]{{2,40}}?) (?:drinker|eater))"
                         rf"(?: here)?\b(?! of)", text):
        # (the article of "I'm a Coldplay fan" is the fan's, not the band's)
        value = _preferred(rx.sub(rf"^(?:{keen}|(?:a|an) )", "", match.group("thing") or match.group("drunk"),
                                  flags=re.I))
        # (never the "I'm" a word before it took in: "Yep I'm a Coldplay fan" is of Coldplay)
        if value and not rx.match(r"(?:a|an|the|not|no)$", value, re.I) and not rx.search(rf"\b{I_AM}\b", value,
                                                                                          re.I):
            yield Proposal(Subject.PREFERENCE, value)


def _preferred(thing: str, whole: bool = False) -> str:
    # (what the user is now, told before the thing and joined to it, is no part of it: "Retired now and gardening is
    # what keeps me sane")
    thing = rx.sub(r"^[^,]*?\b(?:now|these days|nowadays|lately)(?:,)? (?:and|so) ", "", thing.strip(), flags=re.I)
    # (a cleft the other way round names its thing after the copula: "What I love most is a long bike ride", "the one
    # thing I can't live without is my coffee"; never one of the past: "What I loved most was the beach")
    if rx.match(r"(?:(?:the )?most |more than anything |above all |best )?(?:was|were)\b", thing, re.I):
        return ""
    thing = rx.sub(r"^(?:(?:the )?most |more than anything |above all |best |all week |all day )?(?:is|are|has to be|"
                   r"would be) (?:(?:my|our) )?(?!(?:that|when|how|what|you|him|her|them|it|this)\b)", "", thing,
                   flags=re.I)
    if rx.match(r"(?:is|are|has to be|would be)\b", thing, re.I):
        return ""
    whole = whole and bool(rx.match(r"[a-z]+ing\b", thing.strip(), re.I))
    value = thing.strip() if whole else OBJECT_END.sub("", thing).strip()
    value = rx.sub(r"^(?:a (?:bit|spot|drop|slice|plate|bowl) of|a good|a nice|some good) ", "", value, flags=re.I)
    value = rx.sub(r"\s+(?:to coffee|to tea|over \w+|than \w+|to relax|on a \w+ night|ever invented)$", "", value)
    return value if 0 < len(value.split()) <= 6 else ""


# What a sentence opens with, bare (no determiner, so of a kind, not of one thing), that a pointer after a liking
# takes up: "pls no mushrooms i hate them", "ube anything, i love it", "olives are grapes gone wrong, can't stand them"
# (never an exclamation or a word of the moment: "thanks, i love it", "gorgeous, love it").
_TOPIC = (r"^(?:(?:pls|please|honestly|ugh|tbh|ok|okay|but|and|so),? )*(?:no )?"
          r"(?P<topic>(?!(?:i|we|you|he|she|they|it|this|that|these|those|the|my|our|your|his|her|their|a|an|work|"
          r"life|today|tomorrow|yesterday|tonight|everything|everyone|nothing|there|here|what|which|thanks|thank|wow|"
          r"omg|lol|haha|yes|yeah|yep|no|nope|ok|okay|oh|aw|aww|ah|honestly|seriously|sorry|hi|hey|hello|cool|nice|"
          r"great|perfect|amazing|done|same|true|right|well|also|ugh|yay|wait|beautiful|lovely|gorgeous|brilliant|"
          r"awesome|wonderful|fantastic|excellent|cute|funny|hilarious|good|bad|fine|sure|love|hate|like|new|old|first|"
          r"last|next)\b)"
          r"[a-z][\w'-]*(?: (?!(?:i|is|are|anything)\b)[a-z][\w'-]*)?)"
          r"(?= (?:are|is|anything|taste|tastes|smell|smell)\b|\s*[,.!]| i\b)")


# A doing that fills days without being liked: "my weekends are just working".
_CHORE = (r"(?:working|cleaning|studying|revising|commuting|waiting|caring|chasing|recovering|ironing|washing|"
          r"nothing|sleeping|driving|travelling|traveling|packing|moving|marking|grading|running around)")


# How far a favourite outdoes the rest: "my absolute favourite", "my all-time favourite".
UTMOST = r"(?:absolute|all-time|all time|very|total|ultimate|number one|top|most|forever|actual)"
# What "X person" says of a character, not of a taste: "good person", "people person" is a taste.
_CHARACTER = (r"(?:good|nice|bad|kind|private|shy|different|better|new|normal|real|other|decent|horrible|lovely|"
              r"terrible|busy|tired|old|young|single|sensitive|patient|calm|anxious|quiet|happy|sad|grown|whole|"
              r"same|only|the|this|that|no|weird|strange|funny|simple|difficult|easy|sensible|practical|positive|"
              r"negative|crazy|mad|lucky|fussy|picky|lazy|social|visual|creative|organised|organized|messy|tidy|"
              r"spontaneous|competitive|stubborn|impatient|emotional|logical|sorry|honest|genuine|free|quick|slow|"
              r"difficult|complicated|nervous|worried|stressed|morning-ish|hands-on|nosy|proud|jealous)")
# What opens a clause without being a thing liked: a person, a pointer, the day, one's own things.
_NOT_A_THING = (r"(?:i|we|you|he|she|they|it|this|that|the|my|our|your|his|her|their|work|life|today|everything|"
                r"everyone|nothing|give me|there|here|which|what)")
# A thing's verdict of disgust, said of it as it is ("coriander tastes like soap", "mushrooms are slimy and
# disgusting"), and what it does to the user's nerves ("clutter stresses me out", "loud chewing drives me mad"): a
# dislike kept in the user's words, the verdict with the thing, as "hate X" is.
# (and the worst of its kind: "eggplant is the worst veggie"; never the worst part of a thing)
# (its kind named, never a person's: not "Mondays are the worst when...", "Sam is the worst driver")
_VILE = (r"(?:the worst (?!(?:part|bit|thing|day|time|moment|idea|of|about|when|if|because|since|as|at|in|on|for|"
         r"and|but|so|to|with|ever|by|imo|tbh|lol|person|people|human|man|woman|guy|girl|boy|driver|player|singer|"
         r"actor|actress|teacher|boss|friend|neighbour|neighbor|parent|mum|dad|mom|brother|sister|husband|wife|"
         r"partner|cook|chef|manager|coworker|colleague|roommate|flatmate|landlord|landlady|team|club|company|"
         r"customer|client|president|politician|liar|dancer|writer|listener|texter|loser|kind of person)\b)[a-z]+|"
         r"disgusting|gross|vile|revolting|rank|foul|nasty|minging|rancid|inedible|like (?:soap|cardboard|feet|dirt|"
         r"mud|bleach|perfume|wet socks|sweaty socks|old socks|petrol|medicine|ash|death))")
_NERVES = (r"(?:(?:stresses|stress|freaks|freak|creeps|creep|grosses|gross) me out|(?:drives|drive) me "
           r"(?:mad|crazy|nuts|insane|up the wall|round the bend|bonkers)|(?:does|do) my head in|"
           r"(?:makes|make) my skin crawl|(?:sets|set) my teeth on edge|(?:gives|give) me the (?:creeps|ick)|"
           r"(?:makes|make) me (?:anxious|twitchy|uneasy|tense|stressed|irrationally angry|rage))")

# What one's days turn on, and all of a thing taken in: "revolves around fishing", "every episode of".
REVOLVES = r"(?:(?:revolves?|revolving|centres?|centers?|centred|centered) around|ends? up being (?:all )?about)"
# A thing one has a habit of: "my ramen habit" (a habit of doing is no liking: "my smoking habit").
HABITS = r"(?:habit|addiction)\b"
ALL_OF = r"every (?:single )?(?:episode|season|series|book|album|film|game) of"
# What is watched, heard or read again and again, as a verb's stem and a noun: "bingeing", "a rewatch of".
_AGAIN = r"binge|binge-watch|rewatch|re-watch|reread|re-read|relisten"

# The roles a liked thing plays for the user, by lemma: "X is my comfort food / escape / treat / therapy".
ROLES = frozenset("comfort pleasure treat therapy escape vice indulgence weakness obsession passion love "
                  "favourite favorite fave joy happy relax unwind sanity lifeline "
                  # what one keeps faith with: "parkrun is basically my church now", "the allotment is my sanctuary"
                  "church sanctuary religion ritual".split())
