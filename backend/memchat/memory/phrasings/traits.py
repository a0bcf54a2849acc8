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
from memchat.memory.statements import Clause

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
    "anaemic", "anemic", "hypermobile", "pregnant",
)
# What one uses or wears to get about, hear or see.
AIDS = (
    "a wheelchair", "a cane", "a walking stick", "crutches", "a walker", "a mobility scooter", "hearing aids",
    "a hearing aid", "glasses", "contact lenses", "a cpap", "a cpap machine", "an insulin pump",
    "a prosthetic", "a prosthetic leg", "a prosthetic arm", "a guide dog", "a brace", "a knee brace",
)
# The languages people name in chat.
LANGUAGES = (
    "english spanish french german italian portuguese dutch polish russian ukrainian arabic hindi urdu bengali bangla "
    "punjabi tamil telugu marathi gujarati malayalam kannada chinese mandarin cantonese japanese korean vietnamese "
    "thai tagalog filipino indonesian malay swahili yoruba igbo hausa amharic zulu xhosa afrikaans turkish persian "
    "farsi greek hebrew swedish norwegian danish finnish icelandic czech slovak hungarian romanian bulgarian serbian "
    "croatian bosnian slovenian albanian lithuanian latvian estonian welsh irish gaelic catalan basque galician "
    "nepali sinhala khmer burmese somali pashto kurdish armenian georgian kazakh uzbek mongolian maori samoan tongan "
    "twi pidgin creole patois bsl asl"
).split()


def _alternatives(items: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(item).replace(r"\ ", r"\s+") for item in sorted(items, key=len, reverse=True))


_CONDITION = (r"(?:(?:mild|severe|bad|chronic|really bad|pretty bad|quite bad|diagnosed)\s+)?"
              rf"(?:{_alternatives(CONDITIONS)})")
_LANGUAGE = rf"(?:{_alternatives(LANGUAGES)})"
_LANGUAGES = rf"{_LANGUAGE}(?:(?:,\s*|,?\s+(?:and|&)\s+){_LANGUAGE})*"
_END = r"(?![\w'-])"
# Where the user's words of it start: "I", "I'm", or none ("Got ADHD so...", "deaf in my left ear").
_HAS = (r"(?:\b(?:i|we)\s+(?:also\s+|actually\s+|still\s+)?(?:have(?:\s+got)?|'ve\s+got|got|suffer\s+(?:from|with)|"
        r"live\s+with|was\s+diagnosed\s+with|(?:have|'ve)\s+been\s+diagnosed\s+with)|"
        r"\b(?:i've|ive)\s+(?:also\s+|actually\s+)?(?:got|been\s+diagnosed\s+with)|^(?:have\s+got|got|have))")
_AM = r"(?:\b(?:i'm|im|i\s+am)\s+(?:also\s+|actually\s+|a\s+bit\s+|totally\s+|completely\s+|fully\s+)?|^)"
# What the user is, has or uses now, which a clause that looks ahead does not state: "I'll be using a wheelchair after
# the op".
_STATES = (
    # "I have asthma", "I've got ADHD", "Got mild eczema", "I suffer from migraines"
    re.compile(rf"(?P<fact>{_HAS}\s+{_CONDITION}{_END})", re.I),
    # "I'm colour blind", "I'm a total night owl", "deaf in my left ear"
    re.compile(rf"(?P<fact>{_AM}(?:(?:a|an)\s+)?(?:(?:total|complete|real|massive|huge|bit\s+of\s+an?)\s+)?"
               rf"(?:{_alternatives(TRAITS)})"
               rf"(?:\s+in\s+(?:my\s+)?(?:left|right|one|both)\s+(?:ear|ears|eye|eyes))?{_END})",
               re.I),
    # "I use a wheelchair", "I wear glasses"
    re.compile(rf"(?P<fact>(?:\b(?:i|we)\s+(?:also\s+)?|^)(?:use|wear)\s+(?:{_alternatives(AIDS)}){_END})", re.I),
    # "I'm allergic to cats": what is never eaten (an allergy to a food is a diet)
    re.compile(rf"(?P<fact>{_AM}(?:(?:very|really|severely|mildly|super)\s+)?allergic\s+to\s+"
               rf"(?P<allergen>[\w' -]+?)){_END}(?=\s*(?:[,.;!?(—-]|$|\s+(?:so|and|but|which|too)\b))", re.I),
    # "I speak Yoruba and English", "Afrikaans is my first language", "my mother tongue is Tamil"
    re.compile(rf"(?P<fact>(?:\b(?:i|we)\s+(?:also\s+)?|^)speak\s+(?:fluent\s+)?{_LANGUAGES}{_END}|"
               rf"\b{_LANGUAGES}\s+is\s+my\s+(?:first|native|mother|home)\s+(?:language|tongue){_END}|"
               rf"\bmy\s+(?:first|native|mother|home)\s+(?:language|tongue)\s+is\s+{_LANGUAGES}{_END}|"
               rf"\b(?:i'm|im|i\s+am)\s+(?:a\s+)?native\s+{_LANGUAGE}\s+speaker{_END}|"
               rf"\b(?:i'm|im|i\s+am)\s+(?:bilingual\s+in|fluent\s+in)\s+{_LANGUAGES}{_END})", re.I),
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
    for kind in _FIXED if clause.ahead else (*_STATES, *_FIXED):
        for match in rx.finditer(kind, clause.text):
            if NEGATION.search(clause.text[:match.end()]):
                continue  # "I don't think I have ADHD" (but "I'm a night owl, never asleep before 2" is one)
            allergen = match.groupdict().get("allergen")
            if allergen is not None and allergen.casefold().strip() not in NEVER_EATEN:
                continue  # "allergic to peanuts" is a diet
            fact = match.group("fact").strip()
            if rx.fullmatch(r"(?i:(?:i|we)\s+speak\s+(?:fluent\s+)?english)", fact):
                continue  # what every message here is written in says nothing to keep
            yield Proposal(Subject.NOTE, fact)
