"""Ranking a search's candidates: Okapi BM25 over the postings read, recency breaking ties.

Only the postings read are known (each term's newest POSTINGS_PER_TERM), so a term's rarity is taken from
how many of them there are: a term found fewer times than the bound weighs more, as BM25's idf does over a
whole collection. This needs no per-user count kept on every write, and costs no read beyond the postings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from memchat.search.index import POSTINGS_PER_TERM, Posting
from memchat.search.words import Query, term_of

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Hit:
    """A text that has some of the query's terms, as its postings say (checked against the live item later)."""

    posting: Posting  # any of its postings: they share everything but the term
    score: float
    terms: frozenset[str]


def rank(postings: Mapping[str, Sequence[Posting]], query: Query, *, bound: int = POSTINGS_PER_TERM) -> list[Hit]:
    """The texts the postings name, most relevant first, newest first among equals. With quoted phrases,
    only texts that have every indexed word of every phrase (the phrase itself is checked on the text).
    `bound`: how many postings of a term could have been read (a term's Query's limit; the number of recent
    messages read, for those), which a term's weight is measured against."""
    documents: dict[str, dict[str, Posting]] = {}
    for term, found in postings.items():
        for posting in found:
            documents.setdefault(posting.sort_key, {})[term] = posting
    required = {term for phrase in query.phrases for term in map(term_of, phrase) if term is not None}
    if required:
        documents = {key: terms for key, terms in documents.items() if required <= terms.keys()}
    if not documents:
        return []
    average = sum(next(iter(terms.values())).length for terms in documents.values()) / len(documents) or 1.0
    weight = {term: math.log(1 + (bound + 1) / (len(found) + 0.5)) for term, found in postings.items()}
    hits = []
    for terms in documents.values():
        score = 0.0
        for term, posting in terms.items():
            norm = K1 * (1 - B + B * posting.length / average)
            score += weight[term] * posting.tf * (K1 + 1) / (posting.tf + norm)
        first = next(iter(terms.values()))
        hits.append(Hit(first, score, frozenset(terms)))
    hits.sort(key=lambda hit: (round(hit.score, 9), hit.posting.sort_key), reverse=True)
    return hits
