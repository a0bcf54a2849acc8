"""The terms of a user's newest messages, in one small item beside their memory setting, where recall of past
exchanges reads them in the Query that reads the memories anyway: a reference to a recent exchange then costs
one request of its own, the check of the live items.

    U#{user}  MEMEX#{shard}   messages: a map, one entry per message, keyed by the message's posting sort key
                              ({ms:012x}#{conversation}#{id}); the newest RECENT_MESSAGES or so the user sent over
                              RECENT_SHARDS items (MEMEX#0 to 3), and as many answers over as many more (4 to 7):
                              a message the user sent: "{answer id} {indexed words} {term} {term}:{count} ..."
                              an answer: ">{its message's id} {words kept} {term} {term}:{count} ..."

Written only by the index's stream function, with the message's postings and from the same images (index.py):
an entry is set when a message is stored or its text changes (a redacted word leaves with it), and removed when
the message is deleted, rewritten or edited away, so whatever takes a word out of the postings takes it out of
here; nothing on the answer path writes. Each change is one entry's (a map key's SET or REMOVE), so changes of
different messages commute, and those of one message arrive in order (one item's stream records do). Past
its share of RECENT_MESSAGES + TRIM_SLACK entries an item's oldest are removed down to its share. A write
costs a unit per KB of the whole item, so the entries spread over RECENT_SHARDS items by their sort key's hash:
each is a quarter of the size, and a Query still reads them all (a fixed number of items, RECENT_ITEMS). Like a
posting, nothing in it is trusted as it is read: a hit is checked against the live items, and the prompt gets the
live message's words. It holds terms, never text.

An answer's entry holds only its ANSWER_TERMS most repeated terms (the first of equals): a reference often names
what the answer said ("the recipe with the cashew béchamel") rather than what was asked, and answers are long (a
write costs a unit per KB of the whole item: answers' entries are in items of their own, so a user's message's write
costs what it did and an answer's about as much). Read, a message and its answer are one exchange
(`Index.recent_postings`): the user's terms and the answer's kept ones, so two words of a subject may be one in
each; the check then asks the live message and answer for every word the exchange was found by.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from memchat.memory.codec import RECENT_PREFIX

# The newest messages a reference is first ranked against (the user's, and as many answers), over how many items
# (each), and how far past its share an item may grow before its oldest entries are removed (one more write every
# few messages rather than every one).
RECENT_MESSAGES = 40
RECENT_SHARDS = 4
RECENT_ITEMS = 2 * RECENT_SHARDS  # the users' messages' items, then the answers'
TRIM_SLACK = 2
# A long message keeps its first terms, an answer its most repeated few: the item stays a few KB, and a write
# costs a unit per KB.
TERMS_PER_MESSAGE = 40
ANSWER_TERMS = 16
# What starts an answer's entry: a message id is hexadecimal, "-" is no answer.
ANSWER_MARK = ">"


def shard_sk(sort_key: str, *, answer: bool = False) -> str:
    """The item a message's entry is in (a hash stable across processes: Python's own is salted); an answer's in
    the items after the user's messages'."""
    return f"{RECENT_PREFIX}{zlib.crc32(sort_key.encode()) % RECENT_SHARDS + (RECENT_SHARDS if answer else 0)}"


def entry(partner_id: str | None, counts: Mapping[str, int]) -> str:
    """A user's message's entry: its answer's id, its indexed words, then its first terms (with counts above one)."""
    kept = list(counts.items())[:TERMS_PER_MESSAGE]
    return f"{partner_id or '-'} {sum(counts.values())} {_terms(kept)}"


def answer_entry(message_id: str | None, counts: Mapping[str, int]) -> str:
    """An answer's entry: its message's id, the words it keeps (the count its terms stand for in the exchange's
    length), then its most repeated terms, the first of equals first (a term an answer repeats is what it is
    about; its first words are often only a greeting)."""
    order = {term: position for position, term in enumerate(counts)}
    kept = sorted(counts.items(), key=lambda pair: (-pair[1], order[pair[0]]))[:ANSWER_TERMS]
    return f"{ANSWER_MARK}{message_id or '-'} {sum(count for _, count in kept)} {_terms(kept)}"


def _terms(kept: list[tuple[str, int]]) -> str:
    return " ".join(term if count == 1 else f"{term}:{count}" for term, count in kept)


def is_answer(value: str) -> bool:
    return value.startswith(ANSWER_MARK)


def holds_answers(item: Mapping[str, Any]) -> bool:
    """Whether an item (typed DynamoDB JSON) is one of the answers' (shard_sk)."""
    return int(item["sk"]["S"].removeprefix(RECENT_PREFIX)) >= RECENT_SHARDS


def read_entry(value: str) -> tuple[str | None, int, Counter[str]]:
    """An entry's partner (a user's message's answer id, an answer's message id), words and term counts."""
    partner, length, *words = value.removeprefix(ANSWER_MARK).split()
    counts: Counter[str] = Counter()
    for word in words:
        term, colon, count = word.rpartition(":")
        if colon and count.isdigit():
            counts[term] = int(count)
        else:
            counts[word] = 1
    return (None if partner == "-" else partner), int(length), counts


def trimmed(sort_keys: list[str]) -> list[str]:
    """The entries to remove once an item has grown past its slack: all but its share of the newest."""
    share = RECENT_MESSAGES // RECENT_SHARDS
    if len(sort_keys) <= share + TRIM_SLACK:
        return []
    return sorted(sort_keys, reverse=True)[share:]
