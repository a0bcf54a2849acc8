"""What a message states about its writer: its clauses, with who each is about, and whether it is negated
or past.

Memory learns only from the user's own statements. Code, quoted text and pasted documents are someone
else's words; questions, requests, hypotheticals and reported speech state nothing about the user; a
clause whose subject is another person ("my sister lives in Leeds") is about them. What is left is read
clause by clause: "I grew up in Leeds but moved to York" holds a past clause and a present one.

Written by hand: a dependency parser (spaCy, Stanza) would find subjects and negation scope more
generally, but needs a model of tens of megabytes and seconds to load in a Lambda; these messages are
short, and the cues below are what the phrasing bank's dev half needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from memchat.memory import patterns as rx
from memchat.memory.language import cue_set, lemma, root_set, tokens
from memchat.memory.occupations import OCCUPATIONS


class Speaker(StrEnum):
    """Whom a clause is about."""

    USER = "user"  # "I live in Graz", "my flat in Graz", "Living in Graz has been..."
    KIN = "kin"  # "my sister lives in Leeds": the user's relative (a family fact, nothing else)
    OTHER = "other"  # "he moved to Leeds", "Sam told me..."


@dataclass(frozen=True)
class Clause:
    text: str  # as written, capitals kept
    sentence: str  # the whole sentence it is in, for phrasings that span clauses ("Ana, my son, ...")
    words: tuple[str, ...]  # casefolded tokens
    roots: frozenset[str]  # every word's lemma and roots (language.root_set)
    cues: frozenset[str]  # those and the bases of derived words (language.cue_set): what cue lexicons are keyed on
    speaker: Speaker
    negated: bool  # "I can't eat shellfish", "I'm not vegan", "I've never lived in Oslo"
    unrelated: bool  # the relation itself is denied: "I don't have a dog", "I'm not married to Sam"
    past: bool  # "I used to live in Oslo", "back when I was a nurse": history, not the present
    ahead: bool  # "I'm moving to Oslo in June", "I start as a nurse next month": not yet the present


RELATIONS = frozenset(
    "wife husband partner spouse fiance fiancee fiancé fiancée girlfriend boyfriend kid kids child children son sons "
    "daughter "
    "daughters baby babies twin twins mum mom mother dad father parent parents sister sisters brother brothers "
    "sibling siblings grandson granddaughter grandchild grandchildren grandma grandmother grandpa grandfather "
    "granny grandad grandparent grandparents aunt uncle cousin niece nephew stepson stepdaughter stepmother "
    "stepfather youngest eldest oldest dog dogs cat cats puppy kitten rabbit hamster parrot pet pets horse "
    "family in-laws hubby wifey missus boy boys girl girls stepdad stepmum stepmom stepsister stepbrother "
    "half-sister half-brother godson goddaughter godchild nan nana nanna gran grandkid grandkids toddler newborn "
    "granddad grandmum grandmom great-grandmother great-grandfather "
    "teenager mother-in-law father-in-law sister-in-law brother-in-law son-in-law daughter-in-law tortoise "
    "guinea budgie parakeet goldfish ferret pony hens kitty pup puppies kittens "
    # what people call them in chat
    "bf gf bae bro sis lad lass bairn lads hubs grandkid mam mammy pa ma auntie aunty "
    # a pet named by its breed ("Biscuit (our beagle) ate a sock"), less those that name something else too (boxer,
    # shepherd, lab, persian, bengal)
    "beagle labrador retriever spaniel terrier collie greyhound whippet lurcher poodle pug dachshund husky corgi "
    "bulldog chihuahua schnauzer labradoodle cockapoo cavapoo rottweiler doberman sheepdog staffy staffie dalmatian "
    "pomeranian dachshunds beagles greyhounds ragdoll tabby moggy budgies rabbits hamsters".split())
# The user's own body, whose clause is the user's: "My stomach can't take dairy", "my body hates gluten".
BODY = ("body", "stomach", "gut", "tummy", "system", "digestion", "skin")
# People who are not the user's family: a clause about them is about someone else.
OTHERS = frozenset(
    "boss friend friends colleague colleagues coworker manager neighbour neighbor landlord landlady doctor "
    "teacher flatmate roommate client clients customer team dentist therapist coach mate mates buddy "
    "he she they his her their someone somebody people everyone everybody nobody he's she's they're he'd she'd "
    "they'd he'll she'll they'll company firm employer".split())
_NEGATIONS = frozenset(
    "not never cannot can't don't doesn't didn't won't isn't aren't wasn't weren't haven't hasn't hadn't "
    "shouldn't couldn't wouldn't nor neither dont cant wont isnt arent never hardly barely".split())
# "no" negates its own noun ("our flat gets no sun", "I have no car"), and the clause only as the predicate
# of "I am": "I'm no vegan", "I'm nothing like a chef".
_NO_PREDICATE = re.compile(r"\b(?:i'm|im|i am|we're|we are) (?:no|nothing like|nowhere near)\b|"
                           # a denial with no word of negation: "Far from a chef", "nothing against vegans"
                           r"^far from\b|\bby no means\b|\banything but\b|\bnothing against\b|"
                           r"\bno (?:problem|issue) with\b|\bthe (?:complete |total |exact |very )?opposite of\b|"
                           r"\ba far cry from\b|"
                           # a name for the user denied by what it is called: "Calling me a chef is a stretch"
                           r"\b(?:is|would be|'s) (?:a bit of |quite |rather )?(?:a stretch|pushing it|"
                           r"an overstatement|generous)\b")
_IDIOMS = re.compile(r"\b(?:can't|cannot|can not|cant|couldn't) (?:get enough|stop|wait|live without|resist|stand|beat|"
                     r"bear|abide)|\b(?:can|could) never (?:resist|get enough)\b|"
                     # eagerness put as a denial: "Lima in May, can't come soon enough"
                     r"\b(?:can't|cannot|can not|cant|couldn't) (?:come|arrive|get here|happen) (?:\w+ )?soon enough|"
                     r"\bnever miss\b|"
                     # a first time, not a denial: "hosting christmas dinner this year, never done it before"
                     r"\bnever (?:done|did|tried|hosted|had) (?:it|this|that) before\b|"
                     # staying put as a denial: "Cork native, never left", "went vegan and never looked back"
                     r"\bnever (?:left|leaving|(?:looked|looking|look) back|moved away)\b|"
                     # a thing that will not make itself, so the user is making it: "the shed won't build itself"
                     r"\b(?:won't|wont|isn't going to|is not going to) \w+ (?:itself|themselves)\b|"
                     r"\bnever (?:get|grow) tired of|\bnever tire of|\bnever say no to|\bnothing (?:beats|better)|"
                     r"\bnothing (?:makes me|i (?:love|like|enjoy)|quite like|like)|\b(?:love|like|enjoy) nothing|"
                     r"\bno (?:matter|doubt|problem|worries)\b|"
                     # praise put as a denial: "jazz never gets old", "you can't go wrong with ramen"
                     r"\bnever (?:gets?|grows?) old|\bnever fails? to|\b(?:can't|cannot|cant) go wrong with|"
                     # a need: "I can't get through a week without jazz"; superiority: "nothing else comes close"
                     r"\b(?:can't|cannot|cant|couldn't) (?:live|get through|survive|cope|function|go|last|manage|do)"
                     r"\b[\w ]{0,25}\bwithout\b|\bnothing (?:else )?(?:comes close|compares)")
_PAST = re.compile(
    r"\b(?:used to|use to|back when|when i was|when we were|grew up|growing up|(?:in|spent) my (?:twenties|teens|"
    r"thirties|forties|youth|childhood|student days|old job)|as a (?:kid|child|teenager|student)|years ago|formerly|"
    r"previously|no longer|"
    # a subject dropped before "was" is the writer's: "Was vegan for a bit at uni"
    r"^was(?! (?:i|we|you|he|she|it|they|there|that|this|so|just|about|going|gonna)\b)|"
    r"(?:i|we) (?:once |briefly |previously |[a-z]+ly )?(?:was|were|lived|worked|ate|had been|"
    r"was once|studied|did(?= (?!(?:in|at|on|for|with|so|too|it|that|this|well|not|ever|to)\b)[a-z]))|"
    # years spent as one was, a home until a year, a try: "I spent twenty years as a nurse", "Leeds was home until
    # 2015", "I tried learning Japanese once"
    r"(?<!'ve )(?<!have )spent (?:\w+ ){0,2}(?:years|decades|months|a decade|ages) (?:as|in|at)|(?:until|till) \d{4}|"
    r"(?:was|were) (?:my |our )?home|(?:i|we) tried (?:\w+ing|to)|"
    r"(?:quit|left|lost|gave up) my (?:job|post|position|career)|(?:quit|stopped|gave up|given up) being|"
    # a pursuit given up is history ("I gave up learning Japanese"); eating or drinking given up is today's diet
    # (a giving up ahead is a plan: "going to quit smoking on 1st jan")
    r"(?<!to )(?<!gonna )(?<!will )(?<!'ll )(?:quit|stopped|gave up|given up|dropped|abandoned) (?!eating|drinking)"
    r"[a-z]+ing|"
    r"retired from|stopped working|moved (?:away|out) of|"
    r"moved away from|until (?:last|recently)|till (?:last|recently)|in (?:a|my) (?:previous|past|former|other) "
    r"life|before (?:moving|i moved|we moved|leaving|i left|we left|relocating)(?: (?:away|out|on|abroad))?)\b")
# A negation that governs the relation, not what the relative does: "I don't have a dog called Rex", "I never
# had a sister", "I'm not married to Sam" (but "my kids won't sleep" still names them).
_DENIED_RELATION = re.compile(r"\b(?:don't|do not|dont|doesn't|never|haven't|hasn't|didn't|not|no longer|isn't|aren't|"
                              r"wasn't|ain't)\s+(?:\w+\s+)?(?:have|had|got|married|engaged|with|related)\b|"
                              r"\b(?:have|has|'ve got|got) no\b")
_REFUSED_NOW = re.compile(r"\bno longer (?:\w+ly )?(?:eat|drink|touch|consume|take|have)\b")
_STILL = re.compile(r"\b(?:and|but) (?:i |we )?still (?:live|living|reside|am based|are based|work|working|eat|am|"
                    r"are)\b")
_LASTING_CHANGE = re.compile(r"\b(?:gave up|given up|quit|stopped|went|gone|became|become|switched|swapped|traded|"
                             r"turned|converted|"
                             r"moved|relocated|settled|emigrated|cut out)\b")
_DISCOURSE = re.compile(
    r"^(?:(?:well|so|oh|ok|okay|hi|hey|hello|and|but|also|anyway|anyways|honestly|actually|btw|by the way|now|"
    r"these days|currently|lately|plus|still|yes|yeah|no|right|fyi|sorry|thanks|thank you|"
    # an interjection or a chat filler, no part of what follows: "Ugh my neighbours...", "lowkey addicted to..."
    r"ugh|urgh|argh|ooh|omg|lol|haha|ngl|tbh|lowkey|literally|"
    # the opening of an answer to the assistant's question: "Answer to your question: yes my name is Olumide"
    r"(?:in )?(?:answer|reply|response) to (?:your|ur|the) (?:question|q)|to answer (?:your|ur) (?:question|q)|"
    r"since (?:you|u) asked|as (?:you|u) asked)\b[\s,:;!-]*)+")
# A request or instruction to the assistant: its words are the task, not facts about the user.
_REQUEST = re.compile(
    r"^(?:please\s+|pls\s+|ok(?:ay)?,?\s+|now,?\s+|so,?\s+)?(?:(?:can|could|would|will) you|i (?:want|need|would like)"
    r" you to|i'd like you to|help me|let me know|let's|tell|write|give|explain|describe|make|create|list|show|"
    r"translate|summari[sz]e|suggest|draft|generate|compose|imagine|pretend|act as|play|recommend|name|find|"
    r"shorten|rewrite|fix|correct|check|proofread|edit|design|plan|invent|come up with|continue|read|answer|"
    r"convert|calculate|compare|define|outline|sketch|brainstorm|propose|paraphrase|format|turn)\b(?!['\u2019:])")
_FICTION = re.compile(r"(?:in|for) (?:the|my|this|our|a|an) (?:story|game|novel|book|script|role[- ]?play|scene|dream|"
                      # a case put for argument: "For this exercise, I'm a product manager"
                      r"exercise|example|scenario|thought experiment)\b|for (?:the sake of argument|argument's sake)\b|"
                      # a case, a puzzle or a game put before what follows: "Scenario: I'm a nurse and...", "Just
                      # hypothetically, I'm a chef", "E.g. I'm a teacher", "Say you're my boss and I'm a junior dev"
                      r"(?:(?:just|purely|totally|strictly) )?hypothetical(?:ly)?\b|(?:scenario|case study|example|"
                      r"e\.?g|for (?:instance|example)|say for instance|riddle|quiz|puzzle|game|exercise|prompt|"
                      r"play along)\b\W|(?:let's |lets )?say (?:you're|youre|you are|ur)\b|"
                      r"(?:my|the) character\b|role[- ]?play|"
                      # a world one asks to be made: "a story where I am a nurse", "a scenario in which I live in Oslo"
                      r"\b(?:a|an|the|my) (?:story|tale|poem|scene|game|scenario|world|song|script|dream) "
                      r"(?:where|in which|about how)\b|"
                      # what a piece of work is about: "My essay is about living in Tokyo"
                      r"(?:my|our|the|this|a|an) (?:essay|article|story|novel|book|poem|song|talk|presentation|thesis|"
                      r"dissertation|report|blog post|post|film|script|paper|project) (?:is|was|'s) (?:all )?about\b")
# Two shapes of a hope or a condition that state the present: a willingness to have a thing at every turn is a taste
# ("I'd happily eat ramen for every meal"), and a making one hopes to have done by a date is under way ("Hoping to
# have the shed done by April"). The clause reader keeps them, and validation reads them as a liking and a project.
IM_IN = r"count me in|sign me up|(?:i'm|im|i am) (?:in|there|sold)"
_WILLINGLY = r"(?:quite )?(?:happily|gladly) (?:eat|have|drink|watch|listen to|play|read)\b"
WILLING = rf"\b(?:i'd|i would) {_WILLINGLY}"
DONE_BY = r"(?:have|get) [\w' -]+? (?:done|finished|built|written|painted|sorted|launched) by\b"
_HYPOTHETICAL = re.compile(
    r"\b(?:if(?! (?:there's|there is|the weather|it's (?:sunny|dry|warm|nice|fine)|it (?:doesn't|isn't|stays)|"
    # a fact offered for what it is worth, not supposed: "im based in swansea if that helps"
    r"(?:that|it) helps|(?:that's|it's) (?:useful|relevant|helpful)|"
    # a thing that has the user in at its mention is liked, not supposed: "If it's ramen, count me in"
    rf"it's [\w' -]+?,? (?:{IM_IN})\b|"
    # a condition on the weather or the clock conditions the day, not what the user is or does
    r"the (?:rain|sun|snow|wind|weather) (?:holds|stays|keeps|allows|lets)|(?:weather|time|work) (?:permits|allows)))|"
    r"unless|"
    r"in case|imagine|imagining|suppose|supposing|pretend|hypothetically|what if|"
    r"wish(?! (?:me|us) luck)|whether|(?:my|our) dream (?:is|was|would be)|part of me|"
    # a dream, an intention, an impression or a supposition: "Becoming a pilot has always been my dream", "I keep
    # meaning to write a novel", "Bouldering looks fun", "Living in Leeds must be nice"
    r"(?:my|our|in my|in our) (?:\w+ )?dreams?|(?:meaning|mean|intend|intending|aim|aiming) to|"
    r"(?:looks|sounds|seems|look|sound|seem) (?:like )?(?:so |really )?(?:fun|nice|great|interesting|amazing|cool|"
    r"lovely|exciting|good)|must be (?:so |really )?(?:nice|lovely|fun|great|hard|amazing|tough|wonderful|cool|awful)|"
    # (but a willingness to have a thing at every turn is a taste: "I'd happily eat ramen for every meal")
    rf"(?:i'd|i would)(?! {_WILLINGLY})|we'd|"
    r"would love|would like|want to|wanna|"
    # (a hope to have a thing done by a date is of a making under way: "Hoping to have the shed done by April")
    rf"(?:hope|hoping) to(?! {DONE_BY})|"
    r"dream of|dreaming of|someday|some day|one day|might|"
    r"maybe|perhaps|thinking about|thinking of|considering|my character|role-?play|roleplaying|"
    # a hope: "Fingers crossed we'll be living in Ghent by next year"
    r"fingers crossed|hopefully|touch wood|knock on wood|with any luck|god willing|all being well|"
    # a possibility, not a fact: "we could move to Leeds", "I may go vegan" ("I could listen to jazz all day"
    # is a liking, read by its own rule)
    r"(?:i|we) (?:could|may) (?:move|relocate|live|go|become|be|start|switch|try|get|buy|take)|"
    # what nearly happened or was meant to: "I almost became a nurse", "I'm supposed to be going to Lima"
    # what a book or film is about is its story: "I'm reading a book about a baker who..."
    r"(?:reading|read|watching|watched|listening to|listened to|seen|saw|heard|finished) (?:a |an |the |this |that )?"
    r"(?:\w+ )?(?:book|story|film|movie|show|poem|novel|article|song|series|documentary|podcast|play) about|"
    # a supposition: "Assume I'm a nurse", "Let's say I live in Tampere", "Say I was vegan"
    r"assume|assuming|let's say|lets say|^say (?:i|we)|"
    r"(?:almost|nearly) (?:became|become|moved|went|married|took|got|lived|quit)|supposed to|"
    r"^(?:i|we) (?:really |probably )?should(?! (?:mention|say|add|note|point out|explain))|ought to|could see myself|"
    r"in another life|tempted to|"
    # a condition put by inversion ("Were I vegan, ...", "Had we stayed in Leeds, ..."), an imagined world ("Picture
    # me living in Leeds", "In a parallel universe I'm a pilot")
    r"^(?:were|had) (?:i|we)\b|^should (?:i|we) ever\b|picture (?:me|us|myself|ourselves|this)\b|"
    # what should or could have been ("Should've been a nurse"), an aim ("A cottage in Leeds is the dream"), a
    # name one could give oneself ("Technically I could call myself vegan")
    r"(?:should|could|might)(?:'ve| have| of)\b(?! (?:said|mentioned|told|asked|added|explained|introduced|known|"
    r"guessed|realised|realized|checked|warned))|\b(?:is|are|'s) (?:the|my|our) (?:ultimate |real |long-term |big )?"
    r"(?:goal|dream|aim|hope|ambition|target|endgame|wish)|"
    r"(?:i|we) (?:could|may|might) (?:\w+ )?(?:call|count|consider|class|describe) (?:myself|ourselves)|"
    # an idea entertained, not a fact: "I see myself in Leeds", "toying with the idea of...", "tempted by the vegan
    # thing", "weighing up a move", "moving is on the cards", "the idea is to go vegan"
    r"(?:see|picture|imagine) (?:myself|ourselves)|the idea (?:is|was) to|the idea of|toying with|flirting with|"
    r"tempted by|weighing up|mulling (?:over|it over)|on the cards|in the cards|"
    r"(?:alternate|alternative|parallel|another|different) (?:universe|world|timeline|reality)|"
    r"(?:a|the) (?:world|universe|reality|timeline) (?:where|in which)|"
    r"if only|bucket list|dream (?:job|home|house|car|life|city|town|trip)|would be|"
    r"would have been|would rather|'d rather|(?:when|once|after) (?:i|we) retire|fantasi[sz]e|daydream|"
    r"(?:want|wants|hope|hoping|plan|planning|training|studying|aiming|trying|try) to (?:be|become)|going to become|"
    r"when i grow up|(?:once|after|when) i (?:graduate|qualify|finish)|"
    # a self yet to be or only wished ("When I'm a doctor I'll...", "Aspiring chef here", "As a hypothetical nurse"),
    # a wondering ("I wonder what it'd be like to work as a chef")
    r"(?:when|once) (?:i'm|im|i am|we're|we are) (?:a|an)\b|aspiring|wannabe|would-be|hypothetical|"
    r"(?:wonder|wondering) (?:what|how|if)|"
    # a future condition: "when we move to Leeds", "once I get a dog"
    r"(?:when|once|after|before|as soon as) (?:i|we) (?:move|buy|retire|become)|"
    # a condition that opens the clause, a fallback, a theory, a search: "Once the baby arrives...", "Worst case, I
    # move back to Cork", "In theory I'm vegan", "We're looking at houses in Graz"
    r"^once\b|(?:i'll|we'll|i will|we will) need|worst case|best case|plan b|in theory|in principle|on paper|"
    r"failing that|if all else fails|looking at (?:houses|flats|places|homes|apartments|property|properties|schools)|"
    r"(?:house|flat|home)[- ]hunting|viewing (?:houses|flats|places))\b")
# Reported speech: what someone else said ("my doctor said I should go vegan") is their statement.
_REPORTED = re.compile(r"\b(?:(?:has|have|had) (?:me|us) down as|(?:lists|listed|registers|registered) (?:me|us) as|"
                       r"said|says|say|told|tells|tell|thinks|think|reckons|reckon|claims|claim|suggested|"
                       r"apparently|supposedly|allegedly|was like|were like|"
                       r"suggests|wants|asked|according to|insists|insisted|saying|"
                       # verbs of holding an opinion of the user, or of naming them to others: "Sam swears I'm...",
                       # "my wife is convinced I'm...", "mum keeps introducing me as...", "always on about me moving"
                       r"swears|swore|convinced|assumes|assumed|believes|figures|"
                       r"introduc\w* (?:me|us) as|(?:put|puts|putting) (?:me|us) down as|on about (?:me|us)|"
                       # a name others gave the user: "got called a nurse", "mistook me for a nurse"
                       r"(?:got|get|gets|getting|was|been|being) called|(?:mistook|mistake|mistakes|took|take|takes) "
                       r"(?:me|us) for|mistaken for|(?:tagged|tags|tag|labelled|labeled) (?:me|us) as)"
                       # (saying yes or no to a thing is taking or refusing it: "Can never say no to ramen")
                       r"\b(?! (?:hi|hello)\b| (?:no|yes) to\b)|"
                       # other verbs of saying report only with what they report: "she texted that..."
                       r"\b(?:wrote|writes|texted|messaged|posted|tweeted|announced|mentioned|explained|replied)"
                       r"(?: to (?:me|us))?(?: that\b|\s*[:,])")
# A clause that ends by introducing someone's words: the rest of its sentence is what they said.
_QUOTATIVE = re.compile(r"\b(?:said|says|say|was like|were like|is like|goes|went|asked|asks|wrote|writes|texted|"
                        r"replied|told (?:me|us|him|her|them)|tells (?:me|us))\s*:?$", re.I)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")
_FENCE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.S)
# Single quotes too, where no word touches them from outside ("'I live in Leeds'", never "I'm ... Sam's").
# An apostrophe inside a word ("'I'm vegan,' she said") is no closing quote.
_QUOTE = re.compile(r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|"
                    r"(?<![\w'])'(?=\S)(?:[^'\n]|(?<=\w)'(?=\w))+(?<=\S)'(?![\w'])")
# Words given to a speaker after them, with no quotation marks: "Call me Ishmael, said the narrator." Someone
# else's, as a quotation is.
_SAID = r"(?:said|says|asked|wrote|writes|replied|added|whispered|shouted)"
_ATTRIBUTED = re.compile(rf"[^.!?\n]+,\s*(?:{_SAID} (?:the [a-z]+|he|she|they|[A-Z][a-z]+)|"
                         rf"(?:he|she|they|the [a-z]+|my [a-z]+|[A-Z][a-z]+) {_SAID})\s*(?:[.!]+(?=\s|$)|(?=\n|$))")
# A pasted document is announced ("Summarise this email:") and follows its own paragraph.
_ANNOUNCES = re.compile(r"(?::\s*$|\b(?:this|the following|below|attached|these|my|our)\b.{0,40}\b(?:email|e-mail|text|"
                        r"message|letter|document|plan|essay|note|notes|article|list|code|paragraph|post|review|ad|advert|listing|"
                        r"posting|announcement|tweet|caption|description|"
                        r"story|report|draft|poem|lyrics|script|transcript|recipe|cv|resume|bio)\b)", re.I)
# A line labelled as text for a task, not a statement: "Example sentence: I live in Porto."
_LABELLED = re.compile(r"^\s*(?i:(?:an? )?(?:example|sample|test|dummy|quote|caption|title|prompt|input|output|"
                       r"translation|sentence|phrase|lyrics?|slogan|headline|tagline)"
                       r"(?: (?:sentence|text|line|input|output|phrase))?(?: for [^:\n]{1,40})?\s*:|"
                       # someone else's message, labelled as theirs: "Text from my mum: I've gone vegan!"
                       r"(?:an? |the )?(?:text|message|msg|email|e-mail|dm|voicemail|voice note|whatsapp|reply|tweet|"
                       r"post|comment|review|quote|note) (?:from|by) (?!me\b|myself\b)[^:\n]{1,40}:|"
                       # or by whose it is: "Her message: my son Leo is sick", "Jake's reply was: I live in Lisbon"
                       r"(?:his|her|their|(?:(?:my|our|the) )?[^\W\d_][\w-]*'s) (?:text|message|msg|email|e-mail|dm|"
                       r"voicemail|voice note|reply|answer|caption|bio|post|tweet|status|comment|review|note|card)"
                       r"(?: (?:was|is|said|says|reads|read))?\s*:|"
                       # or by who sent it, anyone but the user: "Tom texted me: living in Lisbon now, come visit!"
                       r"(?!(?:i|we|me|us)\b)[^\W\d_][\w' -]{0,40}? (?:just |then |also )?(?:texted|messaged|emailed|"
                       r"dm'?d|dmed|wrote|replied|answered|posted|tweeted|commented|sent (?:me|us) this)"
                       r"(?: (?:me|us))?(?: back)?(?: on [\w ]{1,15})?\s*:|"
                       # or a chat's line, named by the relative who wrote it: "Mum: I'm in Lisbon now!"
                       rf"(?:(?:my|our) )?(?:{'|'.join(sorted(RELATIONS - {'family'}, key=len, reverse=True))})"
                       r"(?: on [\w ]{1,15})?\s*:)")
_LETTER = re.compile(r"^\s*(?i:dear|to whom it may concern)\b[^\n]*,?\s*\n")
_DOCUMENT_LINE = re.compile(r"^\s*(?:[-*\u2022>#]|\d+[.)]|[A-Z][\w /&'-]{0,30}:\s+\S)")
# (a point between digits ends nothing: "built-in wardrobes, 2.4m wide", "3.5 stars at best")
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?]*")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each with the marks that end it ("I'm vegan!!"); a line break ends one too."""
    return _SENTENCE.findall(text)


# A dash between words, which parts clauses as a comma does.
_DASH = r"\s[\u2013\u2014-]\s"
_CLAUSE_BREAK = re.compile(rf";|{_DASH}|,\s+(?=now\b)"
                           # laughter between words ends what it follows: "i love durian haha my friends say it
                           # stinks" (what the friends say is theirs, the liking the user's)
                           r"|\s+(?i:ha(?:ha)+h?|he(?:he)+|lol+|lmao+|rofl|ja(?:ja)+|kkk+)\s+(?=\w)"
                           # a wish for luck that ends the sentence is its own clause: it hopes for how the thing
                           # goes, not that it is ("Got my eye test on Friday, fingers crossed")
                           r"|,\s+(?=(?:fingers crossed|touch wood|knock on wood)[.!]*$)"
                           # a contrast is a clause of its own, which alone "not" negates: "I live in Leeds, not York"
                           r"|,\s+(?=not (?:a |an |the |in |my |our )?[\w'-]+(?: [\w'-]+)?\s*(?:,|[.!?]*$))"
                           # what a colon leads to in the user's own words: "Doctor confirmed it: I'm allergic to soy"
                           r"|:\s+(?=(?:i|i'm|im|i've|we|we're|we've)\b)"
                           r"|,?\s+\b(?:but|whereas|although|though|while|so|because|"
                           # "since 2019" dates what it follows; "since I moved..." is a clause of its own
                           r"since(?!\s+(?:\d|last|then|the|early|late|childhood|birth|forever|"
                           r"i (?:left|finished|graduated)\b)))\b\s+"
                           # (but not an appositive: "Baked a cake with Noor, my daughter, today")
                           r"|,\s+(?:and\s+)?(?=(?:i|i'm|im|i've|i'd|i'll|we|we're|we've|my|our)\b)"
                           r"(?!(?:my|our) (?:[\w-]+ )?(?:" + "|".join(sorted(RELATIONS)) + r")(?:,|\s*[?.!]*$))"
                           # a new subject after "and" starts a clause of its own: "been in Leeds 6 years and it
                           # still hasn't stopped raining" (its negation is the rain's, not the stay's)
                           r"|,?\s+and\s+(?=(?:it|it's|its|there|there's|they|they're|he|he's|she|she's|this|that)\s"
                           r"(?!(?:and|or)\b))"
                           # ...and someone else's wish or words: "I'm a carpenter and the customer wants wardrobes"
                           # (an adverb may come between: "and a client just asked for the rachel")
                           r"|,?\s+and\s+(?=(?:the |my |our |a |his |her |their )?[\w'-]+\s+"
                           r"(?:just |also |always |then |now |even |literally |actually )?"
                           r"(?:wants|says|said|thinks|asked|asks|reckons|insists)\b)"
                           r"|\s+and\s+(?=(?:i|we)\b(?!\s+(?:are|were|have|had|both|'ve|'re|got married|"
                           # "dairy and I don't get on": the food and the user are one subject
                           r"(?:don't|do not|dont|never|just don't) (?:get on|get along|agree|mix)|"
                           r"got engaged)\b))"
                           # a request run on after "and" is a clause of its own, which leaves the fact before it
                           # standing: "I live in Dunedin and wondered whether you could recommend a coat"
                           r"|,?\s+and\s+(?=(?:i |we )?(?:was |were |am |are )?(?:wondered|wondering|would "
                           r"(?:like|love|value|appreciate|welcome|be (?:most |very |so |really )?"
                           r"(?:grateful|glad|obliged))|hoped|hoping)\b)"
                           # a negated verb of its own: "we moved to Leeds and never left" denies the leaving
                           r"|,?\s+and\s+(?=(?:(?:will |would )?never|(?:still |just )?(?:not|don't|didn't|haven't|"
                           r"won't|can't|cannot|couldn't))\s+"
                           r"(?!\w+\s+(?:and|or)\b))"
                           r"|,\s+(?=(?:if|unless|in case)\b)"
                           # a concession is its own clause: "I'm a welder, whatever my dad says"
                           r"|,\s+(?=(?:whatever|no matter what|regardless of what|despite what)\b)"
                           # a negation governs its own subject's verb, not what the comma ends: "In my line of work
                           # as a nurse, weekends don't exist"
                           r"|,\s+(?=(?!(?:i|we|and|but|or|so|me|that|which|it)\b)[a-z][\w'-]*(?: [a-z][\w'-]*)? "
                           r"(?:don't|doesn't|didn't|isn't|aren't|wasn't|weren't|won't|never)\b)"
                           # a participle's own clause: "I'm renovating the attic, hoping to finish by June"
                           r"|,\s+(?=(?:hoping|planning|trying|wanting|aiming|thinking|moving|starting|relocating)\b)"
                           # a want with its "I" dropped, after a fact: "been a plumber 20 yrs, want to write an ad"
                           r"|,\s+(?=(?:want to|wanna|need to)\b)"
                           # a relative clause says what its noun does: "a baker who moved to Leeds"
                           r"|,?\s+(?=(?:who|whom|whose)\b)", re.I)
_QUESTION_START = re.compile(r"\s(?:(?:so|and|but|then)\s+)?(?:what|where|when|who|which|why|how|should|shall|can|"
                             r"could|would|will|do|does|did|is|are|any|anything)\b(?!\s+(?:i|we)\s+(?:live|work|am)\b)",
                             re.I)
_INTERROGATIVE = re.compile(r"(?:where|what|when|who|whom|whose|which|why|how|should|shall|do|does|did|is|are|was|"
                            r"were|am|can|could|would|will|have|has|had|may(?! \d)|might|must|isn't|aren't|don't|"
                            r"doesn't)\b")  # ("May 9 is my driving test, any tips?" is a date, then a question)
# Verbs in their plain form that follow "will" or "can" with the user's "I" dropped ("will visit", "can recommend").
# Hand-written: telling a verb from a noun ("will Sam visit") takes a part-of-speech tagger, a model.
_PLAIN_VERBS = ("visit|go|fly|travel|move|start|head|see|spend|stay|need|take|attend|try|get|make|finish|run|walk|"
                "drive|meet|join|learn|watch|bring|miss|love|like|hate|recommend|send|call|come|leave|book")
# A question without its mark: an interrogative word ("where should i live leeds or york"), or a verb put before
# its subject ("do vegans eat honey") - but not a clause that a wh-word only opens ("What I love is jazz").
_ASKED = re.compile(r"^(?:(?:where|what|when|which|why|how|who)(?:s|'s)?\b(?! (?:i|we|i'm|we're|i've|we've|my|our)\b)|"
                    r"any (?:good|decent|nice|ideas|tips|recommendations|suggestions|advice)\b|anyone know\b|"
                    r"(?:should|shall|can|could|would|will|do|does|did|is|are) (?:i|we|you|it|there|they|he|she|"
                    r"vegans?|vegetarians?|people|anyone|anybody|my|our|the|a|an)\b|"
                    # a verb of being or a modal before any subject but the user: "is ghent expensive to live in"
                    # (a verb after "will" or "can" is the user's, their "I" dropped: "will visit Amritsar next
                    # month", "can recommend the ramen place")
                    r"(?:is|are|does|can|should|would|will)\s+(?!(?:i|we|do|be|have)\b)"
                    r"(?!(?:(?<=will )|(?<=can ))(?:" + _PLAIN_VERBS + r")\b)"
                    # (an adverb is no subject: "Can never say no to ramen" drops its "I")
                    r"(?!(?:never|always|not|just|really|totally|definitely|barely|hardly|still|usually|only|"
                    r"honestly|literally|easily|happily|\w+ly)\b)[\w'-]+ [\w'-]+)")
_OWNED = re.compile(r"(?:my|our) (?:(?!own )[\w']+ )?([\w'-]+-[\w'-]+)\b")
_SOME_OF = re.compile(r"^(?:half|most|some|all|many|both|none|one|two|three|a few|a couple|lots|several|a lot)"
                      r"(?: of)? (?:my|our|the) (?:[\w-]+ )?(?:" + "|".join(sorted(OTHERS | RELATIONS)) + r")\b")
# Verbs said of a person: in the third person singular ("lives", "works") the subject is not the user.
_PERSONAL_VERBS = frozenset("live work love like eat drink teach move study hate enjoy prefer drive own run "
                            "want plan cook play adore relocate reside".split())
_QUALIFIERS = frozenset("best old oldest new close dear former ex good closest".split())
_THINGS = frozenset("appointment appointments appt appts visit visits checkup check-up party meeting meetings "
                    "interview session sessions lesson lessons class classes office bill wedding birthday graduation "
                    "christening recital concert funeral retirement hen stag".split())
_FIRST_PERSON = frozenset("i i'm im i've ive i'd i'll we we're we've me my us our myself here".split())
_DETERMINERS = frozenset("a an the some many most lots lot all any several few".split())
_PEOPLE = frozenset("person people man woman guy lady company firm business employer office".split())
_USER_START = frozenset("i i'm im i've ive i'd i'll ill we we're were we've weve me myself us".split())
# The assistant as a clause's subject, with no word of the user's in the clause ("ur from graz"); never the "you"
# of anyone at all, or one the user speaks through ("you can't beat sailing", "you'll find me fishing", "so you
# know").
_ASSISTANT = frozenset("you you're youre you've youve ur u".split())
_GENERIC_YOU = frozenset("can can't cant cannot could couldn't will won't 'll might may should must would know see "
                         "never always get gotta have need".split())
# Words whose "'s" is "is" or "has", not a possessive: "it's", "name's Sam", "home's Leeds".
_NOT_OWNERS = frozenset("it that there here what who where when how he she name home life everything nothing "
                        "today tonight tomorrow work this one let "
                        # a trip of one's own: "Honeymoon's Kyoto in May", "Trip's booked"
                        "honeymoon trip holiday flight flights".split())
# A named person doing something now is someone else: "Sam from work is training for a marathon" (the
# user's own progressive always has "I" or "we"; "Leeds is home" and "Living in Leeds has been..." have no -ing
# after the verb, or a gerund for a subject).
_NAMED_DOING = re.compile(r"^(?!(?:i|i'm|im|we|my|our)\b)[A-Z][\w'-]*(?<!ing)(?: [A-Z][\w'-]*)?"
                          r"(?: (?:from|at) [\w ]{2,20})? "
                          r"(?:is|was|'s|has been|had been|keeps|kept) [a-z]+ing\b")
# A clause whose verb is only "be" or a third person's: in a clause that starts with a determiner, a verb
# makes the noun phrase its subject ("a friend of mine is flying"); with none it is the user's description
# of themselves ("Still a trainee carpenter, but I love it").
_FINITE = frozenset("is are was were has have had will would can could does did do 's".split())
_OWN_PEOPLE = re.compile(r"\s*(?:my|our) (?:[\w-]+ ){0,2}(?:" + "|".join(sorted(RELATIONS, key=len, reverse=True))
                         + r")s?\s*\?$", re.I)
# A topic put as a one-word question, then said of by a pronoun: "Mushrooms? Can't touch the stuff."
_TOPIC = re.compile(r"^(?!(?:i|you|we|me|what|why|how|who|where|when|really|seriously|sorry|ok|okay|right|yes|no)\b)"
                    r"[^\W\d_][\w'-]*(?: [^\W\d_][\w'-]*){0,2}\?$", re.I)
# an offer declined, not a denial ("Me? Vegan? Nope." denies what the user is)
_TURNED_DOWN = re.compile(r"^(?:no thanks|no thank you|not for me)\b", re.I)
_PRONOUN_OBJECT = re.compile(r"\b(?:the stuff|that stuff|them|it)\b(?=[\s.!,]*$)", re.I)
# A sentence that opens by saying its words are someone else's: its every clause is reported.
_HEARSAY = re.compile(r"(?:according to|apparently|supposedly|allegedly|rumour has it|rumor has it|word is|"
                      r"(?:i|we)(?:'ve| have)? (?:heard|read|been told)|they say|people (?:say|keep saying|tell me)|"
                      r"everyone says)\b")
# Sarcasm says the opposite of its words: "Oh yes, because I'm clearly a baker", "Yeah right, like I'd live there".
_SARCASM = re.compile(r"^(?:oh |ah )?(?:yeah|yes|sure|right),? right\b|"
                      r"^(?:oh |ah )(?:yes|yeah|sure),? (?:because|like|as if)\b|"
                      r"\bas if (?:i|i'd|i'm|we|we'd)\b|\bbecause (?:i'm|im|i am|we're|we are) (?:clearly|obviously|"
                      r"totally|so|definitely) (?:a|an|the)\b")
# A hedge that opens a sentence hedges all of it: "Worst case, I move back to Cork."
_HEDGED = re.compile(r"(?:worst case|best case|plan b|in theory|in principle|on paper|failing that|if all else fails|"
                     r"ideally|hypothetically|in an ideal world)\b")
# A phrase put before a clause, with no verb of its own: "As a teacher, my mum works long hours" is the mum's.
_FRONTED = re.compile(r"^(?:as|being) (?:a|an|the) [\w -]+$", re.I)
# A sentence that ends by giving up what it told is history: "Spent years training for a marathon but gave up".
_GIVEN_UP = re.compile(r"\b(?:but|and|then|before) (?:i |we )?(?:then |eventually |finally )?(?:gave (?:it )?up|quit|"
                       r"stopped|dropped out|packed it in|abandoned it|never finished(?: it)?)\s*[.!]*$")
# A request put as a thing and "please", with no one's verb: "Packing list for Lima in October please."
# A fact, then the request it is the reason for: "Don't eat meat, so veggie options only pls".
_ASKED_SO = re.compile(r"^(?P<fact>.+?),?\s+(?:and )?(?:so|which is why|that's why|hence)\s+[^,;]+$", re.I)
_PLEASE = re.compile(r"^(?!(?:i|i'm|im|i've|we|we're|my|our|no|zero|not)\b)[^,;:!?]{2,80}\b(?:please|pls|plz)[.!]*$")
# "Give me ramen any day": a liking put as an order, not a request.
_GIVE_ME = re.compile(r"^give me .+\b(?:any day|any time|anytime|every time|over anything)\b|"
                      r"^give me .+ and (?:i'm|im|i am) (?:sorted|happy|set|content|in heaven|good to go)\b")


def framed(text: str) -> bool:
    """Whether words that lead up to a fact make it no statement of the user's: a request or instruction
    ("Pretend my name is Sam"), a hypothetical or a story ("If my name were...", "In the story, I..."); never the
    user's own words after a comma that ends a request for a text of their own ("write me short linkedin bio, my name
    is Mateusz")."""
    lowered = text.casefold().replace("\u2019", "'")
    bare = _DISCOURSE.sub("", lowered.strip())
    _, comma, after = bare.rpartition(", ")
    if comma and _PRACTICAL.match(bare) and not _REQUEST.match(after) and not _FICTION.search(bare):
        return bool(_HYPOTHETICAL.search(lowered))
    return bool(_REQUEST.match(bare) or _HYPOTHETICAL.search(lowered))


# A request for a text the user will send as their own (a message, a bio, a letter), whose facts told after it are the
# user's: "write me short linkedin bio, my name is Mateusz", "write a msg to my landlord in poznan, heating not
# working" (a story, a poem or a scene is no such text: "write a poem, I'm a pirate").
_PRACTICAL = re.compile(r"^(?:(?:can|could|would|will) (?:you|u) |please |pls |plz |kindly |abeg )?(?:help me )?"
                        r"(?:write|draft|compose|make|prepare|do)(?: me| us)?(?: (?:a|an|the|my|short|quick|small|"
                        r"simple|nice|polite|formal|proper|good|professional|new))* (?:msg|message|email|e-mail|text|"
                        r"bio|letter|cover letter|note|caption|reply|post|card|speech|toast|review|complaint|invite|"
                        r"invitation|cv|resume|intro|introduction|profile|linkedin bio|summary|wishes|birthday "
                        r"message)\b")


def _third_person(word: str) -> bool:
    return word.endswith("s") and not word.endswith("ss") and lemma(word) in _PERSONAL_VERBS and lemma(word) != word


# A request whose object is the text that follows it: "Can you format this?", "Check these for me:".
# The work asked on a text: what follows such a request is the text, not the user's words.
TEXT_TASKS = (r"(?:summari[sz]e|translate|proofread|rewrite|shorten|paraphrase|rephrase|format|improve|correct|fix|"
              r"edit|check|tidy up|clean up)")
_ASKS_OF_THIS = re.compile(r"^(?:(?:can|could|would|will) you |please |pls )?"
                           r"(?:(?:\w+ ){1,2}(?:this|these|the following)(?: (?:for me|up|out|over|please))?\s*[?:]|"
                           rf"{TEXT_TASKS}"
                           r"(?: (?:it|this|that))?(?: for me)?\s*:)", re.I)


def own_words(message: str) -> str:
    """The message without code, quotations and pasted documents: the text the user wrote themselves."""
    text = _QUOTE.sub(" ", _FENCE.sub("\n", message.replace("\u2019", "'").replace("\u2018", "'")))
    text = _ATTRIBUTED.sub(" ", text)
    text = EMOJI.sub(". ", text)  # "Just moved to Graz 🎉 any tips?": an emoji ends what it follows
    asked = _ASKS_OF_THIS.match(text.strip())
    if asked and text.strip()[asked.end():].strip():
        text = asked.group(0)  # "Can you format this? Name: Sam. City: Leeds.": what follows is what to format
    paragraphs = rx.split(r"\n\s*\n", text.strip())
    first = paragraphs[0].strip()
    if len(paragraphs) > 1 and (_ANNOUNCES.search(first) or first.endswith("?")
                                or _REQUEST.match(_DISCOURSE.sub("", first.casefold()))):
        paragraphs = paragraphs[:1]  # "Summarise this email:\n\n<the email>": the email is not the user's
    head, _, rest = paragraphs[0].partition("\n")
    if rest and head.rstrip().endswith(":") and _ANNOUNCES.search(head):
        paragraphs = [head]  # "Here's a job ad:\n<the ad>": what follows the announcement is the ad
    if _LETTER.match(paragraphs[0]):
        return ""  # "Dear Sam,\nI live in Leeds now...": a letter, pasted or drafted, speaks to its reader
    lines = [line for paragraph in paragraphs for line in paragraph.splitlines()]
    return "\n".join(line for line in lines if not (_DOCUMENT_LINE.match(line) and len(lines) > 2)
                     and not _LABELLED.match(line) and not line.lstrip().startswith(">"))  # "> " quotes


@lru_cache(maxsize=1024)
def clauses(message: str) -> tuple[Clause, ...]:
    """The user's own statements in the message, clause by clause (no questions, requests, hypotheticals
    or reported speech)."""
    out: list[Clause] = []
    topic = place = tips = ""
    after_question = False
    begun = 0  # where the clauses of the sentence before begin, for a joke that takes them back
    of_me = False  # the topics asked are about the user ("Me? Vegan?")
    for sentence in sentences(own_words(message)):
        body = _fulfilled(sentence.strip())
        if not body:
            continue
        if _RETRACTION.match(_DISCOURSE.sub("", body.casefold())):
            del out[begun:]  # "I'm vegan. Kidding, I love steak": the joke takes back what it follows, and itself
            continue
        begun = len(out)
        if _RETRACTED.search(body.casefold()):
            continue  # "im a nurse lol jk"
        body, place = _placed(body, place, after_question)
        if after_question and tips:
            body = _LESSONS.sub(rf"\g<0>{tips} ", body, count=1)
        tips_match = _TIPS.match(body)
        tips = tips_match.group("topic") if tips_match else ""
        after_question = body.endswith("?")
        if topic:  # "Coffee? Can't stand the stuff.": the pronoun is the topic just asked
            body = _PRONOUN_OBJECT.sub(topic, body, count=1)
            # a topic turned down: "gluten? no thanks, i swell up" is "no gluten for me"
            # ("Me? Vegan? No thanks." asks what the user is, and declines being it)
            turned = _TURNED_DOWN.match(body)
            body = f"no {topic} for me{body[turned.end():]}" if turned and not of_me else body
        of_me = bool(rx.fullmatch(r"(?:who,? )?me\?+", body.casefold())) or (of_me and bool(_TOPIC.match(body)))
        topic = body[:-1] if _TOPIC.match(body) else ""
        if topic:
            continue
        if body.endswith("?") and _INTERROGATIVE.match(_DISCOURSE.sub("", body.casefold())):
            continue  # "Where should I live, Lisbon or Porto?" is a question throughout
        if not body.endswith("?"):
            # a question or request, then the user's own words after a comma: "how do i get up earlier, I hate early
            # mornings", "help me pick a gift, I'm useless at this" (the words after it are read alone)
            opening = _DISCOURSE.sub("", body.casefold())
            if _ASKED.match(opening) or (_REQUEST.match(opening) and not _GIVE_ME.match(opening)):
                body = _told_after(body, opening) or body
        if not body.endswith("?") and _ASKED.match(_DISCOURSE.sub("", body.casefold())):
            continue  # "how do i become a nurse": a question with no question mark
        if body.endswith("?"):  # "I work as a nurse, is that tiring?": the last clause is the question
            # (a dash parts clauses as a comma does: "sushi is my comfort food but so expensive - can i make it?")
            separators = list(rx.finditer(rf"[,;:]|{_DASH}", body))
            if separators:
                last = body[separators[-1].end():]
                # ...unless it names the user's own people: "with Lena and Otto, my two daughters?"
                # (cut where the question starts, the commas before it kept: "Jess, my partner, thinks...")
                body = body[:-1] if _OWN_PEOPLE.match(last) else body[:separators[-1].start()]
            else:  # "I'm going to Lima in March what should I pack?": the question starts at its word
                asked = _QUESTION_START.search(body, 1)
                body = body[:asked.start()] if asked else ""
        parts = [part for part in _CLAUSE_BREAK.split(body) if part and part.strip(" ,")]
        bare = _DISCOURSE.sub("", body.casefold())
        if _HEARSAY.match(bare) or _SARCASM.search(body.casefold()) or _HEDGED.match(bare):
            continue  # "According to my wife, I'm obsessed with...": the whole sentence is what was said
        # (a fact, then the request it is the reason for: "haven't eaten meat in years so veggie options pls")
        asked_so = _ASKED_SO.match(body) if _PLEASE.match(bare) else None
        if (_REQUEST.match(bare) and not _GIVE_ME.match(bare)) or _FICTION.match(bare) or (
                _PLEASE.match(bare) and not asked_so):
            continue  # "In the story, I live in Leeds": a story's "I" is a character
        if asked_so:
            parts = [part for part in _CLAUSE_BREAK.split(asked_so.group("fact")) if part and part.strip(" ,")]
        speaker = Speaker.USER
        given_up = bool(_GIVEN_UP.search(bare))
        kept: list[Clause] = []
        before = ""
        for part in parts:
            # a request put after the user's words is no part of them: "I'm into jazz, can you suggest some albums"
            part = _ASKED_AFTER.split(part, maxsplit=1)[0]
            # ("Since you asked, I'm a plumber" quotes no one: the opening of an answer is no speaker)
            if _QUOTATIVE.search(_DISCOURSE.sub("", part.strip(" ,").casefold())):
                break  # "My sister was like, I'm vegan now": what follows is her words
            part, before = _antecedent(part.strip(" ,"), before), part
            clause = _clause(_named_back(part, body), speaker, body)
            if clause is None:
                continue
            if kept and _FRONTED.match(kept[-1].text) and clause.speaker is not Speaker.USER:
                kept[-1] = replace(kept[-1], speaker=clause.speaker)  # "As a teacher, my mum works long hours"
            speaker = clause.speaker  # a clause with no subject of its own ("...but moved to York") continues
            kept.append(replace(clause, past=True) if given_up else clause)
        out.extend(kept)
    return tuple(out)


# A joke owned up to takes back what it follows: a sentence that starts by owning up takes back the sentence before
# ("I'm vegan. Kidding.", "I'm a chef... said no one ever"), one that ends so takes back itself ("im a nurse lol jk").
# One list of the words that own up to a joke, read by both.
_JOKE = r"(?:kidding|joking|jks?)"
_NO_ONE_EVER = r"said no ?(?:one|body) ever"
_RETRACTION = re.compile(rf"^(?:(?:just|only) )?{_JOKE}\b|^(?:lol|haha|hah) (?:no|{_JOKE})\b|^{_NO_ONE_EVER}\b")
_RETRACTED = re.compile(rf"(?<!not )(?<!no )\b{_JOKE}\s*[.!]*$|\b{_NO_ONE_EVER}\b")


# Where a request or a question to the assistant starts after a comma ("..., can you help me structure it", "..., how
# do I fix it", "..., suggest some new ones"; never a relative "where" or "which": "Leeds, where I live, ..."), and
# where the user's own words start after one that opened the sentence ("help me write a caption, i'm obsessed with
# ..."): never after a request for a text, a story or a role, nor one that reports or supposes (its "I" may be the
# text's, a character's or someone else's).
_ASKED_AFTER = re.compile(r",\s+(?=(?:(?:can|could|would|will) you|pls|please|help me|suggest|recommend|explain|"
                          r"tell me|give me|show me|make me|any (?:tips|ideas|suggestions|recs|recommendations|advice)|"
                          r"(?:what|how|why)(?:'s|s)?|should (?:i|we)|do you)\b)", re.I)
_TOLD_AFTER = re.compile(r",\s+(?:(?:and|but|tbh|honestly|coz|cause|because|cos|bc|since)\b,?\s*)?"
                         # (or the user's own thing, or a verb with its "I" dropped: "..., my name is Mateusz", "...,
                         # am hyderabad guy living here only")
                         # (or where the user lives now, its "I'm" dropped: "whats the best way to learn polish fast,
                         # living in Wrocław now"; never a question's "what is it like, living in Oslo")
                         r"(?=(?:i|i'm|im|i've|ive|we|we're|we've|my|our|am)\s|(?:living|based) in\s[^,.;!?]{1,40}?\b"
                         r"(?:now|since|currently|these days|for (?:\w+|\d+) (?:years?|yrs?|months?))\b)", re.I)
# A liking told after the request without its object, which the request named: "recommend some jazz albums, I'm
# obsessed lately" is "I'm obsessed with jazz"; and a thing named, then called the user's own: "make me a playlist,
# mostly Afrobeats, that's my thing".
_ASKED_FOR = re.compile(r"\b(?:(?:some|a few|any|good|new|more|great|decent|fresh)\s+)+(?P<thing>[\w' -]{2,25}?)\s+"
                        r"(?:albums|songs|tracks|books|novels|films|movies|shows|series|podcasts|recipes|artists|bands|"
                        r"games|records)\b", re.I)
_BARE_LIKING = re.compile(r"^(?P<head>(?:i'm|im|i am) (?:\w+ )?(?P<how>obsessed|hooked|addicted))"
                          r"(?=\s+(?:lately|atm|at the moment|right now|recently|rn|these days|but|and)\b|\s*[,.!]*$)",
                          re.I)
_WITH = {"obsessed": "with", "hooked": "on", "addicted": "to"}
_CALLED_OWN = re.compile(r",\s+(?=(?:mostly |all |just |definitely )?[\w' -]{2,30},? (?:that's|thats|that is|it's|its) "
                         r"(?:my|our) (?:thing|jam|music|genre|favourite|favorite|fave)\b)", re.I)
_FOR_A_TEXT = re.compile(rf"^(?:{TEXT_TASKS}|write|compose|draft|generate|continue|invent|act as|play|pretend|"
                         r"imagine|role|say|repeat|complete|finish|respond|reply)\b")


def _told_after(body: str, lowered: str) -> str:
    """`body`'s words after its opening request or question that are the user's own ("" if none). `lowered`: the body
    casefolded, its discourse words taken off."""
    if ((_FOR_A_TEXT.match(lowered) and not _PRACTICAL.match(lowered)) or _HYPOTHETICAL.search(lowered)
            or _FICTION.search(lowered) or _QUOTATIVE.search(lowered)):
        return ""
    told = _TOLD_AFTER.search(body) or _CALLED_OWN.search(body)
    # (someone's wish or words before the user's: "help me reply, my boss wants, I'm..."; one after them is read with
    # its own clause: "help me price a job, I'm a carpenter and the customer wants built-in wardrobes")
    if not told or _REPORTED.search(body[:told.start()].casefold()):
        return ""
    tail, asked = body[told.end():], _ASKED_FOR.search(body[:told.start()])
    bare = _BARE_LIKING.match(tail)
    if bare and asked:
        how = _WITH[bare.group("how").casefold()]
        return f"{bare.group('head')} {how} {asked.group('thing')}{tail[bare.end():]}"
    return tail


# An expectation denied, then met: "Never thought I'd end up a baker, but here I am" states "I end up a baker".
_FULFILLED = re.compile(r"^(?:i |we )?(?:never|didn't|did not|wouldn't have) (?:thought|think|imagined|imagine|"
                        r"expected|expect|dreamt|dreamed|pictured|guessed)(?: that)? (?P<who>i|we)(?:'d| would)"
                        r"(?: ever)? (?P<what>[^,;]+?),? (?:but|and|yet|and yet) (?:here (?:i am|we are)|now (?:i am|"
                        r"i'm|we are|we're)|(?:i|we) (?:am|are) now|(?:i|we) did)\b", re.I)


def _fulfilled(body: str) -> str:
    met = _FULFILLED.match(body)
    return f"{'I' if met.group('who').casefold() == 'i' else 'We'} {met.group('what')}." if met else body


# "No idea why people hate crowds, I love it": the pronoun is what the clause before loves or hates.
_LIKED_IT = re.compile(r"^(?P<head>(?:(?:but|and) )?(?:i|we) (?:\w+ )?(?:love|like|enjoy|adore)) (?:it|them)"
                       r"(?P<end>[.!]*)$", re.I)
_LIKED_BEFORE = re.compile(r"\b(?:hate|hates|love|loves|like|likes|enjoy|enjoys|mind|minds|moan about|complain about)"
                           r" (?P<thing>[\w' -]{2,30}?)[.!]*$", re.I)


def _antecedent(part: str, before: str) -> str:
    liked, thing = _LIKED_IT.match(part), _LIKED_BEFORE.search(before.strip(" ,"))
    return f"{liked.group('head')} {thing.group('thing')}{liked.group('end')}" if liked and thing else part


# "Anything to do in Brno? I live there": "there" is the place last named, in this sentence or the one before.
_THERE = re.compile(r"\b(?P<verb>live|lives|living|lived|based|settled|reside|residing|moved|stay|staying) "
                    r"(?:(?:right|just|still|now) )?there\b", re.I)
_TIPS = re.compile(r"^(?:any )?(?:tips|advice|ideas|help|suggestions|pointers) (?:for|on|with|about) "
                   r"(?P<topic>[\w' -]{2,30})\?$", re.I)
_LESSONS = re.compile(r"\b(?:started|starting|taking|take|having|booked|signed up for) (?=lessons\b|classes\b)", re.I)
# A trip named as what is happening: "So Lima is happening!"
_HAPPENING = re.compile(r"^(?:so |and |well )?(?P<place>[A-Z][\w'-]+(?: [A-Z][\w'-]+)?) is (?:happening|booked|on|"
                        r"confirmed|a go)\b", re.I)
_BOOKED = re.compile(r"^(?:(?:the|our|my) )?(?P<what>flights?|tickets?|trains?|ferry|hotel|accommodation)"
                     r"(?: are| is)? (?:booked|sorted|confirmed)\b", re.I)
_HERE = re.compile(r"\b(?P<verb>live|living|based|settled|moved|staying) (?:(?:right|just|still|now) )?here\b", re.I)
# ("round" as chat says "around": "anything free to do round leeds this weekend? live here")
_NAMED_PLACE = re.compile(r"\b(?:in|to|from|near|around|round|of) "
                          r"(?P<place>(?!(?:I|I'm)\b)[A-Z][\w'-]*(?: [A-Z][\w'-]*)?|[a-z][\w'-]+)\b")


# "Ana has swimming today - she's my youngest": the pronoun that makes someone kin is the name the sentence opened with.
_PRONOUN_KIN = re.compile(r"^(?:she's|he's|she is|he is)\s+(?=(?:my|our) )", re.I)
_LEADING_NAME = re.compile(r"^(?!(?:I|I'm|I've|My|Our|The|This|That|It|We|You|He|She|They|Mum|Dad|So|And|But)\b)"
                           r"(?P<name>[A-Z][a-z'-]+)\s+(?!(?:is|'s)\b)")


def _named_back(part: str, sentence: str) -> str:
    pronoun, named = _PRONOUN_KIN.match(part), _LEADING_NAME.match(sentence)
    if pronoun and named and part != sentence:
        return f"{named.group('name')} is {part[pronoun.end():]}"
    return part


def _placed(body: str, before: str, asked: bool) -> tuple[str, str]:
    """The sentence with "live there" naming its place, and the place it names last, for the next sentence;
    "here" too, after a question about a place ("Bins in Cork go out on Tuesdays, right? Just moved here.")."""
    lower = body == body.lower()
    named = [m for m in (*_NAMED_PLACE.finditer(body), *_HAPPENING.finditer(body)) if _a_place(m.group("place"), lower)]
    booked = _BOOKED.match(body)
    if booked and before and not named:  # "So Lima is happening! Flights booked for May 3.": flights to Lima
        body = f"{body[:booked.end('what')]} to {before}{body[booked.end('what'):]}"
    there = _THERE.search(body) or (_HERE.search(body) if asked and before else None)
    if there:
        earlier = [m.group("place") for m in named if m.end() <= there.start()]
        place = earlier[-1] if earlier else before
        if place:
            verb = there.group("verb")
            body = body[:there.start()] + f"{verb} {'to' if verb.casefold() == 'moved' else 'in'} {place}" + \
                body[there.end():]
    return body, named[-1].group("place") if named else ""


_NO_PLACES = frozenset("the a an my our your his her their this that these those it there here bed work school town "
                       "city home time case fact general total advance person bits pieces love touch mind".split())


def _a_place(word: str, lower: bool) -> bool:
    """A name of a place: capitalised where the writer capitalises; in lower case, any word after "in" that is
    no determiner and no common place of its own ("in brno", not "in the" or "in town")."""
    if not lower:
        return word[:1].isupper()
    return len(word) > 2 and word not in _NO_PLACES and not word.endswith("ing") and word not in _NEGATIONS


# A verb of working that opens a clause with its "I" dropped, as chat drops it ("Drive for Uber full time", "Joined
# Amazon last month in HR", "Working in Infosys since 2020"), given back so the rules read it as "I ...". None of these
# is a request to the assistant, as "teach", "run" or "write" may be; and only before what such a verb governs (a
# preposition, an article, a name), so "driving test's at 9" stays a noun. Homes and projects are read with the "I"
# dropped already ("Lived in Ghent since 2019", "Working on a kayak"): their verbs are not here.
_DROPPED_I = re.compile(r"^(?=(?:work|working|drive|driving|joined|started|rent|renting|lecture|freelance|"
                        r"freelancing)\s"
                        r"(?:(?:in|at|for|as|with|from|a|an|the)\b|(?-i:[A-Z])))", re.I)
_DROPPED_ING = {"working": "work", "driving": "drive", "renting": "rent", "freelancing": "freelance"}


def _clause(text: str, previous: Speaker, sentence: str) -> Clause | None:
    lead = _DISCOURSE.match(text.casefold())
    if lead and lead.end() < len(text) and not rx.match(r"no\b", text.casefold()):
        text = text[lead.end():]  # "Honestly, ramen is the best": the rules read from "ramen" ("No dairy" stays)
    if previous is Speaker.USER and _DROPPED_I.match(text):
        first, _, rest = text.partition(" ")  # the dropped "I" given back: "I work at Infosys since 2020"
        text = f"I {_DROPPED_ING.get(first.casefold(), first.casefold())} {rest}"
    lowered = text.casefold()
    words = tuple(tokens(text))
    if not words or _HYPOTHETICAL.search(lowered):
        return None  # "I'm veggie, if that matters": only the hedge goes
    speaker = Speaker.OTHER if _NAMED_DOING.match(text) else _speaker(_DISCOURSE.sub("", lowered), previous)
    if rx.match(r"who\b", lowered) and rx.search(r"\b(?:i'm|im|i am) (?:a|an|the) [\w -]+,? who\b",
                                                 sentence.casefold()):
        speaker = Speaker.USER  # "I'm a nurse who lives in Leeds": the relative is the user
    reported = _REPORTED.search(lowered)
    reporter = _reporter(text[:reported.start()]) if reported else ""
    # (a relative named first is one too: "Jess, my partner, thinks I'm overreacting")
    if reporter and (speaker is Speaker.KIN or reporter.casefold().startswith("the ") or _NAME_FIRST.match(reporter)):
        # "My son Milo thinks I'm ancient", "The missus, Lucia, says I work too much": what the son thinks is his, but
        # the words before it still name him
        return _clause(reporter, previous, sentence)
    if reported and speaker is not Speaker.USER:
        return None
    if reported and not rx.search(r"\b(?:i|we)\s+(?:\w+\s+)?$", lowered[: reported.start()]):
        return None  # "my doctor said I should...": the doctor's words
    plain = tokens(_IDIOMS.sub(" ", lowered))  # "I can't get enough of ramen" refuses nothing
    return Clause(text=text, sentence=sentence, words=words, roots=root_set(text), cues=cue_set(text),
                  speaker=speaker,
                  negated=any(word in _NEGATIONS for word in plain) or bool(_NO_PREDICATE.search(lowered)
                                                                           or _REFUSED_NOW.search(lowered)),
                  unrelated=bool(_DENIED_RELATION.search(lowered)),
                  past=_past(lowered), ahead=bool(_AHEAD.search(lowered)) and not _DONE.match(lowered))


_NAME_FIRST = re.compile(r"^[A-Z][\w'-]+(?:, | \()(?i:my|our) (?:[\w-]+ ){0,2}(?P<relation>[\w-]+)")


def _reporter(words: str) -> str:
    """Who reports, when named by a relative's word and a name ("My son Milo"), with no verb of their own."""
    named = rx.match(r"^(?i:my|our) (?:[\w-]+ ){1,2}[A-Z][\w'-]+(?= (?:\w+ly |always |keeps |just |still )?$)", words)
    # (or by "the" relative and the name between commas, as one's own is said: "The missus, Lucia, says...")
    apposed = rx.match(r"^(?i:my|our|the) (?P<relation>[\w-]+), [A-Z][\w'-]+"
                       r"(?=,? (?:\w+ly |always |keeps |just |still )?$)", words)
    if apposed and apposed.group("relation").casefold() in RELATIONS:
        named = apposed
    # (or the name first, the relation after it between commas or in brackets: "Jess, my partner, thinks...", "Maya (my
    # 6yo daughter) wants...")
    first = rx.match(rf"{_NAME_FIRST.pattern}(?:,|\))(?= (?:\w+ly |always |keeps |just |still )?$)", words)
    if first and first.group("relation").casefold() in RELATIONS:
        named = first
    reporter = named.group(0).rstrip(",") if named else ""
    return reporter if (reporter[-1:].isalpha() or reporter.endswith(")")) and not _REPORTED.search(reporter) else ""


# "Used to" after a verb of being or becoming is being accustomed, today: "I'm still getting used to Porto".
_ACCUSTOMED = re.compile(r"\b(?:get|gets|getting|got|gotten|be|been|being|am|are|is|'m|'re|was|were|become|becoming|"
                         r"grown|growing)(?: \w+)? used to\b")


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# What lies ahead: a move or a start to come, a time to come.
_AHEAD = re.compile(r"\b(?:(?<!since )(?<!after )(?<!before )(?:moving|relocating)|"
                    # ("I'll be honest, I live in Leeds", "I work in planning": nothing ahead)
                    r"(?:will|'ll|going to|gonna|about to) (?:soon |finally |officially )?(?:be )?(?:move|moving|"
                    r"relocate|relocating|live|living|start|starting|be based|based|settle|head|join|become|a |an )|"
                    rf"planning (?:to|on|a)|plan to|soon|from (?:next|{_MONTHS})|"
                    rf"next (?:week|month|year|spring|summer|autumn|fall|winter|{_MONTHS})|"
                    r"(?:start|starting|begin|beginning) (?:as|at|in|my new)|in (?:a|two|three|a few|six) "
                    r"(?:weeks|months)(?: time)?|"
                    # a stay is no home: "I'm staying in Leeds for a conference"
                    r"(?:staying|visiting|i'm in|im in|we're in|i am in|here in|over in)\b[^,;]*\bfor (?:a|an|the|two|"
                    r"three|a few|this|work|business)|"
                    r"(?<!i )(?<!we )(?:i|we) (?:move|relocate) (?:to|out|back|abroad))\b")
_DONE = re.compile(r"(?:moving|relocating|the move)\b[^,;]* (?:was|has been)\b")  # a move looked back on


def _past(lowered: str) -> bool:
    """A past state, not a change whose result lasts: "I gave up meat years ago" and "I moved to Leeds
    years ago" are the present diet and home; "I lived in Leeds years ago" is not."""
    lowered = _ACCUSTOMED.sub(" accustomed to", lowered)
    if _STILL.search(lowered):
        return False  # "I grew up in Cork and still live there": the state goes on
    markers = {match.group(0) for match in _PAST.finditer(lowered)}
    if _REFUSED_NOW.search(lowered):
        markers.discard("no longer")  # "I no longer eat meat" is today's diet, a refusal
    return bool(markers) and not (markers <= {"years ago"} and _LASTING_CHANGE.search(lowered))


# A relation's word that names no relative: "Urdu is my mother tongue", "back to my motherland".
NO_RELATIVE = re.compile(r"(?i)\b(?:mother|father)[ -]?(?=(?:tongue|language|land|nature|board|ship)\b)")


def _speaker(lowered: str, previous: Speaker) -> Speaker:
    words = tokens(NO_RELATIVE.sub("native ", lowered))
    if not words:
        return previous
    owned = _OWNED.match(lowered)  # "my in-laws live in Leeds" (a hyphen splits the word in tokens)
    if owned and owned.group(1) in RELATIONS:
        return Speaker.KIN
    if _SOME_OF.match(lowered):
        return Speaker.OTHER  # "Half my friends are vegan", "most of our neighbours moved away"
    first = words[0]
    if first in _USER_START:
        return Speaker.USER
    if words[1:2] == ["here"] and first in OCCUPATIONS:
        return Speaker.USER  # "teacher here (year 4)": who is speaking, as "nurse here" is (never "the teacher")
    if first in _ASSISTANT and not _FIRST_PERSON & set(words) and words[1:2] and words[1] not in _GENERIC_YOU:
        return Speaker.OTHER  # "and ur from graz", "you live in Leeds now": the assistant, never the user
    owner = first.removesuffix("'s")
    if owner != first and words[1:2] in (["my"], ["our"]) and words[2:3] and words[2] in RELATIONS:
        return Speaker.KIN  # "Milo's my eldest": the "'s" is "is", and the clause names the user's own
    if owner != first and owner not in _NOT_OWNERS and owner not in _THINGS and words[1:2] != ["where"]:
        # ("Wedding's in May", "Brno's where we stayed": "is")
        # "Priya's husband is a nurse", "Dad's job is...": a possessive that is not the user's names whose it is
        return Speaker.KIN if owner in RELATIONS else Speaker.OTHER
    if first in ("my", "our"):
        if len(words) > 1 and words[1] in BODY:
            return Speaker.USER  # "my body hates gluten" (never someone's "hates")
        if len(words) > 2 and words[1].endswith("'s") and words[2] in _THINGS:
            return Speaker.USER  # "my sister's wedding is in June": the user's own date
        # "my friend's son" is the friend's: a possessive is read as the person it names
        following = [word.removesuffix("'s") for word in words[1:3]]
        if first == "our" and following[:1] == ["family"]:
            return Speaker.USER  # "our family lives in Aarhus": the user's household
        # (a word may describe them first: "my little brother", "My Jewish in-laws keep kosher", "My Muslim
        # colleagues don't eat pork", "my vegan flatmate", though never "my own": "my own company")
        described = len(following) > 1 and following[0] != "own"
        if following and (following[0] in RELATIONS or (described and following[1] in RELATIONS)):
            return Speaker.KIN
        following = [lemma(word) if word not in OTHERS else word for word in following]  # "our neighbours"
        named = following[0] if following and following[0] in OTHERS else (
            following[1] if described and following[1] in OTHERS else None)
        if named is not None and following[-1] not in _THINGS:
            return Speaker.OTHER  # "my (best) friend is...", but "my dentist appointment is..." is the user's
        if any(_third_person(word) for word in words[2:4]):
            return Speaker.OTHER  # "our lodger works as a baker": whoever takes "works" is not "I"
        return Speaker.USER
    if len(words) > 1 and words[1].removesuffix("'s") in _THINGS and first in OTHERS:
        return Speaker.USER  # "dentist appointment on May 3, wish me luck": the user's appointment
    if first in OTHERS or lemma(first) in OTHERS or first in ("who", "whom", "whose") or (
            first.endswith("s") and lemma(first) != first and lemma(first) in OCCUPATIONS):
        # "they love...", "neighbours are...", a relative clause ("who moved to..."), people by their job ("Nurses
        # are underpaid")
        return Speaker.OTHER
    # ("here" after a person is where they are, not who speaks: "The teacher here is lovely")
    if first in _DETERMINERS and not (_FIRST_PERSON - {"here"}) & set(words) and any(
            word in OTHERS or lemma(word) in OTHERS | _PEOPLE | OCCUPATIONS for word in words[1:4]) and (
            _FINITE & set(words) or any(_third_person(word) or word.endswith("ed") or lemma(word) in _PERSONAL_VERBS
                                        or (lemma(word) != word and not word.endswith("s")) for word in words[1:])):
        return Speaker.OTHER  # "a friend of mine is flying...", "some people love...", "lots of nurses hate..."
    if first in RELATIONS or (first in _DETERMINERS and len(words) > 1 and words[1] in RELATIONS):
        return Speaker.KIN  # "Dad lives in Leeds", "Mum says hi", "the kids love bouldering"
    if any(_third_person(word) for word in words[1:3]) or (
            not _USER_START & set(words[:4]) and any(_third_person(word) for word in words[3:5])):
        return Speaker.OTHER  # "Sam lives in Leeds": "I" never takes "lives"
    if words[0].endswith(("ing", "ed")) and lemma(words[0]) != words[0]:
        # "Going to see my sister in Hanoi", "Moved in with my partner in Leeds": the user's verb, its "I" dropped
        return Speaker.USER
    if "my" in words[:4] and any(word in RELATIONS for word in words[:5]):
        return Speaker.KIN  # "Ana, my daughter, just learnt to ride a bike"
    return Speaker.USER if previous is Speaker.USER else previous
