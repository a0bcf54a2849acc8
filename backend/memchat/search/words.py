"""The words search reads: a text's indexed terms (lemmas, as memory reads them), a query's terms and
quoted phrases, and where each matched word is in a text (for snippets)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from memchat.memory.language import lemma, spans
from memchat.memory.recall import STOPWORDS

MAX_TERM_CHARS = 40  # longer "words" (a pasted hash, a URL's tail) are not indexed
# A document indexes at most this many distinct terms, in the order they first occur: it bounds the writes of
# one message (an answer of 512 tokens rarely has more than 200 distinct words that are not stopwords).
MAX_TERMS_PER_DOCUMENT = 200
MAX_QUERY_TERMS = 8  # a search reads one posting list per term: this bounds its reads
_QUOTED = re.compile(r'"([^"]*)"')
Word = tuple[int, int, str | None]  # where a word starts and ends in a text, and its term (None: not indexed)


def term_of(word: str) -> str | None:
    """The indexed term of one casefolded word: its lemma; None for a stopword, a lone letter or a long run."""
    base = word.split("'", 1)[0]  # "partner's" is a partner, "can't" is a stopword
    if not base or base in STOPWORDS or len(base) > MAX_TERM_CHARS or (len(base) < 2 and not base.isdigit()):
        return None
    term = lemma(base)
    return None if term in STOPWORDS else term


def sequence(text: str) -> list[Word]:
    """Every word of the text with where it is, and its term (None for a word that is not indexed)."""
    return [(start, end, term_of(word)) for start, end, word in spans(text)]


def term_counts(text: str) -> Counter[str]:
    """How often each indexed term occurs in the text, for at most `MAX_TERMS_PER_DOCUMENT` distinct terms."""
    counts: Counter[str] = Counter()
    for _, _, term in sequence(text):
        if term is not None and (term in counts or len(counts) < MAX_TERMS_PER_DOCUMENT):
            counts[term] += 1
    return counts


@dataclass(frozen=True)
class Query:
    """What a search looks for: its distinct terms (a phrase's too), and each quoted phrase as its words'
    lemmas in order (stopwords included: "out of office" is a phrase with "of" in it)."""

    terms: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Query:
        phrases = []
        for quoted in _QUOTED.findall(text):
            words = tuple(phrase_word(word) for _, _, word in spans(quoted))
            if len(words) > 1:
                phrases.append(words)
        terms = dict.fromkeys(term for _, _, term in sequence(text.replace('"', " ")) if term is not None)
        return cls(tuple(terms)[:MAX_QUERY_TERMS], tuple(phrases))

    def found_in(self, text: str, words: Sequence[Word] | None = None) -> frozenset[str]:
        """The query's terms the text still has; empty unless every phrase is in it too. `words`: the text's
        `sequence`, when the caller has it (it cuts a snippet of the same text with them)."""
        words = sequence(text) if words is None else words
        found = frozenset(term for _, _, term in words if term in self.terms)
        if self.phrases:
            lemmas = [phrase_word(text[start:end].casefold()) for start, end, _ in words]
            if not all(_contains(lemmas, phrase) for phrase in self.phrases):
                return frozenset()
        return found


def phrase_word(word: str) -> str:
    return lemma(word.replace("\u2019", "'"))


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))
