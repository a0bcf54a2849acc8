"""The user's memories: durable facts learnt from their own messages, with provenance and history.

    U#{user}  MEM#{id}            a current memory: subject, value, sources ("{conversation}/{message}", or
                                  "import#{ms}" for one the user imported)
    U#{user}  MEMCFG              the user's memory setting (on unless switched off), and their
                                  instructions (instructions.py)
    U#{user}  MEMEX#{shard}       the terms of the user's newest messages and answers (search/recent.py: a few
                                  items), read here beside the memories when a message refers to the past
    U#{user}  MEMH#{id}#{ms}      an earlier value, superseded at {ms}, or a fact the user told as over
                                  ("I used to live in Oslo": `supersededBy` empty, `until` the year it
                                  ended when said); kept as history, never recalled

Current memories and the setting sort together ('#' < 'C'), so one Query reads everything a prompt may
recall (and, when asked, the newest messages' terms, the few items right after the setting: 'C' < 'E');
history sorts after them and is never read on the answer path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from memchat.errors import NotFound
from memchat.frames import MemorySource, MemoryView, SourceKind
from memchat.memory.budget import estimate_tokens
from memchat.memory.codec import (
    RECENT_LAST,
    RECENT_PREFIX,
    SETTINGS_SK,
    conversation_pk,
    dump,
    load,
    memory_sk,
    message_ms,
    message_sk,
    to_datetime,
    user_pk,
)
from memchat.memory.instructions import UserInstructions
from memchat.memory.recall import terms
from memchat.memory.table import Table
from memchat.memory.timing import label, passed

MAX_SOURCES = 5  # provenance kept per memory, newest first


class Subject(StrEnum):
    """What a memory is about: the closed set the extraction schema offers the model."""

    NAME = "name"
    HOME = "home"
    DIET = "diet"
    WORK = "work"
    FAMILY = "family"
    PREFERENCE = "preference"
    PROJECT = "project"
    PLAN = "plan"
    NOTE = "note"  # "remember that ...": the user's own words


# A person has one of these at a time: a new value supersedes the current one.
SINGLE_VALUED = frozenset({Subject.NAME, Subject.HOME, Subject.DIET, Subject.WORK})

LABELS: dict[Subject, str] = {
    Subject.NAME: "Name",
    Subject.HOME: "Lives in",
    Subject.DIET: "Diet",
    Subject.WORK: "Work",
    Subject.FAMILY: "Family",
    Subject.PREFERENCE: "Likes",
    Subject.PROJECT: "Working on",
    Subject.PLAN: "Plan",
    Subject.NOTE: "Note",
}

# The words people use when they speak or ask of each subject, so a question finds its memory by meaning
# ("Where am I these days?" finds "Lives in: Graz"; "Anything I shouldn't eat?" finds "Diet: no peanuts").
KEYWORDS: dict[Subject, str] = {
    Subject.NAME: "name called call who am i introduce hi hello sign signature initials address me myself chatting "
                  "talking",
    Subject.HOME: "live living home city town country address where moved based located area place local "
                  "neighbourhood neighborhood weather nearby around here round way flat house apartment street zone "
                  "timezone drive airport coast nearest closest rent landlord region climate",
    Subject.DIET: "diet eat eating food vegetarian vegan meat allergy allergic cook cooking meal recipe restaurant "
                  "dinner lunch breakfast menu avoid drink dish snack order dessert safe barbecue salad takeaway bake "
                  "allergies ingredient ingredients dairy gluten nut nuts fish grocery groceries shopping lunchbox "
                  "picnic bbq buffet potluck cafe",
    Subject.WORK: "work job working profession career company employer occupation living office shift boss colleague "
                  "workplace trade day paid pay customer client business linkedin cv resume headline do hours salary "
                  "raise promotion patients pupils students classroom uniform qualification workday title field line "
                  "role position sector industry",
    Subject.FAMILY: "family wife husband partner child children kid kids son daughter mother father mum dad parent "
                    "sister brother pet dog cat baby grandchild relative married household us everyone loved present "
                    "presents live home waiting little ones grandkids bedtime babysitter nursery toddler teen "
                    "teenager spouse",
    Subject.PREFERENCE: "like likes love favourite favorite prefer preference hobby enjoy fun free time weekend relax "
                        "interest into fan treat present gift excited saturday sunday perfect off",
    Subject.PROJECT: "project building writing working learning progress making studying training finishing course "
                     "busy evenings lately current undertaking start started spare time update status coming along "
                     "finished done nearly far diy built made wrote learnt studied exam practise practice renovation "
                     "materials hustle step steps milestone deadline ongoing",
    Subject.PLAN: "plan plans trip travel going date when next upcoming soon holiday schedule away visit flight "
                  "appointment coming calendar booked book pack ahead diary",
    Subject.NOTE: "remember note code number password told gave save combination pin type door lock "
                  # what the user is, has or lives with (phrasings/traits.py): "Which languages am I fluent in?"
                  "health condition medical medication language languages fluent speak speaking birthday anniversary",
}


def memory_id_for(subject: Subject, value: str) -> str:
    """A memory's id follows from what it says, so the same fact learnt twice is one item."""
    key = f"{subject.value}\n{' '.join(terms(value)) or value.casefold()}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Proposal:
    """A fact proposed for memory, by the rules or the model, before it is checked against the message."""

    subject: Subject
    value: str


IMPORT_SOURCE = "import#"  # '#' is in no id: an import's entry never reads as a conversation's


@dataclass(frozen=True)
class Source:
    """Where a memory was learnt: a user's message, or (`imported_ms` set) an import the user confirmed,
    whose conversation and message ids are empty."""

    conversation_id: str
    message_id: str
    imported_ms: int | None = None

    @classmethod
    def imported(cls, now_ms: int) -> Source:
        return cls("", "", now_ms)

    @classmethod
    def parse(cls, entry: str) -> Source:
        if entry.startswith(IMPORT_SOURCE):
            return cls.imported(int(entry.removeprefix(IMPORT_SOURCE)))
        return cls(*entry.split("/", 1))

    @property
    def entry(self) -> str:
        if self.imported_ms is not None:
            return f"{IMPORT_SOURCE}{self.imported_ms}"
        return f"{self.conversation_id}/{self.message_id}"

    @property
    def said_ms(self) -> int | None:
        """When what it holds was said: the import's time, or its message's (None when not known)."""
        return self.imported_ms if self.imported_ms is not None else message_ms(self.message_id)

    def view(self) -> MemorySource:
        if self.imported_ms is not None:
            return MemorySource(kind=SourceKind.IMPORT, imported_at=to_datetime(self.imported_ms))
        return MemorySource(conversation_id=self.conversation_id, message_id=self.message_id)


@dataclass(frozen=True)
class SavedMemory:
    memory_id: str
    subject: Subject
    value: str
    created_ms: int
    updated_ms: int
    sources: tuple[Source, ...] = field(default_factory=tuple)
    when: str | None = None  # a plan's date, "YYYY-MM-DD" or "YYYY-MM", made absolute when learnt
    ended_ms: int | None = None  # a fact told as over: when it was ("I used to live in Oslo")
    until: str | None = None  # and the year it ended, when the user said one ("until 2019")

    @property
    def text(self) -> str:
        if self.ended_ms is not None:  # told as over: never recalled, and never read as current
            return f"{LABELS[self.subject]} (past{f', until {self.until}' if self.until else ''}): {self.value}"
        if self.when is not None:
            return f"{LABELS[self.subject]}: {self.value} ({label(self.when)})"
        return f"{LABELS[self.subject]}: {self.value}"

    def prompt_text(self, today: date) -> str:
        """The memory as a prompt carries it: a plan whose date has passed is recalled as past."""
        if self.when is not None and passed(self.when, today):
            return f"{LABELS[self.subject]} (past, {label(self.when)}): {self.value}"
        return self.text

    @property
    def search_text(self) -> str:
        return f"{self.text} {KEYWORDS[self.subject]}"

    @property
    def profile(self) -> bool:
        """Part of the user's profile (their one name, home, diet and job), which recall keeps in reach."""
        return self.subject in SINGLE_VALUED

    @property
    def tokens(self) -> int:
        """What it costs in a prompt, in either form (a plan recalled as past is worded differently)."""
        if self.when is None:
            return estimate_tokens(self.text)
        return max(estimate_tokens(self.text), estimate_tokens(self.prompt_text(date.max)))

    def with_source(self, source: Source, now_ms: int) -> SavedMemory:
        sources = (source, *(s for s in self.sources if s != source))[:MAX_SOURCES]
        return replace(self, sources=sources, updated_ms=max(self.updated_ms, now_ms))

    def view(self) -> MemoryView:
        return MemoryView(
            memory_id=self.memory_id, subject=self.subject.value, text=self.text,
            created_at=to_datetime(self.created_ms), updated_at=to_datetime(self.updated_ms),
            sources=[s.view() for s in self.sources],
            ended_at=to_datetime(self.ended_ms) if self.ended_ms is not None else None, until=self.until,
        )

    def item(self, user_id: str) -> dict[str, Any]:
        return {
            "pk": user_pk(user_id), "sk": memory_sk(self.memory_id), "subject": self.subject.value,
            "value": self.value, "createdMs": self.created_ms, "updatedMs": self.updated_ms,
            "sources": [s.entry for s in self.sources],
            **({"when": self.when} if self.when is not None else {}),
        }

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> SavedMemory:
        sources = tuple(Source.parse(entry) for entry in plain.get("sources") or ())
        return cls(
            memory_id=plain["sk"].removeprefix("MEM#"), subject=Subject(plain["subject"]), value=plain["value"],
            created_ms=int(plain["createdMs"]), updated_ms=int(plain["updatedMs"]), sources=sources,
            when=plain.get("when"),
        )

    @classmethod
    def told_over(cls, history: dict[str, Any]) -> SavedMemory:
        """A fact the user told as over, from its history item (`MEMH#{id}#{ms}`, superseded by nothing)."""
        ended = cls.from_plain({**history, "sk": memory_sk(history_memory_id(history))})
        return replace(ended, ended_ms=int(history["supersededMs"]), until=history.get("until"))


@dataclass(frozen=True)
class RecallState:
    """What the answer path reads of the user's memory: the setting and every current memory, and the
    user's instructions, which share the setting's item."""

    enabled: bool
    memories: list[SavedMemory]
    instructions: UserInstructions = field(default_factory=UserInstructions)
    # The newest messages' terms as DynamoDB sent their items (search/recent.py); only when asked for (`recent`),
    # else empty.
    recent: tuple[dict[str, Any], ...] = ()


HISTORY_PREFIX = "MEMH#"


@dataclass(frozen=True)
class Learnt:
    """The user's message a memory is being learnt from, as extraction read it. Learning writes only
    while it still holds: not redacted since (a memory it taught was deleted), and not older than the
    last "clear all" (the user cleared what they had said), checked in the write's own transaction."""

    conversation_id: str
    message_id: str
    text: str
    created_ms: int

    def checks(self, table: str, user_id: str) -> list[dict[str, Any]]:
        return [
            {"ConditionCheck": {
                "TableName": table,
                "Key": dump({"pk": conversation_pk(user_id, self.conversation_id), "sk": message_sk(self.message_id)}),
                "ConditionExpression": "#t = :text",
                "ExpressionAttributeNames": {"#t": "text"},
                "ExpressionAttributeValues": dump({":text": self.text}),
            }},
            {"ConditionCheck": {
                "TableName": table,
                "Key": dump({"pk": user_pk(user_id), "sk": SETTINGS_SK}),
                "ConditionExpression": "attribute_not_exists(clearedMs) OR clearedMs < :said",
                "ExpressionAttributeValues": dump({":said": self.created_ms}),
            }},
        ]


class MemoryItems(Table):
    def recall_state(self, user_id: str, *, limit: int, consistent: bool = False, recent: int = 0) -> RecallState:
        """The memory setting (with the user's instructions) and the current memories, in one Query (newest
        first); with `recent` (how many items they are, a fixed few), the same Query also reads the items of the
        user's newest messages' terms (recall of past exchanges ranks them before it reads any posting:
        docs/search.md)."""
        page = self._call(
            "query",
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":first": "MEM#",
                                            ":last": RECENT_LAST if recent else SETTINGS_SK}),
            # The limit plus the setting (and the recent items, which come first); past it the least recently
            # confirmed are evicted by the digest.
            Limit=limit + 1 + recent,
            # Down from the setting ('MEMCFG' sorts after every 'MEM#'), so the limit never cuts it off.
            ScanIndexForward=False,
            ConsistentRead=consistent,
        )
        enabled, memories, instructions = True, [], UserInstructions()
        newest: list[dict[str, Any]] = []
        for item in page.get("Items", []):
            sk = item["sk"]["S"]
            if sk.startswith(RECENT_PREFIX):
                newest.append(item)
                continue
            plain = load(item)
            if sk == SETTINGS_SK:
                enabled = bool(plain.get("enabled", True))
                instructions = UserInstructions.from_plain(plain)
            elif len(memories) < limit:
                memories.append(SavedMemory.from_plain(plain))
        memories.sort(key=lambda m: m.updated_ms, reverse=True)
        return RecallState(enabled, memories, instructions, tuple(newest))

    def set_memory_enabled(self, user_id: str, enabled: bool) -> None:
        self._call("update_item", Key=dump({"pk": user_pk(user_id), "sk": SETTINGS_SK}),
                   UpdateExpression="SET enabled = :on", ExpressionAttributeValues=dump({":on": enabled}))

    def mark_cleared(self, user_id: str, now_ms: int) -> None:
        """Note a "clear all": nothing said before it is learnt afterwards (see `Learnt`)."""
        self._call("update_item", Key=dump({"pk": user_pk(user_id), "sk": SETTINGS_SK}),
                   UpdateExpression="SET clearedMs = :now", ExpressionAttributeValues=dump({":now": now_ms}))

    def put_memory(self, user_id: str, memory: SavedMemory, *, learnt: Learnt | None = None) -> bool:
        """Store a memory; with `learnt`, only while its message still holds (False: nothing written)."""
        put = {"Put": {"TableName": self._table, "Item": dump(memory.item(user_id))}}
        if learnt is None:
            self._call("put_item", Item=put["Put"]["Item"])
            return True
        return self._transact([*learnt.checks(self._table, user_id), put]) is None

    def drop_memories(self, user_id: str, memories: list[SavedMemory]) -> None:
        """Delete memory items only (eviction past the limit), leaving what the user wrote untouched."""
        for memory in memories:
            self._call("delete_item", Key=dump({"pk": user_pk(user_id), "sk": memory_sk(memory.memory_id)}))

    def supersede_memory(self, user_id: str, old: SavedMemory, new: SavedMemory, *, now_ms: int,
                         learnt: Learnt | None = None) -> bool:
        """Replace the current value of a subject; the old one becomes history, with when it ended. With
        `learnt`, only while its message still holds (False: nothing written)."""
        history = {**old.item(user_id), "sk": f"{HISTORY_PREFIX}{old.memory_id}#{now_ms:013d}",
                   "supersededMs": now_ms, "supersededBy": new.memory_id}
        old_key = dump({"pk": user_pk(user_id), "sk": memory_sk(old.memory_id)})
        return self._transact([
            *(learnt.checks(self._table, user_id) if learnt else ()),
            {"Delete": {"TableName": self._table, "Key": old_key}},
            {"Put": {"TableName": self._table, "Item": dump(history)}},
            {"Put": {"TableName": self._table, "Item": dump(new.item(user_id))}},
        ]) is None

    def end_memory(self, user_id: str, memory: SavedMemory, *, now_ms: int, current: bool, until: str | None = None,
                   learnt: Learnt | None = None) -> bool:
        """Keep a fact the user told as over as history, ended at `now_ms` (and `until` a year they said);
        a `current` memory stops being current. With `learnt`, only while its message still holds (False:
        nothing written)."""
        history = {**memory.item(user_id), "sk": f"{HISTORY_PREFIX}{memory.memory_id}#{now_ms:013d}",
                   "supersededMs": now_ms, "supersededBy": "", **({"until": until} if until else {})}
        key = dump({"pk": user_pk(user_id), "sk": memory_sk(memory.memory_id)})
        return self._transact([
            *(learnt.checks(self._table, user_id) if learnt else ()),
            *([{"Delete": {"TableName": self._table, "Key": key}}] if current else []),
            {"Put": {"TableName": self._table, "Item": dump(history)}},
        ]) is None

    def told_over(self, user_id: str) -> list[SavedMemory]:
        """The facts the user told as over (history no value superseded), newest end first, each once: what
        "forget ..." reaches beside the current ones, and the Memory screen's past."""
        ended = sorted((SavedMemory.told_over(item) for item in self.memory_history(user_id)
                        if not item.get("supersededBy")), key=lambda m: m.ended_ms or 0, reverse=True)
        newest: dict[str, SavedMemory] = {}
        for memory in ended:
            newest.setdefault(memory.memory_id, memory)
        return list(newest.values())

    def memory_history(self, user_id: str) -> list[dict[str, Any]]:
        """Every superseded value of the user's memories (plain items), for deletion and the evaluation."""
        return [load(item) for item in self._query_all(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :history)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":history": HISTORY_PREFIX}),
            ConsistentRead=True,
        )]

    def get_memory(self, user_id: str, memory_id: str) -> SavedMemory:
        item = self._call(
            "get_item", Key=dump({"pk": user_pk(user_id), "sk": memory_sk(memory_id)}), ConsistentRead=True,
        ).get("Item")
        if item is None:
            raise NotFound("No such memory.")
        return SavedMemory.from_plain(load(item))


def history_memory_id(item: dict[str, Any]) -> str:
    """The memory a history item (MEMH#{id}#{ms}) is an earlier value of."""
    return str(item["sk"]).removeprefix(HISTORY_PREFIX).split("#", 1)[0]
