"""Choosing which memories go into a prompt: the most relevant to the new message, within a budget.

Relevance is Okapi BM25 over the user's memories (at most `max_memories` short texts, read in one Query),
by meaning rather than surface words: every word counts as its lemma and roots ("teach" finds "Work:
maths teacher", "kids" finds "Family: kid Ana"), and each memory carries the words people use to ask
about its subject ("Where am I these days?" finds "Lives in: Graz"). Written here rather than taken
from a library: rank-bm25 needs numpy, which would add tens of megabytes and hundreds of milliseconds
of import to a Lambda bundle for a sum over a hundred documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, TypeVar

from memchat.memory.language import roots, tokens

K1 = 1.2
B = 0.75
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be but by do does did for from had has have i i'm im is it its me my of on or our so "
    "that the their them then there these they this to was we were what when where which who will with you your "
    "am can could would should about just also very really".split()
)


def words(text: str) -> list[str]:
    """Lower-cased words with a light plural fold ("cats" -> "cat"), stopwords kept."""
    out = []
    for word in _WORD.findall(text.casefold()):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def terms(text: str) -> list[str]:
    """Words that carry meaning: `words` without stopwords."""
    return [word for word in words(text) if word not in STOPWORDS]


# Question words name a subject ("where" is a place, "when" a date, "who" a name): recall keeps them.
_ASKING = frozenset({"where", "when", "who"})


@lru_cache(maxsize=4096)
def _document_terms(text: str) -> tuple[str, ...]:
    """A memory's terms, kept once read: a warm worker recalls from the same memories turn after turn."""
    return tuple(recall_terms(text))


def recall_terms(text: str) -> list[str]:
    """What recall matches on: each meaningful word's lemma and roots ("taught" is "teach", "teacher" is
    also "teach"), stopwords left out but for the question words that name a subject."""
    out: list[str] = []
    for token in tokens(text):
        word = token.split("'")[0] if "'" in token else token  # "who's" asks who, "partner's" is a partner
        if word in STOPWORDS and word not in _ASKING:
            continue
        out.extend(sorted(roots(word) - STOPWORDS | ({word} & _ASKING)))
    return out


class Recallable(Protocol):
    @property
    def memory_id(self) -> str: ...
    @property
    def search_text(self) -> str: ...
    @property
    def tokens(self) -> int: ...
    @property
    def updated_ms(self) -> int: ...
    @property
    def subject(self) -> str: ...
    @property
    def profile(self) -> bool: ...


M = TypeVar("M", bound=Recallable)


def bm25_scores(query: str, documents: Sequence[str]) -> list[float]:
    """Okapi BM25 of each document for the query (k1 = 1.2, b = 0.75)."""
    docs = [_document_terms(document) for document in documents]
    if not docs:
        return []
    average = sum(len(doc) for doc in docs) / len(docs) or 1.0
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(set(doc))
    scores = []
    query_terms = set(recall_terms(query))
    for doc in docs:
        counts = Counter(doc)
        score = 0.0
        for term in query_terms:
            tf = counts.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (len(docs) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(doc) / average))
        scores.append(score)
    return scores


def select(memories: Sequence[M], message: str, *, budget: int,
                          exclude: frozenset[str] = frozenset()) -> list[M]:
    """The memories for a prompt, most relevant first, within `budget` tokens.

    When all of them fit, all go in (a user's handful of facts costs less than a guess at relevance);
    otherwise, first the memories the message's words find, most relevant by BM25 first (ties broken by
    recency). Then, for the room left, the memories it does not name: the user's profile first (`profile`:
    who they are, where they live, what they eat, what they do), a few short memories that nearly every
    personal request leans on whatever words it is asked in ("Is this cake okay for me?" needs the allergy,
    "Help me write my bio" the job); then a spread of the rest, the newest of each subject before the second
    newest of any ("What's my side gig?" names nothing a project says: the newest projects are in reach even
    when the user's last fifty memories were likes). `exclude` leaves out memories the message itself asks to
    forget.
    """
    candidates = [memory for memory in memories if memory.memory_id not in exclude]
    scores = bm25_scores(message, [memory.search_text for memory in candidates])
    found = [memory for _, _, memory in sorted(
        ((score, memory.updated_ms, memory) for score, memory in zip(scores, candidates, strict=True) if score > 0),
        key=lambda entry: entry[:2], reverse=True)]
    unnamed = sorted((memory for score, memory in zip(scores, candidates, strict=True) if score <= 0),
                     key=lambda memory: memory.updated_ms, reverse=True)
    place: Counter[str] = Counter()
    spread = []
    for memory in unnamed:  # newest first: its place among its subject's memories
        spread.append((not memory.profile, place[memory.subject], -memory.updated_ms, memory))
        place[memory.subject] += 1
    ranked = [*found, *(memory for *_, memory in sorted(spread, key=lambda entry: entry[:3]))]
    chosen, used = [], 0
    for memory in ranked:
        if used + memory.tokens <= budget:
            chosen.append(memory)
            used += memory.tokens
    return chosen
