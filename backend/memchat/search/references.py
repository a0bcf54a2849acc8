"""Whether a message refers to earlier conversations ("what did you suggest for my trip?", "like last time",
"the recipe from before"), and what it is about once the words that point back are left out.

Rules, not a model: this runs on the answer path. Tuned on the dev half of evaluation/exchanges/ only.
"""

from __future__ import annotations

import re

from memchat.search.words import Query

# Words that point back in time or at what was said, and nothing else: the query leaves them out.
_POINTING = (
    r"last\s+(?:time|week|month|year|night|weekend|summer|winter|spring|autumn|fall)"
    r"|(?:the\s+)?other\s+day|a\s+while\s+(?:ago|back)|(?:some\s+)?(?:days|weeks|months)\s+ago|yesterday"
    r"|from\s+before|(?:like|as)\s+before|(?:you\s+)?(?:told|gave|showed|sent)\s+me\s+(?:before|earlier)"
    r"|before(?=\s*[?.!,]|\s*$)|earlier(?!\s+than)|previous(?:ly)?|back\s+then|once\s+again|again"
    r"|in\s+(?:an?\s+)?(?:earlier|previous|old|other|another)\s+(?:chat|conversation)"
    r"|(?:you|we)\s+(?:once\s+)?(?:said|suggested|recommended|mentioned|told\s+me|gave\s+me|came\s+up\s+with"
    r"|talked\s+about|discussed|spoke\s+about|went\s+over|figured\s+out|planned|wrote)"
    r"|(?:did|had)\s+(?:you|we)\s+(?:say|suggest|recommend|mention|tell\s+me|give\s+me|talk\s+about|discuss"
    r"|come\s+up\s+with|plan|write|decide)"
    r"|remember\s+(?:when|what|the|that|our|my|how)|do\s+you\s+remember|you\s+remember|recall"
    r"|that\s+(?:recipe|plan|list|idea|advice|tip|suggestion|itinerary|workout|poem|story|one)\s+(?:you|we)"
)
_REFERENCE = re.compile(rf"\b(?:{_POINTING})\b", re.IGNORECASE)
# Verbs of telling that, once the pointing phrase is gone, say nothing about the subject.
_TELLING = frozenset("say suggest recommend mention tell give talk discuss remember recall come plan write "
                     "decide show send figure go speak like"
                     .split())
# Words that ask rather than name what is asked about ("how did you say...", "remind me of...", "the list
# we made", "set up", "what goes in"), which search indexes but memory's stopwords do not cover. Each term
# of the subject is one more Query on the answer path, side by side with the others, and each costs more than
# its own round trip there (docs/search.md, "Where that time goes"): these only add that cost, and noise.
_ASKING = frozenset("how why in up remind explain help make".split())


def refers_to_past(text: str) -> bool:
    """Whether the message points back at something said in an earlier conversation."""
    return _REFERENCE.search(text) is not None


def subject(text: str) -> Query:
    """What the message asks about: its terms once the pointing words and verbs of telling are gone."""
    query = Query.parse(_REFERENCE.sub(" ", text.replace('"', " ")))
    return Query(tuple(term for term in query.terms if term not in _TELLING and term not in _ASKING))
