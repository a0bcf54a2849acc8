"""What the user is, has or lives with, lasting, and no other subject's: a condition ("I have asthma"), a trait
("I'm left-handed"), an aid ("I use a wheelchair"), an allergy to what is never eaten ("I'm allergic to cats"), the
languages they speak, a birthday. People state these in passing, as the reason for what they ask ("I have asthma so
running in cold air is rough. What warm-up helps?"), and expect the assistant to know it next time. Each is kept as a
note, in the user's own words from where the fact starts ("I have asthma", "deaf in my left ear").

Every kind is a closed list of what it names, so that "I have a meeting" or "I speak to my mum daily" is nothing: no
library names conditions, aids or languages without a model or a data set far larger than the Lambda bundle, and the
lists are short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import MONTH, NEGATION
from memchat.memory.statements import Clause, Speaker, clauses, own_words, sentences

# Conditions people live with and mention as the reason for a request. (Not coeliac, diabetic or an intolerance: a
# diet's words, `words.DIETS`.)
CONDITIONS = (
    "asthma", "adhd", "autism", "diabetes", "type 1 diabetes", "type 2 diabetes", "epilepsy", "dyslexia",
    "dyspraxia", "dyscalculia", "migraines", "migraine", "chronic migraines", "arthritis", "rheumatoid arthritis",
    "eczema", "psoriasis", "ibs", "crohn's", "crohns", "colitis", "ulcerative colitis", "anxiety", "depression",
    "ptsd", "ocd", "bipolar", "pcos", "endometriosis", "tinnitus", "multiple sclerosis", "fibromyalgia",
    "lupus", "hypertension", "high blood pressure", "low blood pressure", "sleep apnea", "sleep apnoea", "insomnia",
    "long covid", "chronic fatigue", "cfs", "me/cfs", "hay fever", "hayfever", "scoliosis", "glaucoma",
    "cataracts", "a heart condition", "heart disease", "anaemia", "anemia", "hypothyroidism", "an underactive thyroid",
    "an overactive thyroid", "gout", "sciatica", "vertigo", "a stammer", "a stutter", "cerebral palsy", "a bad back",
    "a bad knee", "bad knees", "a bad hip", "a dodgy knee", "a dodgy back", "a pacemaker", "hearing loss",
    "a hearing impairment", "a visual impairment", "low vision", "raynaud's",
    # (and those of later life, as the older say them: "I have Parkinson's, so my typing can be erratic")
    "parkinson's", "parkinsons", "alzheimer's", "dementia", "copd", "emphysema", "angina", "osteoporosis",
    "osteoarthritis", "macular degeneration", "atrial fibrillation", "a-fib", "afib", "diverticulitis", "shingles",
    "neuropathy", "peripheral neuropathy", "motor neurone disease", "a heart murmur", "a hernia", "a bad shoulder",
)
# What one may be allergic to that is never eaten (an allergy to a food is a diet).
NEVER_EATEN = frozenset("cats cat dogs dog pets animals horses rabbits feathers pollen dust grass hay bees wasps "
                        "stings latex penicillin antibiotics aspirin ibuprofen nickel perfume fragrance mould mold "
                        "sunlight work mondays".split()) | {"dust mites", "the sun", "bee stings", "wasp stings"}
# What one is, said with "I'm" (an article and a word of degree may come first: "I'm a total night owl").
TRAITS = (
    "asthmatic", "epileptic", "autistic", "dyslexic", "dyspraxic",
    "deaf", "partially deaf", "hard of hearing", "blind", "partially sighted", "visually impaired", "colour blind",
    "color blind", "colourblind", "colorblind", "left-handed", "left handed", "leftie", "lefty", "night owl",
    "early bird", "early riser", "introvert", "extrovert", "neurodivergent", "disabled", "wheelchair user",
    "short-sighted", "short sighted", "long-sighted", "long sighted", "near-sighted", "nearsighted", "insomniac",
    "anaemic", "anemic", "hypermobile", "pregnant", "registered blind", "registered deaf", "registered disabled",
    # what one has become for life, and says as one's standing: "Being a Vietnam veteran, I'm entitled to...",
    # "As a widow of some years, I manage..."
    "veteran", "widow", "widower",
)
# A faith one keeps, said as what one is ("I'm a practising Catholic", "Being a lifelong Presbyterian, I...").
FAITHS = (
    "christian", "catholic", "roman catholic", "protestant", "anglican", "presbyterian", "methodist", "baptist",
    "lutheran", "quaker", "mormon", "evangelical", "pentecostal", "orthodox", "greek orthodox", "muslim", "jew",
    "jewish", "hindu", "sikh", "buddhist", "atheist", "agnostic", "episcopalian", "adventist",
    "seventh-day adventist", "unitarian", "pagan", "rastafarian",
)
# What one uses or wears to get about, hear or see.
AIDS = (
    "a wheelchair", "a cane", "a walking stick", "crutches", "a walker", "a mobility scooter", "hearing aids",
    "a hearing aid", "glasses", "contact lenses", "a cpap", "a cpap machine", "an insulin pump",
    "a prosthetic", "a prosthetic leg", "a prosthetic arm", "a guide dog", "a brace", "a knee brace",
    "a screen reader", "a stairlift", "a stair lift", "a zimmer frame", "a hearing loop", "an inhaler", "an epipen",
    "an epi-pen", "a colostomy bag", "a stoma bag", "dentures", "a catheter",
)
# The makes of the cars and scooters people drive, which name a vehicle whatever its model ("my honda civic").
MAKES = (
    "toyota", "honda", "ford", "volkswagen", "vw", "bmw", "audi", "mercedes", "merc", "nissan", "kia", "hyundai",
    "vauxhall", "opel", "peugeot", "renault", "fiat", "mazda", "subaru", "volvo", "skoda", "tesla", "jeep",
    "land rover", "range rover", "citroen", "citroën", "suzuki", "mitsubishi", "lexus", "porsche", "dacia",
    "chevrolet", "chevy", "dodge", "vespa", "yamaha", "kawasaki", "ducati", "harley", "harley-davidson", "lambretta",
    "prius", "corolla", "civic", "golf", "polo", "fiesta", "corsa", "yaris", "qashqai", "landcruiser", "land cruiser",
)
# The languages people name in chat.
LANGUAGES = (
    "english spanish french german italian portuguese dutch polish russian ukrainian arabic hindi urdu bengali bangla "
    "punjabi tamil telugu marathi gujarati malayalam kannada chinese mandarin cantonese japanese korean vietnamese "
    "thai tagalog filipino indonesian malay swahili yoruba igbo hausa amharic zulu xhosa afrikaans turkish persian "
    "farsi greek hebrew swedish norwegian danish finnish icelandic czech slovak hungarian romanian bulgarian serbian "
    "croatian bosnian slovenian albanian lithuanian latvian estonian welsh irish gaelic catalan basque galician "
    "nepali sinhala khmer burmese somali pashto kurdish armenian georgian kazakh uzbek mongolian maori samoan tongan "
    "twi pidgin creole patois bsl asl ilocano ilokano cebuano bisaya visayan hiligaynon waray kapampangan tok "
    "hokkien teochew hakka shanghainese taiwanese javanese sundanese lao hmong tigrinya oromo wolof lingala shona "
    "ndebele sesotho setswana tswana kinyarwanda luganda chichewa malagasy haitian sindhi kashmiri konkani tulu "
    "odia oriya assamese dari tajik turkmen kyrgyz uyghur tatar chechen maltese luxembourgish frisian faroese "
    "scots cornish manx breton sami yiddish ladino aramaic tigre"
).split()


def _alternatives(items: tuple[str, ...] | list[str]) -> str:
    # (a space and a hyphen are one in a compound, as people write it either way: "colour-blind", "colour blind")
    return "|".join(rx.sub(r"\\[ -]", r"[\\s-]+", re.escape(item)) for item in sorted(items, key=len, reverse=True))


_CONDITION = (r"(?:(?:mild|severe|bad|chronic|really bad|pretty bad|quite bad|diagnosed)\s+)?"
              rf"(?:{_alternatives(CONDITIONS)})")
_LANGUAGE = rf"(?:{_alternatives(LANGUAGES)})"
_LANGUAGES = rf"{_LANGUAGE}(?:(?:,\s*|,?\s+(?:and|&)\s+){_LANGUAGE})*"
_END = r"(?![\w'-])"
# Where the user's words of it start: "I", "I'm", or none ("Got ADHD so...", "deaf in my left ear").
_HAS = (r"(?:\b(?:i|we)\s+(?:also\s+|actually\s+|still\s+)?(?:have(?:\s+got)?|'ve\s+got|got|suffer\s+(?:from|with)|"
        r"live\s+with|was\s+diagnosed\s+with|(?:have|'ve)\s+been\s+diagnosed\s+with|"
        # (its perfect, which says it has lasted to now: "I've suffered from insomnia for years now")
        r"(?:have|'ve)\s+(?:suffered\s+(?:from|with)|lived\s+with|had))|"
        r"\b(?:i've|ive)\s+(?:also\s+|actually\s+)?(?:got|been\s+diagnosed\s+with|suffered\s+(?:from|with)|"
        r"lived\s+with|had)|^(?:have\s+got|got|have)|"
        # (the diagnosis with no subject, as a heading of what follows: "diagnosed adhd so pls keep it short")
        r"^(?:(?:just|recently|newly|officially)\s+)?(?:been\s+)?diagnosed(?:\s+with)?)")
_AM = r"(?:\b(?:i'm|im|i\s+am)\s+(?:also\s+|actually\s+|a\s+bit\s+|totally\s+|completely\s+|fully\s+)?|^)"
# What the user is, has or uses now, which a clause that looks ahead does not state: "I'll be using a wheelchair after
# the op".
_STATES = (
    # "I have asthma", "I've got ADHD", "Got mild eczema", "I suffer from migraines"
    re.compile(rf"(?P<fact>{_HAS}\s+{_CONDITION}{_END})", re.I),
    # "I'm colour blind", "I'm a total night owl", "deaf in my left ear"
    re.compile(rf"(?P<fact>{_AM}(?:(?:a|an)\s+)?(?:(?:total|complete|real|massive|huge|bit\s+of\s+an?)\s+)?"
               rf"(?:{_alternatives(TRAITS)})"
               rf"(?:\s+in\s+(?:my\s+)?(?:left|right|one|both)\s+(?:ear|ears|eye|eyes))?"
               # (and the aid it takes, its subject said once: "I am registered blind and use a screen reader")
               rf"(?:\s+and\s+(?:use|wear)\s+(?:{_alternatives(AIDS)}))?{_END})",
               re.I),
    # "I use a wheelchair", "I wear glasses"
    re.compile(rf"(?P<fact>(?:\b(?:i|we)\s+(?:also\s+)?|^)(?:use|wear)\s+(?:{_alternatives(AIDS)}){_END})", re.I),
    # "I'm allergic to cats": what is never eaten (an allergy to a food is a diet)
    re.compile(rf"(?P<fact>{_AM}(?:(?:very|really|severely|mildly|super)\s+)?allergic\s+to\s+"
               rf"(?P<allergen>[\w' -]+?)){_END}(?=\s*(?:[,.;!?(—-]|$|\s+(?:so|and|but|which|too)\b))", re.I),
    # "I speak Yoruba and English", "Afrikaans is my first language", "my mother tongue is Tamil"
    re.compile(rf"(?P<fact>(?:\b(?:i|we)\s+(?:also\s+)?|^)speak\s+(?:fluent\s+)?{_LANGUAGES}{_END}|"
               # (what is called a first language or a mother tongue is one, listed or not: "Ilocano is my mother
               # tongue")
               rf"\b(?!(?:it|this|that|which|what|english)\b)(?:{_LANGUAGES}|[a-z]{{4,}})\s+is\s+my\s+"
               rf"(?:first|native|mother|home)\s+(?:language|tongue){_END}|"
               # (what is spoken at home: "cantonese is what we speak at home", "we speak Tagalog at home")
               rf"\b{_LANGUAGES}\s+is\s+what\s+(?:i|we)\s+speak(?:\s+at\s+home)?{_END}|"
               rf"\bmy\s+(?:first|native|mother|home)\s+(?:language|tongue)\s+is\s+{_LANGUAGES}{_END}|"
               rf"\b(?:i'm|im|i\s+am)\s+(?:a\s+)?native\s+{_LANGUAGE}\s+speaker{_END}|"
               rf"\b(?:i'm|im|i\s+am)\s+(?:bilingual\s+in|fluent\s+in)\s+{_LANGUAGES}{_END})", re.I),
)
_MAKE = rf"(?:{_alternatives(MAKES)})"
# A vehicle's name goes on to its model, and stops at what is said of it: "my honda civic is making a noise".
_MODEL = (r"(?:\s+(?!(?:is|isn't|isnt|has|had|got|gets|keeps|needs|won't|wont|doesn't|doesnt|just|was|broke|makes|"
          r"making|and|but|so|for|on|in|at|with|to|which|that|because|since|since|now|again|still|keeps|started|"
          r"starts|won't|will|would|can|can't|cant|should|needs|need|pls|please|lol)\b)[\w.-]+){0,3}")
_TIME = (r"(?:(?:about|around|roughly|nearly|almost|over|under|just over|just under|a good|at least)\s+)?"
         r"(?:an?\s+hour(?:\s+and\s+a\s+half)?|half\s+an\s+hour|\d+(?:\.\d+)?\s*(?:hours?|hrs?|h|minutes?|mins?)\b)")
# What the user is for good or for long, said as their standing ("Being a Vietnam veteran, I'm entitled to...", "As
# a widow of some years, I manage...", "I'm a lifelong Methodist"), with what may describe it first.
_STANDING = rf"(?:(?P<faith>{_alternatives(FAITHS)})|veteran|war\s+veteran|widow|widower)"
# What a diet says, which a faith beside it gives the reason for.
_FOOD_RULE = r"\b(?:eat|eats|eating|food|meat|pork|beef|halal|kosher|diet|no|fast|fasting|drink|alcohol|veg\w*)\b"
# (one word may describe it: "lifelong", "devout", "Vietnam")
_KEEPS = r"(?:(?:a|an)\s+)?(?:[\w-]+\s+)?"
_LASTING = (
    # "As a widow of some years", "Being a lifelong Presbyterian" (the clause the reader keeps of the opening)
    re.compile(rf"(?P<fact>^(?:as|being)\s+{_KEEPS}{_STANDING}(?:\s+of\s+[\w' -]{{1,30}})?)\s*[,.;:!]?\s*$",
               re.I),
    # "I'm a lifelong Presbyterian", "im catholic" (never a standing with a noun after it: "I'm a Catholic school
    # teacher")
    re.compile(rf"(?P<fact>\b(?:i'm|im|i\s+am)\s+{_KEEPS}{_STANDING})(?=\s*(?:$|[,.;:!(]|\s+(?:so|and|but|myself|"
               rf"here|too|btw)\b))", re.I),
    # "I drive an old Toyota Land Cruiser", "we ride a vespa": what one drives or rides, by its make (what one owns
    # may be for sale or for show: "I own a Tesla" is no fact kept)
    re.compile(rf"(?P<fact>\b(?:i|we)\s+(?:drive|ride)\s+(?:a|an)\s+"
               rf"(?:[\w-]+\s+){{0,2}}?{_MAKE}{_MODEL})", re.I),
    # "my honda civic is making a clicking noise", "my vespa got a flat": a vehicle the user's own, by its make
    re.compile(rf"(?P<fact>^(?:(?:so|and|ugh|omg|ok)\s+)?my\s+(?:(?:old|new|little|trusty|ancient|beloved)\s+)?"
               rf"{_MAKE}{_MODEL})", re.I),
    # "My commute is an hour and a half each way on the ferry", "my commute's 2 hrs each way"
    re.compile(rf"(?P<fact>\bmy\s+(?:daily\s+)?commute(?:'s|\s+is|\s+takes)\s+{_TIME}[^,;:!?]*)", re.I),
    # "im O negative so the blood bank keeps texting me": a blood group said as what one is (a lone "a" is an article)
    re.compile(r"(?P<fact>\b(?:i'm|im|i\s+am)\s+(?:(?-i:A)|ab|b|o)\s*(?:positive|negative|pos|neg|\+|-)(?![\w+-]))",
               re.I),
    # "insomnia has me awake at 4am again", "my arthritis is playing up": a condition, the subject of its present
    re.compile(rf"^(?:(?:ugh|omg|honestly|and|so)\s+)?(?P<fact>(?:my\s+)?{_CONDITION})\s+(?:has|have|keeps|keep|"
               rf"(?:is|are)\s+(?:keeping|making|killing|playing\s+up|flaring(?:\s+up)?|acting\s+up)|makes|make|"
               rf"plays?\s+up|flares?\s+up|acts?\s+up|means|mean|gets|get)\b", re.I),
)
# What does not change, read whatever the clause looks to: a date that comes back every year is often said of the one
# ahead ("my birthday's on the 2nd of March, what flowers are in season then").
_FIXED = (
    # "my birthday's on the 2nd of March", "our anniversary is 12 May": a date that comes back every year
    re.compile(r"(?P<fact>\b(?:my|our)\s+(?:birthday|bday|b-day|wedding anniversary|anniversary)(?:'s|\s+is)\s+"
               rf"(?:on\s+)?(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
               r"(?!\w))", re.I),
    # "my blood type is O negative"
    re.compile(r"(?P<fact>\bmy\s+blood\s+(?:type|group)\s+is\s+(?:ab|a|b|o)(?:\s*(?:positive|negative|pos|neg)|[+-])?)"
               r"(?![\w+-])", re.I),
)


def trait(clause: Clause) -> Iterator[Proposal]:
    """The lasting conditions, traits, aids, allergies, languages and dates the user's own clause states of them."""
    for kind in _FIXED if clause.ahead else (*_STATES, *_LASTING, *_FIXED):
        for match in rx.finditer(kind, clause.text):
            if NEGATION.search(clause.text[:match.end()]):
                continue  # "I don't think I have ADHD" (but "I'm a night owl, never asleep before 2" is one)
            if match.groupdict().get("faith") and rx.search(_FOOD_RULE, clause.sentence, re.I):
                continue  # a faith given as the reason for a diet is the diet's: "As a Hindu I do not eat beef"
            allergen = match.groupdict().get("allergen")
            if allergen is not None and allergen.casefold().strip() not in NEVER_EATEN:
                continue  # "allergic to peanuts" is a diet
            fact = match.group("fact").strip()
            if fact.casefold() not in clause.sentence.casefold():
                # the subject the clause reader gave a sentence that left it off is no word of the user's: "drive a
                # 2014 Prius, is it worth..." is "drive a 2014 Prius"
                fact = rx.sub(r"^(?:i|we)\s+", "", fact, flags=re.I)
            if rx.fullmatch(r"(?i:(?:i|we)\s+speak\s+(?:fluent\s+)?english)", fact):
                continue  # what every message here is written in says nothing to keep
            yield Proposal(Subject.NOTE, fact)


# A polite request after a fact, joined to it in one sentence, which sets the whole sentence aside as a wish: "I
# follow a plant-based diet for ethical reasons and would like a protein-rich breakfast idea", "I have Parkinson's
# and I would be grateful for large-print tips".
_WISH = re.compile(r"(?:\s*,\s*|\s+)(?:(?:and|so|but)\s+)?(?:i\s+would|i'd|would|i\s+should|i\s+wondered|i\s+was\s+"
                   r"wondering)\s+(?:(?:very\s+)?much\s+|really\s+|greatly\s+)?(?:like|love|welcome|appreciate|be\s+"
                   r"(?:grateful|glad|delighted|obliged|pleased|thankful)|if|whether)\b", re.I)


def before_wish(message: str) -> Iterator[Clause]:
    """The user's own present clauses of what a sentence states before the wish it ends with (read by the clause
    reader, with all its guards: "If I were vegan, I would like..." states nothing)."""
    for sentence in sentences(own_words(message)):
        wish = rx.search(_WISH, sentence)
        if wish and wish.start() > 0:
            yield from (c for c in clauses(sentence[:wish.start()]) if c.speaker is Speaker.USER and not c.past)


# A first language, which stays one when told of a childhood, in a clause the clause reader sets aside as past:
# "Gaelic was my first language growing up on Lewis" (never a class: "French was my first language class").
_FIRST_TONGUE = re.compile(rf"(?P<fact>\b{_LANGUAGES}\s+was\s+my\s+(?:first|native|mother|home)\s+"
                           r"(?:language|tongue))"
                           r"(?![\w'-]|\s+(?:class|classes|lesson|lessons|course|exam|teacher|tutor|app|book)\b)", re.I)


def set_aside(message: str) -> Iterator[Proposal]:
    """What the user is, has or lives with, said before a wish (`before_wish`), a first language told of a childhood,
    and the dates that come back every year, read in a sentence the clause reader sets aside whole for what follows
    the date ("My birthday's the 3rd of April, born 1951 if you must know.": a condition on the telling, not the
    date)."""
    for clause in before_wish(message):
        yield from trait(clause)
    for sentence in sentences(own_words(message)):
        for kind in (*_FIXED, _FIRST_TONGUE):
            for match in rx.finditer(kind, sentence):
                before = sentence[:match.start()]
                if not NEGATION.search(sentence[:match.end()]) and not rx.search(
                        r"\b(?:if|whether|suppose|imagine|pretend|what if|when|unless|is|was)\s*$|\b(?:if|suppose|"
                        r"imagine|pretend|story|character)\b", before, re.I):
                    yield Proposal(Subject.NOTE, match.group("fact").strip())
