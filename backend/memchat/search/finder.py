"""Searching a user's conversations, and finding the earlier exchanges a message refers to.

A search reads the newest postings of each of its terms (one Query per term, side by side), ranks the
texts they name, then checks each hit it shows against the live item in one consistent BatchGetItem per
page: a conversation deleted, a message purged or a word redacted (a forgotten memory) is never shown,
however far behind the index is. Reads are bounded by the query's terms and the page, never by history.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from memchat.errors import BadRequest
from memchat.frames import Highlight, Role, SearchResult, SearchResults
from memchat.memory.budget import estimate_tokens
from memchat.memory.codec import message_sk, to_datetime
from memchat.search.index import Index, Posting
from memchat.search.ranking import Hit, rank
from memchat.search.references import refers_to_past, subject
from memchat.search.snippets import snippet
from memchat.search.words import Query, sequence

PAGE_SIZE = 10
CHECKED_PAGES = 3  # hits checked per request at most, in pages: a request's reads stay bounded
NO_WORDS = ("The search has no word to look for: common words such as 'the' or 'what' are not searched. "
            "Add a word that says what you are looking for.")
EXCHANGES = 2  # earlier exchanges a prompt carries at most
EXCHANGE_CANDIDATES = 6  # the best hits checked for them
# A hit must weigh at least this much to be recalled (tuned on the dev half of evaluation/exchanges/): one
# rare word matched well, or several common ones.
MIN_EXCHANGE_SCORE = 2.0
# A recent message is recalled without reading the postings when it has this many of the subject's terms (one
# is not enough: a recent message with a word that is rare among the recent ones took the place of an older
# exchange with it for a quarter of dev's references, on the bench, once those were older than the recent ones).
RECENT_MATCHED_TERMS = 2
ASKED_CHARS = 160
ANSWERED_CHARS = 320
# The term Queries of one search run side by side here: a pool of its own, so a recall running on the
# callers' read pool never waits for a thread of that same pool.
_terms = ThreadPoolExecutor(max_workers=32, thread_name_prefix="search-terms")


@dataclass(frozen=True)
class Exchange:
    """An earlier exchange a prompt carries: the user's message and its answer, shortened."""

    conversation_id: str
    message_id: str  # the user's message
    asked: str
    answered: str
    created_ms: int

    def prompt_text(self) -> str:
        day = to_datetime(self.created_ms).date().isoformat()
        return f"On {day} the user said: \u201c{self.asked}\u201d You answered: \u201c{self.answered}\u201d"

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.prompt_text())


class Finder:
    def __init__(self, index: Index, pool: Executor | None = None, *, page_size: int = PAGE_SIZE) -> None:
        self._index = index
        self._pool = pool or _terms
        self._page_size = page_size

    @property
    def index(self) -> Index:
        return self._index

    def hits(self, user_id: str, query: Query) -> list[Hit]:
        """The ranked hits of the query's terms, from their newest postings (one Query per term, side by side:
        the first on this thread, which would only wait otherwise)."""
        first, *others = query.terms
        reading = [self._pool.submit(self._index.postings, user_id, term) for term in others]
        found = [self._index.postings(user_id, first), *(read.result() for read in reading)]
        return rank(dict(zip(query.terms, found, strict=True)), query)

    def search(self, user_id: str, text: str, *, cursor: str | None = None) -> SearchResults:
        """One page of the user's search, checked against the live items."""
        query = Query.parse(text)
        if not query.terms:
            raise BadRequest(NO_WORDS)
        offset = decode_cursor(cursor, text) if cursor else 0
        hits = self.hits(user_id, query)
        results: list[SearchResult] = []
        position = offset
        for _ in range(CHECKED_PAGES):
            batch = hits[position : position + self._page_size]
            if not batch:
                break
            live = self._index.live_items(user_id, [key for hit in batch for key in _keys(hit.posting)])
            for hit in batch:
                position += 1
                result = _result(hit.posting, live, query)
                if result is not None:
                    results.append(result)
                if len(results) == self._page_size:
                    break
            if len(results) == self._page_size:
                break
        more = position < len(hits)
        return SearchResults(query=text, results=results, cursor=encode_cursor(text, position) if more else None)

    def exchanges(self, user_id: str, text: str, *, conversation_id: str | None, budget: int,
                  recent: Sequence[dict[str, Any]] = ()) -> list[Exchange]:
        """The earlier exchanges `text` refers to, best first, within `budget` tokens: none unless it points
        back in time, never from this conversation, a temporary one or one deleted, and only as the live
        items still say it (a redacted word is not recalled).

        `recent`: the items of the user's newest messages' terms (recent.py), read beside the memories. One of
        those messages that has two of the subject's terms, above the score floor among them, is recalled with
        no posting read: the check is the one request. Otherwise (or when every such exchange fails the check)
        the subject's postings are read, one Query a term, as for any exchange older than the recent ones: one
        word in common with a recent message says too little (a subject of one word too), since a word rare
        among the recent ones may be common in the whole history, and an older exchange may have it as well."""
        if budget <= 0 or not refers_to_past(text):
            return []
        query = subject(text)
        if not query.terms:
            return []
        if recent:
            found, messages = Index.recent_postings(recent, query.terms)
            hits = self._recallable([hit for hit in rank(found, query, bound=messages)
                                     if len(hit.terms) >= RECENT_MATCHED_TERMS], conversation_id)
            chosen = self._checked(user_id, hits, query, budget, whole=True)
            if chosen:
                return chosen
        return self._checked(user_id, self._recallable(self.hits(user_id, query), conversation_id), query, budget)

    @staticmethod
    def _recallable(hits: list[Hit], conversation_id: str | None) -> list[Hit]:
        """The best candidates: messages of an exchange in another conversation, above the score floor."""
        return [hit for hit in hits
                if hit.posting.role != "title" and hit.posting.conversation_id != conversation_id
                and hit.posting.partner_id and hit.score >= MIN_EXCHANGE_SCORE][:EXCHANGE_CANDIDATES]

    def _checked(self, user_id: str, hits: list[Hit], query: Query, budget: int, *, whole: bool = False
                 ) -> list[Exchange]:
        """The best of `hits`' exchanges that the live items still hold, within `budget` tokens. `whole`: hits of
        the recent exchanges, found by the words of a message and its answer together, each of which the live
        message or answer must still have (a word forgotten since is not what finds it)."""
        if not hits:
            return []
        # The live items of the best EXCHANGES exchanges first (a message and its answer share theirs): most
        # often they are the ones recalled, and one round trip of at most 6 items is the whole check. The
        # other candidates' are read (once, all of them) only when the walk below reaches one of them.
        groups = list(dict.fromkeys(_exchange_keys(hit.posting) for hit in hits))
        live = self._index.live_items(user_id, [key for group in groups[:EXCHANGES] for key in group])
        read = set(groups[:EXCHANGES])
        chosen: list[Exchange] = []
        used = 0
        seen: set[tuple[str, str]] = set()
        for hit in hits:
            if _exchange_keys(hit.posting) not in read:
                live |= self._index.live_items(user_id, [key for group in groups if group not in read for key in group])
                read.update(groups)
            exchange = _exchange(hit.posting, live, query, hit.terms if whole else None)
            if exchange is None or (exchange.conversation_id, exchange.message_id) in seen:
                continue
            seen.add((exchange.conversation_id, exchange.message_id))
            if used + exchange.tokens > budget:
                continue
            chosen.append(exchange)
            used += exchange.tokens
            if len(chosen) == EXCHANGES:
                break
        return chosen


def _keys(posting: Posting) -> list[tuple[str, str]]:
    keys = [(posting.conversation_id, "META")]
    if posting.message_id:
        keys.append((posting.conversation_id, message_sk(posting.message_id)))
    return keys


def _exchange_keys(posting: Posting) -> tuple[tuple[str, str], ...]:
    """The live items an exchange is checked against: its conversation's, its message's and its answer's."""
    pair = sorted((posting.message_id or "", posting.partner_id or ""))
    return ((posting.conversation_id, "META"), *((posting.conversation_id, message_sk(id_)) for id_ in pair))


def _result(posting: Posting, live: dict[tuple[str, str], dict[str, Any]], query: Query) -> SearchResult | None:
    """The search result of a hit as its live items say, or None: gone, or no longer has the words."""
    conversation = live.get((posting.conversation_id, "META"))
    if conversation is None:
        return None
    if posting.message_id is None:
        text, created_ms, role = str(conversation.get("title", "")), int(conversation["createdMs"]), None
    else:
        message = live.get((posting.conversation_id, message_sk(posting.message_id)))
        if message is None:
            return None
        text, created_ms, role = str(message.get("text", "")), int(message["createdMs"]), Role(message["role"])
    words = sequence(text)
    if not query.found_in(text, words):
        return None
    piece, marks = snippet(text, query, words=words)
    return SearchResult(conversation_id=posting.conversation_id, conversation_title=str(conversation.get("title", "")),
                        message_id=posting.message_id, role=role, created_at=to_datetime(created_ms), snippet=piece,
                        highlights=[Highlight(start=start, end=end) for start, end in marks])


def _exchange(posting: Posting, live: dict[tuple[str, str], dict[str, Any]], query: Query,
              terms: frozenset[str] | None = None) -> Exchange | None:
    """The exchange of a hit as its live items say, or None: gone, temporary, superseded, or its text no longer
    has the query's words (`terms`: every one of these, in the message or its answer)."""
    conversation = live.get((posting.conversation_id, "META"))
    if conversation is None or conversation.get("temporary"):
        return None
    matched = live.get((posting.conversation_id, message_sk(posting.message_id or "")))
    partner = live.get((posting.conversation_id, message_sk(posting.partner_id or "")))
    if matched is None or partner is None:
        return None
    text = str(matched.get("text", ""))
    words = sequence(text)
    found = query.found_in(text, words)
    if terms is None and not found:
        return None
    if terms is not None and not terms <= found and not terms <= found | query.found_in(str(partner.get("text", ""))):
        return None
    asked, answered = (matched, partner) if matched["role"] == "user" else (partner, matched)
    if asked.get("supersededBy") or answered.get("supersededBy") or not answered.get("text"):
        return None

    def excerpt(item: dict[str, Any], width: int) -> str:
        """Cut around the match in the text that matched, from the start in the other."""
        if item is matched:
            return snippet(text, query, width=width, words=words)[0]
        return snippet(str(item["text"]), Query(()), width=width)[0]

    return Exchange(posting.conversation_id, asked["sk"].removeprefix("M#"), excerpt(asked, ASKED_CHARS),
                    excerpt(answered, ANSWERED_CHARS), int(asked["createdMs"]))


def encode_cursor(query: str, offset: int) -> str:
    raw = json.dumps({"q": _fingerprint(query), "o": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, query: str) -> int:
    """The offset a cursor of this same query carries; BadRequest for any other."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        valid = (isinstance(raw, dict) and set(raw) == {"q", "o"} and raw["q"] == _fingerprint(query)
                 and isinstance(raw["o"], int) and not isinstance(raw["o"], bool) and 0 <= raw["o"] < 10_000)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        valid = False
    if not valid:
        raise BadRequest("The cursor is not valid: pass the cursor of a previous searchResults frame, "
                         "with the same query.")
    return int(raw["o"])


def _fingerprint(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:16]
