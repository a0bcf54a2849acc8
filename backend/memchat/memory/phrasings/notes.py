"""The user's own notes: "remember that ...", "note to self: ...", a heading "Note:", read as said."""

from __future__ import annotations

import re
from itertools import pairwise

from memchat.memory import patterns as rx
from memchat.memory.language import lemma, tokens
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import tidy
from memchat.memory.statements import TEXT_TASKS

# Forgetting guarded against, in a clause of purpose or time: "in case I forget", "before I forget", "so I don't
# forget", "lest I forget".
_FORGETTING = (r"(?:in case|before|so(?: that)?|lest|for when|for if|for the day|for the next time) (?:i|we) "
               r"(?:\w+ly )?(?:(?:don't|dont|do not|won't|wont) )?forget")
# Being let to forget, or forgetting, forbidden: "don't forget", "don't let me forget", "never let me forget".
_DONT_FORGET = r"(?:don't|dont|do not|never) (?:let me |let us |let's )?forget"
# What a note says, to the end of its sentence: a full stop ends it, but not an abbreviation's before what it
# abbreviates ("car insurance policy no. is AX-55821", "ref. 55-1093").
_VALUE = (r"(?P<value>(?:\b(?:no|nos|ref|acc|tel|ph|approx|reg|flt|nr)\.\s+(?=(?:is|was|=|:|#)\s|[\w-]*\d)|"
          r"[^.!?\n]|[.!?](?=[^\s.!?]))+)")
_NOTE = re.compile(
    r"(?:^|(?<=[.!?\n])\s*|\bso\s+|^[^\w\s]+\s*)"
    r"(?P<asks>(?:can|could|would|will) you\s+|(?:i )?(?:need|want) you to\s+)?"
    # (and a favour asked first: "Do me a favour and remember my locker is 14")
    r"(?:(?:oh|also|and|ok|okay|btw|ps|fyi|one more thing|last thing|quick one|quick thing|"
    r"do me a favou?r(?: and)?)[,:]?\s+)*"
    # (and the "please" of Nigerian Pidgin and Igbo, and Pidgin's "say" for "that": "Abeg remember say my NIN...")
    r"(?:please\s+|pls\s+|plz\s+|kindly\s+|abeg\s+|biko\s+|just\s+)?"
    r"(?:(?:do\s+)?(?:remember|memori[sz]e)(?:\s+(?:this|that|it)(?:\s+(?:one|bit|too))?)?"
    # (and for when: "remember for next time: I like my reports in bullet points")
    r"(?:\s+for (?:me|later|next time|the future|future reference))?"
    r"(?:\s+that|\s+say(?= (?:my|the|i|we|our)\b))?|"
    # told so that the assistant remembers it: "just so you remember, vet appointment thursday 4pm"
    r"so (?:that )?(?:you|u) (?:can |will |'ll )?(?:remember|have it|don't forget|dont forget|won't forget|"
    r"keep it in mind)(?=\s*[:,-])|"
    r"(?:don't|do not|dont) let me forget(?:\s+that)?|"
    r"(?:make|save|add|write|leave) a (?:mental )?note(?:\s+of this)?(?:\s+that)?|take a note|"
    r"note (?:this|that)(?: down)?|keep track of (?:this|that)(?:\s+for me)?|"
    r"keep in mind(?:\s+that)?|"
    r"for future ref(?:erence)?|for reference|note to self|"
    # written down so as to be kept: "Just so it's written down somewhere, gate code B12."
    r"so (?:it's|it is|its|that it's|i have it|we have it) (?:written down|written|saved|noted|recorded|stored|"
    r"on record|on file|somewhere)(?: somewhere(?: safe)?)?(?=\s*[:,-])|"
    # (and where or how it is kept, or which: "Keep this safe: ...", "Remember this one: ...")
    r"(?:save|store|keep) (?:this|that)(?!\s+(?:in|into|on|under)\b)(?:\s+(?:one|bit|too|safe|somewhere safe|handy))?"
    r"(?:\s+for me)?|"
    # an order whose object is the thing itself: "save my gate code: 4521", "hold onto my PIN, it's 4521"
    r"(?:save|store|note|keep|hold on ?to|hang on ?to|keep hold of|jot down|write down|log|record)(?= my\b)|"
    r"for (?:next time|later|the future|future use)(?=\s*[:,])|for (?:my|the|your) (?:records|notes|files)(?=\s*:)|"
    # putting it somewhere: "stick this in your memory:", "file this away:"; and "worth remembering:"
    r"(?:stick|put|pop|keep|store|save|file|lock|log) (?:this|that|it) (?:in|into|on) (?:(?:your|my|the) )?"
    r"(?:memory|memory bank|"
    r"brain|notes|file|files|records|head)|worth (?:remembering|noting|knowing)(?=\s*:)|"
    r"(?:this|that|it)(?:'ll| will) (?:be )?(?:useful|handy|needed) (?:later|for later|one day)(?=\s*:)|"
    r"(?:i |i'll |i will )?(?:might|may|will|'ll) need (?:this|that|it) (?:later|again|one day)(?=\s*:)|"
    # an order about "it", the thing told the sentence before: "...it's 3306. Can you keep it?"
    # ("keep it short", "keep it out of any recipes": "it" ends the order, or is kept somewhere)
    r"(?:keep|save|store|note|remember)(?= it(?:\s+(?:for me|safe|somewhere|handy|please))*\s*(?:[.!?,]|$))|"
    r"(?:jot|write) (?:this|that) down(?:\s+for me)?|hold on to this(?:\s+for me)?|(?:don't|dont|do not) forget"
    r"(?:\s+that)?|bear in mind(?:\s+that)?|just so you know|file this away|for the record|"
    r"write down(?:\s+that)?|note down(?:\s+that)?|jot down(?:\s+that)?|"
    r"(?:(?:hang|hold) on to|keep hold of) (?:this|that)(?:\s+for me)?|(?:hang|hold) on to(?= it\b)|"
    # a heading that asks the assistant's memory: "You remember stuff better than me, so:"
    r"(?:you\b[^.!?\n:]{0,50}\b(?:remember\w*|forget\w*)|your memory)\b[^.!?\n:]{0,40}(?=:)|"
    r"commit (?:this|that|it) to memory|keep (?:this|that) handy|"
    # a clause of purpose or time about forgetting, by any of its connectives: "before I forget:", "in case I forget"
    rf"{_FORGETTING}|"
    # forgetting foreseen, as a heading: "I'll forget this otherwise:", "I'll only forget it:"
    r"(?:i'll|i will|ill|or i'll) (?:only |just |probably |definitely |totally )?forget (?:this|it)(?: otherwise)?"
    r"(?=\s*[:,-])|"
    # filed under a heading of the user's: "File this under important:"
    r"(?:file|put|save|keep|store) (?:this|that|it) under [\w' ]{1,30}?(?=\s*:)|"
    # the same orders in other words: remind, log, record, take note, add or put in memory, a heading "Note:"
    r"remind me(?:\s+later)?(?:\s+that)?|(?:log|record) (?:this|that)(?:\s+for me)?|take note(?:\s+of this|\s+that)?|"
    r"keep a note(?:\s+of this|\s+that)?|make sure you remember(?:\s+that)?|(?:please\s+)?don't lose this|"
    r"(?:add|put)(?: (?:this|that|it))? (?:to|in|into) (?:my|your) (?:notes|memory)|"
    r"keep (?:this|that) in (?:your )?(?:memory|mind)|remember (?:this|that) for (?:later|next time)|"
    r"(?:never|don't ever|do not ever) forget(?:\s+that)?|(?:hold|hang) onto (?:this|that)(?:\s+for me)?|"
    r"(?:pin|bookmark|stash) (?:this|that)(?:\s+for me)?|keep a record(?:\s+of this|\s+that)?|"
    # (a heading of a note, a mental one or one to the assistant too: "Mental note: ...", "Memo to you: ...")
    r"(?:(?:a |quick |a quick |mental |a mental )?(?:note|memo|reminder)"
    r"(?: (?:for|to) (?:you|yourself|self|later|the future|next time))?)(?=\s*:))"
    rf"\s*[:,-]?\s+{_VALUE}(?P<end>[.!?]?)", re.I)
# "FYI, my locker code is 3306, please remember it.": the order comes after what it keeps.
# (the verb a person of the value does is no order: "I said it twice so you remember")
_NOTE_AFTER = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?:fyi,?\s+|btw,?\s+)?(?P<value>[^.!?\n]{3,160}?)"
                         r"(?<!\byou)(?<!\bu)(?<!\bi)(?<!\bwe)(?<!\bthey)(?<!\bhe)(?<!\bshe)"
                         # (nor a noun a determiner takes: "I put jazz on and adore every note", "the last update")
                         r"(?<!\bevery)(?<!\bthe)(?<!\ba)(?<!\ban)(?<!\bmy)(?<!\bthis)(?<!\bthat)(?<!\beach)(?<!\blast)"
                         r"(?<!\bone)(?<!\bhigh)(?<!\bsick)(?<!\bbank)(?<!\bgrocery)(?<!\bcorner),?\s+(?:so\s+)?"
                         rf"(?:please\s+)?(?:remember|note|save|keep|store|memori[sz]e|update|{_DONT_FORGET})"
                         r"(?: (?:it|that|this))?(?:\s+(?:somewhere safe|somewhere|safe|handy|on file))?"
                         r"(?:\s+for me)?"
                         r"\s*(?P<end>[.!?]|$)", re.I)


# "Can you keep track of this? My locker code is 4521.": the order, then what it keeps.
_NOTE_NEXT = re.compile(r"(?:(?:can|could|would|will) you\s+|please\s+|^|(?<=[.!?\n])\s*)(?:please\s+)?"
                        r"(?:remember|keep track of|note|"
                        r"save|store|"
                        r"hold on to|keep|memori[sz]e|make a note of)\s+(?:this|that|the following|something)"
                        r"(?:\s+for me)?"
                        r"\s*[?:.!]+\s+"
                        rf"{_VALUE}(?P<end>[.!]?)", re.I)


# Keeping a thing somewhere, or handing it over to be kept, then the thing: "Please keep my bike lock code on file:
# 3306."
_NOTE_KEEP = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?P<asks>(?:can|could|would|will) you\s+)?(?:please\s+)?"
                        r"(?:keep|hold|store|save|file|put|here's|heres|here is) (?P<thing>my [\w' -]{2,40}?) "
                        r"(?:on file|on record|safe|somewhere safe|somewhere|in (?:your )?memory|in mind|"
                        # handed over to be kept: "Here's my gate code so you have it: 4521"
                        r"so you(?: have|'ve got|'ve| got| know) it|for safe ?keeping|for your records)"
                        r"\s*[:,-]\s*(?:it's |it is |its )?"
                        r"(?P<code>[^.!?\n]+)(?P<end>[.!?]?)", re.I)
# What the next sentence says a kept thing is: "Can you store my gate code? It's 7730."
_IT_IS = re.compile(r"\s*(?:(?:it's|it is|its|that's|that is)\s+(?P<what>[^.!?\n]{1,60})|(?P<bare>[\w-]*\d[\w-]*)[.!]?"
                    r"(?:\s|$))", re.I)  # "Can you store my gate code? It's 7730." or "...? 7730."
# What an order about "it" may say beside it: then the note is the sentence before.
_BARE = frozenset(("", "it", "please", "pls", "for me", "please for me", "it for me", "ok", "okay", "so", "and",
                   "thanks", "for later", "later"))
# What an order keeps when it names no thing yet: the note is in the next sentence ("Remember something for me?").
_PLACEHOLDERS = frozenset(("this", "that", "it", "this for me", "that for me", "something", "something for me",
                           "a thing", "one thing",
                           # (or says only how to keep it: "Keep this safe.")
                           "safe", "safe for me", "somewhere safe", "handy", "one", "too", "bit", "for me",
                           "for next time", "for later", "for the future"))
# An order whose object comes between its verb and "for me": "pls save gate code 3306 for me".
_NOTE_FOR_ME = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?:please\s+|pls\s+)?(?:save|store|note|log|jot down|write down|"
                          r"keep|remember|memori[sz]e) (?P<value>(?!(?:this|that|it|something)\b)[^.!?\n]{3,80}?) "
                          r"for me(?P<end>[.!]?)\s*$", re.I)
# When a reminder is wanted, said after "remind me", which is when to remind and no note: "Our anniversary is the 14th
# of February, so please remind me each year well in advance" (what to recall is the sentence's own fact).
_WHEN = re.compile(r"(?:each|every|a|one|the|two|few|couple of)?\s*(?:year|years|week|weeks|day|days|month|months|time|"
                   r"morning|evening|night|hour|hours)?\s*(?:well |a bit |a little |a few days |a week |a day )?"
                   r"(?:in advance|beforehand|before(?:hand)?(?: it| then)?|ahead(?: of time| of it)?|nearer the time|"
                   r"closer to the time|on the day|annually|yearly|$)\W*$", re.I)
_LEAD = re.compile(r"^(?:(?:ok|okay|so|right|important|very important|fyi|btw|note)[,:!]?\s+)+", re.I)


# A question tagged on to an order asks for agreement, not what the order says: "remember gate code 7730 ok?".
_TAG = re.compile(r",?\s+(?:ok|okay|k|yeah|alright|right|pls|please|yes)\s*\?+(?=\s|$)", re.I)
# What the order says it, when it names the thing for whom: "can u remember my gate code for me its 3306".
_FOR_ME_IT_IS = re.compile(r"\s+for me,?\s+(?:it's|its|it is)\s+", re.I)


# What a statement has and a thing's name has not: a number, a colon, a verb of being or having, or a verb read by its
# inflection before a particle, a preposition or a time ("my passport expires in November", "my rent went up").
_BEING = re.compile(r"\d|:|\b(?:is|are|was|were|will|shall|must|should|has|have|had|needs|need|gets|got)\b", re.I)
_PARTICLE = frozenset("in on at by until till before after out up off down every next this today tomorrow tonight "
                      "soon again back".split())


def _stated(value: str) -> bool:
    """Whether a note that starts "my ..." says something of the thing, not only what it is: "my passport expires
    in November" does, "my bike lock code" does not."""
    words = tokens(value)
    return bool(_BEING.search(value)) or any(lemma(word) != word and following in _PARTICLE
                                            for word, following in pairwise(words[1:]))


def _own_paragraph(message: str) -> str:
    """The message, or its first paragraph when that asks for work on the text the others paste ("Can you tidy this
    up?\n\nItinerary..."): a note in a pasted document is the document's."""
    paragraphs = rx.split(r"\n\s*\n", message.strip())
    if len(paragraphs) > 1 and rx.search(rf"\b{TEXT_TASKS}\b|\btidy\b", paragraphs[0], re.I):
        return paragraphs[0]
    return message


def notes(message: str) -> list[Proposal]:
    """What the user asked to keep ("Remember that my locker code is 4521."); a question is no order, and a pasted
    document's "Note: remember..." is the document's."""
    message = _TAG.sub(".", _own_paragraph(message))
    found = []
    for match in _NOTE_KEEP.finditer(message):
        found.append(Proposal(Subject.NOTE, f"{match.group('thing')}: {tidy(match.group('code'))}"))
    for match in [*_NOTE.finditer(message), *_NOTE_AFTER.finditer(message), *_NOTE_NEXT.finditer(message),
                  *_NOTE_FOR_ME.finditer(message)]:
        value = rx.sub(r"\s+for me$", "", tidy(match.group("value")), flags=re.I)  # "keep my code for me? It's..."
        # (the politeness after the order is no part of the note: "store this for me pls, car insurance...")
        value = rx.sub(r"^(?:pls|please|plz|thanks|thx|ta)\b[,!:]?\s+", "", value, flags=re.I)
        value = _FOR_ME_IT_IS.sub(": ", value)
        told = _IT_IS.match(message, match.end())
        if told and value.casefold().startswith("my ") and len(value.split()) <= 6:
            value = f"{value}: {tidy(told.group('what') or told.group('bare'))}"
        if rx.search(r"\bremind me\b", match.group(0), re.I) and _WHEN.match(value):
            continue
        asked = "asks" in match.groupdict() and match.group("asks")  # "Can you remember that ...?" is an order
        if value.casefold() in _BARE and match.start() > 0:  # "The gate code is 4521. Please remember it."
            before = rx.findall(r"[^.!?\n]+[.!?]?", message[:match.start()])
            value = _LEAD.sub("", tidy(before[-1])) if before else ""
        if value.casefold().startswith("my ") and len(value.split()) <= 6 and not _stated(value):
            continue  # "Can you hold on to my bike lock code?" names the thing, not what it is
        if not 3 <= len(value) <= 160 or value.casefold() in _PLACEHOLDERS:
            continue  # "Remember this!! My code is 4521.": the note is in the next sentence
        if (match.group("end") != "?" or asked) and rx.search(r"[^\W_]", value) and not value.casefold().startswith(
                ("to ", "when ", "what ", "how ", "why ", "if ", "me ", "my name", "who ", "where ")):
            found.append(Proposal(Subject.NOTE, value))
    return list(dict.fromkeys(found))  # (one note read twice, by the order before it and after it, is one)
