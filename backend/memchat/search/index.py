"""The search index in the chat table: one small posting item per user, term and searchable text.

    U#{user}#W#{term}   {ms:012x}#{conversation}#{message id, or T for the title}
        conversationId, messageId (absent for a title), role (user, assistant or title), partnerId (the
        message's answer, or the answer's message), tf (the term's count in the text), length (the text's
        indexed words), createdMs

A term's postings share a partition and sort newest first, so a search reads the newest postings of each
of its terms with one Query per term, `Limit` bounding the read whatever the user's history (docs/search.md).
The index is written in the background from the table's stream (handlers/index.py), never on the answer
path, and nothing in it is trusted as it is read: every hit is checked against the live item (live_items),
so a deleted or redacted word is gone from search at once, before its postings are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from memchat.memory.codec import conversation_pk, dump, load, user_pk
from memchat.memory.table import Table
from memchat.search.recent import ANSWER_MARK, answer_entry, entry, holds_answers, read_entry, shard_sk, trimmed
from memchat.search.words import term_counts

POSTINGS_PER_TERM = 100  # the newest postings a search reads of each term: its bound
TITLE = "T"
SEARCHABLE = frozenset({"sent", "complete", "stopped", "interrupted", "failed"})
BATCH_WRITE = 25  # BatchWriteItem's limit
BATCH_GET = 100  # BatchGetItem's limit
# What a search reads of a posting: the rest (conversation, message, date) is in its sort key. Fewer attributes
# parse faster: a Query of 100 postings is most of a search's CPU (docs/search.md, "Recall of past exchanges").
_POSTING_PROJECTION = {"ProjectionExpression": "sk, #r, partnerId, tf, #l",
                       "ExpressionAttributeNames": {"#r": "role", "#l": "length"}}
# What the live check reads of a message or a conversation's item (an answer's lease, usage and memory ids
# are not needed to show or recall it).
LIVE_ATTRIBUTES = ("pk", "sk", "text", "role", "createdMs", "supersededBy", "title", "temporary")


def term_pk(user_id: str, term: str) -> str:
    return f"U#{user_id}#W#{term}"


@dataclass(frozen=True)
class Document:
    """One searchable text: a message as it ended (a user's message, an answer with text) or a title the
    model or the user gave."""

    user_id: str
    conversation_id: str
    message_id: str | None  # None: the conversation's title
    role: str  # "user", "assistant" or "title"
    partner_id: str | None
    created_ms: int
    text: str

    @property
    def sort_key(self) -> str:
        return f"{self.created_ms:012x}#{self.conversation_id}#{self.message_id or TITLE}"

    @property
    def recent(self) -> bool:
        """Whether the user's recent messages' items hold it (recent.py): a message, the user's or an answer."""
        return self.role != "title"

    @classmethod
    def of(cls, image: dict[str, Any] | None) -> Document | None:
        """The searchable text a chat item's plain image holds; None for any other item, or one not final."""
        if not image:
            return None
        user_part, _, conversation_id = str(image.get("pk", "")).rpartition("#C#")
        sk = str(image.get("sk", ""))
        if not user_part.startswith("U#") or not conversation_id:
            return None
        user_id = user_part.removeprefix("U#")
        if sk == "META":
            # A title of the first message's words (before the model or the user gives one) repeats that
            # message, which is indexed itself: a search would find the same words twice.
            title = image.get("title") if image.get("titleSource") else None
            return cls(user_id, conversation_id, None, "title", None, int(image.get("createdMs", 0)),
                       title) if isinstance(title, str) and title else None
        text, role = image.get("text"), image.get("role")
        if not sk.startswith("M#") or not isinstance(text, str) or not text or image.get("status") not in SEARCHABLE:
            return None
        if role not in ("user", "assistant"):
            return None
        partner = image.get("replyId") if role == "user" else image.get("replyTo")
        return cls(user_id, conversation_id, sk.removeprefix("M#"), role, partner, int(image.get("createdMs", 0)),
                   text)


@dataclass(frozen=True)
class Posting:
    """A term's posting as a search reads it."""

    term: str
    sort_key: str
    conversation_id: str
    message_id: str | None
    role: str
    partner_id: str | None
    created_ms: int
    tf: int
    length: int

    @classmethod
    def from_item(cls, term: str, item: dict[str, Any]) -> Posting:
        """A posting as `Index.postings` reads it (typed DynamoDB JSON): its conversation, message and date from
        its sort key. Read field by field rather than through `codec.load`: boto3's deserializer makes a Decimal
        of every number and visits every attribute, about 0.8 ms of CPU for a Query's 100 postings, on the
        answer path when a message refers to the past."""
        sort_key = item["sk"]["S"]
        created_ms, conversation_id, message_id = parse_sort_key(sort_key)
        partner = item.get("partnerId")
        return cls(term, sort_key, conversation_id, None if message_id == TITLE else message_id, item["role"]["S"],
                   partner["S"] if partner else None, created_ms, int(item["tf"]["N"]),
                   int(item["length"]["N"]))


def parse_sort_key(sort_key: str) -> tuple[int, str, str]:
    """A posting's (or a recent message's) sort key, `Document.sort_key`, read back: its date in ms, conversation
    and message id (or TITLE)."""
    created, _, named = sort_key.partition("#")
    conversation_id, _, message_id = named.rpartition("#")
    return int(created, 16), conversation_id, message_id


class Index(Table):
    """Postings in, postings out, and the live items a search checks its hits against."""

    @classmethod
    def beside(cls, table: Table) -> Index:
        """The index in the same table, through the same client."""
        return cls(table.client, table_name=table.table_name, rate_limit_per_minute=1)

    def apply(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[int, int]:
        """Bring the postings of one item up to date with its change (plain images before and after; either
        may be None), and the user's recent messages' item (recent.py) with them; returns the postings written and
        deleted. Idempotent: a record delivered again writes the same items, and deleting what is gone costs
        nothing more."""
        before, after = Document.of(old), Document.of(new)
        if before == after:
            return 0, 0
        old_terms = term_counts(before.text) if before else Counter()
        new_terms = term_counts(after.text) if after else Counter()
        doomed = [] if before is None else [
            term for term in old_terms
            if after is None or after.sort_key != before.sort_key or term not in new_terms]
        requests: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": dump({"pk": term_pk(before.user_id, term), "sk": before.sort_key})}}
            for term in doomed] if before else []
        if after is not None:
            length = sum(new_terms.values())
            requests += [{"PutRequest": {"Item": dump({
                "pk": term_pk(after.user_id, term), "sk": after.sort_key, "conversationId": after.conversation_id,
                "messageId": after.message_id, "role": after.role, "partnerId": after.partner_id,
                "tf": count, "length": length, "createdMs": after.created_ms})}}
                for term, count in new_terms.items()]
        for start in range(0, len(requests), BATCH_WRITE):
            self._batch_write(requests[start : start + BATCH_WRITE])
        self._recent(before, after, new_terms)
        written = len(new_terms) if after is not None else 0
        return written, len(doomed)

    def _recent(self, before: Document | None, after: Document | None, new_terms: Counter[str]) -> None:
        """The message's entry in the user's recent messages' items (recent.py): set to its terms now (a redacted
        word leaves with them), or removed when it left (deleted, being rewritten) or moved to another sort key.
        One map key's SET or REMOVE: a change of another message's entry, at any moment, commutes with it."""
        kept = after if after is not None and after.recent and new_terms else None
        gone = before.sort_key if before is not None and before.recent and (
            kept is None or kept.sort_key != before.sort_key) else None
        if gone is not None and before is not None:
            self._recent_entry(before.user_id, gone, None, answer=before.role != "user")
        if kept is not None:
            answer = kept.role != "user"
            value = (answer_entry if answer else entry)(kept.partner_id, new_terms)
            self._recent_entry(kept.user_id, kept.sort_key, value, answer=answer)

    def _recent_entry(self, user_id: str, sort_key: str, value: str | None, *, answer: bool) -> None:
        """Set one message's entry (remove it: `value` None), creating its item if need be, and trim the item
        once it has grown past its slack."""
        key = dump({"pk": user_pk(user_id), "sk": shard_sk(sort_key, answer=answer)})
        if value is None:  # nothing to remove when there is no item
            self._call_if("update_item", Key=key, UpdateExpression="REMOVE messages.#k",
                          ConditionExpression="attribute_exists(messages)", ExpressionAttributeNames={"#k": sort_key})
            return
        changed = None
        for _ in range(2):  # a record of another message may create the item in between
            changed = self._write_if("update_item", Key=key, UpdateExpression="SET messages.#k = :entry",
                                     ConditionExpression="attribute_exists(messages)",
                                     ExpressionAttributeNames={"#k": sort_key},
                                     ExpressionAttributeValues={":entry": {"S": value}}, ReturnValues="ALL_NEW")
            if changed is not None or self._call_if(
                    "update_item", Key=key, UpdateExpression="SET messages = :first",
                    ConditionExpression="attribute_not_exists(messages)",
                    ExpressionAttributeValues={":first": {"M": {sort_key: {"S": value}}}}):
                break
        old = trimmed(list((changed or {}).get("Attributes", {}).get("messages", {}).get("M", {})))
        if old:
            self._call("update_item", Key=key,
                       UpdateExpression="REMOVE " + ", ".join(f"messages.#o{n}" for n in range(len(old))),
                       ExpressionAttributeNames={f"#o{n}": sort_key for n, sort_key in enumerate(old)})

    def postings(self, user_id: str, term: str, *, limit: int = POSTINGS_PER_TERM) -> list[Posting]:
        """The newest `limit` postings of one of the user's terms (eventually consistent: the live items
        are what a hit is checked against)."""
        page = self._call("query", KeyConditionExpression="pk = :pk",
                          ExpressionAttributeValues=dump({":pk": term_pk(user_id, term)}),
                          ScanIndexForward=False, Limit=limit, **_POSTING_PROJECTION)
        return [Posting.from_item(term, item) for item in page.get("Items", [])]

    @staticmethod
    def recent_postings(items: Iterable[dict[str, Any]], terms: Iterable[str]) -> tuple[dict[str, list[Posting]], int]:
        """The postings of `terms` among the user's recent exchanges (recent.py; their items as the memories' Query
        read them, typed DynamoDB JSON), as each term's Query would read them had a message and its answer's kept
        terms been one text, and how many messages the user sent there are. No read: the items were read beside the
        memories.

        An exchange whose message and answer both have some of the terms is its message's posting (its answer the
        partner) with the answer's terms added (counts and length); one where only the answer has them is the
        answer's posting (the message the partner), the message adding nothing to rank it by."""
        wanted = tuple(dict.fromkeys(terms))
        found: dict[str, list[Posting]] = {term: [] for term in wanted}
        messages = 0
        asked: list[tuple[str, str]] = []
        answered: dict[str, list[tuple[str, str]]] = {}  # by the id of the message answered
        for item in items:
            entries = item.get("messages", {}).get("M", {})
            # An entry is its terms written out: one that has none of the terms as a substring has none of them,
            # and is not parsed. Most have none, and parsing every one was the largest part of a recall's own
            # work past its one request (docs/search.md, "Recall's own work").
            having = [(sort_key, value["S"]) for sort_key, value in entries.items() if _holds_any(value["S"], wanted)]
            if not holds_answers(item):
                messages += len(entries)
                asked += having
                continue
            for sort_key, text in having:
                answered.setdefault(text[len(ANSWER_MARK) : text.find(" ")], []).append((sort_key, text))
        exchanges: list[tuple[str, str, str | None, int, Counter[str]]] = []
        for sort_key, text in asked:
            partner, length, counts = read_entry(text)
            for _, said in answered.pop(sort_key.rpartition("#")[2], ()):
                _, kept, its = read_entry(said)
                length += kept
                counts.update(its)
            exchanges.append((sort_key, "user", partner, length, counts))
        for answers in answered.values():
            exchanges += [(sort_key, "assistant", *read_entry(said)) for sort_key, said in answers]
        for sort_key, role, partner, length, counts in sorted(exchanges, key=lambda found: found[0], reverse=True):
            created_ms, conversation_id, message_id = parse_sort_key(sort_key)
            for term in wanted:
                if term in counts:
                    found[term].append(Posting(term, sort_key, conversation_id, message_id, role, partner,
                                               created_ms, counts[term], length))
        return found, messages

    def live_items(self, user_id: str, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The user's items at these (conversation id, sort key) keys, read consistently, as plain items by
        key; an item that is gone is absent. Keys are built from the caller's user id only."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(wanted), BATCH_GET):
            requested = [dump({"pk": conversation_pk(user_id, conversation), "sk": sk})
                         for conversation, sk in wanted[start : start + BATCH_GET]]
            for item in self._batch_get(requested, consistent=True, attributes=LIVE_ATTRIBUTES):
                plain = load(item)
                found[(plain["pk"].rpartition("#C#")[2], plain["sk"])] = plain
        return found


def _holds_any(text: str, words: Iterable[str]) -> bool:
    """Whether any of `words` is a substring of `text` (a loop: `any` over a generator costs twice as much here)."""
    for word in words:
        if word in text:
            return True
    return False
