"""English words as memory reads them: tokens, lemmas ("lived" is "live", "taught" is "teach") and the
verb behind a doer's noun ("teacher" is "teach"), so a fact matches however it was inflected.

Lemmas come from simplemma's English table (a dictionary, so irregular forms resolve too: a stemmer
such as Snowball leaves "taught", "grew" and "children" as they are, and cuts "nurse" to "nurs"). It is
pure Python with no dependencies, loads its English table in about 0.2 s once per process and then
answers in well under a microsecond a word. Derivation (a doer's noun to its verb) is not inflection and
no lemmatizer does it: `roots` adds the verb by the regular English suffixes, checked against the table.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

# Words with an apostrophe stay whole ("can't", "i'm"), as the rules read them; curly quotes are folded.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
_AGENT = re.compile(r"^(?P<stem>[a-z]{3,}?)(?P<suffix>er|or|ist|ian)$")
_GERUND = re.compile(r"^(?P<stem>[a-z]{2,}?)ing$")


def tokens(text: str) -> list[str]:
    """Casefolded words, apostrophes kept inside them."""
    return _TOKEN.findall(text.casefold().replace("\u2019", "'"))


def spans(text: str) -> list[tuple[int, int, str]]:
    """Each word as `tokens` reads it, with where it is in `text` (start, end): for marking words in a snippet."""
    return [(m.start(), m.end(), m.group().casefold())
            for m in _TOKEN.finditer(text.replace("\u2019", "'"))]


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of one casefolded word."""
    if "'" in word or not word.isalpha():
        return word
    return simplemma.lemmatize(word, lang="en").casefold()


@lru_cache(maxsize=65536)
def roots(word: str) -> frozenset[str]:
    """The word's lemma, and for a doer's noun or a gerund the verb it comes from: "drivers" gives
    "driver" and "drive", "teacher" "teach", "building" "build"... only where that verb or noun exists."""
    if word.endswith("'s") and len(word) > 3:  # "appointment's", "Ana's": the word without its "'s"
        return roots(word[:-2]) | {word}
    base = lemma(word)
    found = {base}
    match = _AGENT.match(base) or _GERUND.match(base)  # "building" is a noun to the table, and "build"
    if match:
        stem = match.group("stem")
        for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else "",
                          stem + "o", stem + "y"):
            if candidate and _known(candidate):
                found.add(candidate)
    return frozenset(found)


# Derivation (a noun or an adjective from a verb or a noun) is no inflection, and simplemma, a lemmatizer, leaves
# it: "relocation", "obsession", "enjoyment", "allergic", "sensitivity" and "resident" are their own lemmas. A cue
# lexicon keyed by lemma still covers the whole family when a derived word is also read as its base: the regular
# English suffixes, each base checked against the table. Not "-ly": "lively" is no form of "live", nor "homely" of
# "home".
_DERIVATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ation", ("ate", "", "e")), ("ition", ("ite", "")), ("ion", ("", "e")), ("ment", ("",)), ("ness", ("",)),
    ("ity", ("e", "", "ous")), ("ability", ("able",)), ("able", ("", "e")), ("ible", ("", "e")), ("ful", ("",)),
    ("ic", ("y", "")), ("ive", ("e", "")), ("ance", ("ant", "e", "")), ("ence", ("ent", "e", "")),
    ("ant", ("ance", "e", "")), ("ent", ("ence", "e", "")), ("al", ("e", "")),
    ("ish", ("",)), ("ous", ("", "e")), ("ship", ("",)), ("hood", ("",)), ("dom", ("",)), ("ee", ("",)),
)


@lru_cache(maxsize=65536)
def bases(word: str) -> frozenset[str]:
    """The words a derived word comes from, by its suffix, where the table knows them: "relocation" gives
    "relocate", "enjoyment" "enjoy", "allergic" "allergy", "happiness" "happy", "resident" "reside"."""
    out: set[str] = set()
    for suffix, endings in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            stems = {stem, stem[:-1] + "y" if stem.endswith("i") else stem}  # "happi-ness" is "happy"
            out |= {base + ending for base in stems for ending in endings if _known(base + ending)}
    out.discard(word)
    return frozenset(out)


def is_word(word: str) -> bool:
    """Whether the English table knows the word (a real word, not a stripped stem, nor most names)."""
    return simplemma.is_known(word.casefold(), lang="en")


_known = is_word


def warm() -> None:
    """Load the English table now (about 0.2 s): at a worker's init, so that under SnapStart it is in the
    snapshot and the first answer's recall does not pay for it."""
    lemma("lived")


def lemmas(text: str) -> list[str]:
    """The lemma of every word of the text, in order."""
    return [lemma(word) for word in tokens(text)]


def said_within(text: str, other: str) -> bool:
    """Every word of `text` is a word of `other`, by lemma: "birthday on the 2nd of March" of "my birthday's on the
    2nd of March", "kid Ana" of "kids Ana"."""
    def words(value: str) -> set[str]:
        return {lemma(word.removesuffix("'s")) for word in tokens(value)}

    return words(text) <= words(other)


def root_set(text: str) -> frozenset[str]:
    """Every lemma and root of the text's words, and of a slip's mended form ("writting" is "writing"): what a
    value's words are looked up in."""
    out: set[str] = set()
    for word in tokens(text):
        out |= roots(word)
        out.add(word)
        out |= roots(mended(word))
    for match in _PREFIXED.finditer(text.casefold()):  # "re-doing" is "redoing", so "redo"
        joined = match.group("prefix") + match.group("word")
        if _known(lemma(joined)):
            out |= roots(joined)
    return frozenset(out)


# A verb's prefix set off by a hyphen ("re-doing", "pre-ordered", "co-writing"): the tokens split it from its verb.
_PREFIXED = re.compile(r"\b(?P<prefix>re|pre|co|un|over|out|de)-(?P<word>[a-z]+)\b")


def cue_set(text: str) -> frozenset[str]:
    """`root_set` with the bases of its derived words: what a cue lexicon keyed by lemma is looked up in, so one
    lemma stands for its whole family ("relocate" for "relocated", "relocating", "relocation")."""
    found = root_set(text)
    return found | frozenset(base for word in found for base in bases(word))


@lru_cache(maxsize=65536)
def mended(word: str) -> str:
    """A slip of one letter too many mended ("writting", "bakker"), when the word is no word and dropping
    that letter makes one, and a gerund's g dropped as it is said ("trainin", "learnin") given back; otherwise the
    word itself."""
    if len(word) < 6 or not word.isalpha() or is_word(word):
        return word
    if word.endswith("in") and is_word(word + "g"):
        return word + "g"
    for index in range(1, len(word)):
        if word[index] == word[index - 1] and is_word(candidate := word[:index] + word[index + 1:]):
            return candidate
    return word


def near(word: str, other: str) -> bool:
    """One slip apart: a letter dropped, added, changed or two swapped ("wrok", "lve", "favourtie")."""
    if word == other or abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == other[diff[1]] and word[diff[1]] == other[diff[0]])
    short, long = sorted((word, other), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))

